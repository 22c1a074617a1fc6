package http

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// sampleTimeline is the whole timeline of FRA and DEU in reg (seeded), at least 5 steps.
func sampleTimeline(t *testing.T, reg concord.Registry) []concord.TimelineEntry {
	t.Helper()
	whole, err := reg.Timeline(context.Background(), "FRA", "DEU")
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) < 5 {
		t.Fatalf("the sample timeline of FRA and DEU has %d steps; the test needs 5", len(whole))
	}
	return whole
}

// TestAPITimelinePages: GET /api/v1/timeline answers a page (100 steps unless
// limit says otherwise, limit=0 for all) with the number of steps in all; the
// pages put together are the whole timeline, on each store.
func TestAPITimelinePages(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		whole := sampleTimeline(t, e.reg)
		get := func(query string) timelineResult {
			t.Helper()
			r := e.do(t, req{method: "GET", path: "/api/v1/timeline?a=FRA&b=DEU" + query})
			if r.code != 200 {
				t.Fatalf("%s: %d %s", query, r.code, r.body)
			}
			return decodeAs[timelineResult](t, r)
		}
		all := get("&limit=0")
		if !reflect.DeepEqual(all.Entries, whole) || all.Total != len(whole) || all.Limit != 0 || all.Offset != 0 || all.More {
			t.Errorf("limit=0: %d steps, total %d, limit %d, more %v; want the %d steps of Timeline", len(all.Entries), all.Total, all.Limit, all.More, len(whole))
		}
		if def := get(""); def.Limit != 100 || def.Total != len(whole) || len(def.Entries) != min(100, len(whole)) {
			t.Errorf("default page: limit %d, total %d, %d steps", def.Limit, def.Total, len(def.Entries))
		}
		var pieced []concord.TimelineEntry
		for offset := 0; ; offset += 2 {
			p := get(fmt.Sprintf("&limit=2&offset=%d", offset))
			if p.Total != len(whole) || p.Limit != 2 || p.Offset != offset || p.More != (offset+2 < len(whole)) {
				t.Fatalf("page at %d: total %d, limit %d, offset %d, more %v", offset, p.Total, p.Limit, p.Offset, p.More)
			}
			pieced = append(pieced, p.Entries...)
			if !p.More {
				break
			}
		}
		if !reflect.DeepEqual(pieced, whole) {
			t.Errorf("pages of 2 put together differ from the whole timeline:\n%v\n%v", pieced, whole)
		}
		if past := get("&offset=1000"); len(past.Entries) != 0 || past.More || past.Total != len(whole) {
			t.Errorf("past the end: %d steps, more %v, total %d", len(past.Entries), past.More, past.Total)
		}

		// The CSV download has every step with limit=0 (the registry page links to it so).
		r := e.do(t, req{method: "GET", path: "/api/v1/timeline?a=FRA&b=DEU&limit=0&format=csv"})
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if r.code != 200 || err != nil || len(rows) != len(whole)+1 {
			t.Errorf("CSV of the whole timeline: %d, %d rows (want %d and a header), %v", r.code, len(rows), len(whole), err)
		}

		for _, c := range []struct{ query, param string }{{"&limit=-1", "limit"}, {"&limit=5001", "limit"}, {"&offset=-1", "offset"}, {"&limit=x", "limit"}} {
			r := e.do(t, req{method: "GET", path: "/api/v1/timeline?a=FRA&b=DEU" + c.query})
			if r.code != 400 || r.err().Param != c.param {
				t.Errorf("%s: %d %s, want 400 naming %s", c.query, r.code, r.body, c.param)
			}
		}
	})
}

// TestTimelineJSON: the timeline's own JSON encoding writes the bytes
// json.Marshal writes (with its newline), whatever the titles and texts hold.
func TestTimelineJSON(t *testing.T) {
	odd := []string{"", "plain", `say "hi"`, `back\slash`, "<b>&amp;</b>", "tab\there", "nl\n", "bell\x07", "Genève–Bâle", "\u2028 line sep", "bad \xff utf-8", "emoji 🙂"}
	for _, r := range []timelineResult{
		{A: "FRA", B: "DEU", Entries: []concord.TimelineEntry{}, Total: 0, Limit: 100},
		{A: "FRA", B: "DEU", Total: 3668, Limit: 0, Offset: 7, More: true, Entries: []concord.TimelineEntry{
			{Date: "1997-12-11", AgreementID: "KYOTO_1997P", Title: "Kyoto Protocol", Event: "signed"},
			{Date: "2002-05-31", AgreementID: "X", Title: "T", State: "FRA", Event: "ratified"},
		}},
	} {
		for i, s := range odd {
			r.Entries = append(r.Entries, concord.TimelineEntry{Date: s, AgreementID: odd[(i+1)%len(odd)], Title: odd[(i+2)%len(odd)], State: odd[(i+3)%len(odd)], Event: "commitment-due: " + s})
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.jsonBody(); string(got) != string(want)+"\n" {
			t.Errorf("jsonBody:\n%s\njson.Marshal:\n%s", got, want)
		}
	}
}
