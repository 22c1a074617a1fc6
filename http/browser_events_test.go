package http

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A user opens the events page, chooses Iran and Cuba with the keyboard, and
// sees their monthly cooperation–conflict chart, its table, and the sentence
// of the Radio Habana Cuba report (Iran's leader receiving Cuba's president on
// 4 December 2023) linked to the article; the pair page links to the timeline.
func TestBrowserEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	s, ts := newTestServer(t, fixtureStore(t))
	s.Events = realEventStore(t)
	ctx := browser(t)
	var errs consoleErrors
	errs.listen(t, ctx)

	step(t, ctx, "choose Iran and Cuba",
		chromedp.Navigate(ts.URL+"/events"),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
		chromedp.SendKeys(chromedp.CSS("#a"), "Iran"),
		chromedp.SendKeys(chromedp.CSS("#b"), "Cuba"),
		chromedp.SendKeys(chromedp.CSS("#b"), kb.Enter),
	)
	waitFor(t, ctx, `location.search.includes("b=Cuba") && document.readyState === "complete" && !!document.querySelector("#event-chart")`)
	if h := text(t, ctx, "h1"); !strings.Contains(h, "Iran") || !strings.Contains(h, "Cuba") {
		t.Errorf("heading %q", h)
	}
	// the chart has one cooperative column (December 2023), drawn with a size
	cols := eval[[]float64](t, ctx, `Array.from(document.querySelectorAll("#event-chart rect.month")).map(r => r.getBoundingClientRect().height)`)
	if len(cols) != 1 || cols[0] < 20 {
		t.Errorf("chart columns %v, want one visible column", cols)
	}
	if fill := eval[string](t, ctx, `document.querySelector("#event-chart rect.month").getAttribute("fill")`); fill != palette[0] {
		t.Errorf("December 2023 drawn in %s, want the cooperation colour %s", fill, palette[0])
	}
	if row := eval[string](t, ctx, `document.querySelector("#timeline-table tbody tr td").textContent`); row != "2023-12" {
		t.Errorf("first table row %q", row)
	}
	if href := eval[string](t, ctx, `document.querySelector("#timeline-h ~ p a.csv").getAttribute("href")`); href != "/api/v1/events/timeline?a=IRN&b=CUB&format=csv" {
		t.Errorf("CSV link %q", href)
	}
	// the evidence of the host event, linked to its article
	ev := eval[string](t, ctx, `(Array.from(document.querySelectorAll("li.event")).find(li => li.textContent.includes("Host a visit")) || {}).innerText || ""`)
	if !strings.Contains(ev, "receives Cuban President Miguel Díaz-Canel in Tehran on December 4, 2023") || !strings.Contains(ev, "2023-12-04") {
		t.Errorf("host event: %q", ev)
	}
	link := eval[string](t, ctx, `(Array.from(document.querySelectorAll("li.event")).find(li => li.textContent.includes("Host a visit")).querySelector("blockquote p.source a") || {}).href || ""`)
	if !strings.HasPrefix(link, "https://www.radiohc.cu/") {
		t.Errorf("the evidence links to %q, want the Radio Habana Cuba article", link)
	}
	screenshot(t, ctx, "events")
	if m := errs.take(); len(m) > 0 {
		t.Errorf("console errors: %q", m)
	}

	// from the pair page, the link leads to the pair's events
	step(t, ctx, "follow the pair page's link",
		chromedp.Navigate(ts.URL+"/pairs/IRN/CUB"),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
		chromedp.Click(chromedp.CSS(`a[href^="/events?"]`)),
	)
	waitFor(t, ctx, `location.pathname === "/events" && document.readyState === "complete" && !!document.querySelector("#event-chart")`)
	if got := eval[string](t, ctx, `location.search`); got != "?a=IRN&b=CUB" {
		t.Errorf("the pair page's link leads to %q", got)
	}
	errs.take()

	// a pair without stored events says so
	step(t, ctx, "a pair without events", chromedp.Navigate(ts.URL+"/events?a=FRA&b=DEU"), chromedp.WaitVisible(chromedp.CSS("#no-events")))
	if got := text(t, ctx, "#no-events"); !strings.Contains(got, "No events between France and Germany are stored") {
		t.Errorf("empty pair: %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#event-chart").length`); n != 0 {
		t.Error("an empty chart is drawn for a pair without events")
	}
	screenshot(t, ctx, "events-empty")
	if m := errs.take(); len(m) > 0 {
		t.Errorf("console errors: %q", m)
	}
}
