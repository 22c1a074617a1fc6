package http

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A user names two states on the brief page and sees every section with its
// source, the charts drawn (ideal points with their bands, agreement per
// year, the monthly event score) beside their tables, and a CSV link that
// downloads the charts' numbers; then a coalition of three.
func TestBrowserBrief(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	_, ts := briefServer(t)
	ctx := browser(t)
	var errs consoleErrors
	errs.listen(t, ctx)

	step(t, ctx, "open the brief page", chromedp.Navigate(ts.URL+"/brief"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	step(t, ctx, "ask for Iran and Cuba",
		chromedp.SendKeys(chromedp.CSS("#states"), "Iran,Cuba"),
		chromedp.Click(chromedp.CSS(`form[aria-label="Choose the states of the brief"] button[type=submit]`)),
	)
	waitFor(t, ctx, `document.readyState === "complete" && !!document.querySelector("#coalition")`)
	if h := text(t, ctx, "main h1"); h != "Iran and Cuba: relationship brief" {
		t.Errorf("heading %q", h)
	}
	sources := eval[int](t, ctx, `document.querySelectorAll("section p.source").length`)
	if sources != 6 {
		t.Errorf("%d sections name their source, want 6", sources)
	}
	// The charts are drawn and visible; the ideal-point chart has one band per state.
	for _, id := range []string{"brief-ideal", "brief-agreement", "brief-events"} {
		if w := eval[float64](t, ctx, `document.getElementById("`+id+`").getBoundingClientRect().width`); w < 300 {
			t.Errorf("chart %s is %g px wide", id, w)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#brief-ideal path[fill-opacity]").length`); n != 2 {
		t.Errorf("%d bands on the ideal-point chart, want 2", n)
	}
	// The fixture's Iran–Cuba events: the newest first, with their source linked.
	first := eval[[]string](t, ctx, `Array.from(document.querySelector("#events tbody tr").cells).map(c => c.textContent.trim())`)
	if len(first) < 7 || first[0] != "2024-03-02" || first[2] != "criticism" || first[6] != "Article a4" {
		t.Errorf("latest event row %q", first)
	}
	// What is missing is said: Iran and Cuba are not in the trade fixture; a pair has no coalition.
	missing := eval[string](t, ctx, `Array.from(document.querySelectorAll(".missing")).map(p => p.textContent).join(" | ")`)
	if !strings.Contains(missing, "not in HS17") || !strings.Contains(missing, "more than two states") {
		t.Errorf("missing notes: %q", missing)
	}
	href := eval[string](t, ctx, `document.querySelector("#brief-ideal").parentElement.querySelector("a.csv").getAttribute("href")`)
	if code, _, b := get(t, ts, href); code != 200 || !strings.HasPrefix(string(b), "chart,series,period,value,lo,hi,n") || !strings.Contains(string(b), "ideal,IRN,") {
		t.Errorf("CSV %s: %d %.200s", href, code, b)
	}
	screenshot(t, ctx, "brief-irn-cub")

	step(t, ctx, "ask for the United States, China and Russia",
		chromedp.SetValue(chromedp.CSS("#states"), "USA,CHN,RUS"),
		chromedp.Click(chromedp.CSS(`form[aria-label="Choose the states of the brief"] button[type=submit]`)),
	)
	waitFor(t, ctx, `location.search.includes("USA") && document.readyState === "complete" && !!document.querySelector("#coalition table")`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#coalition tbody tr").length`); n == 0 {
		t.Error("no partners listed for the coalition")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#alignment h3").length`); n != 3 {
		t.Errorf("%d pairs in the alignment section, want 3", n)
	}
	screenshot(t, ctx, "brief-coalition")
	if m := errs.take(); len(m) > 0 {
		t.Errorf("console errors: %q", m)
	}
}
