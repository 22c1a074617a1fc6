package http

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/brief"
	"github.com/concord-project/concord/report"
)

// briefServer serves the fixture votes with every optional store: events, trade and a registry.
func briefServer(t *testing.T) (*Server, *httptest.Server) {
	s, ts := newTestServer(t, fixtureStore(t))
	for _, add := range fixtureStores {
		add(t, s)
	}
	s.Registry = sampleRegistry(t)
	return s, ts
}

func TestBriefAPIIsTheBriefOfPackageBrief(t *testing.T) {
	s, ts := briefServer(t)
	for _, states := range []string{"IRN,CUB", "USA,CHN,RUS"} {
		code, h, body := get(t, ts, "/api/v1/brief?states="+states+"&from=2001&to=2009")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: %d %s", states, code, body)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); err != nil || len(top) != 6 {
			t.Fatalf("%s: %d keys (%v): %s", states, len(top), err, body)
		}
		for _, k := range []string{"alignment", "positions", "agreements", "events", "economy", "coalition"} {
			var sec brief.Section
			if json.Unmarshal(top[k], &sec); sec.Source == "" {
				t.Errorf("%s: section %s without a source", states, k)
			}
		}
		// The same numbers as package brief on the server's stores.
		ix, err := s.index(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b, err := brief.Build(context.Background(), s.briefSources(ix), strings.Split(states, ","), 2001, 2009)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(b)
		var got, w any
		json.Unmarshal(body, &got)
		json.Unmarshal(want, &w)
		if g, _ := json.Marshal(got); string(g) != string(mustJSON(t, w)) {
			t.Errorf("%s: the API's brief differs from brief.Build's:\n%.300s\n%.300s", states, g, want)
		}
		// And the alignment is /api/v1/align's.
		var al struct {
			Pairs []struct {
				A, B    string
				Overall align.Row
			}
		}
		json.Unmarshal(top["alignment"], &al)
		p := al.Pairs[0]
		_, _, ab := get(t, ts, "/api/v1/align?a="+p.A+"&b="+p.B+"&from=2001&to=2009")
		ar := decode[report.Align](t, ab)
		if p.Overall.Votes != ar.Rows[0].Votes || p.Overall.Agree != ar.Rows[0].Agree || p.Overall.Votes == 0 {
			t.Errorf("%s-%s: brief %+v, align %+v", p.A, p.B, p.Overall, ar.Rows[0])
		}
	}
	// Events of the fixture between Iran and Cuba, and Iran and Cuba not in the trade fixture: said so.
	_, _, body := get(t, ts, "/api/v1/brief?states=IRN,CUB")
	var b brief.Brief
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	// Five fixture events, the two reports of the visit one event with both articles; the undated praise last.
	if ev := b.Events; ev.Total != 4 || ev.Kinds.Signing != 1 || ev.Kinds.Meeting != 1 || ev.Kinds.Criticism != 1 || ev.Latest[0].Date != "2024-03-02" ||
		len(ev.Latest[2].Articles) != 2 || ev.Latest[3].Date != "" || ev.Latest[3].Kind != brief.KindPraise || len(ev.Months) != 3 {
		t.Errorf("events %+v", b.Events)
	}
	if !strings.Contains(b.Economy.Missing, "Iran") || len(b.Economy.Pairs) != 1 || b.Economy.Pairs[0].Missing == "" {
		t.Errorf("economy without Iran and Cuba in the trade data: %+v", b.Economy.Section)
	}
	if !strings.Contains(b.Coalition.Missing, "more than two") {
		t.Errorf("coalition of a pair: %+v", b.Coalition.Section)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBriefWithoutOptionalStoresSaysSo(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t)) // a memstore: no registry, events or trade
	code, _, body := get(t, ts, "/api/v1/brief?states=USA,ISR")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var b brief.Brief
	json.Unmarshal(body, &b)
	for name, sec := range map[string]brief.Section{"agreements": b.Agreements.Section, "events": b.Events.Section, "economy": b.Economy.Section} {
		if !strings.Contains(sec.Missing, "configured") {
			t.Errorf("%s without a store: %+v", name, sec)
		}
	}
	if b.Alignment.Missing != "" || b.Alignment.Pairs[0].Overall.Votes == 0 {
		t.Errorf("alignment %+v", b.Alignment.Section)
	}
}

func TestBriefAPIErrorsNameTheParameter(t *testing.T) {
	_, ts := briefServer(t)
	for q, want := range map[string]struct {
		code  int
		param string
	}{
		"":                                 {400, "states"},
		"states=IRN":                       {400, "states"},
		"states=IRN,IRN":                   {400, "states"},
		"states=Atlantis,CUB":              {404, "states"},
		"states=IRN,CUB&from=2010&to=2000": {400, "from"},
		"states=IRN,CUB&from=x":            {400, "from"},
		"states=IRN,CUB&issue=me":          {400, "issue"},
	} {
		code, _, body := get(t, ts, "/api/v1/brief?"+q)
		e := decode[Error](t, body)
		if code != want.code || e.Param != want.param || e.Message == "" {
			t.Errorf("%q: %d %+v, want %d naming %s", q, code, e, want.code, want.param)
		}
	}
}

func TestBriefCSVHasTheChartsNumbers(t *testing.T) {
	_, ts := briefServer(t)
	code, h, body := get(t, ts, "/api/v1/brief?states=IRN,CUB&format=csv")
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if code != 200 || !strings.Contains(h.Get("Content-Type"), "csv") || lines[0] != "chart,series,period,value,lo,hi,n" {
		t.Fatalf("%d %s %q", code, h.Get("Content-Type"), lines[0])
	}
	charts := map[string]int{}
	for _, l := range lines[1:] {
		charts[strings.SplitN(l, ",", 2)[0]]++
	}
	if charts["agreement"] == 0 || charts["ideal"] == 0 || charts["events"] == 0 {
		t.Errorf("rows per chart %v", charts)
	}
}

func TestBriefPage(t *testing.T) {
	_, ts := briefServer(t)
	code, _, body := get(t, ts, "/brief")
	if code != 200 || !strings.Contains(string(body), `name="states"`) || strings.Contains(string(body), "pending") {
		t.Fatalf("form page: %d %s", code, body)
	}
	code, _, body = get(t, ts, "/brief?states=Iran,Cuba")
	page := string(body)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	for _, want := range []string{"Iran and Cuba: relationship brief", `id="alignment"`, `id="positions"`, `id="agreements"`, `id="events"`,
		`id="economy"`, `id="coalition"`, `id="brief-ideal"`, `id="brief-agreement"`, `id="brief-events"`,
		"/api/v1/brief?format=csv&amp;states=IRN%2CCUB", "Source: ", "A coalition is analysed for more than two states"} {
		if !strings.Contains(page, want) {
			t.Errorf("the brief page lacks %q", want)
		}
	}
	if strings.Contains(page, ` style="`) {
		t.Error("the page has a style attribute, which the Content-Security-Policy blocks")
	}
	// With a window the events are bounded by it: the fixture's events (2023–2024) are not in 2001–2009, and the page says so.
	if _, _, body := get(t, ts, "/brief?states=IRN,CUB&from=2001&to=2009"); !strings.Contains(string(body), "No coded event between IRN and CUB is stored for 2001–2009") {
		t.Error("the events section does not say that no event falls in the window")
	}
	if code, _, _ := get(t, ts, "/brief?states=Atlantis,Cuba"); code != 404 {
		t.Errorf("unknown state: %d", code)
	}
}
