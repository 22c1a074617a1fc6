package http

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A user picks two states and a year on the trade page and sees their
// complementarity both ways, the fields behind it as a chart beside its
// table, the products with their names and the link to their votes; then one
// state's comparative advantages.
func TestBrowserTrade(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests take a few seconds")
	}
	s, ts := newTestServer(t, fixtureStore(t))
	s.Trade = tradeStore(t)
	ctx := browser(t)
	var errs consoleErrors
	errs.listen(t, ctx)

	step(t, ctx, "open the trade page", chromedp.Navigate(ts.URL+"/trade"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	screenshot(t, ctx, "trade-pickers")
	step(t, ctx, "pick the United States, Russia and 2019",
		chromedp.SendKeys(chromedp.CSS("#trade-a"), "United States"),
		chromedp.SendKeys(chromedp.CSS("#trade-b"), "RUS"),
		chromedp.SetValue(chromedp.CSS("#trade-year"), "2019"),
		chromedp.Click(chromedp.CSS(`form[aria-label="Choose two states"] button[type=submit]`)),
	)
	waitFor(t, ctx, `location.search.includes("a=United") && document.readyState === "complete" && !!document.querySelector("#indices-h")`)
	if h := text(t, ctx, "h1"); h != "Trade of United States USA and Russia RUS, HS17 2019" {
		t.Errorf("heading %q", h)
	}
	// TC USA→RUS 100 (USA sells only what RUS buys), RUS→USA 62.5; in 2019 USA sold RUS 20 of its 60: intensity 6.
	facts := eval[[]string](t, ctx, `["tc-ab", "tc-ba", "ti-ab", "es"].map(id => document.getElementById(id).textContent)`)
	if fmt.Sprint(facts) != "[100 62.5 6 0]" {
		t.Errorf("TC both ways, intensity, similarity: %q", facts)
	}
	// The fields: one bar per HS section in each direction, the same fields in the tables beside the charts.
	bars := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("svg[id^=fields-] rect title")).map(t => t.textContent)`)
	if len(bars) != 2 || !strings.HasPrefix(bars[0], "XVI Machinery and electrical equipment: 100") || !strings.HasPrefix(bars[1], "V Mineral products: 62.5") {
		t.Errorf("bars of the field charts: %q", bars)
	}
	fields := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("section .chart-table tbody tr")).map(tr => tr.cells[1].textContent + " " + tr.cells[4].textContent)`)
	if fmt.Sprint(fields) != "[Machinery and electrical equipment 100.0% Mineral products 62.5%]" {
		t.Errorf("field tables: %q", fields)
	}
	products := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("table.complement-products tbody tr")).map(tr => tr.cells[0].textContent + " " + tr.cells[1].textContent)`)
	if fmt.Sprint(products) != "[847130 Portable computers 270900 Crude petroleum]" {
		t.Errorf("complementary products: %q", products)
	}
	if w := eval[float64](t, ctx, `document.querySelector("svg[id^=fields-]").getBoundingClientRect().width`); w < 300 {
		t.Errorf("the field chart is %g px wide", w)
	}
	// The CSV beside the chart downloads the same fields from the API.
	href := eval[string](t, ctx, `document.querySelector("a.csv").getAttribute("href")`)
	if code, _, b := get(t, ts, href); code != 200 || !strings.Contains(string(b), "USA→RUS,100,XVI,Machinery and electrical equipment,1,20,1") {
		t.Errorf("CSV link %s: %d %s", href, code, b)
	}
	screenshot(t, ctx, "trade-pair")

	// The pair's voting page is one click away.
	step(t, ctx, "follow the link to the votes", chromedp.Click(chromedp.CSS("#votes-link")))
	waitFor(t, ctx, `location.pathname === "/pairs/USA/RUS" && document.readyState === "complete" && !!document.querySelector("#splits-h")`)

	// One state: RCA by field and product, partners linking back to pairs.
	step(t, ctx, "pick China",
		chromedp.Navigate(ts.URL+"/trade"),
		chromedp.SendKeys(chromedp.CSS("#trade-state"), "China"),
		chromedp.Click(chromedp.CSS(`form[aria-label="Choose one state"] button[type=submit]`)),
	)
	waitFor(t, ctx, `location.search.includes("state=") && document.readyState === "complete" && !!document.querySelector("#rca-h")`)
	rca := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#rca-sections rect title")).map(t => t.textContent)`)
	if len(rca) != 2 || rca[0] != "XI Textiles and textile articles: 4" {
		t.Errorf("RCA bars: %q", rca)
	}
	partners := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("table.trade-partners tbody tr td:first-child")).map(td => td.textContent)`)
	if len(partners) != 3 {
		t.Errorf("partners of China: %q", partners)
	}
	screenshot(t, ctx, "trade-state")
	if m := errs.take(); len(m) > 0 {
		t.Errorf("console errors: %q", m)
	}
}
