package ideal

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
)

// Priors of the model, in the scale of the latent utility z (thresholds 0
// and 1): α, β ~ N(0, priorItemVar) as in emIRT's defaults, σ² ~
// InvGamma(priorSigmaA, priorSigmaB) for three-category items, and the first
// position of every state θ ~ N(0, 1).
const (
	priorItemVar = 25.0
	priorSigmaA  = 1.0
	priorSigmaB  = 1.0
)

// design is the fixed structure of a fit: which state-period (unit) cast which
// category on which item. Observations are stored by item (index k); the
// same observations are listed again by state (index q) for the positions
// step, which then reads memory in order.
type design struct {
	nItem     int
	itemStart []int32 // observations of item g: k in itemStart[g] … itemStart[g+1]-1
	itemNCat  []uint8 // 2 or 3 categories
	obsUnit   []int32 // unit of observation k
	obsItem   []int32 // item of observation k
	obsPos    []int32 // q of observation k
	nState    int
	stUnit    []int32 // units of state s: stUnit[s] … stUnit[s+1]-1, one per period of its span
	stStart   []int32 // observations of state s: q in stStart[s] … stStart[s+1]-1
	sItem     []int32 // item of observation q
	sUnit     []int32 // unit of observation q
	nUnit     int
	omega2    float64 // random-walk variance per period
}

// params are the quantities estimated: the variational posterior of each
// unit's position (mean m, variance v) and each item's α, β, σ.
type params struct {
	m, v               []float64
	alpha, beta, sigma []float64
}

func (p *params) clone() params {
	c := func(x []float64) []float64 { return append([]float64(nil), x...) }
	return params{m: c(p.m), v: c(p.v), alpha: c(p.alpha), beta: c(p.beta), sigma: c(p.sigma)}
}

// fitter runs variational EM for one set of votes (the observed one or a
// bootstrap replicate) on a design.
type fitter struct {
	d       *design
	cat     []uint8 // category of each observation
	p       params
	workers int
	// scratch, one per unit
	prec, info, filtM, filtV []float64
	prev                     []float64
	zbar                     []float64 // E[z] of observation q, from the last items step
	plain                    bool      // no SQUAREM acceleration
	ext                      params    // scratch for the extrapolation
}

func newFitter(d *design, cat []uint8, p params, workers int) *fitter {
	n := d.nUnit
	return &fitter{d: d, cat: cat, p: p, workers: workers,
		prec: make([]float64, n), info: make([]float64, n),
		filtM: make([]float64, n), filtV: make([]float64, n), prev: make([]float64, n), zbar: make([]float64, len(cat))}
}

// parallel runs fn over [0, n) in chunks of grain, on up to workers goroutines.
func parallel(n, grain, workers int, fn func(lo, hi int)) {
	if workers <= 1 || n <= grain {
		fn(0, n)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(grain))) - grain
				if lo >= n {
					return
				}
				fn(lo, min(lo+grain, n))
			}
		}()
	}
	wg.Wait()
}

// items is the E-step for the latent utilities and the M-step for the
// items: given the positions, it takes the expectation of every latent
// utility (a truncated normal; kept in zbar for the positions step) and
// updates α, β (ridge regression on the expected utilities) and, for
// three-category items, σ², all in closed form.
func (f *fitter) items() {
	d, p := f.d, &f.p
	parallel(d.nItem, 64, f.workers, func(lo, hi int) {
		for g := lo; g < hi; g++ {
			a, b, s := p.alpha[g], p.beta[g], p.sigma[g]
			nc := d.itemNCat[g]
			var n, sm, smm, sv, sz, szm, szz, szv float64
			k0, k1 := d.itemStart[g], d.itemStart[g+1]
			if nc == 2 {
				// σ = 1: only the means are needed.
				for k := k0; k < k1; k++ {
					u := d.obsUnit[k]
					mu, vu := p.m[u], p.v[u]
					eta := a + b*mu
					var zm float64
					if f.cat[k] == 0 {
						zm = eta - lambda(eta)
					} else {
						zm = eta + lambda(-eta)
					}
					f.zbar[d.obsPos[k]] = zm
					sm += mu
					smm += mu * mu
					sv += vu
					sz += zm
					szm += zm * mu
				}
			} else {
				for k := k0; k < k1; k++ {
					u := d.obsUnit[k]
					mu, vu := p.m[u], p.v[u]
					zm, zv := latent(a+b*mu, s, f.cat[k], nc)
					f.zbar[d.obsPos[k]] = zm
					sm += mu
					smm += mu * mu
					sv += vu
					sz += zm
					szm += zm * mu
					szz += zm * zm
					szv += zv
				}
			}
			n = float64(k1 - k0)
			ridge := s * s / priorItemVar
			a11, a12, a22 := n+ridge, sm, smm+sv+ridge
			det := a11*a22 - a12*a12
			a = (a22*sz - a12*szm) / det
			b = (a11*szm - a12*sz) / det
			if nc == 3 {
				rss := szz + szv - 2*a*sz - 2*b*szm + n*a*a + 2*a*b*sm + b*b*(smm+sv)
				s = math.Sqrt((rss + 2*priorSigmaB) / (n + 2*priorSigmaA + 2))
			}
			p.alpha[g], p.beta[g], p.sigma[g] = a, b, s
		}
	})
}

// positions is the variational update of every state's trajectory: given the
// items and the expected utilities, each is a Gaussian observation of the state's
// position in that period; the observations of a period collapse to one, and
// a Kalman filter and Rauch–Tung–Striebel smoother over the state's periods
// give the posterior means and variances under the random-walk prior.
func (f *fitter) positions() {
	d, p := f.d, &f.p
	parallel(d.nState, 8, f.workers, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			u0, u1 := d.stUnit[s], d.stUnit[s+1]
			for u := u0; u < u1; u++ {
				f.prec[u], f.info[u] = 0, 0
			}
			for q := d.stStart[s]; q < d.stStart[s+1]; q++ {
				g, u := d.sItem[q], d.sUnit[q]
				a, b, sg := p.alpha[g], p.beta[g], p.sigma[g]
				w := b / (sg * sg)
				f.prec[u] += w * b
				f.info[u] += w * (f.zbar[q] - a)
			}
			f.smooth(u0, u1)
		}
	})
}

// smooth runs the Kalman filter and RTS smoother over units u0 … u1-1, one
// per consecutive period, with prior N(0, 1) at the first and random-walk
// steps of variance omega2.
func (f *fitter) smooth(u0, u1 int32) {
	p, w2 := &f.p, f.d.omega2
	pm, pv := 0.0, 1.0 // predicted mean and variance
	for u := u0; u < u1; u++ {
		fv := 1 / (1/pv + f.prec[u])
		fm := fv * (pm/pv + f.info[u])
		f.filtM[u], f.filtV[u] = fm, fv
		pm, pv = fm, fv+w2
	}
	last := u1 - 1
	p.m[last], p.v[last] = f.filtM[last], f.filtV[last]
	for u := last - 1; u >= u0; u-- {
		fm, fv := f.filtM[u], f.filtV[u]
		rv := fv + w2 // predicted variance of u+1
		j := fv / rv
		p.m[u] = fm + j*(p.m[u+1]-fm)
		p.v[u] = fv + j*j*(p.v[u+1]-rv)
	}
}

// step is one EM iteration: the items, then the positions.
func (f *fitter) step() {
	f.items()
	f.positions()
}

// copyParams copies src into dst, which has the same sizes.
func copyParams(dst, src *params) {
	copy(dst.m, src.m)
	copy(dst.v, src.v)
	copy(dst.alpha, src.alpha)
	copy(dst.beta, src.beta)
	copy(dst.sigma, src.sigma)
}

// run iterates until one EM iteration changes the positions by
// 1 − cor(θ before, θ after) ≤ tol, or maxIter EM iterations. Unless plain is
// set, iterations are accelerated by SQUAREM (Varadhan & Roland 2008, scheme
// S3): two EM steps from x0 give r = F(x0) − x0 and w = F(F(x0)) − 2F(x0) + x0,
// the extrapolation x0 − 2a·r + a²·w with a = −‖r‖/‖w‖ (capped to [−aMax, −1])
// is followed by one stabilising EM step, whose change is the one tested.
// Variances are extrapolated on the log scale; an extrapolation that gives a
// non-finite value falls back to F(F(x0)).
func (f *fitter) run(ctx context.Context, maxIter int, tol float64, progress func(int, float64)) (iter int, converged bool, change float64, err error) {
	change = math.Inf(1)
	report := func() bool {
		if progress != nil {
			progress(iter, change)
		}
		return change <= tol
	}
	if f.plain {
		for iter < maxIter {
			if err := ctx.Err(); err != nil {
				return iter, false, change, err
			}
			copy(f.prev, f.p.m)
			f.step()
			iter++
			change = delta(f.prev, f.p.m)
			if report() {
				return iter, true, change, nil
			}
		}
		return iter, false, change, nil
	}
	x0, x1 := f.p.clone(), f.p.clone()
	aMax := 1.0
	for iter < maxIter {
		if err := ctx.Err(); err != nil {
			return iter, false, change, err
		}
		copyParams(&x0, &f.p)
		f.step() // x1 = F(x0)
		iter++
		copyParams(&x1, &f.p)
		if iter >= maxIter {
			change = delta(x0.m, x1.m)
			break
		}
		f.step() // f.p = x2 = F(x1)
		iter++
		a := f.steplength(&x0, &x1)
		if a < -aMax {
			a = -aMax
		}
		if a == -aMax {
			aMax *= 4
		}
		if a < -1 {
			f.extrapolate(&x0, &x1, a) // else f.p stays x2: plain EM
		}
		if iter >= maxIter {
			change = delta(x1.m, f.p.m)
			break
		}
		copy(f.prev, f.p.m)
		f.step() // stabilise
		iter++
		change = delta(f.prev, f.p.m)
		if math.IsNaN(change) {
			// Should not happen; restart from the last good point.
			copyParams(&f.p, &x1)
			aMax = 1
			continue
		}
		if report() {
			return iter, true, change, nil
		}
	}
	return iter, false, change, nil
}

// steplength returns SQUAREM's a = −‖r‖/‖w‖ for r = x1 − x0 and
// w = x2 − 2x1 + x0 with x2 = f.p.
func (f *fitter) steplength(x0, x1 *params) float64 {
	x2 := &f.p
	var rr, ww float64
	acc := func(a, b, c []float64, log bool) {
		for i := range a {
			p, q, s := a[i], b[i], c[i]
			if log {
				p, q, s = math.Log(p), math.Log(q), math.Log(s)
			}
			r, w := q-p, s-2*q+p
			rr += r * r
			ww += w * w
		}
	}
	acc(x0.m, x1.m, x2.m, false)
	acc(x0.v, x1.v, x2.v, true)
	acc(x0.alpha, x1.alpha, x2.alpha, false)
	acc(x0.beta, x1.beta, x2.beta, false)
	acc(x0.sigma, x1.sigma, x2.sigma, true)
	if ww == 0 {
		return -1
	}
	return -math.Sqrt(rr / ww)
}

// extrapolate sets f.p, now x2, to x0 − 2a·r + a²·w and reports whether
// every value is finite; if not, f.p is left at x2.
func (f *fitter) extrapolate(x0, x1 *params, a float64) bool {
	x2 := &f.p
	ok := true
	ext := func(p, q, s float64, log bool) float64 {
		if log {
			p, q, s = math.Log(p), math.Log(q), math.Log(s)
		}
		r, w := q-p, s-2*q+p
		y := p - 2*a*r + a*a*w
		if log {
			y = math.Exp(y)
		}
		if math.IsNaN(y) || math.IsInf(y, 0) || (log && y == 0) {
			ok = false
		}
		return y
	}
	n := &f.ext
	if n.m == nil {
		*n = x2.clone()
	}
	do := func(dst, a0, a1, a2 []float64, log bool) {
		for i := range dst {
			dst[i] = ext(a0[i], a1[i], a2[i], log)
		}
	}
	do(n.m, x0.m, x1.m, x2.m, false)
	do(n.v, x0.v, x1.v, x2.v, true)
	do(n.alpha, x0.alpha, x1.alpha, x2.alpha, false)
	do(n.beta, x0.beta, x1.beta, x2.beta, false)
	do(n.sigma, x0.sigma, x1.sigma, x2.sigma, true)
	if ok {
		copyParams(x2, n)
	}
	return ok
}

// delta is the largest change of a position from x to y, in units of the
// positions' standard deviation: max |y − x| / sd(y).
func delta(x, y []float64) float64 {
	var s, ss, mx float64
	for i := range y {
		s += y[i]
		mx = math.Max(mx, math.Abs(y[i]-x[i]))
	}
	mean := s / float64(len(y))
	for _, v := range y {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(y)))
	if sd == 0 {
		return mx
	}
	return mx / sd
}
