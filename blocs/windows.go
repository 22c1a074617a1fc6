package blocs

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/output"
)

// Options says which windows Analyze looks at and how it finds blocs.
type Options struct {
	From, To  int           // calendar years; 0 takes the first or last year of the record
	Window    int           // years per window; 0 makes one window From..To
	Step      int           // years between window starts (0 means 1)
	Issue     concord.Issue // only roll calls on this issue
	Important bool          // only roll calls classified important
	// Metric weights the edges: Kappa (the zero value and default,
	// DefaultMetric), Agree, SScore or Coincidence. Kappa is chance-corrected,
	// so that the near-unanimous votes on which almost every state agrees do
	// not make every pair look alike (see the package comment).
	Metric Metric
	Graph  GraphOptions  // signed variant, minimum common votes
	Leiden LeidenOptions // resolution, restarts (0 means 5), seed
	// Bootstrap is the number of runs on roll calls resampled with
	// replacement that measure each member's firmness (0 means 20; negative
	// turns firmness off, leaving it NaN and every member core).
	Bootstrap int
	CoreAt    float64 // firmness from which a member is core (0 means 0.8)
	MatchAt   float64 // least Jaccard overlap for a bloc to carry on into the next window (0 means 0.3)
}

// Result is the blocs of every window, in order.
type Result struct {
	Metric     align.Metric  `json:"metric"`
	Signed     bool          `json:"signed"`
	Resolution float64       `json:"resolution"`
	Issue      concord.Issue `json:"issue,omitempty"`
	Windows    []Window      `json:"windows"`
}

// Window is the bloc structure of one window of years.
type Window struct {
	From       int     `json:"from"`
	To         int     `json:"to"`
	RollCalls  int     `json:"roll_calls"`
	States     int     `json:"states"` // states in the graph (with a common vote with any other)
	Modularity float64 `json:"modularity"`
	// Stability is the adjusted Rand index between this window's blocs and
	// the previous non-empty window's, over the states in a bloc in both; NaN
	// (null) for the first window.
	Stability float64 `json:"stability"`
	Blocs     []Bloc  `json:"blocs"`
	// Unaligned are the states of the graph (counted in States) without a
	// single positive-weight edge in it, in code order: unsigned, kappa ≤ 0
	// or undefined with every other state (typically a state that voted the
	// same way on nearly every roll call it attended). They are in no bloc,
	// so neither core nor swing, and take no part in matching or stability.
	Unaligned []string `json:"unaligned"`
}

// Bloc is one community of a window.
type Bloc struct {
	ID      string   `json:"id"`   // A, B, …, kept from window to window while the bloc carries on
	Name    string   `json:"name"` // the code of its most central member when it first appeared
	Members []Member `json:"members"`
}

// Member is a state in a bloc with how firmly it sits there.
type Member struct {
	State    string  `json:"state"`
	Firmness float64 `json:"firmness"` // share of bootstrap runs in which it stays with its bloc (NaN, null in JSON, when not measured)
	Core     bool    `json:"core"`     // firmness ≥ CoreAt; else a swing state
}

// MarshalJSON writes a NaN firmness (not measured) as null.
func (m Member) MarshalJSON() ([]byte, error) {
	type plain Member
	return json.Marshal(struct {
		plain
		Firmness *float64 `json:"firmness"`
	}{plain(m), nullable(m.Firmness)})
}

// Core returns the codes of the bloc's core members.
func (b Bloc) Core() []string { return b.codes(true) }

// Swing returns the codes of the bloc's swing members.
func (b Bloc) Swing() []string { return b.codes(false) }

func (b Bloc) codes(core bool) []string {
	var out []string
	for _, m := range b.Members {
		if m.Core == core {
			out = append(out, m.State)
		}
	}
	return out
}

// MarshalJSON writes NaN stability and modularity as null.
func (w Window) MarshalJSON() ([]byte, error) {
	type plain Window
	return json.Marshal(struct {
		plain
		Modularity *float64 `json:"modularity"`
		Stability  *float64 `json:"stability"`
	}{plain(w), nullable(w.Modularity), nullable(w.Stability)})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN, so that a Result
// kept as JSON (concord.ResultCache) reads back as it was.
func (w *Window) UnmarshalJSON(b []byte) error {
	type plain Window
	var v struct {
		plain
		Modularity *float64 `json:"modularity"`
		Stability  *float64 `json:"stability"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*w = Window(v.plain)
	w.Modularity, w.Stability = unnull(v.Modularity), unnull(v.Stability)
	return nil
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (m *Member) UnmarshalJSON(b []byte) error {
	type plain Member
	var v struct {
		plain
		Firmness *float64 `json:"firmness"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = Member(v.plain)
	m.Firmness = unnull(v.Firmness)
	return nil
}

func unnull(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func nullable(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// Table lists one row per window and bloc; the last column, unaligned,
// repeats the window's unaligned states on each of its rows.
func (r *Result) Table() output.Table {
	t := output.Table{Columns: []string{"from", "to", "bloc", "name", "size", "modularity", "stability", "core", "swing", "unaligned"}}
	for _, w := range r.Windows {
		un := strings.Join(w.Unaligned, " ")
		if len(w.Blocs) == 0 {
			t.Rows = append(t.Rows, []any{w.From, w.To, "", "", 0, math.NaN(), math.NaN(), "", "", un})
		}
		for _, b := range w.Blocs {
			t.Rows = append(t.Rows, []any{w.From, w.To, b.ID, b.Name, len(b.Members), w.Modularity, w.Stability,
				strings.Join(b.Core(), " "), strings.Join(b.Swing(), " "), un})
		}
	}
	return t
}

func (o Options) withDefaults() Options {
	if o.Step <= 0 {
		o.Step = 1
	}
	if o.Leiden.Restarts <= 0 {
		o.Leiden.Restarts = 5
	}
	if o.Leiden.Resolution == 0 {
		o.Leiden.Resolution = 1
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = 20
	}
	if o.CoreAt == 0 {
		o.CoreAt = 0.8
	}
	if o.MatchAt == 0 {
		o.MatchAt = 0.3
	}
	return o
}

// Windows returns the windows of years of o over the record of m: [From,
// From+Window−1], stepping by Step while a whole window fits; one window
// From..To when Window is 0 or longer than the span.
func (o Options) Windows(m *concord.Matrix) ([][2]int, error) {
	o = o.withDefaults()
	if o.Window < 0 {
		return nil, fmt.Errorf("window: %d years is negative", o.Window)
	}
	first, last := 0, 0
	for _, rc := range m.RollCalls {
		if y := rc.Year(); y != 0 {
			if first == 0 {
				first = y
			}
			last = max(last, y)
		}
	}
	from, to := o.From, o.To
	if from == 0 {
		from = first
	}
	if to == 0 {
		to = last
	}
	if from > to {
		return nil, fmt.Errorf("window: from year %d is after to year %d", from, to)
	}
	if o.Window == 0 || o.Window > to-from+1 {
		return [][2]int{{from, to}}, nil
	}
	var out [][2]int
	for s := from; s+o.Window-1 <= to; s += o.Step {
		out = append(out, [2]int{s, s + o.Window - 1})
	}
	return out, nil
}

// Analyze finds the blocs of every window of o over the record in ix.
func Analyze(ix *align.Index, o Options) (*Result, error) {
	o = o.withDefaults()
	if !o.Metric.valid() {
		return nil, fmt.Errorf("unknown metric %d (want blocs.Kappa, Agree, SScore or Coincidence)", int(o.Metric))
	}
	if o.Leiden.Resolution < 0 {
		return nil, fmt.Errorf("resolution %v is negative", o.Leiden.Resolution)
	}
	if o.CoreAt < 0 || o.CoreAt > 1 {
		return nil, fmt.Errorf("core threshold %v is outside 0..1", o.CoreAt)
	}
	wins, err := o.Windows(ix.Matrix())
	if err != nil {
		return nil, err
	}
	res := &Result{Metric: o.Metric.Align(), Signed: o.Graph.Signed, Resolution: o.Leiden.Resolution, Issue: o.Issue}
	var prev *windowState
	ids := 0
	for _, fw := range wins {
		w := align.Window{From: fw[0], To: fw[1], Issue: o.Issue, Important: o.Important}
		pairs, err := ix.AllPairs(w, o.Metric.Align())
		if err != nil {
			return nil, err
		}
		g, err := AgreementGraph(pairs, o.Graph)
		if err != nil {
			return nil, err
		}
		cols := columns(ix.Matrix(), w)
		win := Window{From: fw[0], To: fw[1], Blocs: []Bloc{}, Unaligned: []string{}, RollCalls: len(cols), States: g.Len(), Modularity: math.NaN(), Stability: math.NaN()}
		if g.Len() == 0 {
			res.Windows = append(res.Windows, win)
			continue
		}
		st := blocsOf(ix.Matrix(), g, cols, o)
		win.Modularity = st.part.Quality
		for v, c := range st.of {
			if c < 0 {
				win.Unaligned = append(win.Unaligned, g.Labels[v])
			}
		}
		sort.Strings(win.Unaligned)
		if prev != nil {
			win.Stability = stability(prev, st)
			match(prev, st, o.MatchAt)
		}
		for c := range st.comms {
			if st.ids[c] == "" {
				st.ids[c] = blocID(ids)
				ids++
				st.names[c] = st.anchor(g, c)
			}
		}
		for c, m := range st.comms {
			b := Bloc{ID: st.ids[c], Name: st.names[c]}
			for _, v := range m {
				f := st.firm[v]
				b.Members = append(b.Members, Member{State: g.Labels[v], Firmness: f, Core: math.IsNaN(f) || f >= o.CoreAt})
			}
			sort.SliceStable(b.Members, func(i, j int) bool {
				if b.Members[i].Firmness != b.Members[j].Firmness {
					return b.Members[i].Firmness > b.Members[j].Firmness
				}
				return b.Members[i].State < b.Members[j].State
			})
			win.Blocs = append(win.Blocs, b)
		}
		res.Windows = append(res.Windows, win)
		if len(st.comms) > 0 { // a window of unaligned states alone carries no bloc on
			prev = st
		}
	}
	return res, nil
}

// columns returns the columns of m's roll calls in window w.
func columns(m *concord.Matrix, w align.Window) []int {
	f := w.Filter()
	var cols []int
	for r, rc := range m.RollCalls {
		if f.Match(rc) {
			cols = append(cols, r)
		}
	}
	return cols
}

// windowState is what matching needs of a window: states, partition, blocs, bloc ids and names.
type windowState struct {
	g     *Graph
	part  Partition // Leiden's partition of all of g (its Quality is the window's modularity)
	comms [][]int   // the blocs: part's communities without the unaligned nodes, empty ones dropped
	of    []int     // bloc (index into comms) of each node, −1 when unaligned
	firm  []float64
	ids   []string
	names []string
}

// Unaligned reports, per node of g, whether it has no edge of positive weight:
// such a node is in no bloc (Window.Unaligned). Unsigned, that is a node with
// no edge at all, since zero weights are dropped and kappa and s_score are
// clipped at 0; signed, a node whose edges are all negative.
func Unaligned(g *Graph) []bool {
	out := make([]bool, g.Len())
	for v := range out {
		out[v] = true
		g.Neighbours(v, func(_ int, w float64) {
			if w > 0 {
				out[v] = false
			}
		})
	}
	return out
}

// blocsOf runs Leiden on g (best of the restarts), sets the unaligned nodes
// apart and runs the bootstrap that gives each bloc member its firmness.
func blocsOf(m *concord.Matrix, g *Graph, cols []int, o Options) *windowState {
	best := Leiden(g, o.Leiden)
	un := Unaligned(g)
	st := &windowState{g: g, part: best, of: make([]int, g.Len())}
	for _, members := range best.Communities {
		var kept []int
		for _, v := range members {
			if !un[v] {
				kept = append(kept, v)
			}
		}
		if len(kept) > 0 {
			st.comms = append(st.comms, kept)
		}
	}
	for v := range st.of {
		st.of[v] = -1
	}
	for c, members := range st.comms {
		for _, v := range members {
			st.of[v] = c
		}
	}
	blocs := Partition{Membership: st.of, Communities: st.comms}
	if o.Bootstrap > 0 {
		st.firm = firmness(blocs, bootstrapRuns(m, g, cols, o.Metric.Align(), o.Graph, o.Leiden, o.Bootstrap))
	} else {
		st.firm = firmness(blocs, nil)
	}
	for v := range st.firm {
		if un[v] {
			st.firm[v] = math.NaN() // in no bloc, so never measured
		}
	}
	k := len(st.comms)
	st.ids, st.names = make([]string, k), make([]string, k)
	return st
}

// anchor names bloc c by its member with the largest weight to the other members.
func (st *windowState) anchor(g *Graph, c int) string {
	best, bestW := "", math.Inf(-1)
	for _, v := range st.comms[c] {
		var w float64
		g.Neighbours(v, func(u int, x float64) {
			if st.of[u] == c {
				w += x
			}
		})
		if w > bestW {
			best, bestW = g.Labels[v], w
		}
	}
	return best
}

// members returns the state codes of bloc c.
func (st *windowState) members(c int) map[string]bool {
	out := map[string]bool{}
	for _, v := range st.comms[c] {
		out[st.g.Labels[v]] = true
	}
	return out
}

// match carries bloc ids and names from prev to cur, greedily by Jaccard overlap, best first, at least minJ.
func match(prev, cur *windowState, minJ float64) {
	type pair struct {
		i, j int
		jac  float64
	}
	var pairs []pair
	for i := range prev.comms {
		a := prev.members(i)
		for j := range cur.comms {
			b := cur.members(j)
			inter := 0
			for s := range b {
				if a[s] {
					inter++
				}
			}
			if jac := float64(inter) / float64(len(a)+len(b)-inter); jac >= minJ && inter > 0 {
				pairs = append(pairs, pair{i, j, jac})
			}
		}
	}
	sort.SliceStable(pairs, func(x, y int) bool { return pairs[x].jac > pairs[y].jac })
	usedP, usedC := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		if usedP[p.i] || usedC[p.j] {
			continue
		}
		usedP[p.i], usedC[p.j] = true, true
		cur.ids[p.j], cur.names[p.j] = prev.ids[p.i], prev.names[p.i]
	}
}

// stability is the adjusted Rand index of two windows' blocs over the states in a bloc in both.
func stability(prev, cur *windowState) float64 {
	at := map[string]int{}
	for v, s := range prev.g.Labels {
		if prev.of[v] >= 0 {
			at[s] = prev.of[v]
		}
	}
	var a, b []int
	for v, s := range cur.g.Labels {
		if c, ok := at[s]; ok && cur.of[v] >= 0 {
			a = append(a, c)
			b = append(b, cur.of[v])
		}
	}
	return AdjustedRand(a, b)
}

// blocID is the spreadsheet-style letter name of the i-th bloc: A … Z, AA, AB, ….
func blocID(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
