package http

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/trade"
)

// The trade page: /trade?a=&b=&year= shows how two states' trade complement
// each other (TC both ways, intensity, export similarity, the fields and
// products one could sell the other); /trade?state=&year= shows one state's
// products by comparative advantage and its most complementary partners;
// /trade alone the pickers and the stored years.

// tradePageProducts is how many complementary products or RCA rows the page lists; the CSV has them all.
const tradePageProducts = 15

var tradePageParams = []param{{Name: "a", Type: "string"}, {Name: "b", Type: "string"}, {Name: "state", Type: "string"}, pTradeYear, pTradeClass}

func init() { funcs["usd"] = usd } // the template's money: $1.2 bn

// tradePages is the trade page.
func (s *Server) tradePages() []page {
	return []page{{Path: "/trade", Template: "trade", Nav: "Trade", load: s.tradePage}}
}

// tradeYearOption is one stored year of the year pickers.
type tradeYearOption struct {
	Year     int
	Label    string // e.g. 2020 (HS17)
	Selected bool
}

// tradeYearOptions lists each stored year once, newest first, labelled with
// the classification a request for it reads (bilateral data only for a pair).
func tradeYearOptions(stored []concord.TradeYearInfo, class string, shown *trade.Table, bilateral bool) []tradeYearOption {
	var out []tradeYearOption
	for i := len(stored) - 1; i >= 0; i-- {
		y := stored[i].Year
		if slices.ContainsFunc(out, func(o tradeYearOption) bool { return o.Year == y }) {
			continue
		}
		info, err := report.ChooseTradeYear(stored, report.TradeSelection{Year: y, Classification: class, NeedImports: bilateral})
		if err != nil {
			continue
		}
		label := fmt.Sprintf("%d (%s)", y, info.Classification)
		if !info.HasImports {
			label = fmt.Sprintf("%d (%s, exports only)", y, info.Classification)
		}
		out = append(out, tradeYearOption{Year: y, Label: label, Selected: y == shown.Year})
	}
	slices.SortStableFunc(out, func(a, b tradeYearOption) int { return b.Year - a.Year })
	return out
}

// tradeFact is one index of the pair, with what it means.
type tradeFact struct {
	ID, Name, Value, Meaning string
}

// tradeDirection is what one state could sell the other.
type tradeDirection struct {
	Exporter, Importer         string // codes
	ExporterName, ImporterName string
	ImporterPoss               string // e.g. "Russia's", "United States'"
	NoExports                  bool   // the data hold no exports of the exporter
	C                          *trade.Complement
	Chart                      template.HTML
	Products                   []trade.ComplementaryProduct // the first tradePageProducts
	More                       int                          // products not listed
}

// tradePageData is what the trade page shows.
type tradePageData struct {
	Missing               string // why there is nothing to show: no trade store, or no trade in it
	Stored                []concord.TradeYearInfo
	PairYears, StateYears []tradeYearOption // the years of the pickers, newest first
	Choices               []stateChoice     // states with trade in the chosen year
	Year                  int
	Class                 string // classification asked for, kept by the forms
	Table                 string // e.g. HS17 2020, the year shown
	Partial               string // a note when few states export in it
	Money                 bool   // values are BACI's thousands of US dollars (exports-only tables keep their source's units)

	A, B   concord.State // the pair, when one is chosen
	Facts  []tradeFact
	Dirs   []tradeDirection
	SecCSV string
	PrdCSV string
	Votes  string // the pair's voting page, when both have votes

	State      concord.State // the state, when one is chosen
	StateVotes string        // its voting page, when it has votes
	RCA        []trade.ProductRCA
	RCAChart   template.HTML
	Sections   []trade.ProductRCA
	RCACSV     string
	SecRCA     string
	Partners   []trade.PairIndices
	PartCSV    string
	PartNote   string // why partners are not shown
}

// PageTitle names the page after what it shows.
func (d tradePageData) PageTitle() string {
	switch {
	case d.A.Code != "":
		return "Trade of " + d.A.Name + " and " + d.B.Name
	case d.State.Code != "":
		return "Trade of " + d.State.Name
	}
	return "Trade"
}

func (s *Server) tradePage(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, tradePageParams)
	if err != nil {
		return nil, err
	}
	d := tradePageData{Class: q.get("classification")}
	if d.Year, err = q.int(pTradeYear, 0); err != nil {
		return nil, err
	}
	if s.Trade == nil {
		d.Missing = "This server has no trade data: serve a SQLite store (concord serve --db FILE) into which trade was imported."
		return d, nil
	}
	if d.Stored, err = s.Trade.TradeYears(r.Context()); err != nil {
		return nil, err
	}
	if len(d.Stored) == 0 {
		d.Missing = "No trade data is loaded yet."
		return d, nil
	}
	pair := q.get("a") != "" || q.get("b") != ""
	one := q.get("state") != ""
	// The year the page shows: as asked, for a pair a bilateral one.
	tb, _, err := s.tradeTable(r.Context(), q, pair)
	if err != nil {
		return nil, err
	}
	d.Table = fmt.Sprintf("%s %d", tb.Classification, tb.Year)
	if n := tb.Exporters(); n < 20 {
		d.Partial = fmt.Sprintf("Only %d states export in %s (a partial extract?): the world of comparative advantage and intensity is these states.", n, d.Table)
	}
	d.Year = tb.Year
	d.Money = tb.HasImports
	d.PairYears, d.StateYears = tradeYearOptions(d.Stored, d.Class, tb, true), tradeYearOptions(d.Stored, d.Class, tb, false)
	for _, c := range tb.States {
		d.Choices = append(d.Choices, stateChoice{c, report.StateName(c)})
	}
	switch {
	case pair:
		return d, s.tradePairSection(r, &d, q, tb)
	case one:
		return d, s.tradeStateSection(r, &d, q, tb)
	}
	return d, nil
}

func (s *Server) tradePairSection(r *nethttp.Request, d *tradePageData, q *query, tb *trade.Table) error {
	a, err := q.state("a")
	if err != nil {
		return err
	}
	b, err := q.state("b")
	if err != nil {
		return err
	}
	if a == b {
		return badParam("b", "choose two different states (a and b are both "+a+")")
	}
	res, err := report.NewTradeComplement(tb, a, b, "hs6", "section", 0)
	var nost *report.NoStateTradeError
	if errors.As(err, &nost) {
		name := "a"
		if nost.State == b {
			name = "b"
		}
		return &Error{Status: nethttp.StatusNotFound, Param: name, Message: nost.Error()}
	}
	if err != nil {
		return err
	}
	d.A, _ = countryOf(a)
	d.B, _ = countryOf(b)
	p := res.Pair
	an, bn, ap, bp := d.A.Name, d.B.Name, possessive(d.A.Name), possessive(d.B.Name)
	d.Facts = []tradeFact{
		{"tc-ab", "Complementarity " + a + " → " + b, trimFloat(round(p.TCAB, 1)), "How well " + ap + " exports match " + bp + " imports: 100 when the mix is the same, 0 when they share nothing."},
		{"tc-ba", "Complementarity " + b + " → " + a, trimFloat(round(p.TCBA, 1)), "How well " + bp + " exports match " + ap + " imports."},
		{"ti-ab", "Trade intensity " + a + " → " + b, trimFloat(round(p.IntensityAB, 2)), "Share of " + ap + " exports going to " + bn + " over " + bp + " share of world imports: above 1, more trade than " + bp + " size predicts."},
		{"ti-ba", "Trade intensity " + b + " → " + a, trimFloat(round(p.IntensityBA, 2)), "The same for " + bp + " exports to " + an + "."},
		{"es", "Export similarity", trimFloat(round(p.Similarity, 1)), "Overlap of their export mixes (Finger–Kreinin), 0 to 100: high, they compete to sell the same goods."},
		{"x-ab", "Exports " + a + " → " + b, usd(p.ExportsAB), "Goods " + an + " sold " + bn + " in " + strconv.Itoa(tb.Year) + "."},
		{"x-ba", "Exports " + b + " → " + a, usd(p.ExportsBA), "Goods " + bn + " sold " + an + "."},
	}
	for _, c := range []*trade.Complement{res.AToB, res.BToA} {
		ex, _ := countryOf(c.Exporter)
		im, _ := countryOf(c.Importer)
		dir := tradeDirection{Exporter: c.Exporter, Importer: c.Importer, ExporterName: ex.Name, ImporterName: im.Name, ImporterPoss: possessive(im.Name), C: c,
			Products: c.Products[:min(tradePageProducts, len(c.Products))], More: max(0, len(c.Products)-tradePageProducts)}
		if i, ok := tb.StateIndex(c.Exporter); ok && tb.TotalExports(i) == 0 {
			dir.NoExports = true
		}
		var bars []bar
		hi := 0.0
		for _, g := range c.Sections {
			bars = append(bars, bar{Label: shorten(g.Code+" "+g.Name, 44), Value: 100 * g.Share, Note: fmt.Sprintf("%% (%s)", plural(g.Products, "product"))})
			hi = math.Max(hi, 100*g.Share)
		}
		dir.Chart = barChart("fields-"+strings.ToLower(c.Exporter+"-"+c.Importer),
			fmt.Sprintf("What %s could sell %s, by field: share of %s imports in products %s has a comparative advantage in", ex.Name, im.Name, possessive(im.Name), ex.Name),
			"Bar chart of the share of the importer's imports, per HS section, in products where the exporter's RCA is above 1; the same numbers are in the table beside it.",
			bars, 0, axisTop(hi))
		d.Dirs = append(d.Dirs, dir)
	}
	year, class := strconv.Itoa(tb.Year), tb.Classification
	d.SecCSV = apiURL("/api/v1/trade/complement", "a", a, "b", b, "year", year, "classification", class, "by", "section", "format", "csv") + "&top=0"
	d.PrdCSV = apiURL("/api/v1/trade/complement", "a", a, "b", b, "year", year, "classification", class, "format", "csv") + "&top=0"
	if s.votes(r, a) && s.votes(r, b) {
		d.Votes = "/pairs/" + a + "/" + b
	}
	return nil
}

// votes reports whether state code has votes in the loaded record (then its voting pages exist).
func (s *Server) votes(r *nethttp.Request, code string) bool {
	ix, err := s.index(r.Context())
	if err != nil {
		return false
	}
	_, ok := ix.Matrix().StateIndex(code)
	return ok
}

func (s *Server) tradeStateSection(r *nethttp.Request, d *tradePageData, q *query, tb *trade.Table) error {
	st, err := q.state("state")
	if err != nil {
		return err
	}
	rca, err := report.NewTradeRCA(tb, st, "hs6", 0, 0)
	if err != nil {
		return tradeStateError(err, "state")
	}
	d.State, _ = countryOf(st)
	if s.votes(r, st) {
		d.StateVotes = "/states/" + st
	}
	d.RCA = rca.Products[:min(len(rca.Products), 2*tradePageProducts)]
	year, class := strconv.Itoa(tb.Year), tb.Classification
	d.RCACSV = apiURL("/api/v1/trade/rca", "state", st, "year", year, "classification", class, "format", "csv") + "&top=0"
	// HS data by section, summed once per year (the server's cache of tables)
	info := concord.TradeYearInfo{Classification: tb.Classification, Year: tb.Year}
	if sec, err := s.trade.table(r.Context(), s.Trade, d.Stored, info, trade.Section); err == nil {
		sr, err := report.NewTradeRCA(sec, st, "section", 0, 0)
		if err != nil {
			return err
		}
		d.Sections = sr.Products
		var bars []bar
		hi := 0.0
		for _, p := range sr.Products {
			bars = append(bars, bar{Label: shorten(p.Product+" "+p.Name, 44), Value: p.RCA, Note: fmt.Sprintf("(%s of exports)", pctString(p.Share))})
			hi = math.Max(hi, p.RCA)
		}
		d.RCAChart = barChart("rca-sections", fmt.Sprintf("Revealed comparative advantage of %s by HS section, %s", d.State.Name, d.Table),
			"Bar chart of the state's RCA per HS section (above 1: specialised); the same numbers are in the table beside it.", bars, 0, axisTop(hi))
		d.SecRCA = apiURL("/api/v1/trade/rca", "state", st, "year", year, "classification", class, "level", "section", "format", "csv") + "&top=0"
	}
	if !tb.HasImports {
		d.PartNote = d.Table + " has exports only: complementarity needs bilateral data."
		return nil
	}
	pr, err := report.NewTradePartners(tb, st, "hs6", 10)
	if err != nil {
		return tradeStateError(err, "state")
	}
	d.Partners = pr.Partners
	d.PartCSV = apiURL("/api/v1/trade/partners", "state", st, "year", year, "classification", class, "format", "csv") + "&top=0"
	return nil
}

// countryOf returns the state of a code, or a state with the code as its name when the code is not one of package countries'.
func countryOf(code string) (concord.State, bool) {
	if st, ok := countries.ByCode(code); ok {
		return st, true
	}
	return concord.State{Code: code, Name: code}, false
}

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

// axisTop rounds a chart's upper bound up to 1, 2 or 5 times a power of ten.
func axisTop(v float64) float64 {
	if !(v > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// usd formats thousands of US dollars for reading: $1.2 bn, $340 m, $12 k.
func usd(thousands float64) string {
	v := thousands * 1000
	switch {
	case math.IsNaN(v):
		return "unknown"
	case v >= 1e9:
		return "$" + trimFloat(round(v/1e9, 2)) + " bn"
	case v >= 1e6:
		return "$" + trimFloat(round(v/1e6, 1)) + " m"
	case v >= 1e3:
		return "$" + trimFloat(round(v/1e3, 0)) + " k"
	}
	return "$" + trimFloat(round(v, 0))
}

func pctString(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	return fmt.Sprintf("%.1f%%", f*100)
}

// possessive returns "Russia's", "United States'".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// plural returns "1 product", "2 products".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// shorten cuts s to at most n runes, ending with an ellipsis, so that chart labels fit.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
