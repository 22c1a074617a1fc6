package ideal

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulate draws votes from the model with parameters p on the cells where
// votes were observed: z = α + β·θ + σ·ε, categorised by the item's
// thresholds.
func (d *design) simulate(p *params, rng *rand.Rand, cat []uint8) {
	for g := 0; g < d.nItem; g++ {
		a, b, s := p.alpha[g], p.beta[g], p.sigma[g]
		three := d.itemNCat[g] == 3
		for k := d.itemStart[g]; k < d.itemStart[g+1]; k++ {
			z := a + b*p.m[d.obsUnit[k]] + s*rng.NormFloat64()
			var c uint8
			switch {
			case z < 0:
				c = 0
			case !three || z >= 1:
				c = d.itemNCat[g] - 1
			default:
				c = 1
			}
			cat[k] = c
		}
	}
}

// laplace returns each unit's observed information about its position under
// parameters p: Σ β²/σ² · (1 − Var(z)/σ²) over its votes, the curvature of
// the ordered-probit log-likelihood. (The complete-data precision β²/σ² that
// the variational step uses overstates it.)
func (d *design) laplace(p *params, cat []uint8) []float64 {
	info := make([]float64, d.nUnit)
	for k, c := range cat {
		g, u := d.obsItem[k], d.obsUnit[k]
		a, b, s := p.alpha[g], p.beta[g], p.sigma[g]
		_, zv := latent(a+b*p.m[u], s, c, d.itemNCat[g])
		s2 := s * s
		info[u] += b * b / s2 * math.Max(0, 1-zv/s2)
	}
	return info
}

// laplaceVar returns the posterior variance of every unit's position given
// the items, from the random-walk prior and the observed information prec
// (Kalman filter and RTS smoother).
func (d *design) laplaceVar(prec []float64) []float64 {
	fv := make([]float64, d.nUnit)
	v := make([]float64, d.nUnit)
	w2 := d.omega2
	for s := 0; s < d.nState; s++ {
		u0, u1 := d.stUnit[s], d.stUnit[s+1]
		pv := 1.0
		for u := u0; u < u1; u++ {
			fv[u] = 1 / (1/pv + prec[u])
			pv = fv[u] + w2
		}
		last := u1 - 1
		v[last] = fv[last]
		for u := last - 1; u >= u0; u-- {
			rv := fv[u] + w2
			j := fv[u] / rv
			v[u] = fv[u] + j*j*(v[u+1]-rv)
		}
	}
	return v
}

// drawDeviations draws into x every state's trajectory from the zero-mean
// Gaussian random walk conditioned on observations of precision prec per
// unit (forward filtering, backward sampling): the deviations of the
// positions from their estimate under the Laplace approximation.
func (d *design) drawDeviations(prec []float64, rng *rand.Rand, x []float64) {
	w2 := d.omega2
	fv := make([]float64, d.nUnit)
	for s := 0; s < d.nState; s++ {
		u0, u1 := d.stUnit[s], d.stUnit[s+1]
		pv := 1.0
		for u := u0; u < u1; u++ {
			fv[u] = 1 / (1/pv + prec[u])
			pv = fv[u] + w2
		}
		last := u1 - 1
		x[last] = math.Sqrt(fv[last]) * rng.NormFloat64()
		for u := last - 1; u >= u0; u-- {
			j := fv[u] / (fv[u] + w2)
			x[u] = j*x[u+1] + math.Sqrt(fv[u]*w2/(fv[u]+w2))*rng.NormFloat64()
		}
	}
}

// bootstrap sets SE, Lo and Hi of res.Points from opt.Bootstrap replicates
// of the estimation error. Replicate r draws positions θ* = θ̂ + δ with δ
// from the Laplace approximation of the posterior given the fitted items,
// simulates votes from θ* and the items on the cells where votes were cast,
// refits warm-started at the fit p, identifies both the refit and θ* like
// the main fit, and records the error e = θ̂* − θ*. Then SE is the root mean
// square of e, which holds both the spread of the errors and their mean
// (the shrinkage of the estimate toward the priors), and [Lo, Hi] =
// θ̂ ∓ intervalFactor(n)·SE.
func (b *builder) bootstrap(ctx context.Context, res *Result, p *params, prec []float64, ref int, opt Options) error {
	d := b.d
	var units []int // units reported, in the order of res.Points
	for s := range b.states {
		for u := d.stUnit[s]; u < d.stUnit[s+1]; u++ {
			if b.unitVotes[u] > 0 {
				units = append(units, int(u))
			}
		}
	}
	nrep := opt.Bootstrap
	errs := make([][]float64, nrep)
	conv := make([]bool, nrep)
	// Replicates run side by side, each on one goroutine, unless there are
	// fewer replicates than workers.
	par := min(opt.Workers, nrep)
	inner := max(1, opt.Workers/par)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan int)
	)
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cat := make([]uint8, len(b.cat))
			truth := p.clone()
			for r := range next {
				rng := rand.New(rand.NewPCG(uint64(opt.Seed), uint64(r)))
				d.drawDeviations(prec, rng, truth.m)
				for u := range truth.m {
					truth.m[u] += p.m[u]
				}
				d.simulate(&truth, rng, cat)
				f := newFitter(d, cat, p.clone(), inner)
				_, ok, _, err := f.run(ctx, opt.MaxIter, opt.Tol, nil)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					continue
				}
				sf, st := b.scaleOf(&f.p, ref), b.scaleOf(&truth, ref)
				e := make([]float64, len(units))
				for i, u := range units {
					e[i] = sf.apply(f.p.m[u]) - st.apply(truth.m[u])
				}
				errs[r], conv[r] = e, ok
			}
		}()
	}
	for r := 0; r < nrep && ctx.Err() == nil; r++ {
		next <- r
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, ok := range conv {
		if ok {
			res.BootConverged++
		}
	}
	t := intervalFactor(nrep)
	for i := range units {
		var s2 float64
		for r := range errs {
			s2 += errs[r][i] * errs[r][i]
		}
		pt := &res.Points[i]
		pt.SE = math.Sqrt(s2 / float64(nrep))
		pt.Lo, pt.Hi = pt.Ideal-t*pt.SE, pt.Ideal+t*pt.SE
	}
	return nil
}

// intervalFactor is the 95% quantile of Student's t with n degrees of
// freedom: with SE the root mean square of n bootstrap errors, Ideal ±
// intervalFactor(n)·SE holds a further error of the same normal law with
// probability 0.9.
func intervalFactor(n int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n)}.Quantile(0.95)
}
