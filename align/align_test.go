package align_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
)

// The fixture: ten roll calls, four states.
//
//	rc  date        session issues  important short
//	 1  1990-10-01  45      me      no
//	 2  1990-11-01  45      hr      yes
//	 3  1990-12-01  45      me hr   no
//	 4  1991-03-01  45      -       yes
//	 5  1991-10-01  46      me      no
//	 6  1991-11-01  46      -       no
//	 7  1992-10-01  47      me      yes
//	 8  1992-11-01  47      co      no        "Decolonization"
//	 9  1992-12-01  47      me      yes
//	10  1993-10-01  48      -       no
//
// Votes (Y yes, A abstain, N no, 8 absent, 9 non-member, - no record):
//
//	rc  1 2 3 4 5 6 7 8 9 10
//	A   Y Y N A Y N Y Y A Y
//	B   Y N N Y A - N Y A 8
//	C   9 9 9 9 Y Y Y Y Y 8
//	D   Y N A 9 9 9 9 9 9 9
//
// The rows are given in an order other than the dates' to exercise sorting.
func fixture() *concord.Matrix {
	type rc struct {
		id      int
		date    string
		session int
		issues  []concord.Issue
		imp     bool
		short   string
	}
	rcs := []rc{
		{10, "1993-10-01", 48, nil, false, ""},
		{1, "1990-10-01", 45, []concord.Issue{"me"}, false, ""},
		{2, "1990-11-01", 45, []concord.Issue{"hr"}, true, ""},
		{3, "1990-12-01", 45, []concord.Issue{"me", "hr"}, false, ""},
		{4, "1991-03-01", 45, nil, true, ""},
		{5, "1991-10-01", 46, []concord.Issue{"me"}, false, ""},
		{6, "1991-11-01", 46, nil, false, ""},
		{7, "1992-10-01", 47, []concord.Issue{"me"}, true, ""},
		{8, "1992-11-01", 47, []concord.Issue{"co"}, false, "Decolonization"},
		{9, "1992-12-01", 47, []concord.Issue{"me"}, true, ""},
	}
	var rolls []concord.RollCall
	for _, r := range rcs {
		d, err := time.Parse(time.DateOnly, r.date)
		if err != nil {
			panic(err)
		}
		rolls = append(rolls, concord.RollCall{RCID: r.id, Date: d, Session: r.session, Issues: r.issues,
			Important: concord.FlagOf(r.imp), Short: r.short})
	}
	rows := map[string]string{
		"D": "YNA9999999",
		"B": "YNNYA-NYA8",
		"A": "YYNAYNYYAY",
		"C": "9999YYYYY8",
	}
	code := map[byte]concord.Vote{'Y': concord.Yes, 'A': concord.Abstain, 'N': concord.No, '8': concord.Absent, '9': concord.NonMember}
	var votes []concord.VoteRecord
	for s, row := range rows {
		for i := range len(row) {
			if row[i] == '-' {
				continue
			}
			votes = append(votes, concord.VoteRecord{RCID: i + 1, State: s, Vote: code[row[i]]})
		}
	}
	return concord.NewMatrix(rolls, votes)
}

var nan = math.NaN()

// same reports whether x and y are equal within 1e-12, NaN equal to NaN.
func same(x, y float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.IsNaN(x) && math.IsNaN(y)
	}
	return math.Abs(x-y) <= 1e-12
}

func sameRow(x, y align.Row) bool {
	return x.Period == y.Period && x.Votes == y.Votes && same(x.Agree, y.Agree) && same(x.SScore, y.SScore) &&
		same(x.Kappa, y.Kappa) && same(x.Coincidence, y.Coincidence)
}

func checkRows(t *testing.T, what string, got, want []align.Row) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows %+v, want %d rows %+v", what, len(got), got, len(want), want)
		return
	}
	for i := range got {
		if !sameRow(got[i], want[i]) {
			t.Errorf("%s: row %d = %+v, want %+v", what, i, got[i], want[i])
		}
	}
}

// TestPairHandComputed checks every metric against numbers worked out by hand.
//
// Notation: over the common votes, identical (I), exactly one abstained (H),
// opposite yes/no (O); agree = (I + H/2)/n; S = 1 − (H + 2·O)/n; marginals
// pA, pB as (yes, abstain, no) shares; D_obs = (H/2 + O)/n;
// D_exp = ½(pAy·pBa + pAa·pBy + pAa·pBn + pAn·pBa) + (pAy·pBn + pAn·pBy).
func TestPairHandComputed(t *testing.T) {
	ix := align.NewIndex(fixture())
	cases := []struct {
		a, b string
		w    align.Window
		want align.Row
	}{
		// A–B, all: rc 1 YY, 2 YN, 3 NN, 4 AY, 5 YA, 7 YN, 8 YY, 9 AA (6: B no record, 10: B absent).
		// n=8, I=4, H=2, O=2: agree = 5/8 = .625, S = 1 − 6/8 = .25.
		// pA = (5,2,1)/8, pB = (3,2,3)/8: D_exp = (½(10+6+6+2) + 15+3)/64 = 30/64, D_obs = 3/8 = 24/64,
		// kappa = 1 − 24/30 = .2. Coincidence: identical yes/no 3 (YY, YY, NN), opposite 2: 3/5.
		{"A", "B", align.Window{}, align.Row{"all", 8, .625, .25, .2, .6}},
		// A–C, all: rc 5 YY, 6 NY, 7 YY, 8 YY, 9 AY. n=5, I=3, H=1, O=1: agree 3.5/5 = .7, S = .4.
		// pA = (3,1,1)/5, pC = (1,0,0): D_exp = ½·1/5 + 1/5 = 3/10 = D_obs, kappa 0 (C never varies).
		// Coincidence 3/4.
		{"A", "C", align.Window{}, align.Row{"all", 5, .7, .4, 0, .75}},
		// Symmetry: the same with the states swapped.
		{"C", "A", align.Window{}, align.Row{"all", 5, .7, .4, 0, .75}},
		// A–D: rc 1 YY, 2 YN, 3 NA. n=3, I=1, H=1, O=1: agree .5, S 0.
		// pA = (2,0,1)/3, pD = (1,1,1)/3: D_exp = (½(2·1 + 1·1) + 2·1 + 1·1)/9 = 4.5/9 = .5, D_obs = 1.5/3 = .5: kappa 0.
		// Coincidence 1/2.
		{"A", "D", align.Window{}, align.Row{"all", 3, .5, 0, 0, .5}},
		// B–C: rc 5 AY, 7 NY, 8 YY, 9 AY (6: B no record; 10: both absent). n=4, I=1, H=2, O=1: agree .5, S 0;
		// pB = (1,2,1)/4, pC = (1,0,0): D_exp = ½·2/4 + 1/4 = .5 = D_obs: kappa 0. Coincidence 1/2.
		{"B", "C", align.Window{}, align.Row{"all", 4, .5, 0, 0, .5}},
		// C and D were never members at the same time: everything undefined.
		{"C", "D", align.Window{}, align.Row{"all", 0, nan, nan, nan, nan}},
		// A with itself: all identical, marginals (6,2,2)/10 so D_exp > 0 and kappa is 1.
		{"A", "A", align.Window{}, align.Row{"all", 10, 1, 1, 1, 1}},
		// C with itself: always yes, D_exp = 0: kappa undefined although agreement is perfect.
		{"C", "C", align.Window{}, align.Row{"all", 5, 1, 1, nan, 1}},

		// Window 1991: rc 4 AY, 5 YA (6: B no record). n=2, H=2: agree .5, S 0.
		// pA = pB = (1,1,0)/2: D_exp = ½(¼ + ¼) = ¼, D_obs = ½: kappa = 1 − 2 = −1. No yes/no pair: coincidence NaN.
		{"A", "B", align.Window{From: 1991, To: 1991}, align.Row{"all", 2, .5, 0, -1, nan}},
		// Issue me: rc 1 YY, 3 NN, 5 YA, 7 YN, 9 AA. n=5, I=3, H=1, O=1: agree .7, S .4.
		// pA = (3,1,1)/5, pB = (1,2,2)/5: D_exp = (½(6+1+2+2) + 6+1)/25 = 12.5/25 = .5, D_obs = 1.5/5 = .3:
		// kappa = 1 − .6 = .4. Coincidence 2/3.
		{"A", "B", align.Window{Issue: "me"}, align.Row{"all", 5, .7, .4, .4, 2. / 3}},
		// Important: rc 2 YN, 4 AY, 7 YN, 9 AA. n=4, I=1, H=1, O=2: agree 1.5/4 = .375, S = 1 − 5/4 = −.25.
		// pA = (2,2,0)/4, pB = (1,1,2)/4: D_exp = ½(2+2+4+0)/16 + (4+0)/16 = .5, D_obs = 2.5/4 = .625:
		// kappa = 1 − 1.25 = −.25. Coincidence: 0 identical, 2 opposite: 0.
		{"A", "B", align.Window{Important: true}, align.Row{"all", 4, .375, -.25, -.25, 0}},
		// Open upper bound from 1993: only rc 10, where B was absent.
		{"A", "B", align.Window{From: 1993}, align.Row{"all", 0, nan, nan, nan, nan}},
		// Open lower bound to 1990: rc 1 YY, 2 YN, 3 NN (as the 1990 row of the by-year test).
		{"A", "B", align.Window{To: 1990}, align.Row{"all", 3, 2. / 3, 1. / 3, .4, 2. / 3}},
		// 1991 and issue me: rc 5 only, B abstains, C yes. agree .5, S 0, kappa 0 (as above), coincidence NaN.
		{"B", "C", align.Window{From: 1991, To: 1991, Issue: "me"}, align.Row{"all", 1, .5, 0, 0, nan}},
		// Search is honoured: rc 8 only, both yes: perfect agreement, kappa undefined.
		{"A", "B", align.Window{Search: "decolon"}, align.Row{"all", 1, 1, 1, nan, 1}},
	}
	for _, c := range cases {
		got, err := ix.Pair(c.a, c.b, c.w, align.All)
		if err != nil {
			t.Fatalf("Pair(%s, %s, %+v): %v", c.a, c.b, c.w, err)
		}
		checkRows(t, c.a+"–"+c.b+" "+windowString(c.w), got, []align.Row{c.want})
	}
}

func windowString(w align.Window) string {
	b, _ := json.Marshal(w)
	return string(b)
}

// TestPairByPeriod checks the grouping by calendar year and by session, and
// that periods without a common vote are left out.
func TestPairByPeriod(t *testing.T) {
	ix := align.NewIndex(fixture())
	// 1990: rc 1 YY, 2 YN, 3 NN: n=3, I=2, O=1: agree 2/3, S 1/3; pA = (2,0,1)/3, pB = (1,0,2)/3:
	//       D_exp = 2/3·2/3 + 1/3·1/3 = 5/9, D_obs = 1/3: kappa = 1 − 3/5 = .4; coincidence 2/3.
	// 1991: as the 1991 window of TestPairHandComputed.
	// 1992: rc 7 YN, 8 YY, 9 AA: n=3, I=2, O=1: agree 2/3, S 1/3; pA = (2,1,0)/3, pB = (1,1,1)/3:
	//       D_exp = ½(2+1+1+0)/9 + (2+0)/9 = 4/9, D_obs = 3/9: kappa .25; coincidence 1/2.
	// 1993: B absent: left out.
	got, err := ix.Pair("A", "B", align.Window{}, align.Year)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "A–B by year", got, []align.Row{
		{"1990", 3, 2. / 3, 1. / 3, .4, 2. / 3},
		{"1991", 2, .5, 0, -1, nan},
		{"1992", 3, 2. / 3, 1. / 3, .25, .5},
	})

	// Session 45 runs into 1991: rc 1 YY, 2 YN, 3 NN, 4 AY: n=4, I=2, H=1, O=1: agree 2.5/4, S .25;
	//   pA = (2,1,1)/4, pB = (2,0,2)/4: D_exp = ½(0+2+2+0)/16 + (4+2)/16 = .5, D_obs = 1.5/4: kappa .25;
	//   coincidence 2/3.
	// Session 46: rc 5 YA only (6: B no record): agree .5, S 0, D_exp = ½ = D_obs: kappa 0; coincidence NaN.
	// Session 47: rc 7–9, as 1992. Session 48: left out.
	got, err = ix.Pair("A", "B", align.Window{}, align.Session)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "A–B by session", got, []align.Row{
		{"45", 4, .625, .25, .25, 2. / 3},
		{"46", 1, .5, 0, 0, nan},
		{"47", 3, 2. / 3, 1. / 3, .25, .5},
	})

	// Grouping within a window, issue me: 1990 rc 1 YY, 3 NN: all identical, pA = pB = (1,0,1)/2,
	// D_exp = ½: kappa 1. 1991 rc 5 YA: as session 46. 1992 rc 7 YN, 9 AA: I=1, O=1: agree .5, S 0;
	// pA = (1,1,0)/2, pB = (0,1,1)/2: D_exp = ½(1+0+1+0)/4 + 1/4 = .5 = D_obs: kappa 0; coincidence 0.
	got, err = ix.Pair("A", "B", align.Window{Issue: "me"}, align.Year)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "A–B issue me by year", got, []align.Row{
		{"1990", 2, 1, 1, 1, 1},
		{"1991", 1, .5, 0, 0, nan},
		{"1992", 2, .5, 0, 0, 0},
	})

	// Never together: by year there is no period at all, by All one row of NaN.
	got, err = ix.Pair("C", "D", align.Window{}, align.Year)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("C–D by year = %+v, want no rows", got)
	}
}

// TestPairUndated checks that undated roll calls count in open windows and form the period "unknown".
func TestPairUndated(t *testing.T) {
	d := time.Date(1990, 10, 1, 0, 0, 0, 0, time.UTC)
	m := concord.NewMatrix(
		[]concord.RollCall{{RCID: 1, Session: 45, Date: d}, {RCID: 2}},
		[]concord.VoteRecord{{RCID: 1, State: "X", Vote: concord.Yes}, {RCID: 1, State: "Z", Vote: concord.Yes},
			{RCID: 2, State: "X", Vote: concord.Yes}, {RCID: 2, State: "Z", Vote: concord.No}})
	ix := align.NewIndex(m)
	// Undated: X yes, Z no: agree 0, S −1; pX = (1,0,0), pZ = (0,0,1): D_exp = 1 = D_obs, kappa 0.
	// 1990: both yes: agree 1, kappa undefined.
	got, err := ix.Pair("X", "Z", align.Window{}, align.Year)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "by year", got, []align.Row{{"unknown", 1, 0, -1, 0, 0}, {"1990", 1, 1, 1, nan, 1}})
	got, err = ix.Pair("X", "Z", align.Window{}, align.Session)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "by session", got, []align.Row{{"unknown", 1, 0, -1, 0, 0}, {"45", 1, 1, 1, nan, 1}})
	// A bounded window leaves the undated roll call out.
	got, err = ix.Pair("X", "Z", align.Window{To: 2000}, align.All)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "to 2000", got, []align.Row{{"all", 1, 1, 1, nan, 1}})
}

func TestPartners(t *testing.T) {
	ix := align.NewIndex(fixture())
	type pv struct {
		state string
		v     float64
	}
	check := func(a string, m align.Metric, minVotes int, want []pv) {
		t.Helper()
		ps, err := ix.Partners(a, align.Window{}, m, minVotes)
		if err != nil {
			t.Fatal(err)
		}
		var got []pv
		for _, p := range ps {
			got = append(got, pv{p.State, p.Value(m)})
			if p.Period != "all" {
				t.Errorf("partner %s period %q, want all", p.State, p.Period)
			}
			if p.Votes < minVotes {
				t.Errorf("partner %s has %d votes < minVotes %d", p.State, p.Votes, minVotes)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("Partners(%s, %v, %d) = %v, want %v", a, m, minVotes, got, want)
		}
		for i := range got {
			if got[i].state != want[i].state || !same(got[i].v, want[i].v) {
				t.Fatalf("Partners(%s, %v, %d) = %v, want %v", a, m, minVotes, got, want)
			}
		}
	}
	// Values from TestPairHandComputed.
	check("A", align.Agree, 0, []pv{{"C", .7}, {"B", .625}, {"D", .5}})
	check("A", align.Agree, 4, []pv{{"C", .7}, {"B", .625}}) // D has 3 votes with A
	check("A", align.Coincidence, 1, []pv{{"C", .75}, {"B", .6}, {"D", .5}})
	check("A", align.SScore, 1, []pv{{"C", .4}, {"B", .25}, {"D", 0}})
	check("A", align.Kappa, 1, []pv{{"B", .2}, {"C", 0}, {"D", 0}}) // tie at 0: by code
	// D never voted with C: NaN sorts last; with minVotes 1 it is left out.
	check("C", align.Agree, 0, []pv{{"A", .7}, {"B", .5}, {"D", nan}})
	check("C", align.Agree, 1, []pv{{"A", .7}, {"B", .5}})
}

// TestAllPairsMatchesPair checks that every cell of AllPairs is the Pair value, both ways round.
func TestAllPairsMatchesPair(t *testing.T) {
	ix := align.NewIndex(fixture())
	for _, w := range []align.Window{{}, {Issue: "me"}, {From: 1991, To: 1992}, {Important: true}, {From: 1993}} {
		for _, m := range align.Metrics {
			p, err := ix.AllPairs(w, m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(p.States, ",") != "A,B,C,D" || p.Metric != m {
				t.Fatalf("AllPairs states %v metric %v", p.States, p.Metric)
			}
			for i, a := range p.States {
				for j, b := range p.States {
					rows, err := ix.Pair(a, b, w, align.All)
					if err != nil {
						t.Fatal(err)
					}
					if !same(p.Values[i][j], rows[0].Value(m)) || p.Votes[i][j] != rows[0].Votes {
						t.Errorf("%s AllPairs[%s][%s] = %v (%d votes), Pair gives %v (%d votes)",
							windowString(w), a, b, p.Values[i][j], p.Votes[i][j], rows[0].Value(m), rows[0].Votes)
					}
				}
			}
		}
	}
}

func TestErrors(t *testing.T) {
	ix := align.NewIndex(fixture())
	bad := []struct {
		name string
		err  error
		want string
	}{
		{"unknown state a", second(ix.Pair("XYZ", "A", align.Window{}, align.All)), `"XYZ"`},
		{"unknown state b", second(ix.Pair("A", "QQQ", align.Window{}, align.All)), `"QQQ"`},
		{"partners unknown state", second(ix.Partners("XYZ", align.Window{}, align.Agree, 0)), `"XYZ"`},
		{"from after to", second(ix.Pair("A", "B", align.Window{From: 2000, To: 1990}, align.All)), "from year 2000 is after to year 1990"},
		{"negative year", second(ix.AllPairs(align.Window{From: -5}, align.Agree)), "from year -5"},
		{"unknown issue", second(ix.Partners("A", align.Window{Issue: "xx"}, align.Agree, 0)), `unknown issue "xx"`},
		{"unknown grouping", second(ix.Pair("A", "B", align.Window{}, align.By(7))), "grouping"},
		{"unknown metric", second(ix.AllPairs(align.Window{}, align.Metric(9))), "metric"},
	}
	for _, b := range bad {
		if b.err == nil || !strings.Contains(b.err.Error(), b.want) {
			t.Errorf("%s: error %v, want one containing %s", b.name, b.err, b.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestParse(t *testing.T) {
	for _, m := range align.Metrics {
		got, err := align.ParseMetric(strings.ToUpper(m.String()))
		if err != nil || got != m {
			t.Errorf("ParseMetric(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := align.ParseMetric("tau"); err == nil || !strings.Contains(err.Error(), `"tau"`) {
		t.Errorf("ParseMetric(tau) error %v, want one naming it", err)
	}
	for _, b := range []align.By{align.All, align.Year, align.Session} {
		got, err := align.ParseBy(b.String())
		if err != nil || got != b {
			t.Errorf("ParseBy(%q) = %v, %v", b.String(), got, err)
		}
	}
	if _, err := align.ParseBy("decade"); err == nil || !strings.Contains(err.Error(), `"decade"`) {
		t.Errorf("ParseBy(decade) error %v, want one naming it", err)
	}
}

// TestJSON checks the JSON keys and that undefined metrics are null, both ways.
func TestJSON(t *testing.T) {
	r := align.Row{Period: "1991", Votes: 2, Agree: .5, SScore: 0, Kappa: -1, Coincidence: nan}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"period":"1991","votes":2,"agree":0.5,"s_score":0,"kappa":-1,"coincidence":null}`
	if string(b) != want {
		t.Errorf("Row JSON = %s, want %s", b, want)
	}
	var back align.Row
	if err := json.Unmarshal(b, &back); err != nil || !sameRow(back, r) {
		t.Errorf("round trip = %+v, %v; want %+v", back, err, r)
	}
	b, err = json.Marshal([]align.Partner{{State: "CUB", Row: r}})
	if err != nil {
		t.Fatal(err)
	}
	want = `[{"state":"CUB","period":"1991","votes":2,"agree":0.5,"s_score":0,"kappa":-1,"coincidence":null}]`
	if string(b) != want {
		t.Errorf("Partner JSON = %s, want %s", b, want)
	}
	var ps []align.Partner
	if err := json.Unmarshal(b, &ps); err != nil || len(ps) != 1 || ps[0].State != "CUB" || !sameRow(ps[0].Row, r) {
		t.Errorf("Partner round trip = %+v, %v", ps, err)
	}

	// The matrix of AllPairs: C and D never voted together (null); A with A has 10 votes.
	ix := align.NewIndex(fixture())
	p, err := ix.AllPairs(align.Window{}, align.Coincidence)
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want = `{"states":["A","B","C","D"],"metric":"coincidence",` +
		`"values":[[1,0.6,0.75,0.5],[0.6,1,0.5,1],[0.75,0.5,1,null],[0.5,1,null,1]],` +
		`"votes":[[10,8,5,3],[8,8,4,3],[5,4,5,0],[3,3,0,3]]}`
	if string(b) != want {
		t.Errorf("Pairs JSON = %s\nwant %s", b, want)
	}
	var m align.Metric
	if err := json.Unmarshal([]byte(`"s_score"`), &m); err != nil || m != align.SScore {
		t.Errorf("Metric from JSON = %v, %v", m, err)
	}
}

// TestConcurrentUse runs queries on one Index from several goroutines (run
// with -race) and checks they give what the same queries give one at a time.
func TestConcurrentUse(t *testing.T) {
	ix := align.NewIndex(fixture())
	w := align.Window{Issue: "me"}
	want, _ := ix.Pair("A", "B", w, align.Year)
	wantAll, _ := ix.AllPairs(w, align.Kappa)
	errs := make(chan string, 64)
	done := make(chan bool)
	for range 8 {
		go func() {
			defer func() { done <- true }()
			for range 50 {
				got, err := ix.Pair("A", "B", w, align.Year)
				if err != nil || len(got) != len(want) || !sameRow(got[0], want[0]) {
					errs <- "Pair differs"
					return
				}
				p, err := ix.AllPairs(w, align.Kappa)
				if err != nil || !same(p.Values[0][1], wantAll.Values[0][1]) {
					errs <- "AllPairs differs"
					return
				}
				if _, err := ix.Partners("C", w, align.Agree, 0); err != nil {
					errs <- err.Error()
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestEmptyMatrix checks that an empty store gives empty results, not a panic.
func TestEmptyMatrix(t *testing.T) {
	ix := align.NewIndex(concord.NewMatrix(nil, nil))
	p, err := ix.AllPairs(align.Window{From: 2000}, align.Agree)
	if err != nil || len(p.States) != 0 || len(p.Values) != 0 {
		t.Errorf("AllPairs on empty matrix = %+v, %v", p, err)
	}
	if _, err := ix.Pair("USA", "CUB", align.Window{}, align.All); err == nil || !strings.Contains(err.Error(), `"USA"`) {
		t.Errorf("Pair on empty matrix: error %v, want unknown state USA", err)
	}
}
