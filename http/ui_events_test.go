package http

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// The events page shows the pair's monthly chart, its table and CSV link, and
// every event with its evidence sentence and a link to each reporting article.
func TestEventsPage(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	s.Events = eventFixture(t)

	code, _, b := get(t, ts, "/events")
	page := string(b)
	if code != 200 || !strings.Contains(page, `<form action="/events"`) || !strings.Contains(page, `id="a"`) {
		t.Fatalf("picker: %d %s", code, b)
	}

	code, _, b = get(t, ts, "/events?a=IRN&b=Cuba")
	page = html.UnescapeString(string(b))
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	want := pairFixture()
	months := map[string]bool{}
	for _, f := range want {
		if f.date != "" {
			months[f.date[:7]] = true
		}
	}
	// chart: one column per month with events
	if n := strings.Count(page, `<rect class="month"`); n != len(months) {
		t.Errorf("the chart has %d month columns, want %d", n, len(months))
	}
	if !strings.Contains(page, `<svg class="chart" id="event-chart"`) {
		t.Error("no chart")
	}
	// table: one row per month
	table := page[strings.Index(page, `id="timeline-table"`):]
	table = table[:strings.Index(table, "</table>")]
	for m := range months {
		if !strings.Contains(table, ">"+m+"</td>") {
			t.Errorf("the table has no row for %s", m)
		}
	}
	if !strings.Contains(page, `href="/api/v1/events/timeline?a=IRN&b=CUB&format=csv"`) || !strings.Contains(page, `href="/api/v1/events?a=IRN&b=CUB&format=csv"`) {
		t.Error("CSV links missing")
	}
	// events: each with its sentence and the address of each article
	if n := len(regexp.MustCompile(`<li id="event-\d+"`).FindAllString(page, -1)); n != len(want) {
		t.Errorf("%d events listed, want %d", n, len(want))
	}
	for _, f := range fixtureEvents {
		in := f.src+f.tgt == "IRNCUB" || f.src+f.tgt == "CUBIRN"
		if strings.Contains(page, f.sentence) != in {
			t.Errorf("sentence %q shown: %v, want %v", f.sentence, !in, in)
		}
		if in && !strings.Contains(page, `<a href="`+f.url+`" rel="external noopener">`) {
			t.Errorf("no link to %s", f.url)
		}
	}
	if !strings.Contains(page, "2 mentions") {
		t.Error("the event reported twice does not say so")
	}

	// a pair without events says so
	_, _, b = get(t, ts, "/events?a=FRA&b=DEU")
	if p := string(b); !strings.Contains(p, "No events between France and Germany are stored") || strings.Contains(p, `id="event-chart"`) {
		t.Errorf("pair without events: %s", b)
	}
	// a bad state or day is an error page naming it
	code, _, b = get(t, ts, "/events?a=Atlantis&b=CUB")
	if code != 404 || !strings.Contains(string(b), "Atlantis") {
		t.Errorf("unknown state: %d", code)
	}
	code, _, b = get(t, ts, "/events?a=IRN&b=CUB&from=2023-13")
	if code != 400 || !strings.Contains(string(b), "from") {
		t.Errorf("bad from: %d", code)
	}

	// the pair page links to the pair's events
	_, _, b = get(t, ts, "/pairs/IRN/CUB")
	if !strings.Contains(string(b), `href="/events?a=IRN&amp;b=CUB"`) {
		t.Error("the pair page does not link to the events page")
	}

	// without an event store the page says so plainly
	s.Events = nil
	for _, p := range []string{"/events", "/events?a=IRN&b=CUB"} {
		code, _, b = get(t, ts, p)
		if code != 200 || !strings.Contains(string(b), "This server has no event store") || strings.Contains(string(b), `id="event-chart"`) {
			t.Errorf("%s without a store: %d", p, code)
		}
	}
}
