package http

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/report"
)

// coalitionJSON is the part of /api/v1/coalition the tests read.
type coalitionJSON struct {
	Metric     string `json:"metric"`
	RankBy     string `json:"rank_by"`
	Candidates []struct {
		State         string   `json:"state"`
		Alignment     *float64 `json:"alignment"`
		IdealDistance *float64 `json:"ideal_distance"`
	} `json:"candidates"`
}

// TestCoalitionRankedByIdealPoints checks metric=ideal (and rank_by=ideal):
// candidates ranked by the distance of their ideal point to the seeds' mean,
// the distances those of a static fit over the window computed here apart,
// and ideal=true adding the distances without changing the ranking.
func TestCoalitionRankedByIdealPoints(t *testing.T) {
	st := fixtureStore(t)
	_, ts := newTestServer(t, st)
	m, err := st.Matrix(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fit, _, err := report.IdealPoints(context.Background(), nil, func(context.Context) (*concord.Matrix, error) { return m, nil },
		concord.RollCallFilter{From: 2000, To: 2009}, ideal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pos := func(code string) float64 {
		x, ok := fit.Mean(code, 0, 0)
		if !ok {
			t.Fatalf("no ideal point for %s", code)
		}
		return x
	}
	seedMean := (pos("USA") + pos("FRA")) / 2

	code, _, b := get(t, ts, "/api/v1/coalition?seeds=USA,FRA&from=2000&to=2009&metric=ideal&top=0")
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	var r coalitionJSON
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.RankBy != "ideal" || len(r.Candidates) != len(fixtureStates)-2 {
		t.Fatalf("rank_by %q, %d candidates: %s", r.RankBy, len(r.Candidates), b)
	}
	prev := -1.0
	for _, c := range r.Candidates {
		if c.IdealDistance == nil {
			t.Fatalf("%s: no ideal distance", c.State)
		}
		if want := math.Abs(pos(c.State) - seedMean); math.Abs(*c.IdealDistance-want) > 1e-9 {
			t.Errorf("%s: ideal distance %v, want |%v − %v| = %v", c.State, *c.IdealDistance, pos(c.State), seedMean, want)
		}
		if *c.IdealDistance < prev {
			t.Errorf("%s at %v after %v: not nearest first", c.State, *c.IdealDistance, prev)
		}
		prev = *c.IdealDistance
	}
	// ISR votes as USA, so it sits nearer to the seeds than IRN, CUB and CHN, who vote yes on everything.
	if r.Candidates[0].State != "ISR" {
		t.Errorf("nearest candidate %s, want ISR: %s", r.Candidates[0].State, b)
	}

	// rank_by=ideal (the CLI's --rank-by) is the same ranking.
	_, _, b2 := get(t, ts, "/api/v1/coalition?seeds=USA,FRA&from=2000&to=2009&rank_by=ideal&top=0")
	if string(b2) != string(b) {
		t.Errorf("rank_by=ideal:\n%s\nmetric=ideal:\n%s", b2, b)
	}

	// ideal=true adds the distances to a ranking by agreement; without it they are null.
	for _, withIdeal := range []bool{false, true} {
		url := "/api/v1/coalition?seeds=USA,FRA&from=2000&to=2009&metric=agree&top=0"
		if withIdeal {
			url += "&ideal=true"
		}
		_, _, b := get(t, ts, url)
		var r coalitionJSON
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if r.RankBy != "" || r.Metric != "agree" {
			t.Errorf("%s: metric %q rank_by %q", url, r.Metric, r.RankBy)
		}
		prev := math.Inf(1)
		for _, c := range r.Candidates {
			if (c.IdealDistance != nil) != withIdeal {
				t.Errorf("%s: %s ideal distance %v", url, c.State, c.IdealDistance)
			}
			if *c.Alignment > prev {
				t.Errorf("%s: %s not ranked by agreement", url, c.State)
			}
			prev = *c.Alignment
		}
	}

	// Growing the coalition by ideal points adds the nearest first.
	code, _, b = get(t, ts, "/api/v1/coalition/build?seeds=USA,FRA&from=2000&to=2009&metric=ideal&build=3")
	if code != 200 || !strings.Contains(string(b), `"rank_by":"ideal"`) || !strings.Contains(string(b), `"added":"ISR"`) {
		t.Errorf("build by ideal: %d %s", code, b)
	}

	// Bad rankings are 400s naming the parameter.
	for _, c := range []struct{ url, param string }{
		{"/api/v1/coalition?seeds=USA&metric=closeness", "metric"},
		{"/api/v1/coalition?seeds=USA&rank_by=size", "rank_by"},
		{"/api/v1/coalition?seeds=USA&ideal=maybe", "ideal"},
		{"/api/v1/coalition/build?seeds=USA&build=3&rank_by=x", "rank_by"},
	} {
		code, _, b := get(t, ts, c.url)
		if e := decode[Error](t, b); code != 400 || e.Param != c.param {
			t.Errorf("%s: %d %s, want 400 about %s", c.url, code, b, c.param)
		}
	}

	// The page offers the ranking and shows the distances.
	code, _, b = get(t, ts, "/coalitions?seeds=USA,FRA&from=2000&to=2009&metric=ideal")
	page := string(b)
	if code != 200 || !strings.Contains(page, `<option value="ideal" selected>ideal-point distance</option>`) ||
		!strings.Contains(page, "Ideal-point distance</th>") || !strings.Contains(page, "metric=ideal") {
		t.Errorf("coalition page by ideal: %d\n%s", code, page)
	}
	// Its chart draws the distances: ISR's bar says its distance.
	isr := r.Candidates[0]
	if want := "ISR Israel: " + trimFloat(*isr.IdealDistance) + "</title>"; !strings.Contains(page, want) || !strings.Contains(page, "distance of their ideal point") {
		t.Errorf("the chart does not draw ideal-point distances (want %q)", want)
	}
}
