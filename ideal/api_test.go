package ideal

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

// small is a quick simulated record for the tests of the API.
func small(seed uint64) *simData {
	return simulate(simSpec{States: 40, Periods: 4, ItemsPerPeriod: 25, Recurring: 5,
		Step: 0.2, Late: 0.2, Absent: 0.1, Seed: seed})
}

func TestEstimateRejectsBadOptionsNamingTheField(t *testing.T) {
	m := small(1).m
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{By: 7}, "Options.By"},
		{Options{Omega2: -1}, "Options.Omega2"},
		{Options{Omega2: math.NaN()}, "Options.Omega2"},
		{Options{Tol: 1}, "Options.Tol"},
		{Options{Tol: -1e-3}, "Options.Tol"},
		{Options{MaxIter: -1}, "Options.MaxIter"},
		{Options{Bootstrap: -2}, "Options.Bootstrap"},
		{Options{Workers: -1}, "Options.Workers"},
		{Options{Reference: "XXX"}, `Options.Reference = "XXX"`},
	} {
		_, err := Estimate(context.Background(), m, nil, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", c.opt, err, c.want)
		}
	}
	_, err := Estimate(context.Background(), m, nil, Options{Reference: "XXX"})
	if !errors.Is(err, ErrReference) {
		t.Errorf("unknown reference: %v is not ErrReference", err)
	}
}

func TestEstimateRejectsBadColumnsNamingTheIndex(t *testing.T) {
	m := small(1).m
	for _, c := range []struct {
		cols []int
		want string
	}{
		{[]int{0, 1, len(m.RollCalls)}, "cols[2]"},
		{[]int{0, -1}, "cols[1] = -1"},
		{[]int{3, 4, 3}, "cols[2] = 3: column given twice"},
		{[]int{}, "nothing to estimate"},
	} {
		_, err := Estimate(context.Background(), m, c.cols, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("cols %v: error %v, want one containing %q", c.cols, err, c.want)
		}
	}
}

func TestEstimateByYearNeedsDates(t *testing.T) {
	sd := small(2)
	m := *sd.m
	m.RollCalls = append([]concord.RollCall(nil), m.RollCalls...)
	m.RollCalls[7].Date = time.Time{}
	_, err := Estimate(context.Background(), &m, nil, Options{Dynamic: true, By: Year})
	if err == nil || !strings.Contains(err.Error(), "has no date") || !strings.Contains(err.Error(), "column 7") {
		t.Errorf("error %v, want one naming column 7 and the missing date", err)
	}
	if _, err := Estimate(context.Background(), &m, nil, Options{Dynamic: true}); err != nil {
		t.Errorf("By Session does not need dates: %v", err)
	}
}

func TestEstimateStopsWhenContextCancelled(t *testing.T) {
	m := small(3).m
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Estimate(ctx, m, nil, Options{Dynamic: true}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: error %v, want context.Canceled", err)
	}
	// Cancelled during the bootstrap: the last Progress call of the main fit
	// reports convergence; cancel shortly after.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	opt := Options{Dynamic: true, Bootstrap: 100000, Progress: func(_ int, change float64) {
		calls++
		if change <= DefaultTol {
			time.AfterFunc(50*time.Millisecond, cancel)
		}
	}}
	start := time.Now()
	_, err := Estimate(ctx, m, nil, opt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during the bootstrap: error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to stop after cancellation", d)
	}
	if calls == 0 {
		t.Error("Progress was never called")
	}
}

func TestPointsAreStandardisedAndOrientedOnTheReference(t *testing.T) {
	sd := small(4)
	a := fit(t, sd, Options{Dynamic: true})
	var s, ss float64
	for _, p := range a.Points {
		s += p.Ideal
		ss += p.Ideal * p.Ideal
	}
	n := float64(len(a.Points))
	if mean, sdev := s/n, math.Sqrt(ss/n-s*s/n/n); math.Abs(mean) > 1e-9 || math.Abs(sdev-1) > 1e-9 {
		t.Errorf("points have mean %g and sd %g, want 0 and 1", mean, sdev)
	}
	if x, _ := a.Mean("USA", 0, 0); x <= 0 {
		t.Errorf("the default reference USA has mean position %g, want > 0", x)
	}
	for i := 1; i < len(a.Points); i++ {
		p, q := a.Points[i-1], a.Points[i]
		if p.State > q.State || (p.State == q.State && p.Period >= q.Period) {
			t.Fatalf("points not ordered by state, then period: %v before %v", p, q)
		}
	}
	// Orienting on a state below 0 flips the scale and nothing else.
	var low string
	for _, p := range a.Points {
		if x, _ := a.Mean(p.State, 0, 0); x < -0.5 {
			low = p.State
			break
		}
	}
	b := fit(t, sd, Options{Dynamic: true, Reference: low})
	if x, _ := b.Mean(low, 0, 0); x <= 0 {
		t.Errorf("reference %s has mean position %g, want > 0", low, x)
	}
	for i := range a.Points {
		if d := a.Points[i].Ideal + b.Points[i].Ideal; math.Abs(d) > 1e-9 {
			t.Fatalf("orienting on %s instead of USA: %v and %v, want opposite", low, a.Points[i], b.Points[i])
		}
	}
}

func TestStaticFitIsTheDynamicModelWithOnePeriod(t *testing.T) {
	sd := simulate(simSpec{States: 60, Periods: 1, ItemsPerPeriod: 50, Absent: 0.1, Seed: 5})
	st := fit(t, sd, Options{Tol: 1e-8})
	dy := fit(t, sd, Options{Tol: 1e-8, Dynamic: true, Omega2: 5})
	if len(st.Points) != len(dy.Points) {
		t.Fatalf("%d static points, %d dynamic", len(st.Points), len(dy.Points))
	}
	for i := range st.Points {
		if st.Points[i].Period != 0 || dy.Points[i].Period != 1 {
			t.Fatalf("periods %d and %d, want 0 (static) and 1 (session 1)", st.Points[i].Period, dy.Points[i].Period)
		}
		if d := math.Abs(st.Points[i].Ideal - dy.Points[i].Ideal); d > 1e-9 {
			t.Fatalf("%s: static %g, dynamic with one period %g", st.Points[i].State, st.Points[i].Ideal, dy.Points[i].Ideal)
		}
	}
}

func TestResultsDoNotDependOnWorkers(t *testing.T) {
	sd := small(6)
	a := fit(t, sd, Options{Dynamic: true, Workers: 1, Bootstrap: 4, Seed: 9})
	b := fit(t, sd, Options{Dynamic: true, Workers: 3, Bootstrap: 4, Seed: 9})
	for i := range a.Points {
		if a.Points[i] != b.Points[i] {
			t.Fatalf("1 worker: %+v, 3 workers: %+v", a.Points[i], b.Points[i])
		}
	}
	c := fit(t, sd, Options{Dynamic: true, Workers: 3, Bootstrap: 4, Seed: 10})
	if c.Points[0].SE == a.Points[0].SE {
		t.Error("another seed gives the same bootstrap")
	}
}

func TestNewtonStepsReachTheFixedPointOfPlainEM(t *testing.T) {
	// The Newton steps and the period shifts change the path, not the
	// fixed point: plain variational EM (complete-data information, no
	// shifts), run to a tight tolerance, ends at the same positions and
	// items, in far more iterations. Without and with bridges (whose
	// shifts enter the shift step to second order only).
	for _, bridge := range []bool{false, true} {
		sd := small(7)
		opt, _ := Options{Dynamic: true, Bridge: bridge}.withDefaults()
		b, err := build(sd.m, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		em := newFitter(b.d, b.cat, b.start(), 2)
		em.em, em.noShift = true, true
		fast := newFitter(b.d, b.cat, b.start(), 2)
		ie, oke, _, _ := em.run(context.Background(), 200000, 1e-11, nil)
		in, okn, _, _ := fast.run(context.Background(), 200000, 1e-11, nil)
		t.Logf("bridge %v: plain EM %d iterations, Newton with shifts %d", bridge, ie, in)
		if !oke || !okn {
			t.Fatal("not converged")
		}
		// Compare standardised positions (the scale is weakly identified).
		x, y := append([]float64(nil), em.p.m...), append([]float64(nil), fast.p.m...)
		standardise(x)
		standardise(y)
		var md float64
		for u := range x {
			md = math.Max(md, math.Abs(x[u]-y[u]))
		}
		var mb float64
		for g := range em.p.beta {
			mb = math.Max(mb, math.Abs(em.p.beta[g]/em.p.sigma[g]-fast.p.beta[g]/fast.p.sigma[g]))
		}
		if md > 1e-3 || mb > 1e-2 {
			t.Errorf("bridge %v: plain EM and Newton end %.3g apart in positions (sd units), %.3g in β/σ", bridge, md, mb)
		}
		if in*3 > ie {
			t.Errorf("bridge %v: Newton took %d iterations, plain EM %d: want at least 3 times fewer", bridge, in, ie)
		}
	}
}

func TestAbsencesAndNonMembershipAreMissingNotVotes(t *testing.T) {
	sd := small(8)
	a := fit(t, sd, Options{Dynamic: true})
	m := *sd.m
	m.Votes = append([]concord.Vote(nil), m.Votes...)
	for i, v := range m.Votes {
		switch v {
		case concord.Absent:
			m.Votes[i] = concord.NonMember
		case concord.NonMember:
			m.Votes[i] = concord.VoteMissing
		}
	}
	b, err := Estimate(context.Background(), &m, nil, Options{Dynamic: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Points {
		if a.Points[i] != b.Points[i] {
			t.Fatalf("recoding absences changed %+v to %+v", a.Points[i], b.Points[i])
		}
	}
	// A state that never cast a vote is not estimated.
	for _, p := range a.Points {
		if p.Votes == 0 {
			t.Fatalf("point without votes: %+v", p)
		}
	}
}

func TestMinVotesLeavesOutStatesWithFewVotes(t *testing.T) {
	sd := small(9)
	const least = 80
	res := fit(t, sd, Options{MinVotes: least})
	// Votes on the roll calls used (not unanimous).
	counts := map[string]int{}
	for s, code := range sd.m.States {
		for _, it := range res.Items {
			if sd.m.Vote(s, it.Columns[0]).Cast() {
				counts[code]++
			}
		}
	}
	for _, p := range res.Points {
		if counts[p.State] < least {
			t.Errorf("%s has %d votes but was estimated", p.State, counts[p.State])
		}
	}
	for _, s := range res.Dropped {
		if counts[s] >= least {
			t.Errorf("%s has %d votes but was dropped", s, counts[s])
		}
	}
	if len(res.Dropped)+len(res.Points) != len(counts) || len(res.Dropped) == 0 {
		t.Errorf("%d dropped + %d estimated, want %d states with some dropped", len(res.Dropped), len(res.Points), len(counts))
	}
}

func TestUnanimousRollCallsAreSkipped(t *testing.T) {
	sd := small(10)
	m := *sd.m
	m.Votes = append([]concord.Vote(nil), m.Votes...)
	for s := range m.States {
		for _, c := range []int{2, 5} {
			if m.Vote(s, c).Cast() {
				m.Votes[s*len(m.RollCalls)+c] = concord.Yes
			}
		}
	}
	base := fit(t, sd, Options{})
	res, err := Estimate(context.Background(), &m, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != base.Skipped+2 {
		t.Errorf("skipped %d roll calls, want %d", res.Skipped, base.Skipped+2)
	}
	for _, it := range res.Items {
		if it.Columns[0] == 2 || it.Columns[0] == 5 {
			t.Errorf("unanimous column %d has an item", it.Columns[0])
		}
	}
}

func TestItemProbabilitiesSumToOneAndYesRisesWithDiscrimination(t *testing.T) {
	res := fit(t, small(11), Options{})
	for _, it := range res.Items[:20] {
		if len(it.Cuts) != len(it.Votes)-1 {
			t.Fatalf("%d votes, %d cuts", len(it.Votes), len(it.Cuts))
		}
		prev := -1.0
		for _, x := range []float64{-2, -1, 0, 1, 2} {
			pr := it.Prob(x)
			var s float64
			for _, p := range pr {
				if p < 0 {
					t.Fatalf("negative probability %v", pr)
				}
				s += p
			}
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("probabilities %v sum to %v", pr, s)
			}
			top := pr[len(pr)-1] // yes, or the highest category observed
			if it.Discrimination > 0 && top < prev {
				t.Fatalf("P(%v) falls from %v to %v as x rises, discrimination %v", it.Votes[len(it.Votes)-1], prev, top, it.Discrimination)
			}
			prev = top
		}
	}
}

func TestByYearSplitsSessionsAtNewYear(t *testing.T) {
	sd := small(12)
	m := *sd.m
	m.RollCalls = append([]concord.RollCall(nil), m.RollCalls...)
	// Move the last roll calls of every session into January of the next
	// calendar year.
	for i := range m.RollCalls {
		if i%25 >= 20 {
			rc := &m.RollCalls[i]
			rc.Date = time.Date(rc.Date.Year()+1, 1, 15, 0, 0, 0, 0, time.UTC)
		}
	}
	bySess := fit(t, &simData{m: &m}, Options{Dynamic: true})
	byYear, err := Estimate(context.Background(), &m, nil, Options{Dynamic: true, By: Year})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 3, 4}; !equalInts(bySess.Periods, want) {
		t.Errorf("sessions %v, want %v", bySess.Periods, want)
	}
	if want := []int{1990, 1991, 1992, 1993, 1994}; !equalInts(byYear.Periods, want) {
		t.Errorf("years %v, want %v", byYear.Periods, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBridgeKeyNormalisesTitles(t *testing.T) {
	rc := func(descr string) concord.RollCall { return concord.RollCall{Descr: descr} }
	embargo := BridgeKey(rc("Necessity of ending the economic, commercial and financial embargo imposed by the United States of America against Cuba : resolution / adopted by the General Assembly"))
	if embargo != "necessity of ending the economic commercial and financial embargo imposed by the united states of america against cuba" {
		t.Errorf("key %q", embargo)
	}
	for _, c := range []struct {
		a, b concord.RollCall
		same bool
	}{
		{rc("Necessity of ending the economic, commercial and financial embargo imposed by the United States of America against Cuba: resolution / adopted by th"),
			rc("NECESSITY OF ENDING THE ECONOMIC, COMMERCIAL AND FINANCIAL EMBARGO IMPOSED BY THE UNITED STATES OF AMERICA AGAINST CUBA"), true},
		{rc("2020 Review Conference of the Parties to the Treaty : resolution / adopted by the General Assembly"),
			rc("2015 Review Conference of the Parties to the Treaty"), true},
		{rc("Jerusalem"), rc("The Syrian Golan"), false},
	} {
		ka, kb := BridgeKey(c.a), BridgeKey(c.b)
		if ka == "" || (ka == kb) != c.same {
			t.Errorf("%q / %q: keys %q and %q, same = %v", c.a.Descr, c.b.Descr, ka, kb, c.same)
		}
	}
	for _, r := range []concord.RollCall{
		{Descr: "Jerusalem", Amend: concord.FlagTrue},
		{Descr: "Jerusalem", Para: concord.FlagTrue},
		{Descr: "The Acting President: I shall now put to the vote operative paragraph 8"},
		{Descr: "TO ADOPT 3RD COMM. DRAFT RESOLUTION A/2808 AND CORR.1"},
		{Descr: "", Short: ""},
	} {
		if k := BridgeKey(r); k != "" {
			t.Errorf("%+v: key %q, want none", r, k)
		}
	}
	if k := BridgeKey(concord.RollCall{Short: "Jerusalem"}); k != "jerusalem" {
		t.Errorf("Short used when Descr is empty: key %q", k)
	}
}

func TestBridgesOnePerSessionAndNoneWhenAmbiguous(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2000, 1, d, 0, 0, 0, 0, time.UTC) }
	rcs := []concord.RollCall{
		{RCID: 1, Session: 50, Date: day(1), Descr: "Jerusalem"},
		{RCID: 2, Session: 51, Date: day(2), Descr: "Jerusalem : resolution / adopted by the General Assembly"},
		{RCID: 3, Session: 52, Date: day(3), Descr: "JERUSALEM"},
		{RCID: 4, Session: 51, Date: day(4), Descr: "The Syrian Golan"},
		{RCID: 5, Session: 52, Date: day(5), Descr: "The Syrian Golan"},
		{RCID: 6, Session: 52, Date: day(6), Descr: "The Syrian Golan"}, // twice in 52: ambiguous there
		{RCID: 7, Session: 53, Date: day(7), Descr: "The Syrian Golan"},
		{RCID: 8, Session: 53, Date: day(8), Descr: "Assistance to Palestine refugees"},
	}
	var votes []concord.VoteRecord
	for _, rc := range rcs {
		votes = append(votes, concord.VoteRecord{RCID: rc.RCID, State: "A", Vote: concord.Yes})
	}
	m := concord.NewMatrix(rcs, votes)
	got := Bridges(m, nil)
	want := [][]int{{0, 1, 2}, {3, 6}}
	if len(got) != len(want) || !equalInts(got[0], want[0]) || !equalInts(got[1], want[1]) {
		t.Errorf("bridges %v, want %v", got, want)
	}
	// Only among the columns given: without column 5, session 52 has one
	// Syrian Golan roll call.
	if got := Bridges(m, []int{0, 3, 4}); len(got) != 1 || !equalInts(got[0], []int{3, 4}) {
		t.Errorf("bridges among columns 0, 3, 4: %v, want [[3 4]]", got)
	}
	if got := Bridges(m, []int{0, 3}); len(got) != 0 {
		t.Errorf("bridges among columns 0, 3: %v, want none", got)
	}
}

func TestPeriodTextAndResultJSON(t *testing.T) {
	for _, p := range []Period{Session, Year} {
		b, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var q Period
		if err := q.UnmarshalText(b); err != nil || q != p {
			t.Errorf("%v: round trip gives %v, %v", p, q, err)
		}
	}
	if _, err := ParsePeriod("decade"); err == nil || !strings.Contains(err.Error(), `"decade"`) {
		t.Errorf("ParsePeriod(decade): error %v", err)
	}
	// A result, bootstrap and Progress included, encodes as JSON.
	res := fit(t, small(13), Options{Dynamic: true, By: Year, Bootstrap: 2, Progress: func(int, float64) {}})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"By":"year"`) {
		t.Errorf("JSON of the options: %.200s", b)
	}
}
