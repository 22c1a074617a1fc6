package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/trade"
)

// The results of `concord trade` and of /api/v1/trade: TradeYears lists the
// stored years; ChooseTradeYear and LoadTradeTable pick and lay out one of
// them; NewTradeRCA, NewTradeComplement and NewTradePartners shape the indices
// of package trade (which gives their formulas) for a state or a pair.

// ErrNoTrade is returned when the store holds no year of trade at all.
var ErrNoTrade = errors.New("no trade data in the store")

// TradeYears is the result of `concord trade years` and GET /api/v1/trade/years.
type TradeYears struct {
	Years []concord.TradeYearInfo `json:"years"`
}

// NewTradeYears returns the stored years as a result; none is an empty list.
func NewTradeYears(ys []concord.TradeYearInfo) TradeYears {
	if ys == nil {
		ys = []concord.TradeYearInfo{}
	}
	return TradeYears{Years: ys}
}

// Table lists one row per stored year.
func (r TradeYears) Table() output.Table {
	t := output.Table{Columns: []string{"classification", "year", "bilateral", "states", "products", "exports", "rows", "source"}}
	for _, y := range r.Years {
		t.Rows = append(t.Rows, []any{y.Classification, y.Year, y.HasImports, y.States, y.Products, y.Exports, y.Rows, y.Source})
	}
	return t
}

// TradeSelection says which stored year of trade an analysis reads.
type TradeSelection struct {
	Year           int    // calendar year; 0: the latest stored
	Classification string // e.g. HS17 or SITC2, any case; "": any
	NeedImports    bool   // only years with imports and bilateral flows (BACI), as complementarity needs
}

// NoTradeYearError is returned when no stored year fits a TradeSelection; it wraps concord.ErrNoTradeYear.
type NoTradeYearError struct {
	TradeSelection
	Stored []concord.TradeYearInfo // what the store has
}

// What names the data that was looked for: trade data, or bilateral trade data.
func (e *NoTradeYearError) What() string {
	if e.NeedImports {
		return "bilateral trade data (with imports)"
	}
	return "trade data"
}

// StoredList lists the stored years, e.g. "HS17 2020, SITC2 2000 (exports only)".
func (e *NoTradeYearError) StoredList() string {
	var have []string
	for _, y := range e.Stored {
		s := fmt.Sprintf("%s %d", y.Classification, y.Year)
		if !y.HasImports {
			s += " (exports only)"
		}
		have = append(have, s)
	}
	return strings.Join(have, ", ")
}

// YearStored reports whether some stored year, of any classification, is the selection's year.
func (e *NoTradeYearError) YearStored() bool {
	for _, y := range e.Stored {
		if y.Year == e.Year {
			return true
		}
	}
	return false
}

func (e *NoTradeYearError) Error() string {
	return fmt.Sprintf("no stored %s for year %d, classification %q; stored: %s", e.What(), e.Year, e.Classification, e.StoredList())
}

func (e *NoTradeYearError) Unwrap() error { return concord.ErrNoTradeYear }

// ChooseTradeYear returns the stored year that fits sel: among those of its
// year and classification, bilateral data first, then the latest year, then
// the finer classification (more products). It returns ErrNoTrade when infos
// is empty and a *NoTradeYearError when none fits.
func ChooseTradeYear(infos []concord.TradeYearInfo, sel TradeSelection) (concord.TradeYearInfo, error) {
	if len(infos) == 0 {
		return concord.TradeYearInfo{}, ErrNoTrade
	}
	var cands []concord.TradeYearInfo
	for _, y := range infos {
		if (sel.Year == 0 || y.Year == sel.Year) && (sel.Classification == "" || strings.EqualFold(y.Classification, sel.Classification)) &&
			(!sel.NeedImports || y.HasImports) {
			cands = append(cands, y)
		}
	}
	if len(cands) == 0 {
		return concord.TradeYearInfo{}, &NoTradeYearError{TradeSelection: sel, Stored: infos}
	}
	return slices.MaxFunc(cands, PreferTradeYear), nil
}

// PreferTradeYear orders stored years by preference: with imports first, then
// the later year, then more products (for slices.MaxFunc).
func PreferTradeYear(x, y concord.TradeYearInfo) int {
	if x.HasImports != y.HasImports {
		if x.HasImports {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(x.Year, y.Year); c != 0 {
		return c
	}
	return cmp.Compare(x.Products, y.Products)
}

// LoadTradeTable picks the stored year that fits sel (ChooseTradeYear) and
// lays it out at HS 6 digits (or the classification's own codes); Aggregate
// the table for coarser levels.
func LoadTradeTable(ctx context.Context, store concord.TradeStore, sel TradeSelection) (*trade.Table, error) {
	infos, err := store.TradeYears(ctx)
	if err != nil {
		return nil, err
	}
	info, err := ChooseTradeYear(infos, sel)
	if err != nil {
		return nil, err
	}
	ty, err := store.TradeYear(ctx, info.Classification, info.Year)
	if err != nil {
		return nil, err
	}
	return trade.NewTable(ty), nil
}

// NoStateTradeError is returned when a state has no trade, or no exports, in a table.
type NoStateTradeError struct {
	State          string
	Classification string
	Year           int
	Exports        bool // the state trades but exports nothing
}

func (e *NoStateTradeError) Error() string {
	if e.Exports {
		return fmt.Sprintf("%s exports nothing in %s %d", e.State, e.Classification, e.Year)
	}
	return fmt.Sprintf("%s has no trade in %s %d", e.State, e.Classification, e.Year)
}

// trader returns the row of state s in tb, or a *NoStateTradeError; with exports, s must export.
func trader(tb *trade.Table, s string, exports bool) (int, error) {
	i, ok := tb.StateIndex(s)
	if !ok || exports && tb.TotalExports(i) == 0 {
		return 0, &NoStateTradeError{State: s, Classification: tb.Classification, Year: tb.Year, Exports: ok}
	}
	return i, nil
}

// TradeRCA is the result of `concord trade rca` and GET /api/v1/trade/rca.
type TradeRCA struct {
	State          string             `json:"state"`
	Classification string             `json:"classification"`
	Year           int                `json:"year"`
	Level          string             `json:"level"`
	Exports        float64            `json:"exports"`
	Products       []trade.ProductRCA `json:"products"`
}

// NewTradeRCA returns the products state s exports in tb with RCA at least
// minRCA, by RCA from the highest, the first top of them (top ≤ 0: all).
// level names tb's product level.
func NewTradeRCA(tb *trade.Table, s, level string, top int, minRCA float64) (TradeRCA, error) {
	i, err := trader(tb, s, true)
	if err != nil {
		return TradeRCA{}, err
	}
	rows, err := tb.StateRCA(s)
	if err != nil {
		return TradeRCA{}, err
	}
	out := TradeRCA{State: s, Classification: tb.Classification, Year: tb.Year, Level: level, Exports: tb.TotalExports(i),
		Products: []trade.ProductRCA{}}
	for _, r := range rows {
		if r.RCA >= minRCA {
			out.Products = append(out.Products, r)
		}
	}
	if top > 0 && len(out.Products) > top {
		out.Products = out.Products[:top]
	}
	return out, nil
}

// Table lists one row per product.
func (r TradeRCA) Table() output.Table {
	t := output.Table{Columns: []string{"product", "name", "rca", "exports", "share", "world_share"}}
	for _, p := range r.Products {
		t.Rows = append(t.Rows, []any{p.Product, p.Name, p.RCA, p.Exports, p.Share, p.WorldShare})
	}
	return t
}

// TradeBys are the row kinds of TradeComplement's table.
var TradeBys = []string{"product", "chapter", "section"}

// TradeComplement is the result of `concord trade complement` and GET /api/v1/trade/complement.
type TradeComplement struct {
	A              string            `json:"a"`
	B              string            `json:"b"`
	Classification string            `json:"classification"`
	Year           int               `json:"year"`
	Level          string            `json:"level"`
	By             string            `json:"by"` // rows of the table: product, chapter or section
	Pair           trade.PairIndices `json:"pair"`
	AToB           *trade.Complement `json:"a_to_b"`
	BToA           *trade.Complement `json:"b_to_a"`
}

// NewTradeComplement returns the indices of states a and b in tb and what
// each could sell the other, keeping the first top products, chapters and
// sections of each direction (top ≤ 0: all). by (one of TradeBys) chooses the
// rows of the table; level names tb's product level. tb must have imports.
func NewTradeComplement(tb *trade.Table, a, b, level, by string, top int) (TradeComplement, error) {
	for _, s := range []string{a, b} {
		if _, err := trader(tb, s, false); err != nil {
			return TradeComplement{}, err
		}
	}
	pair, err := tb.Pair(a, b)
	if err != nil {
		return TradeComplement{}, err
	}
	ab, err := tb.ComplementaryProducts(a, b)
	if err != nil {
		return TradeComplement{}, err
	}
	ba, err := tb.ComplementaryProducts(b, a)
	if err != nil {
		return TradeComplement{}, err
	}
	for _, c := range []*trade.Complement{ab, ba} {
		if c.Products == nil {
			c.Products, c.Sections, c.Chapters = []trade.ComplementaryProduct{}, []trade.ProductGroup{}, []trade.ProductGroup{}
		}
		if top > 0 {
			c.Products = c.Products[:min(top, len(c.Products))]
			c.Sections = c.Sections[:min(top, len(c.Sections))]
			c.Chapters = c.Chapters[:min(top, len(c.Chapters))]
		}
	}
	return TradeComplement{A: a, B: b, Classification: tb.Classification, Year: tb.Year, Level: level, By: by,
		Pair: pair, AToB: ab, BToA: ba}, nil
}

// Summary says the pair's indices in one line: TC both ways, intensity both ways, export similarity.
func (r TradeComplement) Summary() string {
	p := r.Pair
	return fmt.Sprintf("%s %d: TC %s→%s %s, %s→%s %s; intensity %s, %s; export similarity %s",
		r.Classification, r.Year, r.A, r.B, output.Float(p.TCAB, 1), r.B, r.A, output.Float(p.TCBA, 1),
		output.Float(p.IntensityAB, 2), output.Float(p.IntensityBA, 2), output.Float(p.Similarity, 1))
}

// Table lists the complementary products of both directions, or their sums by chapter or section (By).
func (r TradeComplement) Table() output.Table {
	var t output.Table
	dirs := []*trade.Complement{r.AToB, r.BToA}
	if r.By == "product" {
		t.Columns = []string{"direction", "tc", "product", "name", "section", "rca", "imports", "import_share"}
		for _, c := range dirs {
			for _, p := range c.Products {
				t.Rows = append(t.Rows, []any{c.Exporter + "→" + c.Importer, c.TC, p.Product, p.Name, p.Section + " " + p.SectionName,
					p.RCA, p.Imports, p.ImportShare})
			}
		}
		return t
	}
	t.Columns = []string{"direction", "tc", r.By, "name", "products", "imports", "import_share"}
	for _, c := range dirs {
		gs := c.Sections
		if r.By == "chapter" {
			gs = c.Chapters
		}
		for _, g := range gs {
			t.Rows = append(t.Rows, []any{c.Exporter + "→" + c.Importer, c.TC, g.Code, g.Name, g.Products, g.Imports, g.Share})
		}
	}
	return t
}

// TradePartners is the result of `concord trade partners` and GET /api/v1/trade/partners.
type TradePartners struct {
	State          string              `json:"state"`
	Classification string              `json:"classification"`
	Year           int                 `json:"year"`
	Level          string              `json:"level"`
	Partners       []trade.PairIndices `json:"partners"`
}

// NewTradePartners returns every other state ranked by complementarity with
// s in tb, the first top of them (top ≤ 0: all); level names tb's product
// level. tb must have imports.
func NewTradePartners(tb *trade.Table, s, level string, top int) (TradePartners, error) {
	if _, err := trader(tb, s, false); err != nil {
		return TradePartners{}, err
	}
	ps, err := tb.Partners(s)
	if err != nil {
		return TradePartners{}, err
	}
	if top > 0 && len(ps) > top {
		ps = ps[:top]
	}
	if ps == nil {
		ps = []trade.PairIndices{}
	}
	return TradePartners{State: s, Classification: tb.Classification, Year: tb.Year, Level: level, Partners: ps}, nil
}

// Table lists one row per partner: tc_out is TC of the state's exports with
// the partner's imports, tc_in the reverse.
func (r TradePartners) Table() output.Table {
	t := output.Table{Columns: []string{"state", "tc", "tc_out", "tc_in", "intensity_out", "intensity_in", "similarity", "exports_to", "imports_from"}}
	for _, p := range r.Partners {
		t.Rows = append(t.Rows, []any{p.B, p.TC, p.TCAB, p.TCBA, p.IntensityAB, p.IntensityBA, p.Similarity, p.ExportsAB, p.ExportsBA})
	}
	return t
}
