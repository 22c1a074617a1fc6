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
	nT        int     // periods, from the first to the last (0 … nT-1)
	unitT     []int32 // period of each unit
	itemT     []int32 // period of each item, -1 when its roll calls are in several periods (a bridge)
	multi     bool    // some item is in several periods
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
	gain                     []float64 // smoother gain J of each unit: Cov(θ_u, θ_u+1) = J_u·v_u+1
	prev                     []float64
	zbar                     []float64   // E[z] of observation q, from the last items step
	noShift                  bool        // no parameter-expanded shift step
	em                       bool        // plain EM steps (complete-data information) instead of Newton steps: slow, same fixed point
	cprec                    []float64   // complete-data precision per unit (Newton)
	bsc, bw, bc              []float64   // per unit, over votes on bridges: score, observed and complete information (for shift)
	chunks                   []int32     // items of chunk c: chunks[c] … chunks[c+1]-1 (fixed, so that sums do not depend on Workers)
	acc                      [][]float64 // per chunk: the positions step's sums per unit (see itemsNewton)
	buf                      [][]float64 // per chunk: scratch for the moments of one item's votes
	px                       []float64   // scratch of shift, 4 per period
}

func newFitter(d *design, cat []uint8, p params, workers int) *fitter {
	n := d.nUnit
	f := &fitter{d: d, cat: cat, p: p, workers: workers,
		prec: make([]float64, n), info: make([]float64, n),
		filtM: make([]float64, n), filtV: make([]float64, n), prev: make([]float64, n), zbar: make([]float64, len(cat)),
		gain: make([]float64, n), cprec: make([]float64, n)}
	if d.multi {
		f.bsc, f.bw, f.bc = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	// Chunks of about equal numbers of votes.
	const nChunk = 8
	per := (len(cat) + nChunk - 1) / nChunk
	f.chunks = append(f.chunks, 0)
	maxObs := int32(0)
	for g := 0; g < d.nItem; g++ {
		maxObs = max(maxObs, d.itemStart[g+1]-d.itemStart[g])
		if int(d.itemStart[g+1]) >= per*len(f.chunks) {
			f.chunks = append(f.chunks, int32(g+1))
		}
	}
	if f.chunks[len(f.chunks)-1] != int32(d.nItem) {
		f.chunks = append(f.chunks, int32(d.nItem))
	}
	width := 3
	if d.multi {
		width = 6
	}
	for range len(f.chunks) - 1 {
		f.acc = append(f.acc, make([]float64, width*n))
		f.buf = append(f.buf, make([]float64, 2*maxObs))
	}
	return f
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
		f.gain[u] = j
	}
}

// step is one EM iteration: the items, then the positions, then the
// parameter-expanded shift of each period (see shift).
func (f *fitter) step() {
	if f.em {
		f.items()
		f.positions()
	} else {
		f.itemsNewton()
		f.positionsNewton()
	}
	if !f.noShift && !f.em {
		f.shift()
	}
}

// run iterates until one iteration moves the standardised positions by a
// root mean square of at most tol (see rmsChange), or maxIter iterations.
func (f *fitter) run(ctx context.Context, maxIter int, tol float64, progress func(int, float64)) (iter int, converged bool, change float64, err error) {
	change = math.Inf(1)
	for iter < maxIter {
		if err := ctx.Err(); err != nil {
			return iter, false, change, err
		}
		copy(f.prev, f.p.m)
		f.step()
		iter++
		change = rmsChange(f.prev, f.p.m)
		if progress != nil {
			progress(iter, change)
		}
		if change <= tol {
			return iter, true, change, nil
		}
	}
	return iter, false, change, nil
}

// rmsChange is the root mean square change from x to y of the positions
// standardised to mean 0 and sd 1: sqrt(mean(((y−ȳ)/sd(y) − (x−x̄)/sd(x))²)).
// A change of location or scale of every position, which the reported
// positions do not see, is not counted.
func rmsChange(x, y []float64) float64 {
	mx, sx := meanSD(x)
	my, sy := meanSD(y)
	var ss float64
	for i := range y {
		d := (y[i]-my)/sy - (x[i]-mx)/sx
		ss += d * d
	}
	r := math.Sqrt(ss / float64(len(y)))
	if math.IsNaN(r) {
		return math.Inf(1)
	}
	return r
}

// meanSD returns the mean and standard deviation of x (sd 1 when x is
// constant).
func meanSD(x []float64) (mean, sd float64) {
	var s, ss float64
	for _, v := range x {
		s += v
	}
	mean = s / float64(len(x))
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	sd = math.Sqrt(ss / float64(len(x)))
	if sd == 0 {
		sd = 1
	}
	return mean, sd
}
