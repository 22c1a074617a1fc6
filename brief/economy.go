package brief

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/trade"
)

// Economy is how the states' trade fits together.
type Economy struct {
	Section
	Classification string      `json:"classification"` // of the year used, e.g. HS17 or SITC2
	Year           int         `json:"year"`
	Bilateral      bool        `json:"bilateral"` // imports and flows are known: TC can be computed
	Pairs          []TradePair `json:"pairs"`     // one per pair of states
}

// TradePair is the trade of two states, both ways.
type TradePair struct {
	A        string               `json:"a"`
	B        string               `json:"b"`
	TCAB     Num                  `json:"tc_ab"`        // trade complementarity of A's exports with B's imports, 0–100
	TCBA     Num                  `json:"tc_ba"`        // of B's exports with A's imports
	IntAB    Num                  `json:"intensity_ab"` // trade intensity of A's exports to B
	IntBA    Num                  `json:"intensity_ba"`
	Sim      Num                  `json:"similarity"` // export similarity 0–100
	ExpAB    Num                  `json:"exports_ab"` // A's exports to B, thousands of USD
	ExpBA    Num                  `json:"exports_ba"`
	FieldsAB []trade.ProductGroup `json:"fields_ab"` // sections where A has a comparative advantage and B imports, by B's imports (at most MaxFields)
	FieldsBA []trade.ProductGroup `json:"fields_ba"`
	Missing  string               `json:"missing,omitempty"`
}

// ChooseYear picks the stored year of trade a brief reads: the latest with
// bilateral data up to year to (0: any), else the latest exports-only year,
// more products breaking ties, as `concord trade complement` does.
func ChooseYear(infos []concord.TradeYearInfo, to int) (concord.TradeYearInfo, bool) {
	var cands []concord.TradeYearInfo
	for _, y := range infos {
		if to == 0 || y.Year <= to {
			cands = append(cands, y)
		}
	}
	if len(cands) == 0 {
		cands = infos
	}
	if len(cands) == 0 {
		return concord.TradeYearInfo{}, false
	}
	return slices.MaxFunc(cands, report.PreferTradeYear), true
}

func buildEconomy(ctx context.Context, src Sources, b *Brief, to int) (Economy, error) {
	ec := Economy{Section: Section{Source: "stored trade (concord trade import: CEPII BACI or exporter × product tables)"}, Pairs: []TradePair{}}
	if src.Trade == nil {
		ec.Missing = "No trade store is configured, so how these economies fit together is not known here."
		return ec, nil
	}
	infos, err := src.Trade.TradeYears(ctx)
	if err != nil {
		return ec, err
	}
	info, ok := ChooseYear(infos, to)
	if !ok {
		ec.Missing = "No trade data is stored; import some with `concord trade import` or `concord fetch baci`."
		return ec, nil
	}
	ec.Classification, ec.Year, ec.Bilateral = info.Classification, info.Year, info.HasImports
	ec.Source = fmt.Sprintf("stored trade, %s %d (%s), %d states, %d products", info.Classification, info.Year, info.Source, info.States, info.Products)
	ec.AsOf = fmt.Sprint(info.Year)
	if info.ImportedAt != "" {
		ec.Notes = append(ec.Notes, "imported "+info.ImportedAt)
	}
	if !info.HasImports {
		ec.Notes = append(ec.Notes, fmt.Sprintf("%s %d has exports only: trade complementarity, intensity and flows need imports and cannot be computed; only export similarity is shown", info.Classification, info.Year))
	}
	// The pairs' indices are kept in the result cache under the identity of
	// the stored year (a new import of it changes imported_at, rows or totals).
	key := fmt.Sprintf("%s|%d|%s|%d|%g|%s", info.Classification, info.Year, info.ImportedAt, info.Rows, info.Exports, strings.Join(b.States, ","))
	tp, err := cached(ctx, src.Cache, "brief-trade", key, func() (tradePairs, error) { return computePairs(ctx, src, info, b.States) })
	if err != nil {
		return ec, err
	}
	ec.Pairs = tp.Pairs
	if tp.Exporters < 20 {
		ec.Notes = append(ec.Notes, fmt.Sprintf("only %d states export in %s %d: the indices are relative to these states, not the world", tp.Exporters, info.Classification, info.Year))
	}
	var missing []string
	for _, p := range ec.Pairs {
		if p.Missing != "" {
			missing = append(missing, p.Missing)
		}
	}
	if len(missing) == len(ec.Pairs) {
		ec.Missing = strings.Join(missing, " ")
	}
	return ec, nil
}

// tradePairs are the trade indices of every pair of a brief's states in one stored year.
type tradePairs struct {
	Exporters int         // states exporting in the year
	Pairs     []TradePair // one per pair
}

// computePairs loads the stored year and computes the indices of every pair,
// as `concord trade complement A B` does.
func computePairs(ctx context.Context, src Sources, info concord.TradeYearInfo, states []string) (tradePairs, error) {
	var out tradePairs
	ty, err := src.Trade.TradeYear(ctx, info.Classification, info.Year)
	if err != nil {
		return out, err
	}
	tb := trade.NewTable(ty)
	out.Exporters = tb.Exporters()
	for _, p := range pairs(states) {
		tp := TradePair{A: p[0], B: p[1], FieldsAB: []trade.ProductGroup{}, FieldsBA: []trade.ProductGroup{}}
		nan := Num(math.NaN())
		tp.TCAB, tp.TCBA, tp.IntAB, tp.IntBA, tp.Sim, tp.ExpAB, tp.ExpBA = nan, nan, nan, nan, nan, nan, nan
		var absent []string
		for _, s := range p {
			if _, ok := tb.StateIndex(s); !ok {
				absent = append(absent, Name(s)+" ("+s+")")
			}
		}
		if len(absent) > 0 {
			tp.Missing = fmt.Sprintf("%s not in %s %d.", strings.Join(absent, " and "), info.Classification, info.Year)
			out.Pairs = append(out.Pairs, tp)
			continue
		}
		pi, err := tb.Pair(p[0], p[1])
		if err != nil {
			return out, err
		}
		tp.TCAB, tp.TCBA, tp.IntAB, tp.IntBA, tp.Sim = Num(pi.TCAB), Num(pi.TCBA), Num(pi.IntensityAB), Num(pi.IntensityBA), Num(pi.Similarity)
		if tb.HasImports {
			tp.ExpAB, tp.ExpBA = Num(pi.ExportsAB), Num(pi.ExportsBA)
			for _, d := range []struct {
				x, m string
				out  *[]trade.ProductGroup
			}{{p[0], p[1], &tp.FieldsAB}, {p[1], p[0], &tp.FieldsBA}} {
				c, err := tb.ComplementaryProducts(d.x, d.m)
				if err != nil {
					return out, err
				}
				*d.out = append(*d.out, c.Sections[:min(len(c.Sections), MaxFields)]...)
			}
		}
		out.Pairs = append(out.Pairs, tp)
	}
	return out, nil
}
