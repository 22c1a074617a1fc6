package http

import (
	"context"
	"errors"
	"fmt"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/trade"
)

// The parameters of `concord trade`.
var (
	pTradeYear  = param{Name: "year", Type: "integer", Max: 9999, Description: "year of trade (default: the latest stored, bilateral data first)", Example: "2020"}
	pTradeClass = param{Name: "classification", Type: "string", Description: "product classification, e.g. HS17 or SITC2, any case (default: as year finds)"}
	pTradeLevel = param{Name: "level", Type: "string", Enum: []string{"hs6", "hs4", "hs2", "section"}, Default: "hs6",
		Description: "product level of HS data: hs6, hs4 (heading), hs2 (chapter) or section"}
	pTradeState = param{Name: "state", Type: "string", Required: true, Description: "a state: ISO or COW code, or name", Example: "USA"}
	pTradeMin   = param{Name: "min_rca", Type: "number", Description: "only products with RCA at least this (default 0: every product exported)"}
	pTradeBy    = param{Name: "by", Type: "string", Enum: report.TradeBys, Default: "product",
		Description: "rows of the CSV and text table: complementary products, or their sums by HS chapter or section (JSON has all three)"}
)

// tradeTop is the top parameter with the CLI's default for each command.
func tradeTop(def int, what string) param {
	return param{Name: "top", Type: "integer", Default: strconv.Itoa(def), Description: "only the first N " + what + " (0: all)"}
}

// tradeParams are the parameters choosing the year and product level, shared by the analyses.
var tradeParams = []param{pTradeYear, pTradeClass, pTradeLevel}

// tradeErrors documents the statuses of the trade endpoints beyond a bad parameter.
var tradeErrors = map[int]string{
	nethttp.StatusNotFound:           "unknown state, a state without trade in the chosen year, or no stored year that fits year and classification (the message lists those stored)",
	nethttp.StatusServiceUnavailable: "the server has no trade store, or it holds no trade yet",
}

// tradeEndpoints are the endpoints of `concord trade`.
func (s *Server) tradeEndpoints() []endpoint {
	return []endpoint{{
		Path:        "/api/v1/trade/years",
		Summary:     "The stored years of trade",
		Description: "Each stored year with its classification, whether it is bilateral (BACI: imports and flows known) or exports only, and its size (as `concord trade years`).",
		Result:      "TradeYears",
		Errors:      map[int]string{nethttp.StatusServiceUnavailable: tradeErrors[nethttp.StatusServiceUnavailable]},
		handle:      s.handleTradeYears,
	}, {
		Path:    "/api/v1/trade/rca",
		Summary: "A state's products by revealed comparative advantage (Balassa)",
		Description: "RCA = (X_ak/X_a)/(X_wk/W): the share of product k in the state's exports over its share in world exports; above 1 the state is " +
			"specialised in k. Exports in thousands of US dollars (as `concord trade rca`).",
		Params:  append(append([]param{pTradeState}, tradeParams...), tradeTop(20, "products of highest RCA"), pTradeMin),
		Result:  "TradeRCA",
		Errors:  tradeErrors,
		Example: "state=USA&year=2020",
		handle:  s.handleTradeRCA,
	}, {
		Path:    "/api/v1/trade/complement",
		Summary: "How two states' trade complement each other, both ways, and in which products and fields",
		Description: "Trade complementarity TC_ab = 100·(1 − Σ_k |m_bk − x_ak|/2) in both directions, trade intensity and export similarity (pair), " +
			"and what each could sell the other: the products in which the exporter has RCA > 1 and the importer imports, by the importer's imports, " +
			"with their sums by HS section and chapter (as `concord trade complement`). Needs bilateral data.",
		Params:  append(append([]param{pA, pB}, tradeParams...), tradeTop(10, "products, chapters and sections of each direction"), pTradeBy),
		Result:  "TradeComplement",
		Errors:  tradeErrors,
		Example: "a=USA&b=RUS&year=2020",
		handle:  s.handleTradeComplement,
	}, {
		Path:    "/api/v1/trade/partners",
		Summary: "Every other state ranked by trade complementarity with a state",
		Description: "Ranked by the mean of TC(state→partner) and TC(partner→state), with trade intensity both ways, export similarity and the trade " +
			"between them in thousands of US dollars (as `concord trade partners`). Needs bilateral data.",
		Params:  append(append([]param{pTradeState}, tradeParams...), tradeTop(20, "most complementary partners")),
		Result:  "TradePartners",
		Errors:  tradeErrors,
		Example: "state=USA&year=2020",
		handle:  s.handleTradePartners,
	}}
}

// errNoTradeStore is the answer of the trade endpoints on a server without a trade store.
var errNoTradeStore = &Error{Status: nethttp.StatusServiceUnavailable,
	Message: "this server has no trade data: serve a SQLite store (concord serve --db FILE) into which trade was imported with `concord trade import` or `concord fetch baci`"}

func (s *Server) handleTradeYears(ctx context.Context, q *query) (output.Tabler, error) {
	if s.Trade == nil {
		return nil, errNoTradeStore
	}
	ys, err := s.Trade.TradeYears(ctx)
	if err != nil {
		return nil, err
	}
	return report.NewTradeYears(ys), nil
}

// tradeTable returns the stored year of trade that the request's year and
// classification choose, at its level, from the server's cache.
func (s *Server) tradeTable(ctx context.Context, q *query, needImports bool) (*trade.Table, string, error) {
	if s.Trade == nil {
		return nil, "", errNoTradeStore
	}
	sel := report.TradeSelection{Classification: q.get("classification"), NeedImports: needImports}
	var err error
	if sel.Year, err = q.int(pTradeYear, 0); err != nil {
		return nil, "", err
	}
	levelName := q.get("level")
	if levelName == "" {
		levelName = pTradeLevel.Default
	}
	level, err := trade.ParseLevel(levelName)
	if err != nil {
		return nil, "", badParam("level", err.Error())
	}
	infos, err := s.Trade.TradeYears(ctx)
	if err != nil {
		return nil, "", err
	}
	info, err := report.ChooseTradeYear(infos, sel)
	var none *report.NoTradeYearError
	switch {
	case errors.Is(err, report.ErrNoTrade):
		return nil, "", &Error{Status: nethttp.StatusServiceUnavailable,
			Message: "the store holds no trade yet: run `concord trade import FILE...` or `concord fetch baci --revision HS17 --year YEAR`"}
	case errors.As(err, &none):
		return nil, "", tradeYearError(none)
	case err != nil:
		return nil, "", err
	}
	tb, err := s.trade.table(ctx, s.Trade, infos, info, level)
	if errors.Is(err, errTradeLevel) {
		return nil, "", badParam("level", err.Error())
	}
	return tb, levelName, err
}

// tradeYearError says which parameter chose no stored year: year when no year of any classification is that one.
func tradeYearError(e *report.NoTradeYearError) *Error {
	param := "year"
	if e.Classification != "" && (e.Year == 0 || e.YearStored()) {
		param = "classification"
	}
	var want []string
	if e.Year != 0 {
		want = append(want, "year "+strconv.Itoa(e.Year))
	}
	if e.Classification != "" {
		want = append(want, "classification "+e.Classification)
	}
	msg := "no stored " + e.What()
	if len(want) > 0 {
		msg += " for " + strings.Join(want, " and ")
	}
	return &Error{Status: nethttp.StatusNotFound, Param: param, Message: msg + "; stored: " + e.StoredList()}
}

// tradeStateError turns a report.NoStateTradeError about parameter name into a 404.
func tradeStateError(err error, name string) error {
	var e *report.NoStateTradeError
	if errors.As(err, &e) {
		return &Error{Status: nethttp.StatusNotFound, Param: name, Message: e.Error()}
	}
	return err
}

// stateTop parses the state and top parameters of rca and partners (top 20 by default).
func stateTop(q *query) (string, int, error) {
	st, err := q.state("state")
	if err != nil {
		return "", 0, err
	}
	top, err := q.int(tradeTop(20, ""), 20)
	return st, top, err
}

func (s *Server) handleTradeRCA(ctx context.Context, q *query) (output.Tabler, error) {
	st, top, err := stateTop(q)
	if err != nil {
		return nil, err
	}
	var minRCA float64
	if v := q.get("min_rca"); v != "" {
		if minRCA, err = strconv.ParseFloat(v, 64); err != nil || minRCA != minRCA {
			return nil, badParam("min_rca", fmt.Sprintf("want a number, got %q", clip(v)))
		}
	}
	tb, level, err := s.tradeTable(ctx, q, false)
	if err != nil {
		return nil, err
	}
	r, err := report.NewTradeRCA(tb, st, level, top, minRCA)
	return r, tradeStateError(err, "state")
}

func (s *Server) handleTradeComplement(ctx context.Context, q *query) (output.Tabler, error) {
	a, err := q.state("a")
	if err != nil {
		return nil, err
	}
	b, err := q.state("b")
	if err != nil {
		return nil, err
	}
	if a == b {
		return nil, badParam("b", "a and b are both "+a)
	}
	top, err := q.int(tradeTop(10, ""), 10)
	if err != nil {
		return nil, err
	}
	by := q.get("by")
	if by == "" {
		by = pTradeBy.Default
	}
	if !slices.Contains(report.TradeBys, by) {
		return nil, badParam("by", fmt.Sprintf("unknown rows %q (want product, chapter or section)", clip(by)))
	}
	tb, level, err := s.tradeTable(ctx, q, true)
	if err != nil {
		return nil, err
	}
	for _, p := range []struct{ name, code string }{{"a", a}, {"b", b}} {
		if _, ok := tb.StateIndex(p.code); !ok {
			return nil, &Error{Status: nethttp.StatusNotFound, Param: p.name, Message: fmt.Sprintf("%s has no trade in %s %d", p.code, tb.Classification, tb.Year)}
		}
	}
	return report.NewTradeComplement(tb, a, b, level, by, top)
}

func (s *Server) handleTradePartners(ctx context.Context, q *query) (output.Tabler, error) {
	st, top, err := stateTop(q)
	if err != nil {
		return nil, err
	}
	tb, level, err := s.tradeTable(ctx, q, true)
	if err != nil {
		return nil, err
	}
	r, err := report.NewTradePartners(tb, st, level, top)
	return r, tradeStateError(err, "state")
}

// maxTradeTables bounds the tables tradeTables keeps: a BACI year at HS 6
// digits is about 20 MB laid out (200 states × 5,000 products, exports and imports).
const maxTradeTables = 8

// tradeLoadTimeout bounds the loading of one year from the store.
const tradeLoadTimeout = 10 * time.Minute

// errTradeLevel marks an aggregation the year's classification does not allow.
var errTradeLevel = errors.New("level")

// tradeTables keeps the years of trade the server has laid out for the
// indices (reading a BACI year from the store takes seconds), keyed by
// classification, year and product level; coarser levels are summed from
// the year's HS6 table. Entries are dropped when the store's list of years
// (TradeYears) changes, e.g. after an import, and the least recently used
// go beyond maxTradeTables.
type tradeTables struct {
	mu      sync.Mutex
	stamp   string // the store's years the entries were read under
	entries map[tradeKey]*tradeEntry
	loads   atomic.Int64 // years read from the store
}

type tradeKey struct {
	classification string
	year           int
	level          trade.Level
}

type tradeEntry struct {
	done chan struct{} // closed when tb or err is set
	tb   *trade.Table
	err  error
	used time.Time
}

// tradeStamp identifies a list of stored years: any import or replacement changes it.
func tradeStamp(infos []concord.TradeYearInfo) string {
	var b strings.Builder
	for _, y := range infos {
		fmt.Fprintf(&b, "%s|%d|%s|%d|%t|%d|%d|%g|%s\n", y.Classification, y.Year, y.Source, y.Rows, y.HasImports, y.States, y.Products, y.Exports, y.ImportedAt)
	}
	return b.String()
}

// table returns the table of stored year info at level; infos are the store's years now.
func (c *tradeTables) table(ctx context.Context, store concord.TradeStore, infos []concord.TradeYearInfo, info concord.TradeYearInfo, level trade.Level) (*trade.Table, error) {
	stamp := tradeStamp(infos)
	key := tradeKey{info.Classification, info.Year, trade.HS6}
	base, err := c.get(ctx, stamp, key, func() (*trade.Table, error) {
		c.loads.Add(1)
		// The year is kept for later requests, so it is read to its end even when this request goes away.
		lctx, cancel := context.WithTimeout(context.Background(), tradeLoadTimeout)
		defer cancel()
		ty, err := store.TradeYear(lctx, info.Classification, info.Year)
		if err != nil {
			return nil, err
		}
		return trade.NewTable(ty), nil
	})
	if err != nil || level == trade.HS6 {
		return base, err
	}
	key.level = level
	return c.get(ctx, stamp, key, func() (*trade.Table, error) {
		tb, err := base.Aggregate(level)
		if err != nil {
			return nil, fmt.Errorf("%w: %s", errTradeLevel, err.Error())
		}
		return tb, nil
	})
}

// get returns the entry of key, computing it once with load (concurrent requests wait for the same load).
func (c *tradeTables) get(ctx context.Context, stamp string, key tradeKey, load func() (*trade.Table, error)) (*trade.Table, error) {
	c.mu.Lock()
	if c.entries == nil || c.stamp != stamp {
		c.stamp, c.entries = stamp, map[tradeKey]*tradeEntry{}
	}
	e := c.entries[key]
	if e == nil {
		e = &tradeEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.evict()
		go func() {
			e.tb, e.err = load()
			close(e.done)
		}()
	}
	e.used = time.Now()
	c.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key) // a failed load is tried again by the next request
		}
		c.mu.Unlock()
		return nil, e.err
	}
	return e.tb, nil
}

// evict drops the least recently used finished entries beyond maxTradeTables; c.mu is held.
func (c *tradeTables) evict() {
	for len(c.entries) > maxTradeTables {
		var oldest tradeKey
		var found bool
		for k, e := range c.entries {
			select {
			case <-e.done:
			default:
				continue // still loading: someone waits for it
			}
			if !found || e.used.Before(c.entries[oldest].used) {
				oldest, found = k, true
			}
		}
		if !found {
			return
		}
		delete(c.entries, oldest)
	}
}

// tradeSchemas are the components/schemas of the trade endpoints' results.
func tradeSchemas() schema {
	num := func(d string) schema { return schema{"type": "number", "description": d} }
	year := func() schema {
		return schema{"classification": str("product classification, e.g. HS17 or SITC2"), "year": integer("year of trade"),
			"level": str("product level: hs6, hs4, hs2 or section")}
	}
	group := object(schema{"level": str("section or chapter"), "code": str("HS section (Roman) or chapter (2 digits)"), "name": str("its name"),
		"products": integer("complementary products in it"), "imports": num("the importer's imports of them, thousands of USD"),
		"import_share": num("their share in the importer's imports")}, "level", "code", "name", "products", "imports", "import_share")
	complement := object(schema{
		"exporter": str("state code"), "importer": str("state code"), "tc": nullableNumber("TC of the exporter's exports with the importer's imports, 0..100"),
		"products": array(object(schema{
			"product": str("product code"), "name": str("product name"), "section": str("HS section (Roman) or SITC section"),
			"section_name": str("e.g. Machinery and electrical equipment"), "chapter": str("HS chapter or SITC division"), "chapter_name": str("chapter name"),
			"rca": num("the exporter's RCA (> 1)"), "exports": num("the exporter's exports to the world, thousands of USD"),
			"imports": num("the importer's imports from the world, thousands of USD"), "import_share": num("share of the product in the importer's imports"),
		}, "product", "name", "section", "section_name", "chapter", "chapter_name", "rca", "exports", "imports", "import_share")),
		"sections": array(group), "chapters": array(group),
		"complement_share": num("share of the importer's imports in all the complementary products"),
	}, "exporter", "importer", "tc", "products", "sections", "chapters", "complement_share")
	pair := object(schema{
		"a": str("state code"), "b": str("state code"), "year": integer("year of trade"),
		"tc_ab": nullableNumber("TC of a's exports with b's imports"), "tc_ba": nullableNumber("TC of b's exports with a's imports"),
		"tc": nullableNumber("mean of both directions"), "intensity_ab": nullableNumber("trade intensity of a's exports to b: (F_ab/X_a)/(M_b/W)"),
		"intensity_ba": nullableNumber("trade intensity of b's exports to a"), "similarity": nullableNumber("export similarity (Finger–Kreinin), 0..100"),
		"exports_ab": nullableNumber("a's exports to b, thousands of USD"), "exports_ba": nullableNumber("b's exports to a"),
		"complement_ab": integer("products where a has RCA > 1 and b imports"), "complement_ba": integer("products where b has RCA > 1 and a imports"),
	}, "a", "b", "year", "tc_ab", "tc_ba", "tc", "intensity_ab", "intensity_ba", "similarity", "exports_ab", "exports_ba", "complement_ab", "complement_ba")
	return schema{
		"TradeYears": object(schema{"years": array(object(schema{
			"classification": str("product classification"), "year": integer("year"), "source": str("the files it was read from"),
			"rows": integer("input rows read"), "has_imports": boolean("bilateral data: imports and flows known"), "states": integer("states"),
			"products": integer("products"), "exports": num("total exports, thousands of USD"), "imported_at": str("when it was imported"),
		}, "classification", "year", "source", "rows", "has_imports", "states", "products", "exports", "imported_at"))}, "years"),
		"TradeRCA": object(with(year(), schema{"state": str("state code"), "exports": num("the state's total exports, thousands of USD"),
			"products": array(object(schema{"product": str("product code"), "name": str("product name"), "rca": num("revealed comparative advantage"),
				"exports": num("the state's exports of it, thousands of USD"), "share": num("its share in the state's exports"),
				"world_share": num("its share in world exports")}, "product", "name", "rca", "exports", "share", "world_share"))}),
			"state", "classification", "year", "level", "exports", "products"),
		"TradeComplement": object(with(year(), schema{"a": str("state code"), "b": str("state code"),
			"by": schema{"type": "string", "enum": report.TradeBys, "description": "rows of the CSV"}, "pair": pair,
			"a_to_b": complement, "b_to_a": complement}), "a", "b", "classification", "year", "level", "by", "pair", "a_to_b", "b_to_a"),
		"TradePartners": object(with(year(), schema{"state": str("state code"), "partners": array(pair)}),
			"state", "classification", "year", "level", "partners"),
	}
}
