package blocs

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"
)

// planted returns a planted-partition graph: k groups of size sz, an edge
// inside a group with probability pin and between groups with pout, weights
// uniform in [0.5, 1] (negative between groups when signed), and the truth.
func planted(seed uint64, k, sz int, pin, pout float64, signed bool) (*Graph, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	n := k * sz
	truth := make([]int, n)
	for v := range n {
		truth[v] = v / sz
	}
	var edges []Edge
	for u := range n {
		for v := u + 1; v < n; v++ {
			p, sign := pout, 1.0
			if truth[u] == truth[v] {
				p = pin
			} else if signed {
				sign = -1
			}
			if rng.Float64() < p {
				edges = append(edges, Edge{U: u, V: v, Weight: sign * (0.5 + rng.Float64()/2)})
			}
		}
	}
	g, err := NewGraph(n, nil, edges)
	if err != nil {
		panic(err)
	}
	return g, truth
}

func assertConnected(t *testing.T, g *Graph, p Partition) {
	t.Helper()
	for c, m := range p.Communities {
		if !g.Connected(m) {
			t.Errorf("community %d (%d nodes) is not connected", c, len(m))
		}
	}
}

func TestLeidenRecoversPlantedPartitionsWithConnectedCommunities(t *testing.T) {
	for _, tc := range []struct {
		name      string
		k, sz     int
		pin, pout float64
		minARI    float64
	}{
		{"4x30 dense", 4, 30, 0.5, 0.02, 0.99},
		{"8x20 sparse", 8, 20, 0.3, 0.01, 0.9},
		{"3x60 weak", 3, 60, 0.2, 0.03, 0.9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(3) {
				g, truth := planted(seed, tc.k, tc.sz, tc.pin, tc.pout, false)
				p := Leiden(g, LeidenOptions{Seed: seed})
				if ari := AdjustedRand(p.Membership, truth); ari < tc.minARI {
					t.Errorf("seed %d: ARI with the planted partition %.3f < %.2f (%d communities)", seed, ari, tc.minARI, len(p.Communities))
				}
				assertConnected(t, g, p)
				if q := Modularity(g, truth, 1); p.Quality < q-1e-9 {
					t.Errorf("seed %d: Leiden Q %.6f below the planted partition's %.6f", seed, p.Quality, q)
				}
			}
		})
	}
}

func TestLeidenRecoversSignedPlantedPartition(t *testing.T) {
	// Dense negative edges between groups and few positive ones: only the signed quality finds the groups.
	g, truth := planted(7, 5, 20, 0.4, 0.3, true)
	if !g.Signed() {
		t.Fatal("graph should have negative weights")
	}
	p := Leiden(g, LeidenOptions{Seed: 1})
	if ari := AdjustedRand(p.Membership, truth); ari < 0.99 {
		t.Errorf("ARI %.3f with the planted groups", ari)
	}
	assertConnected(t, g, p)
}

// gonumCommunities turns a membership into gonum's [][]graph.Node.
func gonumCommunities(memb []int) [][]graph.Node {
	k := 0
	for _, c := range memb {
		k = max(k, c+1)
	}
	out := make([][]graph.Node, k)
	for v, c := range memb {
		out[c] = append(out[c], simple.Node(v))
	}
	return out
}

func TestModularityAgreesWithGonum(t *testing.T) {
	g, truth := planted(3, 4, 25, 0.4, 0.05, false)
	gg := g.Gonum()
	for _, gamma := range []float64{0.5, 1, 2} {
		want := community.Q(gg, gonumCommunities(truth), gamma)
		if got := Modularity(g, truth, gamma); math.Abs(got-want) > 1e-9 {
			t.Errorf("γ=%v: Modularity %v, gonum community.Q %v", gamma, got, want)
		}
	}
	// Signed: Q = (m⁺ Q⁺ − m⁻ Q⁻)/(m⁺ + m⁻) with Q± gonum's modularity of each layer.
	sg, st := planted(4, 4, 25, 0.4, 0.2, true)
	pos, neg := simple.NewWeightedUndirectedGraph(0, 0), simple.NewWeightedUndirectedGraph(0, 0)
	var mp, mn float64
	for v := range sg.Len() {
		pos.AddNode(simple.Node(v))
		neg.AddNode(simple.Node(v))
	}
	for v := range sg.Len() {
		sg.Neighbours(v, func(u int, w float64) {
			if u < v {
				return
			}
			if w > 0 {
				pos.SetWeightedEdge(pos.NewWeightedEdge(simple.Node(v), simple.Node(u), w))
				mp += w
			} else {
				neg.SetWeightedEdge(neg.NewWeightedEdge(simple.Node(v), simple.Node(u), -w))
				mn -= w
			}
		})
	}
	comms := gonumCommunities(st)
	want := (mp*community.Q(pos, comms, 1) - mn*community.Q(neg, comms, 1)) / (mp + mn)
	if got := Modularity(sg, st, 1); math.Abs(got-want) > 1e-9 {
		t.Errorf("signed Modularity %v, from gonum's layers %v", got, want)
	}
}

func TestLeidenMatchesOrBeatsGonumLouvainAndIsAlwaysConnected(t *testing.T) {
	// Sparse random graphs with weak structure are where Louvain leaves
	// communities internally disconnected; Leiden must not.
	disconnectedLouvain := 0
	for seed := range uint64(20) {
		g, _ := planted(100+seed, 6, 15, 0.15, 0.03, false)
		p := Leiden(g, LeidenOptions{Seed: seed, Restarts: 3})
		assertConnected(t, g, p)
		gg := g.Gonum()
		var louvainQ float64
		for r := range uint64(3) {
			red := community.Modularize(gg, 1, rand.NewPCG(seed*10+r, 2))
			comms := red.Communities()
			louvainQ = max(louvainQ, community.Q(gg, comms, 1))
			for _, c := range comms {
				m := make([]int, len(c))
				for i, n := range c {
					m[i] = int(n.ID())
				}
				if !g.Connected(m) {
					disconnectedLouvain++
				}
			}
		}
		if p.Quality < louvainQ-0.005 {
			t.Errorf("seed %d: Leiden Q %.4f well below gonum Louvain's %.4f", seed, p.Quality, louvainQ)
		}
		if want := community.Q(gg, gonumCommunities(p.Membership), 1); math.Abs(want-p.Quality) > 1e-9 {
			t.Errorf("seed %d: reported quality %v, gonum's Q of the same partition %v", seed, p.Quality, want)
		}
	}
	t.Logf("gonum Louvain returned %d disconnected communities over 60 runs", disconnectedLouvain)
}

func TestLeidenResolutionControlsCommunityCount(t *testing.T) {
	g, _ := planted(9, 6, 20, 0.5, 0.05, false)
	low := Leiden(g, LeidenOptions{Resolution: 0.05})
	mid := Leiden(g, LeidenOptions{Resolution: 1})
	high := Leiden(g, LeidenOptions{Resolution: 4})
	if !(len(low.Communities) < len(mid.Communities) && len(mid.Communities) < len(high.Communities)) {
		t.Errorf("communities at γ=0.05, 1, 4: %d, %d, %d; want strictly increasing",
			len(low.Communities), len(mid.Communities), len(high.Communities))
	}
	if len(mid.Communities) != 6 {
		t.Errorf("γ=1 found %d communities of 6 planted", len(mid.Communities))
	}
}

func TestLeidenIsReproducibleAndHandlesIsolatedNodes(t *testing.T) {
	g, _ := NewGraph(5, nil, []Edge{{0, 1, 1}, {1, 2, 1}, {0, 2, 1}})
	a := Leiden(g, LeidenOptions{Seed: 3})
	b := Leiden(g, LeidenOptions{Seed: 3})
	if AdjustedRand(a.Membership, b.Membership) != 1 {
		t.Errorf("same seed, different partitions: %v %v", a.Membership, b.Membership)
	}
	if a.Membership[3] == a.Membership[4] || a.Membership[3] == a.Membership[0] {
		t.Errorf("isolated nodes 3 and 4 should be alone: %v", a.Membership)
	}
	if a.Membership[0] != a.Membership[1] || a.Membership[1] != a.Membership[2] {
		t.Errorf("the triangle should be one community: %v", a.Membership)
	}
	empty, _ := NewGraph(0, nil, nil)
	if p := Leiden(empty, LeidenOptions{}); len(p.Communities) != 0 || p.Quality != 0 {
		t.Errorf("empty graph: %+v", p)
	}
}

func TestAdjustedRandKnownValues(t *testing.T) {
	for _, tc := range []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1},
		{[]int{0, 0, 1, 1}, []int{0, 0, 1, 2}, 0.5714285714285715}, // scikit-learn's documented example
		{[]int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{[]int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
	} {
		if got := AdjustedRand(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ARI(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if !math.IsNaN(AdjustedRand([]int{1}, []int{1})) {
		t.Error("ARI of one item should be NaN")
	}
}

func TestNewGraphRejectsBadEdgesAndMergesRepeats(t *testing.T) {
	if _, err := NewGraph(2, nil, []Edge{{0, 2, 1}}); err == nil {
		t.Error("edge to node 2 of a 2-node graph accepted")
	}
	if _, err := NewGraph(2, nil, []Edge{{0, 1, math.NaN()}}); err == nil {
		t.Error("NaN weight accepted")
	}
	g, err := NewGraph(3, []string{"A", "B", "C"}, []Edge{{0, 1, 1}, {1, 0, 2}, {2, 2, 5}, {1, 2, 1}, {1, 2, -1}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Edges() != 1 {
		t.Errorf("%d edges, want 1 (A–B weight 3; B–C cancels; C–C is a self-loop)", g.Edges())
	}
	g.Neighbours(0, func(u int, w float64) {
		if u != 1 || w != 3 {
			t.Errorf("A's neighbour %d weight %v, want B with 3", u, w)
		}
	})
	h, nodes := FromGonum(g.Gonum())
	if h.Edges() != 1 || len(nodes) != 3 {
		t.Errorf("round trip through gonum: %d edges, %d nodes", h.Edges(), len(nodes))
	}
}

func TestRefinementSplitsACommunityOfTwoDisconnectedCliques(t *testing.T) {
	// Nodes 0–3 and 4–7 are two cliques with no edge between them; a
	// partition that lumps them together must be refined into sub-communities
	// that never straddle the two.
	var edges []Edge
	for _, base := range []int{0, 4} {
		for u := base; u < base+4; u++ {
			for v := u + 1; v < base+4; v++ {
				edges = append(edges, Edge{U: u, V: v, Weight: 1})
			}
		}
	}
	g, _ := NewGraph(8, nil, edges)
	l := newLevel(g)
	c := newConsts(l, 1)
	p := newPart(l, []int32{0, 0, 0, 0, 0, 0, 0, 0})
	for seed := range uint64(10) {
		r, k := refine(l, p, c, 0.01, rand.New(rand.NewPCG(seed, 0)), newScratch(8))
		if k < 2 {
			t.Fatalf("seed %d: refinement kept %d community", seed, k)
		}
		for u := range 4 {
			for v := 4; v < 8; v++ {
				if r[u] == r[v] {
					t.Errorf("seed %d: nodes %d and %d of different cliques share refined community %d", seed, u, v, r[u])
				}
			}
		}
	}
}

func TestLeidenPassesAreConnectedWithoutTheSafetySplit(t *testing.T) {
	// The final split of disconnected communities is a safety net only: the
	// passes themselves must already yield connected communities.
	for seed := range uint64(10) {
		g, _ := planted(200+seed, 6, 15, 0.15, 0.03, false)
		l := newLevel(g)
		memb := make([]int32, g.Len())
		for v := range memb {
			memb[v] = int32(v)
		}
		rng := rand.New(rand.NewPCG(seed, 5))
		for range 5 {
			memb = leidenPass(l, memb, newConsts(l, 1), 0.01, rng)
			groups := map[int32][]int{}
			for v, x := range memb {
				groups[x] = append(groups[x], v)
			}
			for x, m := range groups {
				if !g.Connected(m) {
					t.Errorf("seed %d: community %d of a pass is not connected", seed, x)
				}
			}
		}
	}
}
