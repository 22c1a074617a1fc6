package ideal

import (
	"fmt"
	"math"

	concord "github.com/concord-project/concord"
)

// itemInfo describes one item of the design: its columns and the vote
// categories observed on it.
type itemInfo struct {
	cols  []int
	ranks []int // ranks present (0 No, 1 Abstain, 2 Yes), ascending
	cast  int
}

// builder turns a matrix and options into a design and keeps what is needed
// to report the result in the matrix's terms.
type builder struct {
	m          *concord.Matrix
	opt        Options
	d          *design
	cat        []uint8 // observed category of each observation
	ranks      []int8  // category of every cell, column-major (rank of state row r on column c at c·len(m.States)+r; -1 not a vote)
	states     []int   // matrix rows estimated
	stateRow   map[string]int
	items      []itemInfo
	unitPeriod []int // period label of each unit (0 in a static fit)
	unitVotes  []int
	periods    []int
	skipped    int
	dropped    []string
	bridges    int
	bridged    int
}

func build(m *concord.Matrix, cols []int, opt Options) (*builder, error) {
	nc := len(m.RollCalls)
	if len(m.Votes) != len(m.States)*nc {
		return nil, fmt.Errorf("ideal: matrix has %d vote cells, want %d states × %d roll calls", len(m.Votes), len(m.States), nc)
	}
	if cols == nil {
		cols = make([]int, nc)
		for i := range cols {
			cols[i] = i
		}
	} else {
		seen := make(map[int]bool, len(cols))
		for i, c := range cols {
			if c < 0 || c >= nc {
				return nil, fmt.Errorf("ideal: cols[%d] = %d: out of range [0, %d)", i, c, nc)
			}
			if seen[c] {
				return nil, fmt.Errorf("ideal: cols[%d] = %d: column given twice", i, c)
			}
			seen[c] = true
		}
	}
	b := &builder{m: m, opt: opt, stateRow: map[string]int{}}
	b.transpose(cols)

	// Period label of every column used.
	label := make([]int, nc)
	minP, maxP := math.MaxInt, math.MinInt
	for _, c := range cols {
		p := 0
		if opt.Dynamic {
			rc := m.RollCalls[c]
			if opt.By == Year {
				p = rc.Year()
				if p <= 0 {
					return nil, fmt.Errorf("ideal: roll call %d (column %d) has no date: By Year needs one", rc.RCID, c)
				}
			} else {
				p = rc.Session
				if p <= 0 {
					return nil, fmt.Errorf("ideal: roll call %d (column %d) has session %d: By Session needs one ≥ 1", rc.RCID, c, p)
				}
			}
		}
		label[c] = p
		minP, maxP = min(minP, p), max(maxP, p)
	}

	// Items: one per column, or per bridge group.
	groups := partition(m, cols, opt.Bridge)
	rows := make([]int, len(m.States))
	for i := range rows {
		rows[i] = i
	}
	keep := b.keepItems(groups, rows)

	// States with enough votes on the items kept, and items on which those
	// states cast two kinds of vote, until neither changes (leaving out a
	// state can make an item unanimous, and the reverse).
	for {
		count := make([]int, len(m.States))
		for _, g := range keep {
			for _, c := range g {
				for r := range m.States {
					if b.rank(r, c) >= 0 {
						count[r]++
					}
				}
			}
		}
		b.states, b.dropped = b.states[:0], b.dropped[:0]
		clear(b.stateRow)
		for r, n := range count {
			switch {
			case n >= opt.MinVotes:
				b.stateRow[m.States[r]] = len(b.states)
				b.states = append(b.states, r)
			case n > 0:
				b.dropped = append(b.dropped, m.States[r])
			}
		}
		k := b.keepItems(keep, b.states)
		if len(k) == len(keep) {
			break
		}
		keep = k
	}
	b.skipped = len(cols)
	for _, g := range keep {
		b.skipped -= len(g)
	}
	if len(b.states) < 2 || len(keep) == 0 {
		return nil, fmt.Errorf("ideal: nothing to estimate: %d states and %d roll calls with at least two different votes", len(b.states), len(keep))
	}

	// Units: the periods of each state's span, from its first to its last vote.
	d := &design{nItem: len(keep), nState: len(b.states), omega2: opt.Omega2}
	first := make([]int, len(b.states))
	last := make([]int, len(b.states))
	for s := range first {
		first[s], last[s] = math.MaxInt, math.MinInt
	}
	seenP := map[int]bool{}
	for _, g := range keep {
		for _, c := range g {
			p := label[c]
			seenP[p] = true
			for s, r := range b.states {
				if b.rank(r, c) >= 0 {
					first[s], last[s] = min(first[s], p), max(last[s], p)
				}
			}
		}
	}
	if opt.Dynamic {
		for p := minP; p <= maxP; p++ {
			if seenP[p] {
				b.periods = append(b.periods, p)
			}
		}
	}
	d.stUnit = make([]int32, len(b.states)+1)
	for s := range b.states {
		d.stUnit[s+1] = d.stUnit[s] + int32(last[s]-first[s]+1)
	}
	d.nUnit = int(d.stUnit[len(b.states)])
	b.unitPeriod = make([]int, d.nUnit)
	b.unitVotes = make([]int, d.nUnit)
	d.unitT = make([]int32, d.nUnit)
	d.nT = maxP - minP + 1
	for s := range b.states {
		for u := d.stUnit[s]; u < d.stUnit[s+1]; u++ {
			b.unitPeriod[u] = first[s] + int(u-d.stUnit[s])
			d.unitT[u] = int32(b.unitPeriod[u] - minP)
		}
	}

	// Observations, by item.
	nObs := 0
	for _, g := range keep {
		for _, c := range g {
			for _, r := range b.states {
				if b.rank(r, c) >= 0 {
					nObs++
				}
			}
		}
	}
	d.obsUnit = make([]int32, 0, nObs)
	d.obsItem = make([]int32, 0, nObs)
	b.cat = make([]uint8, 0, nObs)
	d.itemStart = make([]int32, len(keep)+1)
	d.itemNCat = make([]uint8, len(keep))
	d.itemT = make([]int32, len(keep))
	b.items = make([]itemInfo, len(keep))
	for gi, g := range keep {
		d.itemT[gi] = int32(label[g[0]] - minP)
		for _, c := range g[1:] {
			if label[c] != label[g[0]] {
				d.itemT[gi] = -1
				d.multi = true
			}
		}
		it := b.itemInfo(g, b.states)
		b.items[gi] = it
		d.itemNCat[gi] = uint8(len(it.ranks))
		var catOf [3]int8
		for k, r := range it.ranks {
			catOf[r] = int8(k)
		}
		for _, c := range g {
			for s, r := range b.states {
				rk := b.rank(r, c)
				if rk < 0 {
					continue
				}
				u := d.stUnit[s] + int32(label[c]-first[s])
				d.obsUnit = append(d.obsUnit, u)
				d.obsItem = append(d.obsItem, int32(gi))
				b.cat = append(b.cat, uint8(catOf[rk]))
				b.unitVotes[u]++
			}
		}
		d.itemStart[gi+1] = int32(len(d.obsUnit))
		if len(g) > 1 {
			b.bridges++
			b.bridged += len(g)
		}
	}

	// The same observations, by state.
	d.stStart = make([]int32, len(b.states)+1)
	stateOf := make([]int32, d.nUnit)
	for s := range b.states {
		for u := d.stUnit[s]; u < d.stUnit[s+1]; u++ {
			stateOf[u] = int32(s)
		}
	}
	for _, u := range d.obsUnit {
		d.stStart[stateOf[u]+1]++
	}
	for s := range b.states {
		d.stStart[s+1] += d.stStart[s]
	}
	d.obsPos = make([]int32, len(d.obsUnit))
	d.sItem = make([]int32, len(d.obsUnit))
	d.sUnit = make([]int32, len(d.obsUnit))
	fill := append([]int32(nil), d.stStart[:len(b.states)]...)
	for k, u := range d.obsUnit {
		s := stateOf[u]
		q := fill[s]
		fill[s]++
		d.obsPos[k], d.sItem[q], d.sUnit[q] = q, d.obsItem[k], u
	}
	b.d = d
	return b, nil
}

// transpose fills b.ranks for columns cols: the passes of build walk the
// matrix column by column, which the row-major matrix would serve from a
// different cache line on every vote.
func (b *builder) transpose(cols []int) {
	m := b.m
	nr, nc := len(m.States), len(m.RollCalls)
	b.ranks = make([]int8, nr*nc)
	var lut [256]int8
	for v := range lut {
		lut[v] = int8(category(concord.Vote(v), b.opt.Binary))
	}
	for r := range nr {
		row := m.Row(r)
		for _, c := range cols {
			b.ranks[c*nr+r] = lut[row[c]]
		}
	}
}

// rank is the category of the vote of matrix row r on column c (-1 when it
// is not a vote taken into account).
func (b *builder) rank(r, c int) int { return int(b.ranks[c*len(b.m.States)+r]) }

// itemInfo returns the vote categories cast on the columns of group g by
// matrix rows rows.
func (b *builder) itemInfo(g []int, rows []int) itemInfo {
	var n [3]int
	for _, c := range g {
		for _, r := range rows {
			if rk := b.rank(r, c); rk >= 0 {
				n[rk]++
			}
		}
	}
	it := itemInfo{cols: g}
	for rk, k := range n {
		if k > 0 {
			it.ranks = append(it.ranks, rk)
			it.cast += k
		}
	}
	return it
}

// keepItems returns the groups on which rows cast at least two different
// votes.
func (b *builder) keepItems(groups [][]int, rows []int) [][]int {
	var keep [][]int
	for _, g := range groups {
		if len(b.itemInfo(g, rows).ranks) >= 2 {
			keep = append(keep, g)
		}
	}
	return keep
}

// startIter is the number of power iterations of start: the leading
// component of UN votes stands well apart, and the fit does not need it
// exact.
const startIter = 15

// start returns starting values: every state's position from the leading
// principal component of its votes (power iteration on the centred
// state × item matrix), items with β = 0.
func (b *builder) start() params {
	d := b.d
	// Scores: No -1, Abstain 0, Yes +1, centred by item.
	x := make([]float64, len(b.cat))
	for g := 0; g < d.nItem; g++ {
		lo, hi := d.itemStart[g], d.itemStart[g+1]
		var sum float64
		for k := lo; k < hi; k++ {
			x[k] = float64(b.items[g].ranks[b.cat[k]] - 1)
			sum += x[k]
		}
		mean := sum / float64(hi-lo)
		for k := lo; k < hi; k++ {
			x[k] -= mean
		}
	}
	stateOf := make([]int32, d.nUnit)
	for s := 0; s < d.nState; s++ {
		for u := d.stUnit[s]; u < d.stUnit[s+1]; u++ {
			stateOf[u] = int32(s)
		}
	}
	obsState := make([]int32, len(x)) // state of observation k
	xq := make([]float64, len(x))     // x of observation q (listed by state)
	for k, u := range d.obsUnit {
		obsState[k] = stateOf[u]
		xq[d.obsPos[k]] = x[k]
	}
	th := make([]float64, d.nState)
	for s := range th {
		th[s] = 1 + 0.01*float64(s%7) // any start not orthogonal to the component
	}
	w := make([]float64, d.nItem)
	for it := 0; it < startIter; it++ {
		parallel(d.nItem, 256, b.opt.Workers, func(lo, hi int) {
			for g := lo; g < hi; g++ {
				var sum float64
				for k := d.itemStart[g]; k < d.itemStart[g+1]; k++ {
					sum += x[k] * th[obsState[k]]
				}
				w[g] = sum
			}
		})
		parallel(d.nState, 16, b.opt.Workers, func(lo, hi int) {
			for s := lo; s < hi; s++ {
				var sum float64
				q0, q1 := d.stStart[s], d.stStart[s+1]
				for q := q0; q < q1; q++ {
					sum += xq[q] * w[d.sItem[q]]
				}
				// Per vote, so that states with few votes are not pulled to 0.
				th[s] = sum / float64(q1-q0)
			}
		})
		standardise(th)
	}
	p := params{
		m: make([]float64, d.nUnit), v: make([]float64, d.nUnit),
		alpha: make([]float64, d.nItem), beta: make([]float64, d.nItem), sigma: make([]float64, d.nItem),
	}
	for u := range p.m {
		p.m[u], p.v[u] = th[stateOf[u]], 0.1
	}
	for g := range p.alpha {
		p.sigma[g] = 1
		if d.itemNCat[g] == 3 {
			p.alpha[g] = 0.5
		}
	}
	return p
}

// standardise rescales x to mean 0 and sd 1 in place.
func standardise(x []float64) {
	var s, ss float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(len(x))
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(x)))
	if sd == 0 {
		sd = 1
	}
	for i := range x {
		x[i] = (x[i] - mean) / sd
	}
}

// scale maps the model's positions to reported ones: (m - mean) / sd · sign.
type scale struct{ mean, sd, sign float64 }

func (sc scale) apply(m float64) float64 { return sc.sign * (m - sc.mean) / sc.sd }

// scaleOf standardises over the units with votes and orients on state ref
// (an index into b.states).
func (b *builder) scaleOf(p *params, ref int) scale {
	var n, s, ss float64
	for u, k := range b.unitVotes {
		if k > 0 {
			n++
			s += p.m[u]
		}
	}
	mean := s / n
	for u, k := range b.unitVotes {
		if k > 0 {
			ss += (p.m[u] - mean) * (p.m[u] - mean)
		}
	}
	sd := math.Sqrt(ss / n)
	if sd == 0 || math.IsNaN(sd) {
		sd = 1
	}
	var rs, rn float64
	for u := b.d.stUnit[ref]; u < b.d.stUnit[ref+1]; u++ {
		if b.unitVotes[u] > 0 {
			rs += p.m[u] - mean
			rn++
		}
	}
	sign := 1.0
	if rs < 0 {
		sign = -1
	}
	return scale{mean, sd, sign}
}

// fillResult writes the points and items of p in scale sc, with posterior
// variances postVar.
func (b *builder) fillResult(res *Result, p *params, postVar []float64, sc scale) {
	d := b.d
	res.Points = res.Points[:0]
	for s, r := range b.states {
		for u := d.stUnit[s]; u < d.stUnit[s+1]; u++ {
			if b.unitVotes[u] == 0 {
				continue
			}
			x := sc.apply(p.m[u])
			res.Points = append(res.Points, Point{
				State: b.m.States[r], Period: b.unitPeriod[u],
				Ideal: x, Lo: x, Hi: x,
				PostSD: math.Sqrt(postVar[u]) / sc.sd,
				Votes:  b.unitVotes[u],
			})
		}
	}
	res.Items = make([]Item, len(b.items))
	for g, info := range b.items {
		a := p.alpha[g] + p.beta[g]*sc.mean // intercept at reported position 0
		sg := p.sigma[g]
		it := Item{Columns: info.cols, Cast: info.cast,
			Discrimination: sc.sign * p.beta[g] * sc.sd / sg}
		for _, rk := range info.ranks {
			it.Votes = append(it.Votes, rankVote[rk])
		}
		if len(info.ranks) == 3 {
			it.Cuts = []float64{-a / sg, (1 - a) / sg}
		} else {
			it.Cuts = []float64{-a / sg}
		}
		res.Items[g] = it
	}
	res.Periods = b.periods
	res.Bridges, res.Bridged = b.bridges, b.bridged
}
