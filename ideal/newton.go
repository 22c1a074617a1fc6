package ideal

import "math"

// itemsNewton is the items step with Newton's method for α and β: the
// expectations of the latent utilities at the current values give the
// score of the collapsed objective, E[z] − η = σ²·∂log P/∂η, and its
// observed information, (1 − Var(z)/σ²)/σ² per vote; σ keeps its EM update.
func (f *fitter) itemsNewton() {
	d, p := f.d, &f.p
	parallel(d.nItem, 64, f.workers, func(lo, hi int) {
		for g := lo; g < hi; g++ {
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
				q := d.obsPos[k]
				f.qres[q], f.qvar[q] = sc, ev
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
			f.dA[g], f.dB[g] = da, db
			if nc == 3 {
				rss := szz + szv - 2*a*sz - 2*b*szm + n*a*a + 2*a*b*sm + b*b*(smm+sv)
				s = math.Sqrt((rss + 2*priorSigmaB) / (n + 2*priorSigmaA + 2))
			}
			p.alpha[g], p.beta[g], p.sigma[g] = a, b, s
		}
	})
}

// positionsNewton is the positions step with Newton's method: the
// expectations of the latent utilities at the current items and positions
// give each state-period's score and observed information, which the Kalman
// smoother combines with the random walk into a Newton step for the whole
// trajectory. The variances v are those of the variational posterior (the
// smoother with the complete-data precision β²/σ² of every vote).
func (f *fitter) positionsNewton() {
	if f.linear {
		f.positionsLinear()
		return
	}
	d, p := f.d, &f.p
	// Per item: 1/σ, β/σ, β²/σ².
	for g := range f.ibs {
		is := 1 / p.sigma[g]
		f.iis[g], f.ibs[g] = is, p.beta[g]*is
	}
	parallel(d.nState, 8, f.workers, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			u0, u1 := d.stUnit[s], d.stUnit[s+1]
			for u := u0; u < u1; u++ {
				f.prec[u], f.info[u], f.cprec[u] = 0, 0, 0
				if d.multi {
					f.bsc[u], f.bw[u], f.bc[u] = 0, 0, 0
				}
			}
			for q := d.stStart[s]; q < d.stStart[s+1]; q++ {
				g, u := d.sItem[q], d.sUnit[q]
				is, bs := f.iis[g], f.ibs[g]
				mu := p.m[u]
				em, ev := stdLatent((p.alpha[g]+p.beta[g]*mu)*is, is, f.sCat[q], d.itemNCat[g])
				c := bs * bs
				w := c * max(0, 1-ev)
				sc := bs * em
				f.cprec[u] += c
				f.prec[u] += w
				f.info[u] += w*mu + sc
				if d.multi && d.itemT[g] < 0 {
					f.bsc[u] += sc
					f.bw[u] += w
					f.bc[u] += c
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

// positionsLinear is positionsNewton without a second pass of truncated
// normal moments: those of the items step, taken at the items before it,
// are carried to the new items to first order, E[z] moving by
// Var(z)/σ²·Δη when η moves by Δη (σ's change is neglected). At a fixed
// point Δη = 0 and the step is exact, so the fixed point is unchanged; it
// costs a fraction of the exact step.
func (f *fitter) positionsLinear() {
	d, p := f.d, &f.p
	for g := range f.ibs {
		is := 1 / p.sigma[g]
		f.iis[g], f.ibs[g] = is, p.beta[g]*is
	}
	parallel(d.nState, 8, f.workers, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			u0, u1 := d.stUnit[s], d.stUnit[s+1]
			for u := u0; u < u1; u++ {
				f.prec[u], f.info[u], f.cprec[u] = 0, 0, 0
				if d.multi {
					f.bsc[u], f.bw[u], f.bc[u] = 0, 0, 0
				}
			}
			for q := d.stStart[s]; q < d.stStart[s+1]; q++ {
				g, u := d.sItem[q], d.sUnit[q]
				is, bs := f.iis[g], f.ibs[g]
				mu := p.m[u]
				ev := f.qvar[q]
				keep := max(0, 1-ev)
				res := f.qres[q] - keep*(f.dA[g]+f.dB[g]*mu) // E[z] − η at the new items
				c := bs * bs
				w := c * keep
				sc := bs * is * res
				f.cprec[u] += c
				f.prec[u] += w
				f.info[u] += w*mu + sc
				if d.multi && d.itemT[g] < 0 {
					f.bsc[u] += sc
					f.bw[u] += w
					f.bc[u] += c
				}
			}
			f.smoothNewton(u0, u1)
		}
	})
}
