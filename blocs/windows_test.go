package blocs

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
)

// synthetic builds a record of three years, 30 roll calls each: states A1–A6
// vote one way and B1–B6 the other (the As yes on odd roll calls and no on
// even ones; one vote in ten an abstention at random), except that in the
// third year A6 votes with the Bs. The sides alternate so that agreement
// within a side is more than chance: kappa, the default metric, sees no
// agreement between states that vote yes on everything.
func synthetic() *concord.Matrix {
	rng := rand.New(rand.NewPCG(1, 2))
	var rcs []concord.RollCall
	var votes []concord.VoteRecord
	id := 0
	for year := 2001; year <= 2003; year++ {
		for k := range 30 {
			id++
			rcs = append(rcs, concord.RollCall{RCID: id, Date: time.Date(year, 1, 1+k, 0, 0, 0, 0, time.UTC)})
			for _, side := range []string{"A", "B"} {
				for i := 1; i <= 6; i++ {
					v := concord.Yes
					if side == "B" || (year == 2003 && i == 6) {
						v = concord.No
					}
					if id%2 == 0 {
						v = opposite(v)
					}
					if rng.IntN(10) == 0 {
						v = concord.Abstain
					}
					votes = append(votes, concord.VoteRecord{RCID: id, State: side + string(rune('0'+i)), Vote: v})
				}
			}
		}
	}
	return concord.NewMatrix(rcs, votes)
}

// opposite turns yes into no and no into yes.
func opposite(v concord.Vote) concord.Vote {
	if v == concord.Yes {
		return concord.No
	}
	return concord.Yes
}

func TestAnalyzeMatchesBlocsAcrossWindowsAndFlagsTheSwitcher(t *testing.T) {
	ix := align.NewIndex(synthetic())
	r, err := Analyze(ix, Options{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Windows) != 3 {
		t.Fatalf("%d windows, want 3 (2001, 2002, 2003)", len(r.Windows))
	}
	idA := blocOf(r.Windows[0], "A1").ID
	idB := blocOf(r.Windows[0], "B1").ID
	if idA == idB {
		t.Fatal("A1 and B1 in one bloc")
	}
	for _, w := range r.Windows {
		if len(w.Blocs) != 2 {
			t.Errorf("%d: %d blocs, want 2", w.From, len(w.Blocs))
		}
		if blocOf(w, "A1").ID != idA || blocOf(w, "B1").ID != idB {
			t.Errorf("%d: bloc ids changed: A1 in %s, B1 in %s", w.From, blocOf(w, "A1").ID, blocOf(w, "B1").ID)
		}
		if w.RollCalls != 30 || w.States != 12 {
			t.Errorf("%d: %d roll calls and %d states, want 30 and 12", w.From, w.RollCalls, w.States)
		}
	}
	if blocOf(r.Windows[2], "A6").ID != idB {
		t.Error("2003: A6 should have joined the Bs")
	}
	if s := r.Windows[1].Stability; s != 1 {
		t.Errorf("2001→2002 stability %v, want 1 (no state moved)", s)
	}
	if s := r.Windows[2].Stability; !(s < 1 && s > 0.5) {
		t.Errorf("2002→2003 stability %v, want below 1 (A6 moved) but high", s)
	}
	if !math.IsNaN(r.Windows[0].Stability) {
		t.Errorf("first window's stability %v, want NaN", r.Windows[0].Stability)
	}
	for _, w := range r.Windows {
		for _, b := range w.Blocs {
			for _, m := range b.Members {
				if m.Firmness < 0.8 || !m.Core {
					t.Errorf("%d: %s firmness %.2f; a clean two-bloc record has only core members", w.From, m.State, m.Firmness)
				}
			}
		}
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"stability":null`) || !strings.Contains(string(js), `"id":"`+idA+`"`) {
		t.Errorf("JSON lacks null stability or bloc id: %s", js[:200])
	}
	tab := r.Table()
	if len(tab.Rows) != 6 || tab.Columns[2] != "bloc" {
		t.Errorf("table: %d rows, columns %v", len(tab.Rows), tab.Columns)
	}
}

func TestAnalyzeWithoutFirmnessMakesEveryMemberCoreAndWritesNullFirmness(t *testing.T) {
	r, err := Analyze(align.NewIndex(synthetic()), Options{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range r.Windows[0].Blocs {
		for _, m := range b.Members {
			if !m.Core || !math.IsNaN(m.Firmness) {
				t.Errorf("%s: core %v firmness %v", m.State, m.Core, m.Firmness)
			}
		}
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"firmness":null`) {
		t.Errorf("JSON: %s", js)
	}
}

func TestFirmnessMarksAStateThatVotesWithBothSidesAsSwing(t *testing.T) {
	// S votes with the As on half the roll calls and with the Bs on the other
	// half (chosen at random); the As vote yes and the Bs no on odd roll calls,
	// the other way round on even ones.
	rng := rand.New(rand.NewPCG(3, 4))
	withA := rand.New(rand.NewPCG(5, 6)).Perm(60) // S votes with the As on roll call k when withA[k−1] < 30
	var rcs []concord.RollCall
	var votes []concord.VoteRecord
	for k := 1; k <= 60; k++ {
		rcs = append(rcs, concord.RollCall{RCID: k, Date: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)})
		for i := 1; i <= 8; i++ {
			va, vb := concord.Yes, concord.No
			if k%2 == 0 {
				va, vb = vb, va
			}
			if rng.IntN(8) == 0 {
				va = concord.Abstain
			}
			if rng.IntN(8) == 0 {
				vb = concord.Abstain
			}
			votes = append(votes, concord.VoteRecord{RCID: k, State: "A" + string(rune('0'+i)), Vote: va},
				concord.VoteRecord{RCID: k, State: "B" + string(rune('0'+i)), Vote: vb})
		}
		v := concord.Yes // with the As on odd roll calls
		if (withA[k-1] < 30) != (k%2 == 1) {
			v = concord.No
		}
		votes = append(votes, concord.VoteRecord{RCID: k, State: "S", Vote: v})
	}
	r, err := Analyze(align.NewIndex(concord.NewMatrix(rcs, votes)), Options{Bootstrap: 40})
	if err != nil {
		t.Fatal(err)
	}
	w := r.Windows[0]
	var s, a1 Member
	for _, b := range w.Blocs {
		for _, m := range b.Members {
			switch m.State {
			case "S":
				s = m
			case "A1":
				a1 = m
			}
		}
	}
	if s.Core || s.Firmness > 0.8 {
		t.Errorf("S firmness %.2f core %v; want a swing state", s.Firmness, s.Core)
	}
	if !a1.Core || a1.Firmness < 0.95 {
		t.Errorf("A1 firmness %.2f; want core", a1.Firmness)
	}
}

func TestWindowsOfYears(t *testing.T) {
	m := synthetic()
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{}, "[[2001 2003]]"},
		{Options{Window: 1}, "[[2001 2001] [2002 2002] [2003 2003]]"},
		{Options{Window: 2}, "[[2001 2002] [2002 2003]]"},
		{Options{Window: 2, Step: 2}, "[[2001 2002]]"},
		{Options{Window: 10}, "[[2001 2003]]"},
		{Options{From: 2002, Window: 1}, "[[2002 2002] [2003 2003]]"},
	} {
		got, err := tc.o.Windows(m)
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.ReplaceAll(strings.TrimSpace(sprint(got)), ",", " "); s != tc.want {
			t.Errorf("%+v: windows %s, want %s", tc.o, s, tc.want)
		}
	}
	if _, err := (Options{Window: -1}).Windows(m); err == nil {
		t.Error("negative window accepted")
	}
	if _, err := Analyze(align.NewIndex(m), Options{From: 2003, To: 2001}); err == nil {
		t.Error("from after to accepted")
	}
}

func sprint(w [][2]int) string {
	b, _ := json.Marshal(w)
	return strings.NewReplacer("],[", "] [", ",", " ").Replace(string(b))
}

func TestBootstrapGraphWithEveryRollCallOnceEqualsAllPairs(t *testing.T) {
	m := synthetic()
	ix := align.NewIndex(m)
	w := align.Window{From: 2003, To: 2003}
	cols := columns(m, w)
	for _, metric := range align.Metrics {
		pairs, err := ix.AllPairs(w, metric)
		if err != nil {
			t.Fatal(err)
		}
		vb := newVoteBits(m, m.States, cols)
		once := make([]uint64, vb.words)
		for k := range cols {
			once[k>>6] |= 1 << (k & 63)
		}
		for i := range m.States {
			for j := range m.States {
				v, n := vb.value(i, j, [][]uint64{once}, metric)
				want := pairs.Values[i][j]
				if n != pairs.Votes[i][j] || !(v == want || math.Abs(v-want) < 1e-12 || (math.IsNaN(v) && math.IsNaN(want))) {
					t.Fatalf("%v %s–%s: %v over %d votes, align says %v over %d", metric, m.States[i], m.States[j], v, n, want, pairs.Votes[i][j])
				}
			}
		}
	}
}

func TestBlocIDs(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := blocID(i); got != want {
			t.Errorf("blocID(%d) = %s, want %s", i, got, want)
		}
	}
}

func TestAnalyzeWithSignedAgreementFindsTheSameTwoBlocs(t *testing.T) {
	ix := align.NewIndex(synthetic())
	r, err := Analyze(ix, Options{From: 2001, To: 2002, Metric: Agree, Graph: GraphOptions{Signed: true}, Bootstrap: 5})
	if err != nil {
		t.Fatal(err)
	}
	w := r.Windows[0]
	if len(w.Blocs) != 2 || blocOf(w, "A1") == blocOf(w, "B1") || blocOf(w, "A6") != blocOf(w, "A1") {
		t.Errorf("signed blocs: %+v", w.Blocs)
	}
	if !r.Signed || r.Metric != align.Agree {
		t.Errorf("result says signed=%v metric=%v", r.Signed, r.Metric)
	}
}

// TestResultJSONRoundTrip checks that a Result kept as JSON (as in the
// store's result cache) reads back equal, NaN firmness and stability included.
func TestResultJSONRoundTrip(t *testing.T) {
	for _, boot := range []int{-1, 3} {
		r, err := Analyze(align.NewIndex(synthetic()), Options{Window: 1, Bootstrap: boot})
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Result
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		js2, _ := json.Marshal(&back)
		if string(js) != string(js2) || len(back.Windows) != len(r.Windows) || !math.IsNaN(back.Windows[0].Stability) {
			t.Fatalf("bootstrap %d: round trip\n%s\n%s", boot, js, js2)
		}
		if f := back.Windows[0].Blocs[0].Members[0].Firmness; math.IsNaN(f) != (boot < 0) {
			t.Errorf("bootstrap %d: firmness read back as %v", boot, f)
		}
	}
}

// withYesVoter returns m with one more state, Y, that votes yes on every roll call.
func withYesVoter(m *concord.Matrix) *concord.Matrix {
	var votes []concord.VoteRecord
	for s, code := range m.States {
		for r, rc := range m.RollCalls {
			if v := m.Vote(s, r); v != concord.Absent {
				votes = append(votes, concord.VoteRecord{RCID: rc.RCID, State: code, Vote: v})
			}
		}
	}
	for _, rc := range m.RollCalls {
		votes = append(votes, concord.VoteRecord{RCID: rc.RCID, State: "Y", Vote: concord.Yes})
	}
	return concord.NewMatrix(m.RollCalls, votes)
}

func TestAnalyzeListsAStateThatVotesYesOnEverythingAsUnalignedNotAsABloc(t *testing.T) {
	for _, signed := range []bool{false, true} {
		r, err := Analyze(align.NewIndex(withYesVoter(synthetic())), Options{Window: 1, Graph: GraphOptions{Signed: signed}})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := Analyze(align.NewIndex(synthetic()), Options{Window: 1, Graph: GraphOptions{Signed: signed}})
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range r.Windows {
			if len(w.Unaligned) != 1 || w.Unaligned[0] != "Y" {
				t.Errorf("signed=%v %d: unaligned %v, want [Y] (kappa 0 with everyone)", signed, w.From, w.Unaligned)
			}
			if b := blocOf(w, "Y"); b != nil {
				t.Errorf("signed=%v %d: Y in bloc %s %v, want in none", signed, w.From, b.ID, memberCodes(b))
			}
			if w.States != 13 {
				t.Errorf("signed=%v %d: %d states in the graph, want 13 (Y counted there)", signed, w.From, w.States)
			}
			// The blocs, their letters, firmness and stability are those of the
			// record without Y.
			p := plain.Windows[i]
			if len(w.Blocs) != len(p.Blocs) || len(w.Blocs) != 2 {
				t.Fatalf("signed=%v %d: %d blocs, want %d as without Y", signed, w.From, len(w.Blocs), len(p.Blocs))
			}
			for j, b := range w.Blocs {
				pb := p.Blocs[j]
				if b.ID != pb.ID || b.Name != pb.Name || strings.Join(memberCodes(&b), " ") != strings.Join(memberCodes(&pb), " ") {
					t.Errorf("signed=%v %d: bloc %s %s %v, want %s %s %v as without Y", signed, w.From, b.ID, b.Name, memberCodes(&b), pb.ID, pb.Name, memberCodes(&pb))
				}
				for _, m := range b.Members {
					if !m.Core {
						t.Errorf("signed=%v %d: %s swing (firmness %.2f) once Y is there", signed, w.From, m.State, m.Firmness)
					}
				}
			}
			if !(math.IsNaN(w.Stability) && math.IsNaN(p.Stability)) && w.Stability != p.Stability {
				t.Errorf("signed=%v %d: stability %v, want %v as without Y", signed, w.From, w.Stability, p.Stability)
			}
			if !signed && w.Modularity != p.Modularity {
				t.Errorf("%d: modularity %v, want %v as without Y (an isolated node adds nothing)", w.From, w.Modularity, p.Modularity)
			}
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(js), `"unaligned":["Y"]`) {
			t.Errorf("signed=%v: JSON lacks \"unaligned\":[\"Y\"]: %.300s", signed, js)
		}
		var back Result
		if err := json.Unmarshal(js, &back); err != nil || len(back.Windows) != 3 || len(back.Windows[0].Unaligned) != 1 {
			t.Errorf("signed=%v: JSON does not read back with its unaligned states: %v", signed, err)
		}
		tab := r.Table()
		last := len(tab.Columns) - 1
		if tab.Columns[last] != "unaligned" || len(tab.Rows) != 6 {
			t.Fatalf("signed=%v: table columns %v, %d rows; want unaligned last and 2 rows a window", signed, tab.Columns, len(tab.Rows))
		}
		for _, row := range tab.Rows {
			if row[last] != "Y" || row[2] == "" {
				t.Errorf("signed=%v: table row %v, want a bloc and unaligned Y", signed, row)
			}
		}
	}
}

func TestUnalignedIsANodeWithoutAPositiveEdge(t *testing.T) {
	g, err := NewGraph(4, []string{"a", "b", "c", "d"}, []Edge{{0, 1, 0.5}, {1, 2, -0.3}, {2, 3, -0.2}})
	if err != nil {
		t.Fatal(err)
	}
	got := Unaligned(g)
	want := []bool{false, false, true, true} // c and d have only negative edges
	for v := range want {
		if got[v] != want[v] {
			t.Errorf("%s: unaligned %v, want %v", g.Labels[v], got[v], want[v])
		}
	}
}
