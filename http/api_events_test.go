package http

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/events"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/sqlite"
)

func init() {
	fixtureStores = append(fixtureStores, func(t testing.TB, s *Server) { s.Events = eventFixture(t) })
}

// fixtureEvent is one hand-made event of the fixture and the article that reports it.
type fixtureEvent struct {
	date, src, tgt, code, url, sentence string
}

// fixtureEvents are the events of eventFixture: Iran and Cuba over three
// months, one event reported by two articles, one undated, and one event of
// Cuba with the United States (not of the pair).
var fixtureEvents = []fixtureEvent{
	{"2023-12-04", "IRN", "CUB", "043", "https://news.example/a1", "Iran's leader received Cuba's president in Tehran on Monday."},
	{"2023-12-04", "IRN", "CUB", "043", "https://news.example/a2", "The Iranian leader hosted the Cuban president on Monday."},
	{"2023-12-04", "CUB", "USA", "111", "https://news.example/a1", "Cuba's president criticised the United States."},
	{"2024-01-15", "IRN", "CUB", "057", "https://news.example/a3", "Iran and Cuba signed a trade agreement."},
	{"2024-03-02", "CUB", "IRN", "112", "https://news.example/a4", "Cuba accused Iran of delaying payments."},
	{"", "IRN", "CUB", "051", "https://news.example/a4", "Tehran has long praised Havana."},
}

// eventFixture stores fixtureEvents in a temporary SQLite store, one article per address.
func eventFixture(t testing.TB) concord.EventStore {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cb := events.DefaultCodebook()
	byURL := map[string][]concord.Event{}
	var urls []string
	for _, f := range fixtureEvents {
		ci, ok := cb.Lookup(f.code)
		if !ok {
			t.Fatalf("fixture code %s", f.code)
		}
		text := "Headline.\n" + f.sentence
		e := concord.Event{Date: f.date, Source: concord.EventActor{State: f.src}, Target: concord.EventActor{State: f.tgt},
			Code: f.code, Root: ci.Root(), QuadClass: ci.QuadClass(), Goldstein: ci.Goldstein,
			Evidence: concord.Evidence{Sentence: f.sentence, Start: strings.Index(text, f.sentence), End: len(text)},
			Article:  concord.ArticleRef{ID: "id-" + f.url, URL: f.url, Title: "Article " + f.url[len(f.url)-2:]}}
		if byURL[f.url] == nil {
			urls = append(urls, f.url)
		}
		byURL[f.url] = append(byURL[f.url], e)
	}
	for _, u := range urls {
		evs := byURL[u]
		if _, err := db.AddArticleEvents(context.Background(), evs[0].Article, "2024-03-05", evs); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// pairFixture returns the fixture's events of the pair IRN–CUB, de-duplicated by key.
func pairFixture() map[string]fixtureEvent {
	out := map[string]fixtureEvent{}
	for _, f := range fixtureEvents {
		if f.src+f.tgt == "IRNCUB" || f.src+f.tgt == "CUBIRN" {
			out[f.date+f.src+f.tgt+f.code] = f
		}
	}
	return out
}

func TestAPIEvents(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	s.Events = eventFixture(t)

	code, _, b := get(t, ts, "/api/v1/events?a=IRN&b=Cuba")
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	l := decode[report.EventList](t, b)
	want := pairFixture()
	if l.A != "IRN" || l.B != "CUB" || l.Total != len(want) || len(l.Events) != len(want) {
		t.Fatalf("a %s b %s total %d events %d, want IRN CUB %d", l.A, l.B, l.Total, len(l.Events), len(want))
	}
	prev := ""
	for _, e := range l.Events {
		f, ok := want[e.Date+e.Source.State+e.Target.State+e.Code]
		if !ok {
			t.Errorf("event %s %s→%s %s not in the fixture's pair", e.Date, e.Source.State, e.Target.State, e.Code)
			continue
		}
		if e.Date < prev {
			t.Errorf("events not by date: %s after %s", e.Date, prev)
		}
		prev = e.Date
		ci, _ := events.DefaultCodebook().Lookup(e.Code)
		if e.Label != ci.Description || e.Label == "" || e.Goldstein != ci.Goldstein || e.QuadClass != ci.QuadClass() {
			t.Errorf("%s: label %q Goldstein %v quad %d, want the codebook's %q %v %d", e.Code, e.Label, e.Goldstein, e.QuadClass, ci.Description, ci.Goldstein, ci.QuadClass())
		}
		n := 0
		for _, x := range fixtureEvents {
			if x.date == f.date && x.src == f.src && x.tgt == f.tgt && x.code == f.code {
				n++
			}
		}
		if e.Mentions != n || len(e.Reports) != n {
			t.Errorf("%s %s: %d mentions, %d reports, want %d articles", e.Date, e.Code, e.Mentions, len(e.Reports), n)
		}
		for _, r := range e.Reports {
			if !strings.HasPrefix(r.Article.URL, "https://news.example/") || r.Evidence.Sentence == "" ||
				r.Evidence.Start != len("Headline.\n") || r.Evidence.End != r.Evidence.Start+len(r.Evidence.Sentence) {
				t.Errorf("report %+v: want the article's address and the sentence's offsets", r)
			}
		}
	}

	// code, root and limit
	for q, n := range map[string]int{"code=043": 1, "root=11": 1, "root=5": 2, "code=057&root=05": 1, "from=2024": 2, "to=2023-12": 1, "from=2024-01-15&to=2024-01-15": 1, "code=190": 0} {
		code, _, b := get(t, ts, "/api/v1/events?a=IRN&b=CUB&"+q)
		if code != 200 {
			t.Errorf("%s: %d %s", q, code, b)
			continue
		}
		if l := decode[report.EventList](t, b); l.Total != n || len(l.Events) != n {
			t.Errorf("%s: total %d, %d events, want %d", q, l.Total, len(l.Events), n)
		}
	}
	code, _, b = get(t, ts, "/api/v1/events?a=IRN&b=CUB&limit=2")
	if l := decode[report.EventList](t, b); code != 200 || l.Total != len(want) || len(l.Events) != 2 {
		t.Errorf("limit=2: %d, total %d, %d events", code, l.Total, len(l.Events))
	}
	// a alone: every event of Cuba, the United States included
	code, _, b = get(t, ts, "/api/v1/events?a=CUB")
	if l := decode[report.EventList](t, b); code != 200 || l.Total != len(want)+1 {
		t.Errorf("a=CUB: %d, total %d, want %d", code, l.Total, len(want)+1)
	}

	// CSV: a header and one row per event, with the evidence and the address
	code, h, b := get(t, ts, "/api/v1/events?a=IRN&b=CUB&format=csv")
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || err != nil || len(rows) != len(want)+1 {
		t.Fatalf("csv: %d %s %v rows %d", code, h.Get("Content-Type"), err, len(rows))
	}
	if strings.Join(rows[0], ",") != "id,date,source,target,cameo,label,quad_class,goldstein,mentions,place,evidence,start,end,address" {
		t.Errorf("csv header %q", rows[0])
	}
}

func TestAPIEventTimeline(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	s.Events = eventFixture(t)
	code, _, b := get(t, ts, "/api/v1/events/timeline?a=Cuba&b=IRN")
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	tl := decode[report.EventTimeline](t, b)
	// expected from the fixture: dated events of the pair by month
	wantM := map[string]concord.MonthScore{}
	for _, f := range pairFixture() {
		if f.date == "" {
			continue
		}
		ci, _ := events.DefaultCodebook().Lookup(f.code)
		m := wantM[f.date[:7]]
		m.Month = f.date[:7]
		m.Events++
		m.Goldstein += ci.Goldstein
		m.Quad[ci.QuadClass()-1]++
		wantM[m.Month] = m
	}
	if tl.A != "CUB" || tl.B != "IRN" || len(tl.Months) != len(wantM) {
		t.Fatalf("timeline %+v, want %d months", tl, len(wantM))
	}
	for _, m := range tl.Months {
		w := wantM[m.Month]
		if m.Events != w.Events || math.Abs(m.Goldstein-w.Goldstein) > 1e-9 || m.Quad != w.Quad {
			t.Errorf("%s: %+v, want %+v", m.Month, m, w)
		}
	}
	code, _, b = get(t, ts, "/api/v1/events/timeline?a=CUB&b=IRN&from=2024-02&to=2024")
	if tl := decode[report.EventTimeline](t, b); code != 200 || len(tl.Months) != 1 || tl.Months[0].Month != "2024-03" || tl.From != "2024-02-01" || tl.To != "2024-12-31" {
		t.Errorf("from=2024-02&to=2024: %d %+v", code, tl)
	}
	// a pair without events: an empty list, not null
	code, _, b = get(t, ts, "/api/v1/events/timeline?a=FRA&b=IRN")
	if code != 200 || !strings.Contains(string(b), `"months":[]`) {
		t.Errorf("pair without events: %d %s", code, b)
	}
	code, h, b := get(t, ts, "/api/v1/events/timeline?a=CUB&b=IRN&format=csv")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(b), "month,events,goldstein,verbal_coop,material_coop,verbal_conflict,material_conflict\n") {
		t.Errorf("csv: %d %s %q", code, h.Get("Content-Type"), b)
	}
}

// Bad input names its parameter; a server without an event store answers 503.
func TestAPIEventErrors(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	s.Events = eventFixture(t)
	for _, c := range []struct {
		path, param string
		status      int
	}{
		{"/api/v1/events?a=Atlantis", "a", 404},
		{"/api/v1/events?b=CUB", "b", 400},
		{"/api/v1/events?a=IRN&b=Atlantis", "b", 404},
		{"/api/v1/events?a=IRN&from=2023-13", "from", 400},
		{"/api/v1/events?a=IRN&from=yesterday", "from", 400},
		{"/api/v1/events?a=IRN&to=2023-02-30", "to", 400},
		{"/api/v1/events?a=IRN&from=2024&to=2023", "to", 400},
		{"/api/v1/events?a=IRN&code=999", "code", 400},
		{"/api/v1/events?a=IRN&code=abc", "code", 400},
		{"/api/v1/events?a=IRN&root=21", "root", 400},
		{"/api/v1/events?a=IRN&root=x", "root", 400},
		{"/api/v1/events?a=IRN&root=04&code=111", "root", 400},
		{"/api/v1/events?a=IRN&limit=-1", "limit", 400},
		{"/api/v1/events?a=IRN&limit=many", "limit", 400},
		{"/api/v1/events?a=IRN&since=2020", "since", 400},
		{"/api/v1/events/timeline?a=IRN", "b", 400},
		{"/api/v1/events/timeline?b=IRN", "a", 400},
		{"/api/v1/events/timeline?a=IRN&b=Iran", "b", 400},
		{"/api/v1/events/timeline?a=IRN&b=CUB&to=2024-1", "to", 400},
		{"/api/v1/events/timeline?a=IRN&b=CUB&format=xml", "format", 400},
	} {
		code, h, b := get(t, ts, c.path)
		e := decode[Error](t, b)
		if code != c.status || e.Param != c.param || e.Message == "" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d naming %q", c.path, code, b, c.status, c.param)
		}
	}
	s.Events = nil
	for _, p := range []string{"/api/v1/events?a=IRN", "/api/v1/events/timeline?a=IRN&b=CUB"} {
		code, h, b := get(t, ts, p)
		if e := decode[Error](t, b); code != 503 || !strings.Contains(e.Message, "no event store") || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s without an event store: %d %s", p, code, b)
		}
	}
}

// The real development articles, coded into a temporary store, are served
// with the evidence of the Radio Habana Cuba report: Iran's leader receiving
// Cuba's president in Tehran on 4 December 2023.
// realEventStore codes the development articles into a temporary SQLite store.
func realEventStore(t *testing.T) *sqlite.DB {
	t.Helper()
	dir := testdata.File(t, "events/articles")
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := events.NewCoder()
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) < 11 {
		t.Fatalf("%d articles in %s", len(files), dir)
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := events.ReadArticle(fh, "")
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		pub := ""
		if !a.Published.IsZero() {
			pub = a.Published.Format("2006-01-02")
		}
		if _, err := db.AddArticleEvents(context.Background(), concord.ArticleRef{ID: a.ID, URL: a.URL, Title: a.Title}, pub, c.Code(a)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestAPIEventsRealArticles(t *testing.T) {
	db := realEventStore(t)
	s, ts := newTestServer(t, fixtureStore(t))
	s.Events = db
	code, _, b := get(t, ts, "/api/v1/events?a=IRN&b=CUB&code=043")
	l := decode[report.EventList](t, b)
	if code != 200 || l.Total != 1 {
		t.Fatalf("%d: %s", code, b)
	}
	e := l.Events[0]
	if e.Date != "2023-12-04" || e.Source.State != "IRN" || e.Target.State != "CUB" || !strings.Contains(e.Evidence.Sentence, "receives Cuban President Miguel Díaz-Canel") ||
		!strings.Contains(e.Article.URL, "radiohc.cu") || e.Evidence.End <= e.Evidence.Start {
		t.Errorf("host event %+v", e)
	}
	code, _, b = get(t, ts, "/api/v1/events/timeline?a=IRN&b=CUB")
	tl := decode[report.EventTimeline](t, b)
	if code != 200 || len(tl.Months) != 1 || tl.Months[0].Month != "2023-12" || tl.Months[0].Goldstein <= 0 || tl.Months[0].Quad[0] == 0 {
		t.Errorf("timeline of the real articles: %d %+v, want December 2023 cooperative", code, tl)
	}
}
