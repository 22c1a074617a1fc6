package http

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/concord-project/concord/sqlite"
)

func TestTradePage(t *testing.T) {
	_, _, get := tradeServer(t)
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		// the pickers, with the stored years newest first (one per year) and the states that trade
		{"/trade", 200, []string{`<form action="/trade"`, `name="a"`, `name="b"`, `name="state"`,
			`<option value="2020" selected>2020 (HS17)</option><option value="2019">2019 (HS17)</option></select>`,
			`<option value="2000">2000 (SITC2, exports only)</option>`, `<option value="RUS">Russia</option>`, "Stored years", "exports only",
			`href="/api/v1/trade/years?format=csv"`}},
		// a pair: both TCs, intensity, similarity, the fields as a chart with its table and CSV, the products with names
		{"/trade?a=USA&b=Russia&year=2020", 200, []string{"Trade of United States <span class=\"code\">USA</span> and Russia",
			`id="tc-ab">100<`, `id="tc-ba">62.5<`, `id="ti-ab">4<`, `id="es">0<`, `id="x-ab">$60 k<`,
			`<svg class="chart" id="fields-usa-rus"`, `<svg class="chart" id="fields-rus-usa"`, `role="img"`,
			"What United States could sell Russia, by field", "<td>XVI</td><td>Machinery and electrical equipment</td>",
			"<td>V</td><td>Mineral products</td>", "<td>847130</td><td>Portable computers</td>", "<td>270900</td><td>Crude petroleum</td>",
			`/api/v1/trade/complement?a=USA&amp;b=RUS&amp;by=section&amp;classification=HS17&amp;format=csv&amp;year=2020&amp;top=0`,
			`href="/pairs/USA/RUS"`, `<option value="2019">2019 (HS17)</option>`}},
		// the other year, from the picker
		{"/trade?a=USA&b=RUS&year=2019", 200, []string{`id="ti-ab">6<`, `<option value="2019" selected>`}},
		// the pair picker offers only bilateral years
		{"/trade?a=CHN&b=BRA", 200, []string{"What China could sell Brazil", "<td>610910</td>", "No votes of both in the UN record"}},
		{"/trade?a=USA&b=BRA", 200, []string{"Brazil has a comparative advantage in none of the products United States imports.", `id="partial"`, "Only 4 states export in HS17 2020"}},
		// a state: RCA by section as a chart with its table, top products, partners linking to the pair pages
		{"/trade?state=CHN", 200, []string{"Trade of China", `id="state-votes-link" href="/states/CHN"`, `<svg class="chart" id="rca-sections"`, "<td>XI</td><td>Textiles and textile articles</td><td class=\"num\">4</td>",
			"<td>610910</td>", `href="/trade?a=CHN&amp;b=USA&amp;year=2020"`, "/api/v1/trade/rca?classification=HS17&amp;format=csv&amp;state=CHN&amp;year=2020&amp;top=0"}},
		// exports-only data: RCA, and a plain note instead of partners
		{"/trade?state=USA&year=2000", 200, []string{"Trade of United States", "SITC2 2000", "<td>7521</td>", "has exports only: complementarity needs bilateral data",
			"(exports in the units of the source table)", `<td class="num">90</td>`}},
		{"/trade?a=USA&b=RUS&year=2000", 404, []string{"no stored bilateral trade data"}},
		{"/trade?a=USA&b=FRA", 404, []string{"FRA has no trade in HS17 2020"}},
		{"/trade?a=USA&b=USA", 400, []string{"choose two different states"}},
		{"/trade?a=USA", 400, []string{"required"}},
		{"/trade?state=Atlantis", 404, []string{"unknown state"}},
		{"/trade?year=1999", 404, []string{"no stored trade data for year 1999"}},
		{"/trade?bogus=1", 400, []string{"unknown parameter"}},
	}
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`)
	for _, c := range cases {
		code, b := get(c.path)
		body := string(b)
		if code != c.status {
			t.Errorf("%s: %d, want %d", c.path, code, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", c.path, w)
			}
		}
		if strings.Contains(body, ` style="`) || inlineScript.MatchString(body) || strings.Contains(body, "<style") {
			t.Errorf("%s has inline style or script, which the CSP blocks", c.path)
		}
		// Brazil has no votes in the fixture: no link to voting pages that do not exist.
		if strings.Contains(body, `href="/pairs/CHN/BRA"`) || strings.Contains(body, `href="/states/BRA"`) {
			t.Errorf("%s links to a voting page of Brazil", c.path)
		}
		if strings.Contains(body, "awaits the trade/ analysis") {
			t.Errorf("%s: the placeholder is still served", c.path)
		}
	}
	// The links of the page work.
	_, b := get("/trade?a=USA&b=RUS&year=2020")
	for _, m := range regexp.MustCompile(`href="(/(?:api/v1/trade|trade)[^"]*)"`).FindAllStringSubmatch(string(b), -1) {
		path := strings.ReplaceAll(m[1], "&amp;", "&")
		if code, body := get(path); code != 200 {
			t.Errorf("link %s: %d %s", path, code, body)
		}
	}
}

// Without trade the page says so plainly.
func TestTradePageWithoutTrade(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	if code, _, b := get(t, ts, "/trade?a=USA&b=RUS"); code != 200 || !strings.Contains(string(b), "This server has no trade data") {
		t.Errorf("no trade store: %d %s", code, b)
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, ts := newTestServer(t, fixtureStore(t))
	s.Trade = db
	if code, _, b := get(t, ts, "/trade"); code != 200 || !strings.Contains(string(b), "No trade data is loaded yet") || !strings.Contains(string(b), "concord fetch baci") {
		t.Errorf("empty trade store: %d %s", code, b)
	}
}
