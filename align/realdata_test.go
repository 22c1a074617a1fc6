package align_test

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/internal/testdata"
)

// The real UNGA data (Voeten, 2021 release), read here with encoding/csv so
// that these tests depend on no other package of concord. States are keyed by
// the country column (a name, unique per state in this file).
var real struct {
	once sync.Once
	m    *concord.Matrix
	err  error
}

func realMatrix(tb testing.TB) *concord.Matrix {
	tb.Helper()
	dir := filepath.Join(testdata.Dir(tb), "unga")
	real.once.Do(func() { real.m, real.err = readUNGA(dir) })
	if real.err != nil {
		tb.Fatal(real.err)
	}
	return real.m
}

// readCSV calls row for every record after the header of a gzipped CSV file, with its columns by name.
func readCSV(path string, row func(line int, get func(col string) string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r := csv.NewReader(gz)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	cols := map[string]int{}
	for i, h := range head {
		cols[h] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		get := func(c string) string {
			i, ok := cols[c]
			if !ok {
				panic(fmt.Sprintf("%s: no column %q", path, c))
			}
			return rec[i]
		}
		if err := row(line, get); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

func readUNGA(dir string) (*concord.Matrix, error) {
	issues := map[int][]concord.Issue{}
	err := readCSV(filepath.Join(dir, "issues.csv.gz"), func(_ int, get func(string) string) error {
		id, err := strconv.Atoi(get("rcid"))
		if err != nil {
			return err
		}
		i, err := concord.ParseIssue(get("short_name"))
		if err != nil {
			return err
		}
		issues[id] = append(issues[id], i)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var rcs []concord.RollCall
	err = readCSV(filepath.Join(dir, "roll_calls.csv.gz"), func(_ int, get func(string) string) error {
		id, err := strconv.Atoi(get("rcid"))
		if err != nil {
			return err
		}
		session, err := strconv.Atoi(get("session"))
		if err != nil {
			return err
		}
		rc := concord.RollCall{RCID: id, Session: session, Resolution: get("unres"), Short: get("short"), Descr: get("descr")}
		if d := get("date"); d != "" {
			if rc.Date, err = time.Parse(time.DateOnly, d); err != nil {
				return err
			}
		}
		switch get("importantvote") {
		case "1":
			rc.Important = concord.FlagTrue
		case "0":
			rc.Important = concord.FlagFalse
		}
		rc.Issues = issues[id]
		slices.SortFunc(rc.Issues, func(a, b concord.Issue) int {
			return slices.Index(concord.Issues, a) - slices.Index(concord.Issues, b)
		})
		rcs = append(rcs, rc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var votes []concord.VoteRecord
	err = readCSV(filepath.Join(dir, "votes.csv.gz"), func(_ int, get func(string) string) error {
		id, err := strconv.Atoi(get("rcid"))
		if err != nil {
			return err
		}
		v, err := concord.ParseVote(get("vote"))
		if err != nil {
			return err
		}
		votes = append(votes, concord.VoteRecord{RCID: id, State: get("country"), Vote: v})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return concord.NewMatrix(rcs, votes), nil
}

// naiveColumns caches, per matrix and window, the columns RollCallFilter.Match accepts.
var naiveColumns sync.Map

// naive computes the rows of a and b the slow, obvious way: for each roll call
// passing the filter, it fills a 3×3 contingency table of floats per period,
// then applies the definitions to the table.
func naive(m *concord.Matrix, a, b string, w align.Window, by align.By) []align.Row {
	ia, _ := m.StateIndex(a)
	ib, _ := m.StateIndex(b)
	key := struct {
		m *concord.Matrix
		w align.Window
	}{m, w}
	cols, ok := naiveColumns.Load(key)
	if !ok {
		var cs []int
		for r, rc := range m.RollCalls {
			if concord.RollCallFilter(w).Match(rc) {
				cs = append(cs, r)
			}
		}
		cols, _ = naiveColumns.LoadOrStore(key, cs)
	}
	tables := map[string]*[3][3]float64{}
	var order []string
	cat := func(v concord.Vote) int {
		switch v {
		case concord.Yes:
			return 0
		case concord.Abstain:
			return 1
		case concord.No:
			return 2
		}
		return -1
	}
	for _, r := range cols.([]int) {
		rc := m.RollCalls[r]
		ca, cb := cat(m.Vote(ia, r)), cat(m.Vote(ib, r))
		if ca < 0 || cb < 0 {
			continue
		}
		key := "all"
		switch by {
		case align.Year:
			key = strconv.Itoa(rc.Date.Year())
		case align.Session:
			key = strconv.Itoa(rc.Session)
		}
		t := tables[key]
		if t == nil {
			t = new([3][3]float64)
			tables[key] = t
			order = append(order, key)
		}
		t[ca][cb]++
	}
	if by == align.All && len(order) == 0 {
		tables["all"] = new([3][3]float64)
		order = []string{"all"}
	}
	slices.SortFunc(order, func(x, y string) int {
		i, _ := strconv.Atoi(x)
		j, _ := strconv.Atoi(y)
		return i - j
	})
	var rows []align.Row
	for _, key := range order {
		t := tables[key]
		var n, identical, halves, dist float64
		var pA, pB [3]float64
		for i := range 3 {
			for j := range 3 {
				n += t[i][j]
				dist += t[i][j] * math.Abs(float64(i-j)) // yes=1, abstain=2, no=3 shifted by one
				if i == j {
					identical += t[i][j]
				} else if i == 1 || j == 1 {
					halves += t[i][j] // exactly one abstained
				}
			}
		}
		row := align.Row{Period: key, Votes: int(n)}
		row.Agree = (identical + halves/2) / n
		row.SScore = 1 - dist/n
		var dObs, dExp float64
		for i := range 3 {
			for j := range 3 {
				pA[i] += t[i][j] / n
				pB[j] += t[i][j] / n
			}
		}
		for i := range 3 {
			for j := range 3 {
				wt := math.Abs(float64(i-j)) / 2
				dObs += wt * t[i][j] / n
				dExp += wt * pA[i] * pB[j]
			}
		}
		row.Kappa = 1 - dObs/dExp
		if dExp == 0 {
			row.Kappa = math.NaN()
		}
		row.Coincidence = (t[0][0] + t[2][2]) / (t[0][0] + t[2][2] + t[0][2] + t[2][0])
		rows = append(rows, row)
	}
	return rows
}

// realStates is a spread of states: permanent members, blocs, small states,
// historical states and late members.
var realStates = []string{
	"United States", "Russia", "China", "United Kingdom", "France", "Cuba", "Iran", "Israel",
	"India", "Brazil", "South Africa", "Nigeria", "Egypt", "Saudi Arabia", "Germany",
	"Federal Republic of Germany", "German Democratic Republic", "Czechoslovakia", "Yugoslavia",
	"Yemen Arab Republic", "Zanzibar", "Namibia", "Palau", "South Sudan", "Japan", "Canada",
	"Micronesia (Federated States of)", "Tuvalu", "Switzerland", "Taiwan",
}

var realWindows = []align.Window{
	{},
	{From: 2000, To: 2019, Issue: concord.IssueMiddleEast},
	{Important: true},
	{From: 1960, To: 1975},
	{To: 1950, Issue: concord.IssueColonialism},
	{From: 1991, Issue: concord.IssueHumanRights, Important: true},
	{Issue: concord.IssueNuclear, Search: "test"},
}

// TestRealPairMatchesNaive compares every metric of Pair, by all, year and
// session, with the naive computation for all pairs of realStates over
// several windows (tolerance 1e-12).
func TestRealPairMatchesNaive(t *testing.T) {
	m := realMatrix(t)
	ix := align.NewIndex(m)
	var states []string
	for _, s := range realStates {
		if _, ok := m.StateIndex(s); ok {
			states = append(states, s)
		} else {
			t.Logf("state %q not in the data; left out", s)
		}
	}
	if len(states) < 25 {
		t.Fatalf("only %d of the test states found in the data", len(states))
	}
	rows, undefinedKappa, undefinedCoinc := 0, 0, 0
	for _, w := range realWindows {
		for _, by := range []align.By{align.All, align.Year, align.Session} {
			for i, a := range states {
				for _, b := range states[i:] {
					got, err := ix.Pair(a, b, w, by)
					if err != nil {
						t.Fatal(err)
					}
					want := naive(m, a, b, w, by)
					checkRows(t, fmt.Sprintf("%s–%s %s by %v", a, b, windowString(w), by), got, want)
					rows += len(want)
					for _, r := range want {
						if r.Votes > 0 && math.IsNaN(r.Kappa) {
							undefinedKappa++
						}
						if r.Votes > 0 && math.IsNaN(r.Coincidence) {
							undefinedCoinc++
						}
					}
				}
			}
		}
	}
	t.Logf("%d rows compared (%d with votes but undefined kappa, %d undefined coincidence)", rows, undefinedKappa, undefinedCoinc)
	if t.Failed() {
		return
	}
	// The comparison must have covered the undefined cases too.
	if undefinedKappa == 0 || undefinedCoinc == 0 {
		t.Errorf("no row with votes and undefined kappa (%d) or coincidence (%d): the edge cases were not exercised", undefinedKappa, undefinedCoinc)
	}
}

// TestRealAllPairsMatchesNaive compares every cell of AllPairs (all ~200
// states) and every Partners list with the naive computation, for a window
// sparse in roll-call columns (one issue) and a dense one (all of 1970–1989).
func TestRealAllPairsMatchesNaive(t *testing.T) {
	m := realMatrix(t)
	ix := align.NewIndex(m)
	for _, w := range []align.Window{{From: 1980, To: 1999, Issue: concord.IssueArmsControl}, {From: 1970, To: 1989}} {
		want := make([][]align.Row, len(m.States))
		for i, a := range m.States {
			want[i] = make([]align.Row, len(m.States))
			for j, b := range m.States {
				if j < i {
					want[i][j] = want[j][i]
					continue
				}
				want[i][j] = naive(m, a, b, w, align.All)[0]
			}
		}
		for _, metric := range align.Metrics {
			p, err := ix.AllPairs(w, metric)
			if err != nil {
				t.Fatal(err)
			}
			for i := range m.States {
				for j := range m.States {
					if !same(p.Values[i][j], want[i][j].Value(metric)) || p.Votes[i][j] != want[i][j].Votes {
						t.Fatalf("%s AllPairs %v [%s][%s] = %v (%d votes), naive %v (%d votes)", windowString(w), metric,
							m.States[i], m.States[j], p.Values[i][j], p.Votes[i][j], want[i][j].Value(metric), want[i][j].Votes)
					}
				}
			}
		}
		for _, a := range []string{"Cuba", "United States", "India"} {
			i, _ := m.StateIndex(a)
			ps, err := ix.Partners(a, w, align.Kappa, 20)
			if err != nil {
				t.Fatal(err)
			}
			var exp []align.Partner
			for j, b := range m.States {
				if b != a && want[i][j].Votes >= 20 {
					exp = append(exp, align.Partner{State: b, Row: want[i][j]})
				}
			}
			if len(ps) != len(exp) {
				t.Fatalf("%s Partners(%s) has %d states, naive %d", windowString(w), a, len(ps), len(exp))
			}
			for k, p := range ps {
				if k > 0 && ps[k-1].Kappa < p.Kappa {
					t.Errorf("Partners(%s) not sorted by kappa: %s %v before %s %v", a, ps[k-1].State, ps[k-1].Kappa, p.State, p.Kappa)
				}
				j, _ := m.StateIndex(p.State)
				if !sameRow(p.Row, want[i][j]) {
					t.Errorf("%s Partners(%s) %s = %+v, naive %+v", windowString(w), a, p.State, p.Row, want[i][j])
				}
			}
		}
	}
}

func agreeOf(t *testing.T, ix *align.Index, a, b string, w align.Window) align.Row {
	t.Helper()
	rows, err := ix.Pair(a, b, w, align.All)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s–%s: %+v", a, b, rows[0])
	return rows[0]
}

func TestRealCubaAgreesMoreWithIranThanWithUSOnPalestine2000to2019(t *testing.T) {
	ix := align.NewIndex(realMatrix(t))
	w := align.Window{From: 2000, To: 2019, Issue: concord.IssueMiddleEast}
	iran, us := agreeOf(t, ix, "Cuba", "Iran", w), agreeOf(t, ix, "Cuba", "United States", w)
	if iran.Votes < 100 || us.Votes < 100 {
		t.Fatalf("too few votes: %d with Iran, %d with the US", iran.Votes, us.Votes)
	}
	for _, m := range align.Metrics {
		if !(iran.Value(m) > us.Value(m)) {
			t.Errorf("%v: Cuba–Iran %v not above Cuba–US %v", m, iran.Value(m), us.Value(m))
		}
	}
}

// On Palestine the United States votes with Israel and the three states of
// the Compact of Free Association, far ahead of any other state.
func TestRealUSTopFourPartnersOnPalestine2000to2019AreIsraelAndTheCompactStates(t *testing.T) {
	ix := align.NewIndex(realMatrix(t))
	w := align.Window{From: 2000, To: 2019, Issue: concord.IssueMiddleEast}
	want := []string{"Israel", "Marshall Islands", "Micronesia (Federated States of)", "Palau"}
	for _, m := range align.Metrics {
		ps, err := ix.Partners("United States", w, m, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) < 150 {
			t.Fatalf("%v: only %d partners with ≥100 votes", m, len(ps))
		}
		var top []string
		for _, p := range ps[:4] {
			top = append(top, p.State)
		}
		slices.Sort(top)
		if !slices.Equal(top, want) {
			t.Errorf("%v: top four %v, want %v", m, top, want)
		}
	}
}
