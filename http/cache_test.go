package http

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/report"
)

// serve sends GET path to s's handler and returns the status and body.
func serve(s *Server, path string) (int, string) {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

// TestCachedJSONMatchesEncodingJSON checks that align and partners, written
// without reflection and cached, answer byte for byte what encoding/json
// writes for the report types, on the fixture and on the real record.
func TestCachedJSONMatchesEncodingJSON(t *testing.T) {
	fix := NewServer(fixtureStore(t))
	fix.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	servers := map[string]*Server{"fixture": fix}
	if testing.Short() {
		t.Log("short: fixture only")
	} else if _, err := testdata.Locate(); err == nil || os.Getenv("CONCORD_REQUIRE_DATA") == "1" {
		servers["real"] = realHandler(t)
	}
	windows := []align.Window{{}, {From: 2003, To: 2007, Issue: "me"}, {From: 1990, Issue: "hr"}, {To: 2004}, {Important: true}}
	for name, s := range servers {
		ix, err := s.index(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pairs := [][2]string{{"USA", "IRN"}, {"FRA", "ISR"}, {"CUB", "CHN"}}
		for _, w := range windows {
			for _, by := range []align.By{align.All, align.Year, align.Session} {
				for _, p := range pairs {
					url := fmt.Sprintf("/api/v1/align?a=%s&b=%s&from=%d&to=%d&issue=%s&important=%t&by=%s", p[0], p[1], w.From, w.To, w.Issue, w.Important, by)
					rows, err := ix.Pair(p[0], p[1], w, by)
					if err != nil {
						t.Fatal(err)
					}
					if rows == nil {
						rows = []align.Row{}
					}
					want, _ := json.Marshal(report.Align{A: p[0], B: p[1], From: w.From, To: w.To, Issue: w.Issue, Rows: rows})
					for range 2 { // computed, then cached
						if code, got := serve(s, url); code != 200 || got != string(want)+"\n" {
							t.Fatalf("%s %s: %d\n got %s\nwant %s", name, url, code, got, want)
						}
					}
				}
			}
			for _, m := range align.Metrics {
				url := fmt.Sprintf("/api/v1/partners?a=USA&from=%d&to=%d&issue=%s&important=%t&metric=%s&top=7", w.From, w.To, w.Issue, w.Important, m)
				ps, err := ix.Partners("USA", w, m, 1)
				if err != nil {
					t.Fatal(err)
				}
				ps = ps[:min(7, len(ps))]
				want, _ := json.Marshal(report.Partners{A: "USA", Metric: m, From: w.From, To: w.To, Issue: w.Issue, Rows: ps})
				for range 2 {
					if code, got := serve(s, url); code != 200 || got != string(want)+"\n" {
						t.Fatalf("%s %s: %d\n got %s\nwant %s", name, url, code, got, want)
					}
				}
			}
		}
	}
}

// TestResponseCache checks that a repeated request (even with another
// spelling of a state) is answered from the cache, that the least recently
// used entries go beyond the bound, and that an import is seen at once.
func TestResponseCache(t *testing.T) {
	st := fixtureStore(t)
	s, _ := newTestServer(t, st)
	rc := &s.cache.responses
	const url = "/api/v1/partners?a=USA&issue=me"
	if code, body := serve(s, url); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	h, m := rc.hits.Load(), rc.misses.Load()
	_, first := serve(s, url)
	_, again := serve(s, "/api/v1/partners?a=United%20States&issue=me&top=0")
	if rc.hits.Load() != h+2 || rc.misses.Load() != m || first != again {
		t.Errorf("hits %d→%d, misses %d→%d; want two hits and the same answer", h, rc.hits.Load(), m, rc.misses.Load())
	}
	// Other parameters are other entries.
	if _, other := serve(s, "/api/v1/partners?a=USA&issue=hr"); other == first || rc.misses.Load() != m+1 {
		t.Errorf("issue=hr answered from issue=me's entry")
	}

	// The bound: with room for two, the least recently used goes.
	defer func(n int) { maxCachedResponses = n }(maxCachedResponses)
	maxCachedResponses = 2
	for _, u := range []string{"/api/v1/align?a=USA&b=IRN", "/api/v1/align?a=USA&b=CUB", "/api/v1/align?a=USA&b=IRN", "/api/v1/align?a=USA&b=FRA"} {
		serve(s, u)
	}
	rc.mu.Lock()
	n, keys := rc.ll.Len(), []string{}
	for e := rc.ll.Front(); e != nil; e = e.Next() {
		keys = append(keys, e.Value.(*cachedEntry).key)
	}
	rc.mu.Unlock()
	if n != 2 || len(keys) != 2 || keys[0] != "align?a=USA&b=FRA"+windowKey(align.Window{})+"&by=all" || keys[1] != "align?a=USA&b=IRN"+windowKey(align.Window{})+"&by=all" {
		t.Errorf("entries after the bound: %q, want FRA then IRN (CUB least recently used)", keys)
	}

	// An import changes the answer at once (the server checks the store on every request here).
	_, before := serve(s, "/api/v1/align?a=USA&b=IRN")
	ds := &concord.Dataset{RollCalls: []concord.RollCall{{RCID: 5000, Session: 65, Date: fixtureDataset(nil).RollCalls[0].Date.AddDate(11, 0, 0), Issues: []concord.Issue{"me"}}},
		Votes: []concord.VoteRecord{{RCID: 5000, State: "USA", Vote: concord.Yes}, {RCID: 5000, State: "IRN", Vote: concord.Yes}}}
	if _, err := st.ImportVotes(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
	_, after := serve(s, "/api/v1/align?a=USA&b=IRN")
	var r report.Align
	if err := json.Unmarshal([]byte(after), &r); err != nil || after == before || r.Rows[0].Votes != 61 {
		t.Errorf("after an import: %s (before %s), want 61 votes", after, before)
	}
}
