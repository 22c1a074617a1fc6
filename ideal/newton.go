package ideal

import "math"

// itemsNewton is the items step with Newton's method for α and β: the
// expectations of the latent utilities at the current values give the
// score of the collapsed objective, E[z] − η = σ²·∂log P/∂η, and its
// observed information, (1 − Var(z)/σ²)/σ² per vote; σ keeps its EM update.
//
// The same moments serve the positions step, carried to the new items to
// first order: when η moves by Δη, E[z] moves by Var(z)/σ²·Δη. Right after
// an item is updated its votes' contributions to each state-period's
// score, observed information and complete-data information are added to
// the sums of its chunk (f.acc), while they are still in cache; at a fixed
// point Δη = 0 and they are exact.
func (f *fitter) itemsNewton() {
	nu := f.d.nUnit
	parallel(len(f.chunks)-1, 1, f.workers, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			acc, buf := f.acc[c], f.buf[c]
			clear(acc)
			for g := f.chunks[c]; g < f.chunks[c+1]; g++ {
				f.item(g, acc[:3*nu], acc[3*nu:], buf)
			}
		}
	})
}

// item updates item g and adds its votes' contributions to the positions
// step to acc (3 per unit: complete-data precision, observed information,
// information × position + score) and, for a bridge, to accB.
func (f *fitter) item(g int32, acc, accB, buf []float64) {
	d, p := f.d, &f.p
	a, b, s := p.alpha[g], p.beta[g], p.sigma[g]
	nc := d.itemNCat[g]
	s2 := s * s
	var sw, swm, swmm, ss, ssm, sv float64
	var sm, smm, sz, szm, szz, szv float64
	k0, k1 := d.itemStart[g], d.itemStart[g+1]
	is := 1 / s
	for k := k0; k < k1; k++ {
		u := d.obsUnit[k]
		mu := p.m[u]
		em, ev := stdLatent((a+b*mu)*is, is, f.cat[k], nc)
		w := max(0, 1-ev)
		sc := s * em // E[z] − η
		i := 2 * (k - k0)
		buf[i], buf[i+1] = sc, w
		sw += w
		swm += w * mu
		swmm += w * mu * mu
		ss += sc
		ssm += sc * mu
		sv += p.v[u]
		if nc == 3 {
			zm := a + b*mu + sc
			sm += mu
			smm += mu * mu
			sz += zm
			szm += zm * mu
			szz += zm * zm
			szv += s2 * ev
		}
	}
	n := float64(k1 - k0)
	// gradient and negative Hessian in (α, β), in units of 1/σ².
	r := s2 / priorItemVar
	g1 := ss - r*a
	g2 := ssm - b*sv - r*b
	h11, h12, h22 := sw+r, swm, swmm+sv+r
	det := h11*h22 - h12*h12
	da := (h22*g1 - h12*g2) / det
	db := (h11*g2 - h12*g1) / det
	const capStep = 2.0
	if m := max(math.Abs(da), math.Abs(db)); m > capStep {
		da, db = da*capStep/m, db*capStep/m
	}
	a += da
	b += db
	if nc == 3 {
		rss := szz + szv - 2*a*sz - 2*b*szm + n*a*a + 2*a*b*sm + b*b*(smm+sv)
		s = math.Sqrt((rss + 2*priorSigmaB) / (n + 2*priorSigmaA + 2))
	}
	p.alpha[g], p.beta[g], p.sigma[g] = a, b, s

	// Contributions to the positions step, at the new item.
	is = 1 / s
	bs := b * is
	c := bs * bs
	bs2 := bs * is
	bridge := d.multi && d.itemT[g] < 0
	for k := k0; k < k1; k++ {
		u := d.obsUnit[k]
		mu := p.m[u]
		i := 2 * (k - k0)
		keep := buf[i+1]
		res := buf[i] - keep*(da+db*mu) // E[z] − η at the new item
		w := c * keep
		sc := bs2 * res
		j := 3 * u
		acc[j] += c
		acc[j+1] += w
		acc[j+2] += w*mu + sc
		if bridge {
			accB[j] += c
			accB[j+1] += w
			accB[j+2] += sc
		}
	}
}

// positionsNewton is the positions step with Newton's method: each
// state-period's score and observed information from the items step (see
// itemsNewton), which the Kalman smoother combines with the random walk into
// a Newton step for the whole trajectory. The variances v are those of the
// variational posterior (the smoother with the complete-data precision
// β²/σ² of every vote).
func (f *fitter) positionsNewton() {
	d := f.d
	nu := d.nUnit
	parallel(d.nState, 8, f.workers, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			u0, u1 := d.stUnit[s], d.stUnit[s+1]
			for u := u0; u < u1; u++ {
				var c, w, in, bc, bw, bsc float64
				j := 3 * u
				for _, acc := range f.acc { // in chunk order: sums do not depend on Workers
					c += acc[j]
					w += acc[j+1]
					in += acc[j+2]
					if d.multi {
						bc += acc[3*nu+int(j)]
						bw += acc[3*nu+int(j)+1]
						bsc += acc[3*nu+int(j)+2]
					}
				}
				f.cprec[u], f.prec[u], f.info[u] = c, w, in
				if d.multi {
					f.bc[u], f.bw[u], f.bsc[u] = bc, bw, bsc
				}
			}
			f.smoothNewton(u0, u1)
		}
	})
}

// smoothNewton runs the Kalman filter and RTS smoother twice over units
// u0 … u1-1: with the observed information (prec, info) for the means, and
// with the complete-data precision cprec for the variances and gains.
func (f *fitter) smoothNewton(u0, u1 int32) {
	p, w2 := &f.p, f.d.omega2
	pm, pv := 0.0, 1.0
	for u := u0; u < u1; u++ {
		fv := 1 / (1/pv + f.prec[u])
		fm := fv * (pm/pv + f.info[u])
		f.filtM[u], f.filtV[u] = fm, fv
		pm, pv = fm, fv+w2
	}
	last := u1 - 1
	p.m[last] = f.filtM[last]
	for u := last - 1; u >= u0; u-- {
		fm, fv := f.filtM[u], f.filtV[u]
		j := fv / (fv + w2)
		p.m[u] = fm + j*(p.m[u+1]-fm)
	}
	pv = 1.0
	for u := u0; u < u1; u++ {
		fv := 1 / (1/pv + f.cprec[u])
		f.filtV[u] = fv
		pv = fv + w2
	}
	p.v[last] = f.filtV[last]
	for u := last - 1; u >= u0; u-- {
		fv := f.filtV[u]
		rv := fv + w2
		j := fv / rv
		p.v[u] = fv + j*j*(p.v[u+1]-rv)
		f.gain[u] = j
	}
}

// stdLatent returns the mean and variance of the standardised residual
// e = (z − η)/σ of a latent utility z ~ N(η, σ²) truncated to category c of
// ncat, given h = η/σ and is = 1/σ (thresholds 0 and, with three
// categories, 1): E[z] = η + σ·mean and Var[z] = σ²·vr.
func stdLatent(h, is float64, c, ncat uint8) (mean, vr float64) {
	switch {
	case c == 0: // z < 0: e < −h
		m, v := upperTail(h)
		return -m, v
	case ncat == 3 && c == 1: // 0 ≤ z < 1: −h ≤ e < is − h
		return interval(-h, is-h)
	case ncat == 3: // z ≥ 1
		return upperTail(is - h)
	}
	return upperTail(-h) // z ≥ 0
}
