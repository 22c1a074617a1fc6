package http

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserRealRecord loads the pages on the whole UN record (the shared
// data) in Chromium: no console errors (so the Content-Security-Policy is
// satisfied), every form control labelled, every chart named for screen
// readers, nothing wider than the window; a user builds a coalition with
// the keyboard alone and ranks it by ideal points. Screenshots go to
// testout/http/real-*.png.
func TestBrowserRealRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	s := realHandler(t)
	ctx := browser(t)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	var errs consoleErrors
	errs.listen(t, ctx)

	pages := []struct{ name, path, wait string }{
		{"real-home", "/", "#home-state"},
		{"real-states", "/state", ".state-list"},
		{"real-state", "/states/USA?issue=me&with=ISR,GBR,FRA", "#ideal-chart"},
		{"real-pair", "/pairs/USA/ISR?from=1990", "#splits-h"},
		{"real-blocs", "/blocs?year=2019&span=5", "#bloc-map"},
		{"real-coalition", "/coalitions?seeds=NOR,SWE&issue=hr&from=2000&to=2019&build=6", "#steps-h"},
		{"real-coalition-ideal", "/coalitions?seeds=NOR,SWE&from=2010&to=2019&metric=ideal", "#candidates"},
	}
	for _, p := range pages {
		// Fit what the page needs first (ideal points take seconds on a first view), so that the browser's wait is about the page.
		if code, body := serve(s, p.path); code != 200 {
			t.Fatalf("%s: %d %s", p.path, code, body)
		}
		step(t, ctx, "loading "+p.path, chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
		unlabelled := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("main input, main select, main textarea"))
			.filter(e => e.type !== "hidden" && !(e.labels && e.labels.length) && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
			.map(e => e.id || e.name || e.outerHTML)`)
		if len(unlabelled) > 0 {
			t.Errorf("%s: form controls without a label: %q", p.path, unlabelled)
		}
		unnamed := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("svg.chart"))
			.filter(e => e.getAttribute("role") !== "img" || !(e.getAttribute("aria-labelledby") || "").split(" ").every(id => id && document.getElementById(id) && document.getElementById(id).textContent.trim()))
			.map(e => e.id)`)
		if len(unnamed) > 0 {
			t.Errorf("%s: charts without a name and description: %q", p.path, unnamed)
		}
		if w := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
			t.Errorf("%s: the page is %d px wide in a %d px window", p.path, w[0], w[1])
		}
		screenshot(t, ctx, p.name)
		if m := errs.take(); len(m) > 0 {
			t.Errorf("%s: console errors: %q", p.path, m)
		}
	}

	// The list of states leads to each state's page, by keyboard too. (Norway's
	// page fits ideal points over all roll calls of 1991–2019: seconds on a
	// first view, kept afterwards; fit them first so that a loaded machine does
	// not run out the browser's wait.)
	if code, body := serve(s, "/states/NOR"); code != 200 {
		t.Fatalf("/states/NOR: %d %s", code, body)
	}
	step(t, ctx, "open Norway from the list of states",
		chromedp.Navigate(ts.URL+"/state"),
		chromedp.WaitVisible(chromedp.CSS(".state-list")),
		chromedp.Focus(chromedp.CSS(`.state-list a[href="/states/NOR"]`)),
		chromedp.KeyEvent(kb.Enter),
	)
	waitFor(t, ctx, `location.pathname === "/states/NOR" && document.readyState === "complete"`)
	if h := text(t, ctx, "h1"); !strings.HasPrefix(h, "Norway") {
		t.Errorf("the state list's Norway led to %q", h)
	}

	// Ranked by ideal points: distances ascending, one bar per candidate.
	step(t, ctx, "back to the coalition ranked by ideal points", chromedp.Navigate(ts.URL+pages[len(pages)-1].path), chromedp.WaitVisible(chromedp.CSS("#candidates")))
	dists := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#candidates tbody tr")).map(tr => tr.cells[2].textContent.trim())`)
	if len(dists) != 20 {
		t.Fatalf("%d candidates by ideal points, want 20 (top): %q", len(dists), dists)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#candidates-chart rect").length`); n != 20 {
		t.Errorf("%d bars, want 20", n)
	}
	// The bars draw the distances of the table.
	if bar := eval[string](t, ctx, `document.querySelector("#candidates-chart rect title").textContent`); !strings.HasSuffix(bar, ": "+dists[0]) {
		t.Errorf("first bar %q, want the distance %s", bar, dists[0])
	}
	if !eval[bool](t, ctx, `(() => { const d = Array.from(document.querySelectorAll("#candidates tbody tr")).map(tr => parseFloat(tr.cells[2].textContent)); return d.every((x, i) => i === 0 || d[i-1] <= x) })()`) {
		t.Errorf("ideal-point distances not ascending: %q", dists)
	}

	// Keyboard only: type the seeds, move to the ranking with Tab, pick it by typing, submit with Enter.
	step(t, ctx, "build a coalition by keyboard",
		chromedp.Navigate(ts.URL+"/coalitions"),
		chromedp.WaitVisible(chromedp.CSS("#seeds")),
		chromedp.Focus(chromedp.CSS("#seeds")),
		chromedp.KeyEvent("Denmark, Finland"),
		chromedp.KeyEvent(kb.Tab), // issue
		chromedp.KeyEvent(kb.Tab), // from
		chromedp.KeyEvent("2010"),
		chromedp.KeyEvent(kb.Tab), // to
		chromedp.KeyEvent(kb.Tab), // rank by
	)
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "metric" {
		t.Fatalf("four Tabs from the seeds reach %q, want the ranking", id)
	}
	step(t, ctx, "pick ideal-point distance and submit",
		chromedp.KeyEvent("i"),
		chromedp.Focus(chromedp.CSS("#seeds")),
		chromedp.KeyEvent(kb.Enter),
	)
	waitFor(t, ctx, `location.search.includes("metric=ideal") && document.readyState === "complete" && !!document.querySelector("#candidates")`)
	if h := text(t, ctx, "#seeds-h"); h != "The seeds: DNK, FIN" {
		t.Errorf("seeds heading %q", h)
	}
	if c := text(t, ctx, "#candidates caption"); !strings.Contains(c, "ideal point") {
		t.Errorf("candidates caption %q", c)
	}
	if m := errs.take(); len(m) > 0 {
		t.Errorf("console errors: %q", m)
	}
}
