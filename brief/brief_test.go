package brief

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/trade"
)

// The pairs and the coalition the tests build briefs of: Iran–Cuba, China–United
// States (events and commitments in the fixture), France–Germany (many shared
// agreements), and Russia, Finland and Sweden (events among all three).
var (
	testPairs     = [][]string{{"IRN", "CUB"}, {"CHN", "USA"}, {"FRA", "DEU"}}
	testCoalition = []string{"RUS", "FIN", "SWE"}
)

// briefs builds each test brief once.
var built struct {
	mu sync.Mutex
	m  map[string]*Brief
}

func brief(t testing.TB, states ...string) *Brief {
	t.Helper()
	f := realData(t)
	built.mu.Lock()
	defer built.mu.Unlock()
	key := strings.Join(states, "-")
	if b := built.m[key]; b != nil {
		return b
	}
	b, err := Build(context.Background(), f.sources(), states, 0, 0)
	if err != nil {
		t.Fatalf("Build(%v): %v", states, err)
	}
	if built.m == nil {
		built.m = map[string]*Brief{}
	}
	built.m[key] = b
	return b
}

func allBriefs(t *testing.T) []*Brief {
	var out []*Brief
	for _, p := range testPairs {
		out = append(out, brief(t, p...))
	}
	return append(out, brief(t, testCoalition...))
}

// same compares two values as their JSON (NaN as null), naming what differs.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: %v %v", what, err1, err2)
	}
	if string(g) != string(w) {
		t.Errorf("%s differs from the function that computes it:\n got  %.400s\n want %.400s", what, g, w)
	}
}

func TestDefaultWindowIsTheLastDecadesOfTheRecord(t *testing.T) {
	b := brief(t, "IRN", "CUB")
	perYear := map[int]int{}
	for _, rc := range realData(t).ix.Matrix().RollCalls {
		perYear[rc.Year()]++
	}
	if perYear[b.To] < MinRollCalls || b.From != b.To-DefaultYears+1 {
		t.Fatalf("default window %d–%d (%d roll calls in its last year)", b.From, b.To, perYear[b.To])
	}
	for y, n := range perYear {
		if y > b.To && n >= MinRollCalls {
			t.Errorf("the window stops at %d though %d has %d roll calls", b.To, y, n)
		}
	}
}

func TestAlignmentMatchesAlign(t *testing.T) {
	f := realData(t)
	ix, m := f.ix, f.ix.Matrix()
	for _, b := range allBriefs(t) {
		al := b.Alignment
		if al.Source == "" || al.AsOf == "" || al.Missing != "" {
			t.Errorf("%v: header %+v", b.States, al.Section)
		}
		if want := len(b.States) * (len(b.States) - 1) / 2; len(al.Pairs) != want {
			t.Fatalf("%v: %d pairs, want %d", b.States, len(al.Pairs), want)
		}
		w := align.Window{From: b.From, To: b.To}
		for _, p := range al.Pairs {
			all, _ := ix.Pair(p.A, p.B, w, align.All)
			same(t, p.A+"-"+p.B+" overall", p.Overall, all[0])
			years, _ := ix.Pair(p.A, p.B, w, align.Year)
			same(t, p.A+"-"+p.B+" years", p.Years, years)
			for k, is := range concord.Issues {
				wi := w
				wi.Issue = is
				r, _ := ix.Pair(p.A, p.B, wi, align.All)
				same(t, p.A+"-"+p.B+" issue "+string(is), p.Issues[k].Row, r[0])
			}
			for _, d := range p.Decades {
				var dec int
				if _, err := jsonSscan(d.Period, &dec); err != nil {
					t.Fatalf("decade %q", d.Period)
				}
				r, _ := ix.Pair(p.A, p.B, align.Window{From: dec, To: dec + 9}, align.All)
				r[0].Period = d.Period
				same(t, p.A+"-"+p.B+" decade "+d.Period, d, r[0])
			}
			// The trend is the least-squares slope of the yearly agreement, per decade.
			var xs, ys []float64
			for _, r := range years {
				var y int
				if _, err := jsonSscan(r.Period, &y); err == nil && !math.IsNaN(r.Agree) {
					xs, ys = append(xs, float64(y)), append(ys, r.Agree)
				}
			}
			_, beta := stat.LinearRegression(xs, ys, nil, false)
			if math.Abs(float64(p.Trend)-10*beta) > 1e-9 || p.TrendText == "" {
				t.Errorf("%s-%s: trend %v (%q), regression gives %v", p.A, p.B, p.Trend, p.TrendText, 10*beta)
			}
			ia, _ := m.StateIndex(p.A)
			ib, _ := m.StateIndex(p.B)
			splits, total := report.FindSplits(m, ia, ib, w.Filter(), MaxSplits)
			same(t, p.A+"-"+p.B+" splits", p.Splits, splits)
			if p.SplitsTotal != total || len(p.Splits) == 0 || p.Splits[0].Title == "" {
				t.Errorf("%s-%s: %d splits of %d, want %d", p.A, p.B, len(p.Splits), p.SplitsTotal, total)
			}
		}
	}
}

// jsonSscan reads the leading integer of s ("1990s" → 1990).
func jsonSscan(s string, v *int) (int, error) {
	return len(s), json.Unmarshal([]byte(strings.TrimSuffix(s, "s")), v)
}

func TestPositionsMatchIdealAndBlocs(t *testing.T) {
	f := realData(t)
	ctx := context.Background()
	b0 := brief(t, "IRN", "CUB")
	w := concord.RollCallFilter{From: b0.From, To: b0.To}
	res, _, err := report.IdealPoints(ctx, f.db, f.db.Matrix, w, IdealOptions)
	if err != nil {
		t.Fatal(err)
	}
	o := BlocOptions
	o.From, o.To = b0.From, b0.To
	bl, err := blocs.Analyze(f.ix, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range allBriefs(t) {
		ps := b.Positions
		if ps.Missing != "" || len(ps.Trajectories) != len(b.States) {
			t.Fatalf("%v: %q, %d trajectories", b.States, ps.Missing, len(ps.Trajectories))
		}
		last := map[string]float64{}
		for _, tr := range ps.Trajectories {
			want := res.Trajectory(tr.State)
			if len(want) == 0 || len(tr.Points) != len(want) {
				t.Fatalf("%s: %d points, ideal gives %d", tr.State, len(tr.Points), len(want))
			}
			for k, p := range tr.Points {
				q := want[k]
				if p.Year != q.Period || p.Ideal != q.Ideal || p.Votes != q.Votes ||
					math.Abs(p.Lo-(q.Ideal-1.645*q.PostSD)) > 1e-12 || math.Abs(p.Hi-(q.Ideal+1.645*q.PostSD)) > 1e-12 || !(p.Lo < p.Ideal && p.Ideal < p.Hi) {
					t.Fatalf("%s %d: %+v, ideal gives %+v", tr.State, p.Year, p, q)
				}
				if p.Year == ps.DistanceYear {
					last[tr.State] = p.Ideal
				}
			}
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range last {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		if len(last) != len(b.States) || math.Abs(float64(ps.Distance)-(hi-lo)) > 1e-12 {
			t.Errorf("%v: distance %v in %d, want %v", b.States, ps.Distance, ps.DistanceYear, hi-lo)
		}
		// Blocs: the same answer as blocs.Analyze, year by year, and the run up to the last year.
		if len(ps.Blocs.Years) != len(bl.Windows) {
			t.Fatalf("%v: %d bloc years, blocs gives %d windows", b.States, len(ps.Blocs.Years), len(bl.Windows))
		}
		for k, win := range bl.Windows {
			of := map[string]string{}
			for _, x := range win.Blocs {
				for _, mb := range x.Members {
					of[mb.State] = x.Name
				}
			}
			want := true
			for _, s := range b.States {
				if of[s] == "" || of[s] != of[b.States[0]] {
					want = false
				}
			}
			if got := ps.Blocs.Years[k]; got.Year != win.From || got.Same != want {
				t.Errorf("%v %d: same bloc %t, blocs says %t (%v)", b.States, win.From, got.Same, want, got.Blocs)
			}
			for _, s := range b.States {
				if got := ps.Blocs.Years[k].Of(s); got != of[s] {
					t.Errorf("%v %d: %s in bloc %q, blocs says %q", b.States, win.From, s, got, of[s])
				}
				if got, want := slices.Contains(ps.Blocs.Years[k].Unaligned, s), slices.Contains(win.Unaligned, s); got != want {
					t.Errorf("%v %d: %s unaligned %t, blocs says %t", b.States, win.From, s, got, want)
				}
			}
		}
		ys := ps.Blocs.Years
		since := ys[len(ys)-1].Year
		for i := len(ys) - 1; i >= 0 && ys[i].Same == ys[len(ys)-1].Same; i-- {
			since = ys[i].Year
		}
		if ps.Blocs.Same != ys[len(ys)-1].Same || ps.Blocs.Since != since || !strings.Contains(ps.Blocs.Text, "since") {
			t.Errorf("%v: blocs %+v, want same %t since %d", b.States, ps.Blocs, ys[len(ys)-1].Same, since)
		}
	}
	if !b0.Positions.Blocs.Same {
		t.Errorf("Iran and Cuba not in one bloc in %d: %s", b0.To, b0.Positions.Blocs.Text)
	}
}

func TestAgreementsMatchTheRegistry(t *testing.T) {
	f := realData(t)
	ctx := context.Background()
	r := f.db.Registry()
	for _, b := range allBriefs(t) {
		ag := b.Agreements
		as, err := r.Agreements(ctx, concord.AgreementFilter{Parties: b.States})
		if err != nil {
			t.Fatal(err)
		}
		bil := 0
		for _, a := range as {
			if a.NParties == len(b.States) {
				bil++
			}
		}
		if ag.Total != len(as) || len(ag.Bilateral) != bil || ag.MultiTotal != len(as)-bil || len(ag.Multilateral) != min(ag.MultiTotal, MaxMultilateral) {
			t.Errorf("%v: %d agreements (%d bilateral, %d multilateral), registry has %d (%d bilateral)", b.States, ag.Total, len(ag.Bilateral), ag.MultiTotal, len(as), bil)
		}
		if len(as) > 0 && (ag.Missing != "" || ag.AsOf == "" || len(ag.ByField) == 0) {
			t.Errorf("%v: %+v", b.States, ag.Section)
		}
		fieldSum := 0
		for _, fc := range ag.ByField {
			fieldSum += fc.Bilateral + fc.Multilateral
		}
		if fieldSum < ag.Total {
			t.Errorf("%v: fields count %d agreements of %d", b.States, fieldSum, ag.Total)
		}
		cf := concord.CommitmentFilter{Parties: b.States}
		rates, _ := r.Rates(ctx, concord.RateByField, cf, today)
		if rates == nil {
			rates = []concord.Rate{}
		}
		same(t, strings.Join(b.States, "-")+" rates", ag.Rates, rates)
		cf.OverdueOn = today
		od, _ := r.Commitments(ctx, cf)
		if len(ag.Overdue) != len(od) {
			t.Errorf("%v: %d overdue, registry has %d", b.States, len(ag.Overdue), len(od))
		}
	}
	// The commitments the fixture added: one done, one in progress and past
	// due, one due later, one cancelled → rate 1/3, one overdue.
	for _, key := range []string{"IRN-CUB", "CHN-USA"} {
		b := brief(t, strings.Split(key, "-")...)
		added := f.committed[key]
		if b.Agreements.Commitments < len(added) {
			t.Fatalf("%s: %d commitments, the fixture added %d", key, b.Agreements.Commitments, len(added))
		}
		found := false
		for _, c := range b.Agreements.Overdue {
			if c.ID == added[1].ID {
				found = c.Agreement != "" && c.Due == "2024-12-31"
			}
			if c.Due >= today || !c.Open() {
				t.Errorf("%s: %+v listed as overdue on %s", key, c, today)
			}
		}
		if !found {
			t.Errorf("%s: the commitment past due is not listed overdue: %+v", key, b.Agreements.Overdue)
		}
		if b.Agreements.Commitments == len(added) && math.Abs(float64(b.Agreements.Rate)-1.0/3) > 1e-12 {
			t.Errorf("%s: rate %v, want 1/3", key, b.Agreements.Rate)
		}
	}
}

func TestEventsMatchTheEventStore(t *testing.T) {
	f := realData(t)
	ctx := context.Background()
	for _, b := range allBriefs(t) {
		ev := b.Events
		total := 0
		months := map[string]concord.MonthScore{}
		for _, p := range pairs(b.States) {
			fl := concord.EventFilter{A: p[0], B: p[1]}
			es, _ := f.db.Events(ctx, fl)
			total += len(es)
			ms, _ := f.db.Timeline(ctx, fl)
			for _, m := range ms {
				s := months[m.Month]
				s.Month, s.Events, s.Goldstein = m.Month, s.Events+m.Events, s.Goldstein+m.Goldstein
				for q := range s.Quad {
					s.Quad[q] += m.Quad[q]
				}
				months[m.Month] = s
			}
		}
		if ev.Total != total || len(ev.Months) != len(months) {
			t.Fatalf("%v: %d events in %d months, the store has %d in %d", b.States, ev.Total, len(ev.Months), total, len(months))
		}
		for _, m := range ev.Months {
			if w := months[m.Month]; w.Events != m.Events || math.Abs(w.Goldstein-m.Goldstein) > 1e-9 || w.Quad != m.Quad {
				t.Errorf("%v %s: %+v, timeline gives %+v", b.States, m.Month, m, w)
			}
		}
		kinds := ev.Kinds.Total()
		if kinds != total || len(ev.Latest) != min(total, MaxEvents) {
			t.Errorf("%v: kinds count %d, %d latest, of %d", b.States, kinds, len(ev.Latest), total)
		}
		for i, e := range ev.Latest {
			if i > 0 && e.Date != "" && e.Date > ev.Latest[i-1].Date || e.Kind != EventKind(e.Code) || len(e.Articles) == 0 || e.Evidence == "" {
				t.Errorf("%v: latest[%d] %+v", b.States, i, e)
			}
		}
		if total == 0 && ev.Missing == "" || total > 0 && (ev.Missing != "" || ev.AsOf == "") {
			t.Errorf("%v: %d events, section %+v", b.States, total, ev.Section)
		}
	}
	// The Radio Habana Cuba report: Díaz-Canel's visit to Tehran on 4 December 2023.
	ev := brief(t, "IRN", "CUB").Events
	if ev.Kinds.Count(KindMeeting) == 0 || ev.AsOf != "2023-12-04" || !strings.Contains(ev.Latest[0].Articles[0].URL, "radiohc.cu") {
		t.Errorf("Iran–Cuba events: %v, newest %s, %+v", ev.Kinds, ev.AsOf, ev.Latest[0])
	}
	if ev := brief(t, "FRA", "DEU").Events; ev.Total != 0 || !strings.Contains(ev.Missing, "No coded event") {
		t.Errorf("France–Germany has no article: %+v", ev.Section)
	}
	for code, kind := range map[string]string{"043": KindMeeting, "057": KindSigning, "051": KindPraise, "111": KindCriticism, "030": KindCoop, "172": KindConflict} {
		if EventKind(code) != kind {
			t.Errorf("EventKind(%s) = %s, want %s", code, EventKind(code), kind)
		}
	}
}

func TestEconomyMatchesTrade(t *testing.T) {
	f := realData(t)
	ctx := context.Background()
	infos, _ := f.db.TradeYears(ctx)
	info, _ := ChooseYear(infos, 0)
	if !info.HasImports || info.Year != generatedTradeYear {
		t.Fatalf("chose %+v, want the bilateral year", info)
	}
	ty, _ := f.db.TradeYear(ctx, info.Classification, info.Year)
	tb := trade.NewTable(ty)
	for _, b := range allBriefs(t) {
		ec := b.Economy
		if ec.Missing != "" || !ec.Bilateral || ec.Year != info.Year || !strings.Contains(ec.Source, info.Classification) {
			t.Fatalf("%v: %+v", b.States, ec.Section)
		}
		for _, p := range ec.Pairs {
			pi, err := tb.Pair(p.A, p.B)
			if err != nil {
				t.Fatal(err)
			}
			want := TradePair{A: p.A, B: p.B, TCAB: Num(pi.TCAB), TCBA: Num(pi.TCBA), IntAB: Num(pi.IntensityAB), IntBA: Num(pi.IntensityBA),
				Sim: Num(pi.Similarity), ExpAB: Num(pi.ExportsAB), ExpBA: Num(pi.ExportsBA)}
			ab, _ := tb.ComplementaryProducts(p.A, p.B)
			ba, _ := tb.ComplementaryProducts(p.B, p.A)
			want.FieldsAB, want.FieldsBA = ab.Sections[:min(len(ab.Sections), MaxFields)], ba.Sections[:min(len(ba.Sections), MaxFields)]
			same(t, p.A+"-"+p.B+" trade", p, want)
			if math.IsNaN(float64(p.TCAB)) || len(p.FieldsAB) == 0 {
				t.Errorf("%s-%s: no complementarity on a bilateral year: %+v", p.A, p.B, p)
			}
		}
	}
	// On the real SITC table (exports only) TC cannot be computed: the section says so and shows similarity.
	src := f.sources()
	src.Trade = sitcOnly{f.db}
	b, err := Build(ctx, src, []string{"IRN", "CUB"}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ec := b.Economy
	sitcYear, _ := ChooseYear(func() []concord.TradeYearInfo { ys, _ := src.Trade.TradeYears(ctx); return ys }(), 0)
	sy, _ := f.db.TradeYear(ctx, sitcYear.Classification, sitcYear.Year)
	st := trade.NewTable(sy)
	pi, _ := st.Pair("IRN", "CUB")
	if ec.Bilateral || !math.IsNaN(float64(ec.Pairs[0].TCAB)) || float64(ec.Pairs[0].Sim) != pi.Similarity || !strings.Contains(strings.Join(ec.Notes, " "), "exports only") {
		t.Errorf("SITC brief: %+v %+v", ec.Section, ec.Pairs[0])
	}
}

func TestCoalitionMatchesBlocs(t *testing.T) {
	f := realData(t)
	b := brief(t, testCoalition...)
	co := b.Coalition
	c, err := blocs.NewCoalition(f.ix, blocs.CoalitionOptions{Window: align.Window{From: b.From, To: b.To}})
	if err != nil {
		t.Fatal(err)
	}
	coh, _ := c.Cohesion(testCoalition)
	d, _ := c.Decide(testCoalition)
	cands, _ := c.Candidates(testCoalition)
	if co.Missing != "" || float64(co.Cohesion) != coh || co.RollCalls != c.RollCalls() || !(coh > 0 && coh <= 1) {
		t.Errorf("coalition %+v, cohesion %v", co.Section, coh)
	}
	if dd := co.Decisiveness; dd.Rule != "majority" || dd.RollCalls != d.RollCalls || dd.Judged != d.Judged || dd.Changed != d.Changed ||
		dd.Prevailed != d.Prevailed || dd.PrevailedAsOne != d.PrevailedAsOne || dd.Abstained != d.Abstained || dd.Unjudged != len(d.Unjudged) || dd.Judged == 0 {
		t.Errorf("decisiveness %+v, blocs gives %+v", dd, d)
	}
	var live []blocs.Candidate
	for _, c := range cands {
		if st, _ := countries.ByCode(c.State); !st.Historical && len(live) < MaxPartners {
			live = append(live, c)
		}
	}
	same(t, "partners", co.Partners, live)
	for _, p := range testPairs {
		if co := brief(t, p...).Coalition; co.Missing == "" || len(co.Partners) != 0 {
			t.Errorf("%v: a pair has a coalition section: %+v", p, co.Section)
		}
	}
}

func TestMissingStoresAreSaidPlainly(t *testing.T) {
	f := realData(t)
	b, err := Build(context.Background(), Sources{Index: f.ix, Cache: f.db, Today: today}, []string{"IRN", "CUB"}, 2000, 2010)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Section{"agreements": b.Agreements.Section, "events": b.Events.Section, "economy": b.Economy.Section} {
		if !strings.Contains(s.Missing, "configured") || s.Source == "" {
			t.Errorf("%s without a store: %+v", name, s)
		}
	}
	if b.From != 2000 || b.To != 2010 || b.Alignment.Pairs[0].Years[0].Period != "2000" || b.Positions.Trajectories[0].Points[0].Year != 2000 {
		t.Errorf("window 2000–2010 not kept: %d–%d", b.From, b.To)
	}
	// A state that never voted: every vote section says so.
	var novote string
	for _, s := range countries.All() {
		if _, ok := f.ix.Matrix().StateIndex(s.Code); !ok && !s.Historical {
			novote = s.Code
			break
		}
	}
	if novote == "" {
		t.Skip("every state voted")
	}
	b, err = Build(context.Background(), f.sources(), []string{"CUB", novote, "IRN"}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Alignment.Missing, novote) || !strings.Contains(b.Positions.Missing, novote) || !strings.Contains(b.Coalition.Missing, novote) {
		t.Errorf("%s without votes: alignment %q, positions %q, coalition %q", novote, b.Alignment.Missing, b.Positions.Missing, b.Coalition.Missing)
	}
}

func TestBadArguments(t *testing.T) {
	f := realData(t)
	ctx := context.Background()
	for _, c := range []struct {
		states   []string
		from, to int
		want     string
	}{
		{[]string{"IRN"}, 0, 0, "at least two states"},
		{[]string{"IRN", "CUB", "IRN"}, 0, 0, "IRN is named twice"},
		{[]string{"IRN", "CUB"}, 2010, 2000, "from 2010, to 2000"},
		{[]string{"IRN", "CUB"}, -1, 0, "bad window"},
	} {
		_, err := Build(ctx, f.sources(), c.states, c.from, c.to)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Build(%v, %d, %d): %v, want %q", c.states, c.from, c.to, err, c.want)
		}
		if len(c.states) < 2 && !errors.Is(err, ErrStates) {
			t.Errorf("%v does not wrap ErrStates", err)
		}
	}
	if _, err := Build(ctx, Sources{}, []string{"IRN", "CUB"}, 0, 0); err == nil {
		t.Error("no index: no error")
	}
}

func TestJSONHasOneKeyPerSection(t *testing.T) {
	b := brief(t, "IRN", "CUB")
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	json.Unmarshal(raw, &top)
	var got []string
	for k := range top {
		got = append(got, k)
	}
	want := []string{"agreements", "alignment", "coalition", "economy", "events", "positions"}
	if len(got) != len(want) {
		t.Fatalf("keys %v, want %v", got, want)
	}
	for _, k := range want {
		if _, ok := top[k]; !ok {
			t.Errorf("no key %q", k)
		}
	}
	var back Brief
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Events.Months, b.Events.Months) || back.Alignment.Pairs[0].Overall.Votes != b.Alignment.Pairs[0].Overall.Votes {
		t.Error("the JSON does not read back")
	}
}

// BenchmarkBrief builds the Iran–Cuba brief once the data is loaded (votes
// indexed, stores open, the ideal points and blocs computed once and kept in
// the database's result cache as the CLI keeps them).
func BenchmarkBrief(b *testing.B) {
	f := realData(b)
	ctx := context.Background()
	src := f.sources()
	if _, err := Build(ctx, src, []string{"IRN", "CUB"}, 0, 0); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(ctx, src, []string{"IRN", "CUB"}, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBriefCoalition is BenchmarkBrief for three states.
func BenchmarkBriefCoalition(b *testing.B) {
	f := realData(b)
	ctx := context.Background()
	src := f.sources()
	if _, err := Build(ctx, src, testCoalition, 0, 0); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Build(ctx, src, testCoalition, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}
