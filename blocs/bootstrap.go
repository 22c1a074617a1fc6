package blocs

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
)

// voteBits holds the votes of a graph's states on a window's roll calls as
// bit planes (cast, yes, no), for recomputing the agreement graph on
// resampled roll calls.
type voteBits struct {
	words   int
	ncols   int
	c, y, n [][]uint64 // per node
}

func newVoteBits(m *concord.Matrix, labels []string, cols []int) *voteBits {
	nw := (len(cols) + 63) / 64
	vb := &voteBits{words: nw, ncols: len(cols)}
	for _, s := range labels {
		c, y, n := make([]uint64, nw), make([]uint64, nw), make([]uint64, nw)
		if row, ok := m.StateIndex(s); ok {
			votes := m.Row(row)
			for k, col := range cols {
				bit := uint64(1) << (k & 63)
				switch votes[col] {
				case concord.Yes:
					c[k>>6] |= bit
					y[k>>6] |= bit
				case concord.No:
					c[k>>6] |= bit
					n[k>>6] |= bit
				case concord.Abstain:
					c[k>>6] |= bit
				}
			}
		}
		vb.c, vb.y, vb.n = append(vb.c, c), append(vb.y, y), append(vb.n, n)
	}
	return vb
}

// resample draws ncols roll calls with replacement and returns masks[k] with
// the roll calls drawn more than k times, so that a count weighted by the
// number of draws is the sum of the counts over the masks.
func (vb *voteBits) resample(rng *rand.Rand) [][]uint64 {
	mult := make([]int, vb.ncols)
	for range vb.ncols {
		mult[rng.IntN(vb.ncols)]++
	}
	var masks [][]uint64
	for k := 0; ; k++ {
		mask := make([]uint64, vb.words)
		any := false
		for i, m := range mult {
			if m > k {
				mask[i>>6] |= 1 << (i & 63)
				any = true
			}
		}
		if !any {
			return masks
		}
		masks = append(masks, mask)
	}
}

// value computes metric for nodes i and j over the roll calls of masks (with
// repetition), with the formulas of package align (and its counts); n is the
// weighted number of common votes.
func (vb *voteBits) value(i, j int, masks [][]uint64, metric align.Metric) (v float64, n int) {
	var aY, aN, bY, bN, same, opp int
	ci, yi, ni := vb.c[i], vb.y[i], vb.n[i]
	cj, yj, nj := vb.c[j], vb.y[j], vb.n[j]
	for _, m := range masks {
		for w, mw := range m {
			cast := ci[w] & cj[w] & mw
			ay, an := yi[w]&cast, ni[w]&cast
			by, bn := yj[w]&cast, nj[w]&cast
			n += bits.OnesCount64(cast)
			aY += bits.OnesCount64(ay)
			aN += bits.OnesCount64(an)
			bY += bits.OnesCount64(by)
			bN += bits.OnesCount64(bn)
			same += bits.OnesCount64(ay&by | an&bn)
			opp += bits.OnesCount64(ay&bn | an&by)
		}
	}
	if n == 0 {
		return math.NaN(), 0
	}
	aA, bA := n-aY-aN, n-bY-bN
	aa := aA - (bY + bN - same - opp)
	dist := n - same - aa - opp + 2*opp
	switch metric {
	case align.Agree:
		return float64(2*n-dist) / float64(2*n), n
	case align.SScore:
		return float64(n-dist) / float64(n), n
	case align.Kappa:
		exp := aY*bA + aA*bY + aA*bN + aN*bA + 2*(aY*bN+aN*bY)
		if exp == 0 {
			return math.NaN(), n
		}
		return float64(exp-n*dist) / float64(exp), n
	}
	if same+opp == 0 {
		return math.NaN(), n
	}
	return float64(same) / float64(same+opp), n
}

// graph builds the agreement graph over the same nodes from resampled roll calls.
func (vb *voteBits) graph(labels []string, masks [][]uint64, metric align.Metric, opt GraphOptions) *Graph {
	minVotes := max(opt.MinVotes, 1)
	var edges []Edge
	for i := range labels {
		for j := i + 1; j < len(labels); j++ {
			v, n := vb.value(i, j, masks, metric)
			if n < minVotes {
				continue
			}
			if w, ok := weight(metric, v, opt.Signed); ok {
				edges = append(edges, Edge{U: i, V: j, Weight: w})
			}
		}
	}
	g, _ := NewGraph(len(labels), labels, edges) // weights are finite and nodes in range
	return g
}

// bootstrapRuns partitions runs graphs built from roll calls of the window
// resampled with replacement; run r is seeded by seed and r, so the result is
// reproducible whatever the number of goroutines.
func bootstrapRuns(m *concord.Matrix, g *Graph, cols []int, metric align.Metric, gopt GraphOptions, lopt LeidenOptions, runs int) [][]int {
	vb := newVoteBits(m, g.Labels, cols)
	out := make([][]int, runs)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), runs) {
		wg.Go(func() {
			for r := range next {
				rng := rand.New(rand.NewPCG(lopt.Seed, uint64(r)+1))
				bg := vb.graph(g.Labels, vb.resample(rng), metric, gopt)
				x := lopt
				x.Restarts = 1
				x.Seed = lopt.Seed + 1000 + uint64(r)
				out[r] = leiden(bg, x, false).Membership
			}
		})
	}
	for r := range runs {
		next <- r
	}
	close(next)
	wg.Wait()
	return out
}

// firmness returns, per node, the share of runs in which it is in the run's
// community that holds the plurality of its community of best.
func firmness(best Partition, runs [][]int) []float64 {
	firm := make([]float64, len(best.Membership))
	for _, run := range runs {
		for _, m := range best.Communities {
			count := map[int]int{}
			top, topN := -1, 0
			for _, v := range m {
				c := run[v]
				count[c]++
				if n := count[c]; n > topN || (n == topN && c < top) {
					top, topN = c, n
				}
			}
			for _, v := range m {
				if run[v] == top {
					firm[v]++
				}
			}
		}
	}
	for v := range firm {
		if len(runs) == 0 {
			firm[v] = math.NaN()
		} else {
			firm[v] /= float64(len(runs))
		}
	}
	return firm
}
