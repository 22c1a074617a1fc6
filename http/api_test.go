package http

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	nethttp "net/http"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/memstore"
	"github.com/concord-project/concord/report"
)

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestAlign(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	code, h, b := get(t, ts, "/api/v1/align?a=USA&b=Iran")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, %s: %s", code, h.Get("Content-Type"), b)
	}
	r := decode[report.Align](t, b)
	if r.A != "USA" || r.B != "IRN" || len(r.Rows) != 1 {
		t.Fatalf("got %+v", r)
	}
	row := r.Rows[0]
	if row.Period != "all" || row.Votes != 60 || !near(row.Agree, 3.5/6) || !near(row.Coincidence, 3.0/5) || !near(row.SScore, 2*3.5/6-1) {
		t.Errorf("USA–IRN: %+v, want 60 votes, agree 3.5/6, coincidence 3/5", row)
	}

	// by year, with a window and an issue: FRA joins IRN on me from 2005.
	_, _, b = get(t, ts, "/api/v1/align?a=FRA&b=IRN&issue=me&from=2003&to=2007&by=year")
	r = decode[report.Align](t, b)
	if r.From != 2003 || r.To != 2007 || r.Issue != "me" || len(r.Rows) != 5 {
		t.Fatalf("got %+v", r)
	}
	for _, row := range r.Rows {
		want := 0.0
		if row.Period >= "2005" {
			want = 1
		}
		if row.Votes != 1 || row.Agree != want {
			t.Errorf("FRA–IRN on me in %s: %+v, want agree %v", row.Period, row, want)
		}
	}

	// kappa is undefined (null) when neither state varies: IRN and CUB always vote yes.
	_, _, b = get(t, ts, "/api/v1/align?a=IRN&b=CUB")
	if !strings.Contains(string(b), `"kappa":null`) || !strings.Contains(string(b), `"agree":1`) {
		t.Errorf("IRN–CUB: %s, want agree 1 and kappa null", b)
	}
	// important only: the me roll calls are the important ones.
	_, _, b = get(t, ts, "/api/v1/align?a=USA&b=IRN&important=true")
	if r := decode[report.Align](t, b); r.Rows[0].Votes != 10 || r.Rows[0].Agree != 0 {
		t.Errorf("important only: %+v, want 10 votes, agree 0", r.Rows[0])
	}
	// by session: sessions 55–64.
	_, _, b = get(t, ts, "/api/v1/align?a=USA&b=ISR&by=session")
	if r := decode[report.Align](t, b); len(r.Rows) != 10 || r.Rows[0].Period != "55" || r.Rows[9].Period != "64" {
		t.Errorf("by session: %+v", r.Rows)
	}
}

func TestAlignIssues(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	_, _, b := get(t, ts, "/api/v1/align/issues?a=USA&b=IRN&from=2001")
	var r struct {
		A, B string
		From int
		Rows []struct {
			Issue string
			Name  string
			Votes int
			Agree float64
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"me": 0, "nu": 1, "di": 1, "hr": 0, "co": 1, "ec": 0.5}
	if len(r.Rows) != 6 || r.From != 2001 {
		t.Fatalf("got %s", b)
	}
	for i, row := range r.Rows {
		if row.Issue != string(concord.Issues[i]) || row.Name != concord.Issues[i].Name() || row.Votes != 9 || row.Agree != want[row.Issue] {
			t.Errorf("row %d: %+v, want issue %s, 9 votes, agree %v", i, row, concord.Issues[i], want[row.Issue])
		}
	}
}

func TestPartners(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	_, _, b := get(t, ts, "/api/v1/partners?a=USA")
	r := decode[report.Partners](t, b)
	if r.A != "USA" || r.Metric.String() != "agree" || len(r.Rows) != len(fixtureStates)-1 {
		t.Fatalf("got %s", b)
	}
	if r.Rows[0].State != "ISR" || r.Rows[0].Agree != 1 || r.Rows[1].State != "FRA" {
		t.Errorf("USA's partners start %v, %v; want ISR (agree 1) then FRA", r.Rows[0], r.Rows[1])
	}
	for i := 1; i < len(r.Rows); i++ {
		if r.Rows[i].Agree > r.Rows[i-1].Agree {
			t.Errorf("not ranked: %v after %v", r.Rows[i], r.Rows[i-1])
		}
	}
	// top, issue and metric
	_, _, b = get(t, ts, "/api/v1/partners?a=IRN&issue=hr&metric=coincidence&top=2")
	r = decode[report.Partners](t, b)
	if len(r.Rows) != 2 || r.Issue != "hr" || r.Metric.String() != "coincidence" || r.Rows[0].State != "CHN" || r.Rows[1].State != "CUB" {
		t.Errorf("IRN on hr by coincidence, top 2: %s; want CHN, CUB", b)
	}
	// min_votes leaves out everyone when above the window's size
	_, _, b = get(t, ts, "/api/v1/partners?a=IRN&from=2009&min_votes=7")
	if r := decode[report.Partners](t, b); len(r.Rows) != 0 {
		t.Errorf("min_votes=7 over 6 roll calls kept %v", r.Rows)
	}
}

func TestSplits(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	_, _, b := get(t, ts, "/api/v1/splits?a=USA&b=IRN")
	r := decode[report.Splits](t, b)
	if r.Total != 30 || len(r.Rows) != 30 {
		t.Fatalf("USA–IRN splits: total %d, %d rows; want 30", r.Total, len(r.Rows))
	}
	opposite := 0
	for i, s := range r.Rows {
		if s.Opposite {
			opposite++
		}
		if s.VoteB != "yes" || s.VoteA == "yes" || !strings.HasPrefix(s.Title, "Fixture resolution on") || s.Resolution == "" {
			t.Errorf("split %+v", s)
		}
		if i > 0 && s.Date > r.Rows[i-1].Date {
			t.Errorf("not newest first: %s after %s", s.Date, r.Rows[i-1].Date)
		}
	}
	if opposite != 20 {
		t.Errorf("%d opposite splits, want 20 (me and hr)", opposite)
	}
	_, _, b = get(t, ts, "/api/v1/splits?a=USA&b=IRN&issue=ec&limit=3")
	if r := decode[report.Splits](t, b); r.Total != 10 || len(r.Rows) != 3 || r.Rows[0].Date != "2009-12-06" || r.Rows[0].VoteA != "abstain" {
		t.Errorf("ec, limit 3: %s", b)
	}
	_, _, b = get(t, ts, "/api/v1/splits?a=USA&b=ISR")
	if r := decode[report.Splits](t, b); r.Total != 0 || r.Rows == nil {
		t.Errorf("USA–ISR never split, got %s", b)
	}
}

func TestStatesAndRollCalls(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	_, _, b := get(t, ts, "/api/v1/states?q=iran")
	var states []map[string]any
	json.Unmarshal(b, &states)
	if len(states) == 0 || states[0]["code"] != "IRN" {
		t.Errorf("states?q=iran: %s", b)
	}
	_, _, b = get(t, ts, "/api/v1/states?q=zzzzqqq")
	if strings.TrimSpace(string(b)) != "[]" {
		t.Errorf("no match: %s, want []", b)
	}
	_, _, b = get(t, ts, "/api/v1/states")
	json.Unmarshal(b, &states)
	if len(states) < 190 {
		t.Errorf("all states: %d", len(states))
	}
	code, _, b := get(t, ts, "/api/v1/states/630")
	if code != 200 || !strings.Contains(string(b), `"code":"IRN"`) {
		t.Errorf("states/630 (COW): %d %s", code, b)
	}
	_, _, b = get(t, ts, "/api/v1/rollcalls?issue=nu&from=2003&to=2004")
	var rcs []concord.RollCall
	json.Unmarshal(b, &rcs)
	if len(rcs) != 2 || rcs[0].RCID != fixtureRCID(2003, 1) || rcs[1].RCID != fixtureRCID(2004, 1) {
		t.Errorf("rollcalls nu 2003–2004: %s", b)
	}
	_, _, b = get(t, ts, "/api/v1/rollcalls?search=economic+development+2007")
	json.Unmarshal(b, &rcs)
	if len(rcs) != 1 || rcs[0].RCID != fixtureRCID(2007, 5) {
		t.Errorf("search: %s", b)
	}
	_, _, b = get(t, ts, "/api/v1/rollcalls?important&from=2009")
	json.Unmarshal(b, &rcs)
	if len(rcs) != 1 || rcs[0].Important != concord.FlagTrue {
		t.Errorf("important in 2009: %s", b)
	}
}

// CSV and text downloads carry the CLI's columns.
func TestFormats(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	code, h, b := get(t, ts, "/api/v1/partners?a=USA&top=2&format=csv")
	if code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(h.Get("Content-Disposition"), `filename="partners-USA.csv"`) {
		t.Fatalf("%d %v", code, h)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "rank,state,name,votes,agree,s_score,kappa,coincidence" || len(recs) != 3 || recs[1][1] != "ISR" || recs[1][2] != "Israel" {
		t.Errorf("csv: %q", recs)
	}
	_, h, b = get(t, ts, "/api/v1/align?a=USA&b=ISR&format=table")
	if !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || !strings.Contains(string(b), "period") || !strings.Contains(string(b), "all") {
		t.Errorf("table: %s", b)
	}
}

// Every error path answers JSON with a message and the parameter at fault.
func TestErrors(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	cases := []struct {
		path        string
		status      int
		param       string
		msgContains string
	}{
		{"/api/v1/align?a=USA", 400, "b", "required"},
		{"/api/v1/align?b=USA", 400, "a", "required"},
		{"/api/v1/align?a=USA&b=ISR&by=month", 400, "by", "unknown grouping"},
		{"/api/v1/align?a=USA&b=ISR&from=2005&to=2001", 400, "from", "after"},
		{"/api/v1/align?a=USA&b=ISR&from=abc", 400, "from", "whole number"},
		{"/api/v1/align?a=USA&b=ISR&from=-3", 400, "from", "at least 0"},
		{"/api/v1/align?a=USA&b=ISR&to=99999999999999999999", 400, "to", "whole number"},
		{"/api/v1/align?a=USA&b=ISR&to=10000", 400, "to", "at most 9999"},
		{"/api/v1/align?a=USA&b=ISR&issue=zz", 400, "issue", "unknown issue"},
		{"/api/v1/align?a=USA&b=ISR&important=perhaps", 400, "important", "true or false"},
		{"/api/v1/align?a=USA&b=ISR&format=xml", 400, "format", "unknown format"},
		{"/api/v1/align?a=USA&b=ISR&colour=red", 400, "colour", "unknown parameter"},
		{"/api/v1/align?a=USA&a=ISR&b=CUB", 400, "a", "more than once"},
		{"/api/v1/align?a=%zz&b=ISR", 400, "", "malformed query"},
		{"/api/v1/align?a=" + strings.Repeat("x", 300) + "&b=ISR", 400, "a", "at most 200 bytes"},
		{"/api/v1/align?a=%ff&b=ISR", 400, "a", "UTF-8"},
		{"/api/v1/align?a=Iram&b=ISR", 404, "a", "did you mean Iran"},
		{"/api/v1/align?a=USA&b=Korea", 400, "b", "ambiguous"},
		{"/api/v1/align?a=USA&b=FRG", 404, "b", "no votes"},
		{"/api/v1/partners?a=USA&metric=best", 400, "metric", "unknown metric"},
		{"/api/v1/partners?a=USA&top=-1", 400, "top", "at least 0"},
		{"/api/v1/partners?a=USA&min_votes=x", 400, "min_votes", "whole number"},
		{"/api/v1/partners", 400, "a", "required"},
		{"/api/v1/splits?a=USA&b=IRN&limit=-5", 400, "limit", "at least 0"},
		{"/api/v1/align/issues?a=USA&b=IRN&issue=me", 400, "issue", "unknown parameter"},
		{"/api/v1/rollcalls?from=1990&to=1980", 400, "from", "after"},
		{"/api/v1/states/Atlantis", 404, "code", "unknown state"},
		{"/api/v1/states?q=iran&x=1", 400, "x", "unknown parameter"},
		{"/api/v1/nothing", 404, "", "no such API endpoint"},
		{"/api/v2/align", 404, "", "no such API endpoint"},
	}
	for _, c := range cases {
		code, h, b := get(t, ts, c.path)
		if code != c.status || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s: status %d (%s), want %d: %s", c.path, code, h.Get("Content-Type"), c.status, b)
			continue
		}
		var e Error
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("%s: %v: %s", c.path, err, b)
			continue
		}
		if e.Param != c.param || !strings.Contains(e.Message, c.msgContains) {
			t.Errorf("%s: got param %q message %q, want param %q and %q", c.path, e.Param, e.Message, c.param, c.msgContains)
		}
	}
	// suggestions for an unknown state
	_, _, b := get(t, ts, "/api/v1/partners?a=Iram")
	if e := decode[Error](t, b); len(e.Suggestions) == 0 || e.Suggestions[0] != "IRN" {
		t.Errorf("suggestions: %s", b)
	}
	// methods other than GET
	resp, err := ts.Client().Post(ts.URL+"/api/v1/align?a=USA&b=ISR", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != nethttp.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	// an empty store is 503 with a hint, not a 500
	_, ets := newTestServer(t, memstore.New())
	code, _, b := get(t, ets, "/api/v1/partners?a=USA")
	if code != 503 || !strings.Contains(string(b), "concord import unga") {
		t.Errorf("empty store: %d %s", code, b)
	}
	_ = s
}

func TestHealthzMetricsHeaders(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	code, _, b := get(t, ts, "/healthz")
	if code != 200 || !strings.Contains(string(b), `"roll_calls":60`) || !strings.Contains(string(b), `"votes":420`) {
		t.Errorf("healthz: %d %s", code, b)
	}
	get(t, ts, "/api/v1/align?a=USA&b=ISR")
	get(t, ts, "/api/v1/align?a=USA&b=ISR&issue=zz")
	code, h, b := get(t, ts, "/metrics")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %v", code, h)
	}
	for _, want := range []string{
		`concord_http_requests_total{code="200",method="GET",route="GET /api/v1/align"} 1`,
		`concord_http_requests_total{code="400",method="GET",route="GET /api/v1/align"} 1`,
		`concord_http_request_duration_seconds_bucket{route="GET /healthz"`,
		`concord_matrix_loads_total 1`,
		`concord_matrix_roll_calls 60`,
		`concord_matrix_states 7`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, path := range []string{"/", "/api/v1/align?a=USA&b=ISR", "/nothing"} {
		_, h, _ := get(t, ts, path)
		if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: security headers %v", path, h)
		}
	}
}

// The matrix is loaded once and reloaded when the store's counts change.
func TestMatrixReload(t *testing.T) {
	st := memstore.New()
	if _, err := st.ImportVotes(context.Background(), fixtureDataset([]string{"USA", "ISR"}), nil); err != nil {
		t.Fatal(err)
	}
	s, ts := newTestServer(t, st)
	s.CheckInterval = 30 * time.Millisecond
	if code, _, b := get(t, ts, "/api/v1/align?a=USA&b=IRN"); code != 404 || !strings.Contains(string(b), "no votes") {
		t.Fatalf("before import: %d %s", code, b)
	}
	if _, err := st.ImportVotes(context.Background(), fixtureDataset([]string{"IRN"}), nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, _, b := get(t, ts, "/api/v1/align?a=USA&b=IRN")
		if code == 200 {
			if r := decode[report.Align](t, b); r.Rows[0].Votes != 60 {
				t.Errorf("after reload: %+v", r.Rows[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("IRN's votes never showed up: %d %s", code, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Unchanged counts do not reload.
	for i := 0; i < 3; i++ {
		get(t, ts, "/api/v1/partners?a=USA")
		time.Sleep(40 * time.Millisecond)
	}
	_, _, b := get(t, ts, "/metrics")
	if !strings.Contains(string(b), "concord_matrix_loads_total 2\n") {
		t.Errorf("want exactly 2 loads (initial and after the import); metrics:\n%s", grepLines(string(b), "concord_matrix_loads_total"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
