package http

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/sqlite"
	"github.com/concord-project/concord/trade"
)

// tradeFixtureYear is a hand-made bilateral year of HS17 trade (thousands of USD):
//
//	USA sells computers 847130 to RUS (usaRus) and CHN 40
//	RUS sells crude oil 270900 to USA 50 and CHN 50
//	CHN sells T-shirts 610910 to USA 30 and BRA 30, and 847130 to BRA 40
//	BRA sells soya beans 120190 to CHN 100
//
// So TC(USA→RUS) = 100 (USA sells exactly what RUS buys), TC(RUS→USA) =
// 100·(1 − (0.375 + 0.375)/2) = 62.5, export similarity of USA and RUS 0,
// intensity of USA's exports to RUS (usaRus/X_USA)/(usaRus/W): 4 with
// usaRus = 60 (W = 400), 6 with usaRus = 20 (W = 360). RCA of CHN in 610910 =
// 0.6/(60/W) = 4 at usaRus = 60. Partners of USA by mean TC: RUS 81.25, CHN
// (21.05 + 37.5)/2, BRA (57.14 + 0)/2.
func tradeFixtureYear(year int, usaRus float64) *concord.TradeYear {
	ty := &concord.TradeYear{Classification: "HS17", Year: year, HasImports: true, Source: "hand-made", Rows: 8,
		Products: map[string]string{"847130": "Portable computers", "270900": "Crude petroleum"}}
	flows := []struct {
		i, j, k string
		v       float64
	}{{"USA", "RUS", "847130", usaRus}, {"USA", "CHN", "847130", 40}, {"RUS", "USA", "270900", 50}, {"RUS", "CHN", "270900", 50},
		{"CHN", "USA", "610910", 30}, {"CHN", "BRA", "610910", 30}, {"CHN", "BRA", "847130", 40}, {"BRA", "CHN", "120190", 100}}
	vals := map[[2]string]*concord.TradeValue{}
	var order [][2]string
	bil := map[[2]string]float64{}
	for _, f := range flows {
		for _, side := range []struct {
			s      string
			export bool
		}{{f.i, true}, {f.j, false}} {
			key := [2]string{side.s, f.k}
			if vals[key] == nil {
				vals[key] = &concord.TradeValue{State: side.s, Product: f.k}
				order = append(order, key)
			}
			if side.export {
				vals[key].Export += f.v
			} else {
				vals[key].Import += f.v
			}
		}
		if bil[[2]string{f.i, f.j}] == 0 {
			ty.Flows = append(ty.Flows, concord.TradeFlow{Exporter: f.i, Importer: f.j})
		}
		bil[[2]string{f.i, f.j}] += f.v
	}
	for i := range ty.Flows {
		ty.Flows[i].Value = bil[[2]string{ty.Flows[i].Exporter, ty.Flows[i].Importer}]
	}
	for _, k := range order {
		ty.Values = append(ty.Values, *vals[k])
	}
	return ty
}

// sitcFixtureYear is an exports-only SITC table: USA sells machinery, RUS fuel.
func sitcFixtureYear() *concord.TradeYear {
	return &concord.TradeYear{Classification: "SITC2", Year: 2000, Source: "hand-made", Rows: 3, Values: []concord.TradeValue{
		{State: "USA", Product: "7521", Export: 90}, {State: "USA", Product: "3330", Export: 10}, {State: "RUS", Product: "3330", Export: 100}}}
}

// tradeStore returns a new SQLite store holding HS17 2019 and 2020 and SITC2 2000.
func tradeStore(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "trade.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ImportTrade(context.Background(), []*concord.TradeYear{tradeFixtureYear(2019, 20), tradeFixtureYear(2020, 60), sitcFixtureYear()}, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// The test servers of the whole API (TestOpenAPIAgainstHandlers) hold the trade fixture.
func init() {
	fixtureStores = append(fixtureStores, func(t testing.TB, s *Server) { s.Trade = tradeStore(t) })
}

// tradeServer is a test server over the vote fixture with the trade fixture.
func tradeServer(t *testing.T) (*Server, *sqlite.DB, func(path string) (int, []byte)) {
	db := tradeStore(t)
	s, ts := newTestServer(t, fixtureStore(t))
	s.Trade = db
	return s, db, func(path string) (int, []byte) {
		code, _, b := get(t, ts, path)
		return code, b
	}
}

func nearly(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

type tradePairJSON struct {
	A, B         string
	Year         int
	TCAB         *float64 `json:"tc_ab"`
	TCBA         *float64 `json:"tc_ba"`
	TC           *float64 `json:"tc"`
	IntensityAB  *float64 `json:"intensity_ab"`
	Similarity   *float64 `json:"similarity"`
	ComplementAB int      `json:"complement_ab"`
}

type tradeGroupJSON struct {
	Code, Name string
	Products   int
	Share      float64 `json:"import_share"`
}

type tradeComplementJSON struct {
	A, B, Classification, Level, By string
	Year                            int
	Pair                            tradePairJSON
	AToB                            *tradeDirJSON `json:"a_to_b"`
	BToA                            *tradeDirJSON `json:"b_to_a"`
}

type tradeDirJSON struct {
	Exporter, Importer string
	TC                 *float64
	Products           []struct {
		Product, Name, Section string
		SectionName            string `json:"section_name"`
		RCA                    float64
	}
	Sections, Chapters []tradeGroupJSON
}

func TestTradeAPI(t *testing.T) {
	_, _, get := tradeServer(t)

	code, b := get("/api/v1/trade/years")
	years := decode[struct {
		Years []struct {
			Classification string
			Year           int
			HasImports     bool `json:"has_imports"`
			States         int
		}
	}](t, b)
	if code != 200 || len(years.Years) != 3 || years.Years[0].Year != 2019 || !years.Years[1].HasImports || years.Years[1].States != 4 ||
		years.Years[2].Classification != "SITC2" || years.Years[2].HasImports {
		t.Errorf("years: %d %s", code, b)
	}

	// RCA: by default the latest bilateral year, every product the state exports, highest first.
	type rcaJSON struct {
		State, Classification, Level string
		Year                         int
		Exports                      float64
		Products                     []struct {
			Product, Name string
			RCA           float64
		}
	}
	code, b = get("/api/v1/trade/rca?state=China")
	rca := decode[rcaJSON](t, b)
	if code != 200 || rca.State != "CHN" || rca.Year != 2020 || rca.Level != "hs6" || rca.Exports != 100 || len(rca.Products) != 2 ||
		rca.Products[0].Product != "610910" || !nearly(rca.Products[0].RCA, 4) || rca.Products[1].Name != "Portable computers" {
		t.Errorf("rca of China: %d %s", code, b)
	}
	for q, want := range map[string]int{"&top=1": 1, "&min_rca=1.2": 1, "&min_rca=0.5&top=0": 2, "&year=2019": 2} {
		if code, b = get("/api/v1/trade/rca?state=CHN" + q); code != 200 || len(decode[rcaJSON](t, b).Products) != want {
			t.Errorf("rca %s: %d %s, want %d products", q, code, b, want)
		}
	}
	// At section level the rows are HS sections with their names.
	code, b = get("/api/v1/trade/rca?state=CHN&level=section")
	rca = decode[rcaJSON](t, b)
	if code != 200 || rca.Level != "section" || len(rca.Products) != 2 || rca.Products[0].Product != "XI" || rca.Products[0].Name != "Textiles and textile articles" {
		t.Errorf("rca by section: %d %s", code, b)
	}
	// Exports-only data answers RCA.
	code, b = get("/api/v1/trade/rca?state=USA&classification=sitc2")
	rca = decode[rcaJSON](t, b)
	if code != 200 || rca.Classification != "SITC2" || rca.Year != 2000 || rca.Products[0].Product != "7521" {
		t.Errorf("rca on SITC: %d %s", code, b)
	}
	code, b = get("/api/v1/trade/rca?state=CHN&format=csv")
	if code != 200 || !strings.HasPrefix(string(b), "product,name,rca,exports,share,world_share\n610910,") {
		t.Errorf("rca csv: %d %s", code, b)
	}

	// Complementarity both ways, with the fields behind it.
	code, b = get("/api/v1/trade/complement?a=United+States&b=RUS")
	c := decode[tradeComplementJSON](t, b)
	if code != 200 || c.A != "USA" || c.B != "RUS" || c.Year != 2020 || c.By != "product" {
		t.Fatalf("complement: %d %s", code, b)
	}
	if !nearly(*c.Pair.TCAB, 100) || !nearly(*c.Pair.TCBA, 62.5) || !nearly(*c.Pair.IntensityAB, 4) || !nearly(*c.Pair.Similarity, 0) || c.Pair.ComplementAB != 1 {
		t.Errorf("pair indices: %s", b)
	}
	if len(c.AToB.Products) != 1 || c.AToB.Products[0].Name != "Portable computers" || c.AToB.Products[0].SectionName != "Machinery and electrical equipment" ||
		len(c.AToB.Sections) != 1 || c.AToB.Sections[0].Code != "XVI" || !nearly(c.AToB.Sections[0].Share, 1) ||
		len(c.AToB.Chapters) != 1 || c.AToB.Chapters[0].Code != "84" {
		t.Errorf("USA→RUS fields: %+v", c.AToB)
	}
	if c.BToA.Exporter != "RUS" || len(c.BToA.Sections) != 1 || c.BToA.Sections[0].Name != "Mineral products" || !nearly(c.BToA.Sections[0].Share, 0.625) {
		t.Errorf("RUS→USA fields: %+v", c.BToA)
	}
	// Another year: the intensity follows the flows of 2019.
	code, b = get("/api/v1/trade/complement?a=USA&b=RUS&year=2019")
	if c = decode[tradeComplementJSON](t, b); code != 200 || c.Year != 2019 || !nearly(*c.Pair.IntensityAB, 6) {
		t.Errorf("complement 2019: %d %s", code, b)
	}
	// top cuts each direction: CHN sells BRA two products, first the one BRA imports most (847130: 40 against 30).
	code, b = get("/api/v1/trade/complement?a=CHN&b=BRA&top=1")
	if c = decode[tradeComplementJSON](t, b); code != 200 || len(c.AToB.Products) != 1 || c.AToB.Products[0].Product != "847130" || c.Pair.ComplementAB != 2 {
		t.Errorf("complement top 1: %d %s", code, b)
	}
	// BRA sells nothing the USA buys: an empty list, not null.
	code, b = get("/api/v1/trade/complement?a=USA&b=BRA")
	if c = decode[tradeComplementJSON](t, b); code != 200 || c.BToA.Products == nil || len(c.BToA.Products) != 0 || len(c.AToB.Products) != 1 {
		t.Errorf("complement USA–BRA: %d %s", code, b)
	}
	code, b = get("/api/v1/trade/complement?a=USA&b=RUS&by=section&format=csv")
	if code != 200 || string(b) != "direction,tc,section,name,products,imports,import_share\n"+
		"USA→RUS,100,XVI,Machinery and electrical equipment,1,60,1\nRUS→USA,62.5,V,Mineral products,1,50,0.625\n" {
		t.Errorf("complement by section csv: %d %q", code, b)
	}

	// Partners, ranked by mean complementarity.
	code, b = get("/api/v1/trade/partners?state=USA")
	p := decode[struct {
		State    string
		Partners []tradePairJSON
	}](t, b)
	if code != 200 || p.State != "USA" || len(p.Partners) != 3 || p.Partners[0].B != "RUS" || !nearly(*p.Partners[0].TC, 81.25) ||
		p.Partners[1].B != "CHN" || p.Partners[2].B != "BRA" {
		t.Errorf("partners: %d %s", code, b)
	}
	if code, b = get("/api/v1/trade/partners?state=USA&top=1&format=csv"); code != 200 || !strings.HasPrefix(string(b), "state,tc,tc_out,tc_in,") ||
		strings.Count(string(b), "\n") != 2 {
		t.Errorf("partners csv: %d %s", code, b)
	}
}

func TestTradeAPIErrors(t *testing.T) {
	_, _, get := tradeServer(t)
	for _, c := range []struct {
		path   string
		status int
		param  string
		msg    string
	}{
		{"/api/v1/trade/rca", 400, "state", "required"},
		{"/api/v1/trade/rca?state=Atlantis", 404, "state", "unknown state"},
		{"/api/v1/trade/rca?state=FRA", 404, "state", "FRA has no trade in HS17 2020"},
		{"/api/v1/trade/rca?state=USA&year=1999", 404, "year", "stored: HS17 2019, HS17 2020, SITC2 2000 (exports only)"},
		{"/api/v1/trade/rca?state=USA&year=20x", 400, "year", "whole number"},
		{"/api/v1/trade/rca?state=USA&year=2020&classification=SITC2", 404, "classification", "classification SITC2"},
		{"/api/v1/trade/rca?state=USA&classification=HS92", 404, "classification", "no stored trade data"},
		{"/api/v1/trade/rca?state=USA&level=hs5", 400, "level", "unknown product level"},
		{"/api/v1/trade/rca?state=USA&classification=SITC2&level=hs2", 400, "level", "only Harmonized System data"},
		{"/api/v1/trade/rca?state=USA&top=-1", 400, "top", "at least 0"},
		{"/api/v1/trade/rca?state=USA&min_rca=much", 400, "min_rca", "want a number"},
		{"/api/v1/trade/complement?a=USA", 400, "b", "required"},
		{"/api/v1/trade/complement?a=USA&b=United+States", 400, "b", "both USA"},
		{"/api/v1/trade/complement?a=USA&b=FRA", 404, "b", "FRA has no trade"},
		{"/api/v1/trade/complement?a=Narnia&b=FRA", 404, "a", "unknown state"},
		{"/api/v1/trade/complement?a=USA&b=RUS&year=2000", 404, "year", "no stored bilateral trade data (with imports) for year 2000"},
		{"/api/v1/trade/complement?a=USA&b=RUS&classification=SITC2", 404, "classification", "bilateral"},
		{"/api/v1/trade/complement?a=USA&b=RUS&by=state", 400, "by", "want product, chapter or section"},
		{"/api/v1/trade/partners?state=FRA", 404, "state", "FRA has no trade"},
		{"/api/v1/trade/partners?state=USA&year=2000", 404, "year", "bilateral"},
		{"/api/v1/trade/partners?state=USA&extra=1", 400, "extra", "unknown parameter"},
	} {
		code, b := get(c.path)
		e := decode[Error](t, b)
		if code != c.status || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %d %s, want %d param %q with %q", c.path, code, b, c.status, c.param, c.msg)
		}
	}
}

// The OpenAPI document says what a 404 and a 503 of the trade endpoints mean.
func TestTradeAPIDocumented(t *testing.T) {
	_, _, get := tradeServer(t)
	_, b := get("/api/openapi.json")
	doc := decode[struct {
		Paths map[string]struct {
			Get struct {
				Responses map[string]struct{ Description string }
			}
		}
	}](t, b)
	for _, p := range []string{"/api/v1/trade/rca", "/api/v1/trade/complement", "/api/v1/trade/partners"} {
		r := doc.Paths[p].Get.Responses
		if !strings.Contains(r["404"].Description, "without trade") || !strings.Contains(r["503"].Description, "no trade store") {
			t.Errorf("%s: 404 %q, 503 %q", p, r["404"].Description, r["503"].Description)
		}
	}
}

// Without a trade store, and with a store that holds no trade, the endpoints say so.
func TestTradeAPIWithoutTrade(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t)) // a memstore: no trade store
	for _, path := range []string{"/api/v1/trade/years", "/api/v1/trade/rca?state=USA", "/api/v1/trade/complement?a=USA&b=RUS", "/api/v1/trade/partners?state=USA"} {
		code, h, b := get(t, ts, path)
		if code != 503 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || !strings.Contains(decode[Error](t, b).Message, "no trade data") {
			t.Errorf("%s without a trade store: %d %s", path, code, b)
		}
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, ts := newTestServer(t, fixtureStore(t))
	s.Trade = db
	if code, _, b := get(t, ts, "/api/v1/trade/years"); code != 200 || strings.TrimSpace(string(b)) != `{"years":[]}` {
		t.Errorf("years of an empty store: %d %s", code, b)
	}
	if code, _, b := get(t, ts, "/api/v1/trade/partners?state=USA"); code != 503 || !strings.Contains(string(b), "holds no trade yet") {
		t.Errorf("partners on an empty store: %d %s", code, b)
	}
}

// The server reads a year from the store once, sums its levels from it, and
// reads again after an import changes the stored years.
func TestTradeTablesCached(t *testing.T) {
	s, db, get := tradeServer(t)
	for _, path := range []string{"/api/v1/trade/rca?state=CHN", "/api/v1/trade/complement?a=USA&b=RUS", "/api/v1/trade/partners?state=USA&level=section",
		"/api/v1/trade/complement?a=USA&b=CHN&level=hs2", "/api/v1/trade/rca?state=CHN&year=2019"} {
		if code, b := get(path); code != 200 {
			t.Fatalf("%s: %d %s", path, code, b)
		}
	}
	if n := s.trade.loads.Load(); n != 2 {
		t.Errorf("%d years read from the store for requests on 2020 and 2019, want 2", n)
	}
	// A new year of 2020 (more sold to Russia) replaces the stored one: the next request reads it.
	if _, err := db.ImportTrade(context.Background(), []*concord.TradeYear{tradeFixtureYear(2020, 20)}, nil); err != nil {
		t.Fatal(err)
	}
	code, b := get("/api/v1/trade/complement?a=USA&b=RUS")
	if c := decode[tradeComplementJSON](t, b); code != 200 || !nearly(*c.Pair.IntensityAB, 6) || s.trade.loads.Load() != 3 {
		t.Errorf("after replacing 2020: %d, %d loads, %s", code, s.trade.loads.Load(), b)
	}
}

// Concurrent first requests on a year read it once; beyond maxTradeTables
// tables the least recently used is dropped and made again when asked for.
func TestTradeTablesConcurrentAndBounded(t *testing.T) {
	s, _, get := tradeServer(t)
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = get("/api/v1/trade/complement?a=USA&b=RUS&level=hs4")
		}()
	}
	wg.Wait()
	if n := s.trade.loads.Load(); n != 1 || slices.ContainsFunc(codes, func(c int) bool { return c != 200 }) {
		t.Errorf("8 concurrent requests: %d loads, statuses %v", n, codes)
	}
	var paths []string
	for _, y := range []string{"2019", "2020"} {
		for _, l := range []string{"hs6", "hs4", "hs2", "section"} {
			paths = append(paths, "/api/v1/trade/rca?state=CHN&year="+y+"&level="+l)
		}
	}
	paths = append(paths, "/api/v1/trade/rca?state=USA&classification=SITC2")
	for _, p := range paths {
		if code, b := get(p); code != 200 {
			t.Fatalf("%s: %d %s", p, code, b)
		}
	}
	s.trade.mu.Lock()
	n := len(s.trade.entries)
	s.trade.mu.Unlock()
	if n != maxTradeTables || s.trade.loads.Load() != 3 {
		t.Errorf("%d tables kept after 9 (want %d), %d years read (want 3)", n, maxTradeTables, s.trade.loads.Load())
	}
	// The least recently used went: 2019 by heading (its HS6 table served each later 2019 level).
	s.trade.mu.Lock()
	_, kept := s.trade.entries[tradeKey{"HS17", 2019, trade.HS4}]
	_, base := s.trade.entries[tradeKey{"HS17", 2019, trade.HS6}]
	s.trade.mu.Unlock()
	if kept || !base {
		t.Errorf("2019 by heading kept %t, 2019 at HS6 kept %t; want the heading table dropped", kept, base)
	}
	// Asked for again, it is summed anew from the HS6 table, without reading the store.
	if code, _ := get(paths[1]); code != 200 || s.trade.loads.Load() != 3 {
		t.Errorf("2019 by heading after eviction: %d, %d years read (want 3)", code, s.trade.loads.Load())
	}
}

// On the shared BACI extract (South Africa's and Afghanistan's exports of
// 2020) and the SITC table: China buys minerals from South Africa, the page
// and the API agree, and Saudi Arabia's top SITC products have RCA above 1.
func TestTradeAPIOnRealFiles(t *testing.T) {
	baci := testdata.File(t, "trade/baci_hs17_2020_exports_afg_zaf.csv.gz")
	sitc := testdata.File(t, "trade/sitc2_4digit_exports_avg_1998_2000.csv.gz")
	ys, err := trade.ReadFiles(context.Background(), trade.Options{}, baci, sitc)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "real.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportTrade(context.Background(), ys, nil); err != nil {
		t.Fatal(err)
	}
	s, ts := newTestServer(t, fixtureStore(t))
	s.Trade = db
	code, _, b := get(t, ts, "/api/v1/trade/complement?a=South+Africa&b=CHN&top=3")
	c := decode[tradeComplementJSON](t, b)
	if code != 200 || c.Year != 2020 || c.Classification != "HS17" || len(c.AToB.Products) != 3 || c.AToB.Sections[0].Code != "V" ||
		c.Pair.TCAB == nil || !(*c.Pair.TCAB > 0 && *c.Pair.TCAB < 100) || c.Pair.TCBA != nil {
		t.Fatalf("ZAF→CHN: %d %s", code, b)
	}
	for _, p := range c.AToB.Products {
		if p.RCA <= 1 || p.Name == "" || p.SectionName == "" {
			t.Errorf("complementary product %+v", p)
		}
	}
	// The page shows the same fields with their names (China exports nothing in the extract: no reverse direction).
	code, _, b = get(t, ts, "/trade?a=ZAF&b=CHN")
	if code != 200 || !strings.Contains(string(b), "<td>V</td><td>Mineral products</td>") || !strings.Contains(string(b), `id="tc-ba">undefined<`) ||
		!strings.Contains(string(b), "The data hold no exports of China in HS17 2020") || !strings.Contains(string(b), "Only 2 states export") {
		t.Errorf("page ZAF–CHN: %d", code)
	}
	code, _, b = get(t, ts, "/api/v1/trade/rca?state=Saudi+Arabia&classification=SITC2&top=5")
	rca := decode[struct {
		Year     int
		Products []struct{ RCA float64 }
	}](t, b)
	if code != 200 || rca.Year != 2000 || len(rca.Products) != 5 || rca.Products[4].RCA <= 1 {
		t.Errorf("SAU on SITC: %d %s", code, b)
	}
}
