package blocs

import (
	"math"
	"math/rand/v2"
	"sort"
)

// LeidenOptions tunes Leiden. The zero value is modularity at resolution 1,
// randomness 0.01, iterated until stable, one run with seed 0.
type LeidenOptions struct {
	Resolution float64 // γ; larger values give more, smaller communities (0 means 1)
	Randomness float64 // θ of the refinement step (0 means 0.01, as igraph)
	Iterations int     // at most this many passes (0: until a pass changes nothing, at most 100)
	Restarts   int     // keep the best of this many runs with seeds Seed, Seed+1, … (0 means 1)
	Seed       uint64  // seed of the first run; results are reproducible
}

func (o LeidenOptions) withDefaults() LeidenOptions {
	if o.Resolution == 0 {
		o.Resolution = 1
	}
	if o.Randomness <= 0 {
		o.Randomness = 0.01
	}
	if o.Iterations <= 0 {
		o.Iterations = 100
	}
	if o.Restarts <= 0 {
		o.Restarts = 1
	}
	return o
}

// Partition is a division of a graph's nodes into communities.
type Partition struct {
	Membership  []int   // community of each node; communities are numbered by size, largest first (ties by smallest node)
	Communities [][]int // the nodes of each community, ascending
	Quality     float64 // modularity at the resolution used (signed modularity on a signed graph)
}

// Leiden partitions g into connected communities of high modularity; see the package comment.
func Leiden(g *Graph, opt LeidenOptions) Partition { return leiden(g, opt, true) }

// leiden is Leiden, with or without the merge perturbation.
func leiden(g *Graph, opt LeidenOptions, perturb bool) Partition {
	opt = opt.withDefaults()
	base := newLevel(g)
	c := newConsts(base, opt.Resolution)
	var best Partition
	for r := range opt.Restarts {
		rng := rand.New(rand.NewPCG(opt.Seed+uint64(r), 0x9e3779b97f4a7c15))
		p := leidenRun(g, base, c, nil, opt, rng)
		if r == 0 || p.Quality > best.Quality {
			best = p
		}
	}
	// Merge perturbation: Leiden can stop in a local optimum where a better
	// partition lies across a lower ridge (seen on yearly UN agreement graphs,
	// where the moves of single nodes cannot turn three blocs into two). From
	// the best partition, each pair of communities is merged and Leiden
	// resumes from there; a better result is kept, until none is.
	rng := rand.New(rand.NewPCG(opt.Seed, 0x51ed2701))
	for improved := perturb; improved && len(best.Communities) <= maxPerturb; {
		improved = false
		k := len(best.Communities)
		for a := 0; a < k && !improved; a++ {
			for b := a + 1; b < k && !improved; b++ {
				init := make([]int32, len(best.Membership))
				for v, x := range best.Membership {
					if x == b {
						x = a
					}
					init[v] = int32(x)
				}
				if p := leidenRun(g, base, c, init, opt, rng); p.Quality > best.Quality+1e-12 {
					best, improved = p, true
				}
			}
		}
	}
	return best
}

// maxPerturb is the largest number of communities whose pairs Leiden tries to merge.
const maxPerturb = 8

// leidenRun is one seeded run from the partition init (nil: singletons): passes of the Leiden algorithm until stable.
func leidenRun(g *Graph, base *level, c consts, init []int32, opt LeidenOptions, rng *rand.Rand) Partition {
	n := g.Len()
	memb := init
	if memb == nil {
		memb = make([]int32, n)
		for v := range memb {
			memb[v] = int32(v)
		}
	}
	for it := 0; it < opt.Iterations; it++ {
		next := leidenPass(base, memb, c, opt.Randomness, rng)
		same := samePartition(memb, next)
		memb = next
		if same {
			break
		}
	}
	m := splitDisconnected(g, memb)
	return finish(g, m, opt.Resolution)
}

// consts are the factors of the expected-weight terms: γ/(2m⁺) and γ/(2m⁻) (0 when m± = 0).
type consts struct{ cp, cn float64 }

func newConsts(l *level, gamma float64) consts {
	var sp, sn float64
	for v := range l.n {
		sp += l.kp[v]
		sn += l.kn[v]
	}
	var c consts
	if sp > 0 {
		c.cp = gamma / sp
	}
	if sn > 0 {
		c.cn = gamma / sn
	}
	return c
}

// level is the (possibly aggregated) graph one phase of Leiden works on.
type level struct {
	n      int
	off    []int32
	nbr    []int32
	w      []float64
	kp, kn []float64 // positive and negative strength, including the weight inside an aggregated node
}

func newLevel(g *Graph) *level {
	n := g.Len()
	l := &level{n: n, off: g.off, nbr: g.nbr, w: g.w, kp: make([]float64, n), kn: make([]float64, n)}
	for v := range n {
		for i := g.off[v]; i < g.off[v+1]; i++ {
			if w := g.w[i]; w > 0 {
				l.kp[v] += w
			} else {
				l.kn[v] -= w
			}
		}
	}
	return l
}

// part is a partition of a level's nodes with community totals; community ids are 0..n-1.
type part struct {
	comm   []int32
	kp, kn []float64
	size   []int32
}

func newPart(l *level, comm []int32) *part {
	p := &part{comm: comm, kp: make([]float64, l.n), kn: make([]float64, l.n), size: make([]int32, l.n)}
	for v, c := range comm {
		p.kp[c] += l.kp[v]
		p.kn[c] += l.kn[v]
		p.size[c]++
	}
	return p
}

// gain is the change in (unnormalised) quality of adding node v, alone, to a community with totals kp, kn to which it has edge weight wvc.
func (c consts) gain(l *level, v int, wvc, kp, kn float64) float64 {
	return wvc - (l.kp[v]*kp*c.cp - l.kn[v]*kn*c.cn)
}

// leidenPass runs one pass of the Leiden algorithm from the partition memb of the base graph and returns the new partition.
func leidenPass(base *level, memb []int32, c consts, theta float64, rng *rand.Rand) []int32 {
	n := base.n
	nodeOf := make([]int32, n) // base node → node of the current level
	for v := range nodeOf {
		nodeOf[v] = int32(v)
	}
	l := base
	p := newPart(l, compact(append([]int32(nil), memb...)))
	s := newScratch(n)
	for {
		moveNodes(l, p, c, rng, s)
		k := 0
		for _, sz := range p.size {
			if sz > 0 {
				k++
			}
		}
		if k == l.n {
			break
		}
		r, nr := refine(l, p, c, theta, rng, s)
		if nr == l.n {
			// Refinement merged nothing: aggregate by the communities
			// themselves, as igraph does, so that whole communities can
			// still merge at the next level.
			r, nr = compact(append([]int32(nil), p.comm...)), k
		}
		agg := aggregate(l, r, nr)
		for v := range nodeOf {
			nodeOf[v] = r[nodeOf[v]]
		}
		comm := make([]int32, nr)
		for v := range l.n {
			comm[r[v]] = p.comm[v]
		}
		l, p = agg, newPart(agg, compact(comm))
	}
	out := make([]int32, n)
	for v := range out {
		out[v] = p.comm[nodeOf[v]]
	}
	return compact(out)
}

// compact renumbers community ids (non-negative) to 0..k-1 in order of first appearance, in place.
func compact(comm []int32) []int32 {
	top := int32(0)
	for _, c := range comm {
		top = max(top, c)
	}
	id := make([]int32, top+1)
	for i := range id {
		id[i] = -1
	}
	k := int32(0)
	for i, c := range comm {
		if id[c] < 0 {
			id[c] = k
			k++
		}
		comm[i] = id[c]
	}
	return comm
}

// scratch holds per-node buffers reused by every phase.
type scratch struct {
	wc      []float64
	mark    []bool
	touched []int32
	queue   []int32
	inq     []bool
}

func newScratch(n int) *scratch {
	return &scratch{wc: make([]float64, n), mark: make([]bool, n), queue: make([]int32, n), inq: make([]bool, n)}
}

// collect sums v's edge weight to each community of comm among v's
// neighbours u; with group non-nil, only neighbours with group[u] == in.
func (s *scratch) collect(l *level, v int, comm []int32, group []int32, in int32) {
	s.touched = s.touched[:0]
	for i := l.off[v]; i < l.off[v+1]; i++ {
		u := l.nbr[i]
		if group != nil && group[u] != in {
			continue
		}
		c := comm[u]
		if !s.mark[c] {
			s.mark[c] = true
			s.touched = append(s.touched, c)
		}
		s.wc[c] += l.w[i]
	}
}

func (s *scratch) reset() {
	for _, c := range s.touched {
		s.wc[c], s.mark[c] = 0, false
	}
	s.touched = s.touched[:0]
}

// moveNodes is the fast local moving of Leiden: nodes are visited from a
// queue (initially all, in random order); a node moves to the neighbouring
// community (or an empty one) of largest gain, and its neighbours outside
// that community are queued again.
func moveNodes(l *level, p *part, c consts, rng *rand.Rand, s *scratch) {
	n := l.n
	var empty []int32
	for id := n - 1; id >= 0; id-- {
		if p.size[id] == 0 {
			empty = append(empty, int32(id))
		}
	}
	q := s.queue[:n]
	for i, v := range rng.Perm(n) {
		q[i] = int32(v)
		s.inq[v] = true
	}
	head, count := 0, n
	for count > 0 {
		v := int(q[head])
		head = (head + 1) % n
		count--
		s.inq[v] = false
		s.collect(l, v, p.comm, nil, 0)
		cur := p.comm[v]
		p.kp[cur] -= l.kp[v]
		p.kn[cur] -= l.kn[v]
		p.size[cur]--
		best := cur
		bestGain := 0.0
		if p.size[cur] > 0 {
			bestGain = c.gain(l, v, s.wc[cur], p.kp[cur], p.kn[cur])
		}
		eps := 1e-12 * (l.kp[v] + l.kn[v] + 1)
		for _, x := range s.touched {
			if x == cur {
				continue
			}
			if g := c.gain(l, v, s.wc[x], p.kp[x], p.kn[x]); g > bestGain+eps {
				best, bestGain = x, g
			}
		}
		if bestGain < -eps && p.size[cur] > 0 && len(empty) > 0 { // better alone
			best = empty[len(empty)-1]
			empty = empty[:len(empty)-1]
		}
		s.reset()
		p.comm[v] = best
		p.kp[best] += l.kp[v]
		p.kn[best] += l.kn[v]
		p.size[best]++
		if best == cur {
			continue
		}
		if p.size[cur] == 0 {
			empty = append(empty, cur)
		}
		for i := l.off[v]; i < l.off[v+1]; i++ {
			if u := l.nbr[i]; p.comm[u] != best && !s.inq[u] {
				q[(head+count)%n] = u
				count++
				s.inq[u] = true
			}
		}
	}
}

// refine is the refinement step of Leiden: within each community S of p,
// starting from singletons, each well-connected node that is still alone may
// join a well-connected sub-community of S it has positive edge weight to,
// chosen with probability ∝ exp(ΔH/θ) among the joins with ΔH ≥ 0 (staying
// alone has ΔH = 0). It returns the refined communities (ids 0..k-1) and k.
func refine(l *level, p *part, c consts, theta float64, rng *rand.Rand, s *scratch) ([]int32, int) {
	n := l.n
	r := make([]int32, n)
	rkp := append([]float64(nil), l.kp...)
	rkn := append([]float64(nil), l.kn...)
	rsize := make([]int32, n)
	ext := make([]float64, n) // E(C, S−C) of refined community C
	for v := range n {
		r[v] = int32(v)
		rsize[v] = 1
	}
	// nodes grouped by community of p
	start := make([]int32, n+1)
	for _, x := range p.comm {
		start[x+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	members := make([]int32, n)
	fill := append([]int32(nil), start[:n]...)
	for v, x := range p.comm {
		members[fill[x]] = int32(v)
		fill[x]++
	}
	for v := range n {
		for i := l.off[v]; i < l.off[v+1]; i++ {
			if p.comm[l.nbr[i]] == p.comm[v] {
				ext[v] += l.w[i]
			}
		}
	}
	var cand []int32
	var prob []float64
	for x := range n {
		S := members[start[x]:start[x+1]]
		if len(S) < 2 {
			continue
		}
		sp, sn := p.kp[x], p.kn[x]
		wellConnected := func(e, kp, kn float64) bool {
			return e-(kp*(sp-kp)*c.cp-kn*(sn-kn)*c.cn) >= -1e-12*(kp+kn+1)
		}
		order := append([]int32(nil), S...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, v32 := range order {
			v := int(v32)
			if r[v] != v32 || rsize[v] != 1 || !wellConnected(ext[v], l.kp[v], l.kn[v]) {
				continue
			}
			s.collect(l, v, r, p.comm, int32(x))
			cand, prob = cand[:0], prob[:0]
			maxGain := 0.0
			for _, y := range s.touched {
				if y == v32 || s.wc[y] <= 0 || !wellConnected(ext[y], rkp[y], rkn[y]) {
					continue
				}
				if g := c.gain(l, v, s.wc[y], rkp[y], rkn[y]); g >= 0 {
					cand = append(cand, y)
					prob = append(prob, g)
					maxGain = max(maxGain, g)
				}
			}
			if len(cand) == 0 {
				s.reset()
				continue
			}
			total := math.Exp(-maxGain / theta) // staying alone, ΔH = 0
			for i := range prob {
				prob[i] = math.Exp((prob[i] - maxGain) / theta)
				total += prob[i]
			}
			u := rng.Float64() * total
			pick := int32(-1)
			for i, pr := range prob {
				if u < pr {
					pick = cand[i]
					break
				}
				u -= pr
			}
			if pick >= 0 {
				ext[pick] += ext[v] - 2*s.wc[pick]
				rkp[pick] += l.kp[v]
				rkn[pick] += l.kn[v]
				rsize[pick]++
				rsize[v] = 0
				r[v] = pick
			}
			s.reset()
		}
	}
	out := compact(r)
	k := 0
	for _, x := range out {
		k = max(k, int(x)+1)
	}
	return out, k
}

// aggregate builds the graph of the k communities of r over l, summing edge
// weights between them; weight inside a community stays in its strength.
func aggregate(l *level, r []int32, k int) *level {
	a := &level{n: k, off: make([]int32, k+1), kp: make([]float64, k), kn: make([]float64, k)}
	start := make([]int32, k+1)
	for _, x := range r {
		start[x+1]++
	}
	for i := 1; i <= k; i++ {
		start[i] += start[i-1]
	}
	members := make([]int32, l.n)
	fill := append([]int32(nil), start[:k]...)
	for v, x := range r {
		members[fill[x]] = int32(v)
		fill[x]++
	}
	wc := make([]float64, k)
	mark := make([]bool, k)
	var touched []int32
	for x := range k {
		for _, v := range members[start[x]:start[x+1]] {
			a.kp[x] += l.kp[v]
			a.kn[x] += l.kn[v]
			for i := l.off[v]; i < l.off[v+1]; i++ {
				y := r[l.nbr[i]]
				if y == int32(x) {
					continue
				}
				if !mark[y] {
					mark[y] = true
					touched = append(touched, y)
				}
				wc[y] += l.w[i]
			}
		}
		for _, y := range touched {
			if wc[y] != 0 {
				a.nbr = append(a.nbr, y)
				a.w = append(a.w, wc[y])
			}
			wc[y], mark[y] = 0, false
		}
		touched = touched[:0]
		a.off[x+1] = int32(len(a.nbr))
	}
	return a
}

// samePartition reports whether a and b (ids in 0..len-1) group the nodes alike.
func samePartition(a, b []int32) bool {
	ab := make([]int32, len(a))
	ba := make([]int32, len(b))
	for i := range ab {
		ab[i], ba[i] = -1, -1
	}
	for i := range a {
		x, y := a[i], b[i]
		if (ab[x] >= 0 && ab[x] != y) || (ba[y] >= 0 && ba[y] != x) {
			return false
		}
		ab[x], ba[y] = y, x
	}
	return true
}

// splitDisconnected splits every community into its connected components
// over edges of positive weight. Leiden's communities are connected by
// construction; this makes the guarantee hold also when a pass stops early
// (Iterations). Splitting such a community never lowers the quality.
func splitDisconnected(g *Graph, memb []int32) []int32 {
	n := g.Len()
	out := make([]int32, n)
	for i := range out {
		out[i] = -1
	}
	next := int32(0)
	stack := []int32{}
	for v := range n {
		if out[v] >= 0 {
			continue
		}
		out[v] = next
		stack = append(stack[:0], int32(v))
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for i := g.off[x]; i < g.off[x+1]; i++ {
				u := g.nbr[i]
				if g.w[i] > 0 && out[u] < 0 && memb[u] == memb[x] {
					out[u] = next
					stack = append(stack, u)
				}
			}
		}
		next++
	}
	return out
}

// finish numbers the communities by size and computes the quality.
func finish(g *Graph, memb []int32, gamma float64) Partition {
	groups := map[int32][]int{}
	for v, c := range memb {
		groups[c] = append(groups[c], v)
	}
	comms := make([][]int, 0, len(groups))
	for _, m := range groups {
		comms = append(comms, m)
	}
	sort.Slice(comms, func(i, j int) bool {
		if len(comms[i]) != len(comms[j]) {
			return len(comms[i]) > len(comms[j])
		}
		return comms[i][0] < comms[j][0]
	})
	p := Partition{Membership: make([]int, len(memb)), Communities: comms}
	for c, m := range comms {
		for _, v := range m {
			p.Membership[v] = c
		}
	}
	p.Quality = Modularity(g, p.Membership, gamma)
	return p
}

// Modularity returns the modularity of the partition membership (community
// per node) of g at resolution gamma, or its signed generalisation when g has
// negative weights (see the package comment); 0 for a graph without edges.
func Modularity(g *Graph, membership []int, gamma float64) float64 {
	n := g.Len()
	k := 0
	for _, c := range membership {
		k = max(k, c+1)
	}
	kp, kn := make([]float64, k), make([]float64, k)
	var in, sp, sn float64 // in: Σ over ordered pairs inside communities of A_ij (signed)
	for v := range n {
		c := membership[v]
		for i := g.off[v]; i < g.off[v+1]; i++ {
			w := g.w[i]
			if w > 0 {
				kp[c] += w
				sp += w
			} else {
				kn[c] -= w
				sn -= w
			}
			if membership[g.nbr[i]] == c {
				in += w
			}
		}
	}
	if sp+sn == 0 {
		return 0
	}
	var exp float64
	for c := range k {
		if sp > 0 {
			exp += gamma * kp[c] * kp[c] / sp
		}
		if sn > 0 {
			exp -= gamma * kn[c] * kn[c] / sn
		}
	}
	return (in - exp) / (sp + sn)
}

// Connected reports whether the nodes of community are connected by edges of
// positive weight between nodes of community.
func (g *Graph) Connected(community []int) bool {
	if len(community) == 0 {
		return true
	}
	in := map[int32]bool{}
	for _, v := range community {
		in[int32(v)] = true
	}
	seen := map[int32]bool{int32(community[0]): true}
	stack := []int32{int32(community[0])}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := g.off[x]; i < g.off[x+1]; i++ {
			if u := g.nbr[i]; g.w[i] > 0 && in[u] && !seen[u] {
				seen[u] = true
				stack = append(stack, u)
			}
		}
	}
	return len(seen) == len(in)
}

// AdjustedRand returns the adjusted Rand index (Hubert & Arabie 1985) of two
// partitions of the same items, given as labels per item: 1 for identical
// partitions, about 0 for independent ones. It is 1 when both put every item
// alone or all items together (the index is undefined there), and NaN for
// fewer than two items or labels of unequal length.
func AdjustedRand(a, b []int) float64 {
	n := len(a)
	if n != len(b) || n < 2 {
		return math.NaN()
	}
	type cell struct{ x, y int }
	nij := map[cell]int{}
	ai, bj := map[int]int{}, map[int]int{}
	for i := range a {
		nij[cell{a[i], b[i]}]++
		ai[a[i]]++
		bj[b[i]]++
	}
	c2 := func(k int) float64 { return float64(k) * float64(k-1) / 2 }
	var index, sa, sb float64
	for _, k := range nij {
		index += c2(k)
	}
	for _, k := range ai {
		sa += c2(k)
	}
	for _, k := range bj {
		sb += c2(k)
	}
	expected := sa * sb / c2(n)
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}
