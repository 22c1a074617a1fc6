package http

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

func TestBlocsAndCoalition(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	// Two camps by construction: USA, ISR, FRA against IRN, CUB, CHN, RUS, by
	// agreement. (Kappa, the default, sees no agreement beyond chance between
	// IRN, CUB and CHN, which vote yes on everything; see TestBlocsDefaultMetric.)
	code, _, b := get(t, ts, "/api/v1/blocs?bootstrap=5&metric=agree")
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	var r struct {
		Windows []struct {
			From, To int
			Blocs    []struct {
				ID      string
				Members []struct {
					State string
					Core  bool
				}
			}
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Windows) != 1 || len(r.Windows[0].Blocs) != 2 {
		t.Fatalf("want one window with two blocs: %s", b)
	}
	var groups []string
	for _, bl := range r.Windows[0].Blocs {
		var ms []string
		for _, m := range bl.Members {
			ms = append(ms, m.State)
		}
		sort.Strings(ms)
		groups = append(groups, strings.Join(ms, " "))
	}
	sort.Strings(groups)
	if strings.Join(groups, " | ") != "CHN CUB IRN RUS | FRA ISR USA" {
		t.Errorf("blocs %q", groups)
	}
	// Windows of 5 years: two windows.
	_, _, b = get(t, ts, "/api/v1/blocs?window=5&step=5&bootstrap=0&metric=agree")
	json.Unmarshal(b, &r)
	if len(r.Windows) != 2 || r.Windows[0].From != 2000 || r.Windows[1].From != 2005 {
		t.Errorf("5-year windows: %s", b)
	}

	// USA's best partner is ISR (votes alike on all 60); the seeds' cohesion is 1.
	_, _, b = get(t, ts, "/api/v1/coalition?seeds=USA&top=2")
	var c struct {
		Seeds      []string
		Cohesion   float64
		Candidates []struct {
			State     string
			Alignment float64
			Cohesion  float64
		}
	}
	json.Unmarshal(b, &c)
	if len(c.Candidates) != 2 || c.Candidates[0].State != "ISR" || c.Candidates[0].Alignment != 1 || c.Candidates[1].State != "FRA" {
		t.Errorf("coalition of USA: %s", b)
	}
	_, _, b = get(t, ts, "/api/v1/coalition/build?seeds=IRN&build=4")
	var bu struct {
		Steps []struct {
			Added   string
			Members []string
		}
	}
	json.Unmarshal(b, &bu)
	if len(bu.Steps) != 4 {
		t.Fatalf("build: %s", b)
	}
	added := []string{bu.Steps[1].Added, bu.Steps[2].Added}
	sort.Strings(added)
	if strings.Join(added, " ") != "CHN CUB" || len(bu.Steps[3].Members) != 4 {
		t.Errorf("IRN's coalition grows with CHN and CUB first: %s", b)
	}

	for _, c := range []struct{ path, param string }{
		{"/api/v1/coalition", "seeds"},
		{"/api/v1/coalition?seeds=Atlantis", "seeds"},
		{"/api/v1/coalition?seeds=USA&rule=unanimity", "rule"},
		{"/api/v1/coalition/build?seeds=USA,ISR&build=1", "build"},
		{"/api/v1/blocs?resolution=0", "resolution"},
		{"/api/v1/blocs?metric=ideal", "metric"},
		{"/api/v1/blocs?resolution=NaN", "resolution"},
		{"/api/v1/blocs?core=1.5", "core"},
		{"/api/v1/blocs?restarts=0", "restarts"},
		{"/api/v1/blocs?window=1&step=1&from=1&to=9999", "step"},
	} {
		code, _, b := get(t, ts, c.path)
		var e Error
		json.Unmarshal(b, &e)
		if (code != 400 && code != 404) || e.Param != c.param {
			t.Errorf("%s: %d %s, want a 400/404 about %s", c.path, code, b, c.param)
		}
	}
}

// TestBlocsDefaultMetric checks that blocs are weighted by kappa unless the
// request says otherwise, and that results kept for one metric are never
// served for another (the kept results are keyed by every option).
func TestBlocsDefaultMetric(t *testing.T) {
	srv, ts := newTestServer(t, fixtureStore(t))
	var params []string
	for _, p := range srv.endpointParams("/api/v1/blocs") {
		if p.Name == "metric" {
			params = append(params, p.Default)
		}
	}
	if len(params) != 1 || params[0] != "kappa" {
		t.Errorf("declared defaults of metric %q, want kappa (the OpenAPI document shows it)", params)
	}
	count := map[string]int{}        // blocs in the one window, by metric
	unaligned := map[string]string{} // the window's unaligned states, by metric
	for _, c := range []struct{ query, metric string }{
		{"metric=agree", "agree"}, {"", "kappa"}, {"metric=kappa", "kappa"}, {"metric=agree", "agree"}, {"", "kappa"}, {"metric=s_score", "s_score"},
	} {
		code, _, b := get(t, ts, "/api/v1/blocs?bootstrap=0&"+c.query)
		var r struct {
			Metric  string
			Windows []struct {
				Blocs     []struct{ ID string }
				Unaligned []string
			}
		}
		if err := json.Unmarshal(b, &r); err != nil || code != 200 || len(r.Windows) != 1 {
			t.Fatalf("%s: %d %s", c.query, code, b)
		}
		if r.Metric != c.metric {
			t.Errorf("%q: metric %q, want %q", c.query, r.Metric, c.metric)
		}
		count[r.Metric] = len(r.Windows[0].Blocs)
		unaligned[r.Metric] = strings.Join(r.Windows[0].Unaligned, " ")
	}
	// The fixture's IRN, CUB and CHN vote yes on everything: one bloc with RUS
	// by agreement, but no agreement beyond chance (kappa), so unaligned, in
	// no bloc and not counted as blocs.
	if count["agree"] != 2 || count["kappa"] != 1 {
		t.Fatalf("blocs by metric %v, want agree 2 and kappa 1", count)
	}
	if unaligned["agree"] != "" || unaligned["kappa"] != "CHN CUB IRN" {
		t.Fatalf("unaligned by metric %q, want none by agree and CHN CUB IRN by kappa", unaligned)
	}
	// The blocs page shows the default's blocs unless given a metric.
	for query, want := range map[string]int{"": count["kappa"], "&metric=agree": count["agree"]} {
		code, _, b := get(t, ts, "/blocs?year=2009&span=10"+query)
		noun := "blocs"
		if want == 1 {
			noun = "bloc"
		}
		if h := fmt.Sprintf(">%d %s, 2000–2009<", want, noun); code != 200 || !strings.Contains(string(b), h) {
			t.Errorf("blocs page %q: %d, lacks %q", query, code, h)
		}
		if got, want := strings.Contains(string(b), "Unaligned (3)"), query == ""; got != want || want && !strings.Contains(string(b), `href="/states/IRN"`) {
			t.Errorf("blocs page %q: lists unaligned states %v, want %v", query, got, want)
		}
	}
}
