package blocs

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
)

// handBuilt is a record of seven roll calls with known outcomes for the
// coalition P, Q, R among the others X and Y (see the comments per roll call).
func handBuilt() *concord.Matrix {
	const (
		y = concord.Yes
		n = concord.No
		a = concord.Abstain
		o = concord.Absent
		m = concord.NonMember
	)
	states := []string{"P", "Q", "R", "X", "Y"}
	table := [][]concord.Vote{
		{y, n, a, y, n}, // 1: members split evenly (one each): cannot judge
		{y, y, y, n, n}, // 2: position yes, 3–2 adopted as recorded and as one; prevailed
		{y, y, n, n, n}, // 3: position yes; recorded 2–3 rejected, as one 3–2 adopted: changed
		{n, n, a, y, y}, // 4: position no; recorded 2–2 rejected (tie), as one 2–3 rejected; prevailed
		{o, o, m, y, n}, // 5: no member voted: cannot judge
		{a, a, y, y, n}, // 6: position abstain; recorded 2–1 adopted, as one 1–1 rejected: changed
		{y, y, y, n, n}, // 7: as 2 (under two thirds 3–2 is not enough)
	}
	var rcs []concord.RollCall
	var votes []concord.VoteRecord
	for k, row := range table {
		rcs = append(rcs, concord.RollCall{RCID: k + 1, Date: time.Date(2000, 1, k+1, 0, 0, 0, 0, time.UTC)})
		for i, v := range row {
			votes = append(votes, concord.VoteRecord{RCID: k + 1, State: states[i], Vote: v})
		}
	}
	return concord.NewMatrix(rcs, votes)
}

func TestDecideOnHandBuiltRollCallsWithKnownOutcomes(t *testing.T) {
	ix := align.NewIndex(handBuilt())
	for _, tc := range []struct {
		rule                                                  Rule
		judged, changed, prevailed, prevailedAsOne, abstained int
	}{
		// majority: changed 3 and 6; prevailed 2, 4, 7; as one 2, 3, 4, 7.
		{SimpleMajority, 5, 2, 3, 4, 1},
		// two thirds: 2 and 7 rejected (3 of 5 < ⅔); 3 rejected either way;
		// 6 adopted (2 of 3 = ⅔) and rejected as one: changed 6 only; prevailed 4 only.
		{TwoThirds, 5, 1, 1, 1, 1},
	} {
		c, err := NewCoalition(ix, CoalitionOptions{Rule: tc.rule})
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.Decide([]string{"P", "Q", "R"})
		if err != nil {
			t.Fatal(err)
		}
		if d.RollCalls != 7 || d.Judged != tc.judged || d.Changed != tc.changed || d.Prevailed != tc.prevailed ||
			d.PrevailedAsOne != tc.prevailedAsOne || d.Abstained != tc.abstained {
			t.Errorf("%v: %+v; want judged %d changed %d prevailed %d as one %d abstained %d", tc.rule, d,
				tc.judged, tc.changed, tc.prevailed, tc.prevailedAsOne, tc.abstained)
		}
		want := []Unjudged{{1, "members split evenly"}, {5, "no member voted"}}
		if !slices.Equal(d.Unjudged, want) {
			t.Errorf("%v: unjudged %v, want %v", tc.rule, d.Unjudged, want)
		}
	}
}

func TestCohesionIsTheHixNouryRolandAgreementIndex(t *testing.T) {
	ix := align.NewIndex(handBuilt())
	c, _ := NewCoalition(ix, CoalitionOptions{})
	// Per roll call (Y, N, A) of P, Q, R: 1 (1,1,1) → 0; 2 (3,0,0) → 1; 3 (2,1,0) → ½;
	// 4 (0,2,1) → ½; 5 none voted, left out; 6 (1,0,2) → ½; 7 → 1. Mean 3.5/6.
	got, err := c.Cohesion([]string{"P", "Q", "R"})
	if err != nil {
		t.Fatal(err)
	}
	if want := 3.5 / 6; math.Abs(got-want) > 1e-12 {
		t.Errorf("cohesion %v, want %v", got, want)
	}
	for _, tc := range []struct {
		y, n, a int32
		want    float64
	}{{5, 0, 0, 1}, {1, 1, 1, 0}, {2, 2, 0, 0.25}, {3, 1, 0, 0.625}} {
		if got := agreementIndex(tc.y, tc.n, tc.a); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("AI(%d,%d,%d) = %v, want %v", tc.y, tc.n, tc.a, got, tc.want)
		}
	}
}

// twoSides is a record where A1–A4 vote yes and B1–B4 no on every roll call, and M votes with the As on three in four.
func twoSides() *concord.Matrix {
	var rcs []concord.RollCall
	var votes []concord.VoteRecord
	for k := 1; k <= 40; k++ {
		rcs = append(rcs, concord.RollCall{RCID: k, Date: time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)})
		for i := 1; i <= 4; i++ {
			votes = append(votes, concord.VoteRecord{RCID: k, State: "A" + string(rune('0'+i)), Vote: concord.Yes},
				concord.VoteRecord{RCID: k, State: "B" + string(rune('0'+i)), Vote: concord.No})
		}
		v := concord.Yes
		if k%4 == 0 {
			v = concord.No
		}
		votes = append(votes, concord.VoteRecord{RCID: k, State: "M", Vote: v})
	}
	return concord.NewMatrix(rcs, votes)
}

func TestCandidatesRankByAlignmentOrIdealPointsAndBuildGrowsGreedily(t *testing.T) {
	ix := align.NewIndex(twoSides())
	c, err := NewCoalition(ix, CoalitionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cands, err := c.Candidates([]string{"A1", "A2"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range cands {
		order = append(order, x.State)
	}
	if want := []string{"A3", "A4", "M", "B1", "B2", "B3", "B4"}; !slices.Equal(order, want) {
		t.Errorf("candidates %v, want %v", order, want)
	}
	if cands[0].Alignment != 1 || cands[0].Cohesion != 1 || cands[0].Votes != 40 {
		t.Errorf("A3: %+v; want alignment 1, cohesion 1, 40 votes", cands[0])
	}
	if m := cands[2]; m.Alignment != 0.75 || math.Abs(m.Cohesion-(30+10*(2-0.5)/3)/40) > 1e-12 {
		t.Errorf("M: %+v; want alignment 0.75, cohesion (30·1 + 10·½)/40", m)
	}
	if !math.IsNaN(cands[0].IdealDistance) {
		t.Error("ideal distance without ideal points should be NaN")
	}
	// Ideal points put B1 nearest the seeds: ranking by them follows.
	ideal := map[string]float64{"A1": 1, "A2": 1.2, "A3": 3, "A4": 2, "B1": 1.05, "M": 5}
	ci, err := NewCoalition(ix, CoalitionOptions{Ideal: ideal, RankBy: ByIdeal})
	if err != nil {
		t.Fatal(err)
	}
	cands, _ = ci.Candidates([]string{"A1", "A2"})
	order = order[:0]
	for _, x := range cands {
		order = append(order, x.State)
	}
	if want := []string{"B1", "A4", "A3", "M", "B2", "B3", "B4"}; !slices.Equal(order, want) {
		t.Errorf("by ideal points %v, want %v", order, want)
	}
	if math.Abs(cands[0].IdealDistance-0.05) > 1e-12 {
		t.Errorf("B1 distance %v, want 0.05", cands[0].IdealDistance)
	}
	if _, err := NewCoalition(ix, CoalitionOptions{RankBy: ByIdeal}); err == nil {
		t.Error("ranking by ideal points without them accepted")
	}

	steps, err := c.Build([]string{"A1"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	var added []string
	for _, s := range steps[1:] {
		added = append(added, s.Added)
	}
	if len(steps) != 5 || !slices.Equal(added, []string{"A2", "A3", "A4", "M"}) {
		t.Fatalf("build added %v in %d steps", added, len(steps))
	}
	if steps[3].Cohesion != 1 || steps[4].Cohesion >= 1 {
		t.Errorf("cohesion 1 until M joins: %v then %v", steps[3].Cohesion, steps[4].Cohesion)
	}
	// The As and M against the Bs: 5–4 when M votes yes (30 roll calls), 4–5 when it votes no (10).
	if d := steps[3].Decisiveness; d.Judged != 40 || d.Prevailed != 30 || d.Changed != 0 {
		t.Errorf("A1–A4: %+v; want 40 judged, prevailed on the 30 votes M joined them, changed none", d)
	}
	if d := steps[4].Decisiveness; d.Changed != 10 || d.PrevailedAsOne != 40 {
		t.Errorf("A1–A4 + M: %+v; want 10 changed (M's no votes turned), prevailing on all 40 as one", d)
	}
	js, _ := json.Marshal(BuildResult{Seeds: []string{"A1"}, Steps: steps})
	if !strings.Contains(string(js), `"alignment":null`) || !strings.Contains(string(js), `"added":"M"`) {
		t.Errorf("build JSON: %s", js)
	}
}

func TestCoalitionRejectsBadSeeds(t *testing.T) {
	c, _ := NewCoalition(align.NewIndex(twoSides()), CoalitionOptions{})
	for _, seeds := range [][]string{nil, {"ZZZ"}, {"A1", "A1"}} {
		if _, err := c.Candidates(seeds); err == nil {
			t.Errorf("seeds %v accepted", seeds)
		}
	}
	if _, err := c.Build([]string{"A1", "A2"}, 1); err == nil {
		t.Error("build to fewer members than seeds accepted")
	}
	if _, err := ParseRule("three-quarters"); err == nil {
		t.Error("unknown rule accepted")
	}
}
