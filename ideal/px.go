package ideal

import "math"

// shift is the parameter-expanded step (PX-EM; Liu, Rubin & Wu 1998,
// "Parameter Expansion to Accelerate EM: The PX-EM Algorithm", Biometrika
// 85(4)) for the location and scale of each period. Mapping every position
// of period t to a_t + b_t·θ, and every roll call of that period to
// α − β·a_t/b_t, β/b_t, leaves the likelihood unchanged: only the priors
// (the random walk, the first position's N(0, 1), α and β's N(0, 25)) and
// the entropy of the positions' posterior see it. EM moves along these
// directions very slowly, since each half-step is held back by the
// likelihood, which does not care; this step takes the best (a, b) at once
// by Newton's method on the variational objective, a block-tridiagonal
// system over the periods. Roll calls of several periods (bridges) are not
// moved; their log-likelihood change, which is not zero, enters to second
// order (score and observed information at the current values). At a fixed
// point of EM the best (a, b) is (0, 1), so the fixed point is unchanged.
func (f *fitter) shift() {
	d, p := f.d, &f.p
	T := d.nT
	const nv = 2 // a, b per period
	// Per period: quadratic part of the objective in δ = (a, b−1):
	// gradient g0 and the negative Hessian h0 (2×2 blocks on the diagonal,
	// off-diagonal blocks between t and t+1).
	need := T*(2+4+4) + T*6
	if cap(f.px) < need {
		f.px = make([]float64, need)
	}
	px := f.px[:need]
	clear(px)
	g0 := px[:2*T]
	hd := px[2*T : 6*T]  // diagonal blocks, row-major 2×2
	ho := px[6*T : 10*T] // blocks (t, t+1)
	items := px[10*T:]   // per period: Σαα (unused), Σαβ, Σββ, units n, spare
	_ = items
	iw2 := 1 / d.omega2
	addDiag := func(t int32, l0, l1, w float64) { // w·l l'
		h := hd[4*t:]
		h[0] += w * l0 * l0
		h[1] += w * l0 * l1
		h[2] += w * l0 * l1
		h[3] += w * l1 * l1
	}
	for s := 0; s < d.nState; s++ {
		u0, u1 := d.stUnit[s], d.stUnit[s+1]
		t0 := d.unitT[u0]
		// first position: −((a + b m)² + b² v)/2
		m0, v0 := p.m[u0], p.v[u0]
		g0[2*t0] -= m0
		g0[2*t0+1] -= m0*m0 + v0
		addDiag(t0, 1, m0, 1)
		hd[4*t0+3] += v0
		for u := u0; u < u1; u++ {
			items[6*d.unitT[u]+3]++ // units: entropy n log b
		}
		for u := u0; u+1 < u1; u++ {
			t := d.unitT[u]
			m, m1 := p.m[u], p.m[u+1]
			v, v1 := p.v[u], p.v[u+1]
			c := f.gain[u] * v1
			e := m1 - m
			// −(e + L·δ)²/(2ω²), L = (−1, −m | 1, m1)
			g0[2*t] += e * iw2
			g0[2*t+1] += e * m * iw2
			g0[2*t+2] -= e * iw2
			g0[2*t+3] -= e * m1 * iw2
			addDiag(t, -1, -m, iw2)
			addDiag(t+1, 1, m1, iw2)
			o := ho[4*t:]
			o[0] -= iw2
			o[1] -= m1 * iw2
			o[2] -= m * iw2
			o[3] -= m * m1 * iw2
			// −(b_t² v + b_t+1² v1 − 2 b_t b_t+1 c)/(2ω²)
			g0[2*t+1] -= (v - c) * iw2
			g0[2*t+3] -= (v1 - c) * iw2
			hd[4*t+3] += v * iw2
			hd[4*(t+1)+3] += v1 * iw2
			o[3] -= c * iw2
		}
	}
	for j := 0; j < d.nItem; j++ {
		if t := d.itemT[j]; t >= 0 {
			a, b := p.alpha[j], p.beta[j]
			items[6*t] += a * a
			items[6*t+1] += a * b
			items[6*t+2] += b * b
		}
	}
	if d.multi {
		// Score and information of the votes on bridges, per unit, from
		// the last positions step (at the positions before it: an
		// approximation that vanishes at the fixed point).
		for u, m := range p.m {
			t := d.unitT[u]
			sc := f.bsc[u]
			g0[2*t] += sc
			g0[2*t+1] += sc * m
			addDiag(t, 1, m, f.bw[u])
			// −β² b² v/(2σ²)
			w := f.bc[u] * p.v[u]
			g0[2*t+1] -= w
			hd[4*t+3] += w
		}
	}
	// Newton iterations from δ = 0.
	x := make([]float64, 2*T)
	g := make([]float64, 2*T)
	h := make([]float64, 4*T)
	for it := 0; it < 4; it++ {
		// quadratic part at x: g0 − H0·x
		copy(g, g0)
		copy(h, hd)
		for t := 0; t < T; t++ {
			xa, xb := x[2*t], x[2*t+1]
			g[2*t] -= hd[4*t]*xa + hd[4*t+1]*xb
			g[2*t+1] -= hd[4*t+2]*xa + hd[4*t+3]*xb
			if t+1 < T {
				o := ho[4*t:]
				ya, yb := x[2*t+2], x[2*t+3]
				g[2*t] -= o[0]*ya + o[1]*yb
				g[2*t+1] -= o[2]*ya + o[3]*yb
				g[2*t+2] -= o[0]*xa + o[2]*xb
				g[2*t+3] -= o[1]*xa + o[3]*xb
			}
		}
		// entropy n log b and the priors of the period's items
		// −(Σ(α − β a r)² + Σβ² r²)/(2·25), r = 1/b.
		for t := 0; t < T; t++ {
			it := items[6*t:]
			a, b := x[2*t], 1+x[2*t+1]
			r := 1 / b
			n := it[3]
			g[2*t+1] += n / b
			h[4*t+3] += n / (b * b)
			saa, sab, sbb := it[0], it[1], it[2]
			_ = saa
			k := 1 / (2 * priorItemVar)
			pa := -k * (-2*sab*r + 2*sbb*a*r*r)
			pr := -k * (-2*sab*a + 2*sbb*a*a*r + 2*sbb*r)
			paa := -k * 2 * sbb * r * r
			par := -k * (-2*sab + 4*sbb*a*r)
			prr := -k * (2*sbb*a*a + 2*sbb)
			pb := -pr * r * r
			pab := -par * r * r
			pbb := prr*r*r*r*r + 2*pr*r*r*r
			g[2*t] += pa
			g[2*t+1] += pb
			h[4*t] -= paa
			h[4*t+1] -= pab
			h[4*t+2] -= pab
			h[4*t+3] -= pbb
		}
		step, ok := blockTridiag(h, ho, g, T)
		if !ok {
			return
		}
		var mx float64
		for i := range x {
			x[i] += step[i]
			mx = math.Max(mx, math.Abs(step[i]))
		}
		for t := 0; t < T; t++ {
			x[2*t+1] = math.Max(-0.5, math.Min(1, x[2*t+1]))
		}
		if mx < 1e-10 {
			break
		}
	}
	_ = nv
	for u := range p.m {
		t := d.unitT[u]
		a, b := x[2*t], 1+x[2*t+1]
		p.m[u] = a + b*p.m[u]
		p.v[u] *= b * b
	}
	for j := 0; j < d.nItem; j++ {
		if t := d.itemT[j]; t >= 0 {
			a, b := x[2*t], 1+x[2*t+1]
			p.alpha[j] -= p.beta[j] * a / b
			p.beta[j] /= b
		}
	}
}

// blockTridiag solves the symmetric block-tridiagonal system with 2×2
// diagonal blocks hd (row-major, 4 per block), blocks ho between t and t+1
// and right-hand side g, by block elimination. It reports false when a
// pivot block is not positive definite.
func blockTridiag(hd, ho, g []float64, T int) ([]float64, bool) {
	d := append([]float64(nil), hd...)
	r := append([]float64(nil), g...)
	inv := func(b []float64) (i0, i1, i2, i3 float64, ok bool) {
		det := b[0]*b[3] - b[1]*b[2]
		if !(b[0] > 0 && det > 0) {
			return 0, 0, 0, 0, false
		}
		return b[3] / det, -b[1] / det, -b[2] / det, b[0] / det, true
	}
	for t := 1; t < T; t++ {
		// d_t −= O' D_{t-1}^{-1} O, r_t −= O' D_{t-1}^{-1} r_{t-1}; O = ho[t-1] (rows t-1, cols t)
		i0, i1, i2, i3, ok := inv(d[4*(t-1):])
		if !ok {
			return nil, false
		}
		o := ho[4*(t-1):]
		// W = D^{-1} O
		w0 := i0*o[0] + i1*o[2]
		w1 := i0*o[1] + i1*o[3]
		w2 := i2*o[0] + i3*o[2]
		w3 := i2*o[1] + i3*o[3]
		// O' W
		dd := d[4*t:]
		dd[0] -= o[0]*w0 + o[2]*w2
		dd[1] -= o[0]*w1 + o[2]*w3
		dd[2] -= o[1]*w0 + o[3]*w2
		dd[3] -= o[1]*w1 + o[3]*w3
		// O' D^{-1} r_{t-1} = W' r
		r[2*t] -= w0*r[2*t-2] + w2*r[2*t-1]
		r[2*t+1] -= w1*r[2*t-2] + w3*r[2*t-1]
	}
	x := make([]float64, 2*T)
	for t := T - 1; t >= 0; t-- {
		ra, rb := r[2*t], r[2*t+1]
		if t+1 < T {
			o := ho[4*t:]
			ra -= o[0]*x[2*t+2] + o[1]*x[2*t+3]
			rb -= o[2]*x[2*t+2] + o[3]*x[2*t+3]
		}
		i0, i1, i2, i3, ok := inv(d[4*t:])
		if !ok {
			return nil, false
		}
		x[2*t] = i0*ra + i1*rb
		x[2*t+1] = i2*ra + i3*rb
	}
	return x, true
}
