package blocs

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/concord-project/concord/align"
)

// Graph is an undirected weighted graph without self-loops, stored as
// adjacency lists (compressed sparse rows); weights may be negative.
type Graph struct {
	Labels []string // node labels (state codes), one per node
	off    []int32  // neighbours of node v are nbr[off[v]:off[v+1]]
	nbr    []int32
	w      []float64
}

// Edge is one undirected edge for NewGraph.
type Edge struct {
	U, V   int
	Weight float64
}

// NewGraph builds a graph of n nodes from edges; repeated edges add up,
// self-loops and zero weights are dropped. labels may be nil.
func NewGraph(n int, labels []string, edges []Edge) (*Graph, error) {
	if labels != nil && len(labels) != n {
		return nil, fmt.Errorf("graph: %d labels for %d nodes", len(labels), n)
	}
	deg := make([]int32, n+1)
	for i, e := range edges {
		if e.U < 0 || e.U >= n || e.V < 0 || e.V >= n {
			return nil, fmt.Errorf("graph: edge %d (%d–%d) names a node outside 0..%d", i, e.U, e.V, n-1)
		}
		if math.IsNaN(e.Weight) || math.IsInf(e.Weight, 0) {
			return nil, fmt.Errorf("graph: edge %d (%d–%d) has weight %v", i, e.U, e.V, e.Weight)
		}
		if e.U != e.V && e.Weight != 0 {
			deg[e.U+1]++
			deg[e.V+1]++
		}
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	g := &Graph{Labels: labels, off: deg, nbr: make([]int32, deg[n]), w: make([]float64, deg[n])}
	fill := append([]int32(nil), deg[:n]...)
	for _, e := range edges {
		if e.U == e.V || e.Weight == 0 {
			continue
		}
		g.nbr[fill[e.U]], g.w[fill[e.U]] = int32(e.V), e.Weight
		fill[e.U]++
		g.nbr[fill[e.V]], g.w[fill[e.V]] = int32(e.U), e.Weight
		fill[e.V]++
	}
	g.merge()
	return g, nil
}

// merge sorts each adjacency list and adds up repeated edges.
func (g *Graph) merge() {
	n := g.Len()
	sorted := true
	for v := 0; v < n && sorted; v++ {
		for i := g.off[v] + 1; i < g.off[v+1]; i++ {
			if g.nbr[i-1] >= g.nbr[i] {
				sorted = false
				break
			}
		}
	}
	if sorted { // no repeats, and zero weights were never added
		return
	}
	off := make([]int32, n+1)
	k := int32(0)
	for v := range n {
		lo, hi := g.off[v], g.off[v+1]
		idx := make([]int32, hi-lo)
		for i := range idx {
			idx[i] = lo + int32(i)
		}
		sort.Slice(idx, func(a, b int) bool { return g.nbr[idx[a]] < g.nbr[idx[b]] })
		nb := make([]int32, 0, len(idx))
		wt := make([]float64, 0, len(idx))
		for _, i := range idx {
			if len(nb) > 0 && nb[len(nb)-1] == g.nbr[i] {
				wt[len(wt)-1] += g.w[i]
				continue
			}
			nb, wt = append(nb, g.nbr[i]), append(wt, g.w[i])
		}
		off[v] = k
		for i := range nb {
			if wt[i] != 0 {
				g.nbr[k], g.w[k] = nb[i], wt[i]
				k++
			}
		}
	}
	off[n] = k
	g.off, g.nbr, g.w = off, g.nbr[:k], g.w[:k]
}

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.off) - 1 }

// Edges returns the number of undirected edges.
func (g *Graph) Edges() int { return len(g.nbr) / 2 }

// Neighbours calls fn for every neighbour u of v with the weight of edge v–u.
func (g *Graph) Neighbours(v int, fn func(u int, w float64)) {
	for i := g.off[v]; i < g.off[v+1]; i++ {
		fn(int(g.nbr[i]), g.w[i])
	}
}

// Signed reports whether any edge has a negative weight.
func (g *Graph) Signed() bool {
	for _, w := range g.w {
		if w < 0 {
			return true
		}
	}
	return false
}

// Gonum returns g as a gonum weighted undirected graph with node IDs 0..Len()-1.
func (g *Graph) Gonum() *simple.WeightedUndirectedGraph {
	gg := simple.NewWeightedUndirectedGraph(0, 0)
	for v := range g.Len() {
		gg.AddNode(simple.Node(v))
	}
	for v := range g.Len() {
		for i := g.off[v]; i < g.off[v+1]; i++ {
			if u := int(g.nbr[i]); u > v {
				gg.SetWeightedEdge(gg.NewWeightedEdge(simple.Node(v), simple.Node(u), g.w[i]))
			}
		}
	}
	return gg
}

// FromGonum builds a Graph from any gonum undirected graph (weights from
// graph.Weighted when g implements it, else 1); it returns the gonum node of
// each Graph node. Self-loops are dropped.
func FromGonum(g graph.Undirected) (*Graph, []graph.Node) {
	nodes := graph.NodesOf(g.Nodes())
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].ID() < nodes[j].ID() })
	id := make(map[int64]int, len(nodes))
	for i, n := range nodes {
		id[n.ID()] = i
	}
	wg, weighted := g.(graph.Weighted)
	var edges []Edge
	for i, n := range nodes {
		to := g.From(n.ID())
		for to.Next() {
			j := id[to.Node().ID()]
			if j <= i {
				continue
			}
			w := 1.0
			if weighted {
				w, _ = wg.Weight(n.ID(), to.Node().ID())
			}
			edges = append(edges, Edge{U: i, V: j, Weight: w})
		}
	}
	out, _ := NewGraph(len(nodes), nil, edges) // edges are in range and finite weights are a gonum invariant
	return out, nodes
}

// GraphOptions says how AgreementGraph turns alignment into edge weights.
type GraphOptions struct {
	// Signed keeps negative weights: 2·v − 1 for agree and coincidence, the
	// value itself for s_score and kappa. Unsigned (the default) uses agree and
	// coincidence as they are and clips s_score and kappa at 0.
	Signed bool
	// MinVotes leaves out pairs with fewer common votes (at least 1).
	MinVotes int
}

// AgreementGraph builds the graph of the states that voted with anyone in
// the window of p: one node per such state (in p.States order), one edge per
// pair with at least MinVotes common votes and a defined, non-zero weight.
func AgreementGraph(p *align.Pairs, opt GraphOptions) (*Graph, error) {
	minVotes := max(opt.MinVotes, 1)
	ns := len(p.States)
	keep := make([]int, ns) // new index + 1, 0 if dropped
	var labels []string
	for i := range ns {
		for j := range ns {
			if j != i && p.Votes[i][j] >= minVotes {
				labels = append(labels, p.States[i])
				keep[i] = len(labels)
				break
			}
		}
	}
	var edges []Edge
	for i := range ns {
		if keep[i] == 0 {
			continue
		}
		for j := i + 1; j < ns; j++ {
			if keep[j] == 0 || p.Votes[i][j] < minVotes {
				continue
			}
			w, ok := weight(p.Metric, p.Values[i][j], opt.Signed)
			if ok {
				edges = append(edges, Edge{U: keep[i] - 1, V: keep[j] - 1, Weight: w})
			}
		}
	}
	return NewGraph(len(labels), labels, edges)
}

// weight maps one alignment value to an edge weight; ok is false when it is undefined.
func weight(m align.Metric, v float64, signed bool) (float64, bool) {
	if math.IsNaN(v) {
		return 0, false
	}
	unit := m == align.Agree || m == align.Coincidence // in [0, 1]
	switch {
	case signed && unit:
		return 2*v - 1, true
	case signed:
		return v, true
	case unit:
		return v, true
	}
	return max(v, 0), true
}
