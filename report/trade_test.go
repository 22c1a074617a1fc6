package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/trade"
)

// tradeFixture is a hand-made bilateral year (thousands of USD):
//
//	USA sells computers 847130 to RUS 60 and CHN 40          exports 100
//	RUS sells crude oil 270900 to USA 50 and CHN 50          exports 100
//	CHN sells T-shirts 610910 to USA 30 and BRA 30, 847130 to BRA 40   exports 100
//	BRA sells soya beans 120190 to CHN 100                   exports 100
//
// So TC(USA→RUS) = 100 (USA sells exactly what RUS buys); TC(RUS→USA) =
// 100·(1 − (0.375 + 0.375)/2) = 62.5; intensity USA→RUS = (60/100)/(60/400) = 4;
// RCA of USA in 847130 = 1/(140/400) = 20/7; similarity USA–CHN = 40.
func tradeFixture(year int) *concord.TradeYear {
	ty := &concord.TradeYear{Classification: "HS17", Year: year, HasImports: true, Products: map[string]string{"847130": "Portable computers"}}
	type f struct {
		i, j, k string
		v       float64
	}
	flows := []f{{"USA", "RUS", "847130", 60}, {"USA", "CHN", "847130", 40}, {"RUS", "USA", "270900", 50}, {"RUS", "CHN", "270900", 50},
		{"CHN", "USA", "610910", 30}, {"CHN", "BRA", "610910", 30}, {"CHN", "BRA", "847130", 40}, {"BRA", "CHN", "120190", 100}}
	vals := map[[2]string]*concord.TradeValue{}
	bil := map[[2]string]float64{}
	var order [][2]string
	for _, x := range flows {
		for _, side := range []struct {
			s      string
			export bool
		}{{x.i, true}, {x.j, false}} {
			key := [2]string{side.s, x.k}
			v := vals[key]
			if v == nil {
				v = &concord.TradeValue{State: side.s, Product: x.k}
				vals[key] = v
				order = append(order, key)
			}
			if side.export {
				v.Export += x.v
			} else {
				v.Import += x.v
			}
		}
		bil[[2]string{x.i, x.j}] += x.v
	}
	for _, k := range order {
		ty.Values = append(ty.Values, *vals[k])
	}
	for k, v := range bil {
		ty.Flows = append(ty.Flows, concord.TradeFlow{Exporter: k[0], Importer: k[1], Value: v})
	}
	return ty
}

// memTrade is a TradeStore in memory.
type memTrade struct{ years []*concord.TradeYear }

func (m *memTrade) ImportTrade(context.Context, []*concord.TradeYear, func(int, int)) (concord.TradeImportStats, error) {
	return concord.TradeImportStats{}, errors.New("read-only")
}
func (m *memTrade) TradeYears(context.Context) ([]concord.TradeYearInfo, error) {
	var out []concord.TradeYearInfo
	for _, y := range m.years {
		out = append(out, concord.TradeYearInfo{Classification: y.Classification, Year: y.Year, HasImports: y.HasImports, Products: len(y.Values)})
	}
	return out, nil
}
func (m *memTrade) TradeYear(_ context.Context, c string, year int) (*concord.TradeYear, error) {
	for _, y := range m.years {
		if y.Classification == c && y.Year == year {
			return y, nil
		}
	}
	return nil, fmt.Errorf("%s %d: %w", c, year, concord.ErrNoTradeYear)
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func TestChooseTradeYear(t *testing.T) {
	infos := []concord.TradeYearInfo{
		{Classification: "HS12", Year: 2020, HasImports: true, Products: 4000},
		{Classification: "HS17", Year: 2019, HasImports: true, Products: 5000},
		{Classification: "HS17", Year: 2020, HasImports: true, Products: 5000},
		{Classification: "SITC2", Year: 2021, Products: 700},
	}
	for _, c := range []struct {
		sel  TradeSelection
		want string
	}{
		{TradeSelection{}, "HS17 2020"},                                   // bilateral data first, then the latest year
		{TradeSelection{NeedImports: true}, "HS17 2020"},                  // the latest bilateral, the finer of two classifications
		{TradeSelection{Year: 2020}, "HS17 2020"},                         // bilateral first, then more products
		{TradeSelection{Year: 2020, Classification: "hs12"}, "HS12 2020"}, // any case
		{TradeSelection{Year: 2019}, "HS17 2019"},
	} {
		got, err := ChooseTradeYear(infos, c.sel)
		if err != nil || fmt.Sprintf("%s %d", got.Classification, got.Year) != c.want {
			t.Errorf("%+v: %s %d, %v; want %s", c.sel, got.Classification, got.Year, err, c.want)
		}
	}
	if _, err := ChooseTradeYear(nil, TradeSelection{}); !errors.Is(err, ErrNoTrade) {
		t.Errorf("empty store: %v", err)
	}
	var none *NoTradeYearError
	_, err := ChooseTradeYear(infos, TradeSelection{Year: 2021, NeedImports: true})
	if !errors.As(err, &none) || !errors.Is(err, concord.ErrNoTradeYear) || !none.YearStored() ||
		!strings.Contains(err.Error(), "bilateral trade data (with imports)") || !strings.Contains(none.StoredList(), "SITC2 2021 (exports only)") {
		t.Errorf("2021 with imports: %v", err)
	}
	_, err = ChooseTradeYear(infos, TradeSelection{Year: 1999})
	if !errors.As(err, &none) || none.YearStored() || none.What() != "trade data" {
		t.Errorf("1999: %v", err)
	}
}

func TestTradeResults(t *testing.T) {
	ctx := context.Background()
	store := &memTrade{years: []*concord.TradeYear{tradeFixture(2019), tradeFixture(2020)}}
	tb, err := LoadTradeTable(ctx, store, TradeSelection{NeedImports: true})
	if err != nil || tb.Year != 2020 {
		t.Fatalf("loaded %v, %v", tb, err)
	}

	rca, err := NewTradeRCA(tb, "CHN", "hs6", 1, 0)
	if err != nil || len(rca.Products) != 1 || rca.Products[0].Product != "610910" || rca.Exports != 100 {
		t.Fatalf("CHN rca top 1: %+v %v", rca, err)
	}
	near(t, "RCA CHN 610910", rca.Products[0].RCA, 4)
	rca, _ = NewTradeRCA(tb, "CHN", "hs6", 0, 1.2)
	if len(rca.Products) != 1 { // 847130 has RCA 0.4/0.35 < 1.2
		t.Errorf("min RCA 1.2 keeps %+v", rca.Products)
	}
	if tab := rca.Table(); strings.Join(tab.Columns, ",") != "product,name,rca,exports,share,world_share" || len(tab.Rows) != 1 {
		t.Errorf("rca table %+v", tab)
	}
	var nost *NoStateTradeError
	if _, err := NewTradeRCA(tb, "FRA", "hs6", 0, 0); !errors.As(err, &nost) || nost.Exports || err.Error() != "FRA has no trade in HS17 2020" {
		t.Errorf("FRA: %v", err)
	}

	c, err := NewTradeComplement(tb, "USA", "RUS", "hs6", "product", 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "TC USA→RUS", c.Pair.TCAB, 100)
	near(t, "TC RUS→USA", c.Pair.TCBA, 62.5)
	near(t, "intensity USA→RUS", c.Pair.IntensityAB, 4)
	near(t, "similarity", c.Pair.Similarity, 0)
	if len(c.AToB.Products) != 1 || c.AToB.Products[0].Name != "Portable computers" || c.AToB.Sections[0].Code != "XVI" ||
		len(c.BToA.Products) != 1 || c.BToA.Products[0].Product != "270900" || c.BToA.Sections[0].Name != "Mineral products" {
		t.Errorf("complementary products: %+v / %+v", c.AToB, c.BToA)
	}
	near(t, "RCA USA 847130", c.AToB.Products[0].RCA, 20.0/7)
	if s := c.Summary(); !strings.Contains(s, "TC USA→RUS 100.0, RUS→USA 62.5; intensity 4.00, 2.50") {
		t.Errorf("summary %q", s)
	}
	for by, cols := range map[string]string{
		"product": "direction,tc,product,name,section,rca,imports,import_share",
		"section": "direction,tc,section,name,products,imports,import_share",
		"chapter": "direction,tc,chapter,name,products,imports,import_share",
	} {
		c.By = by
		tab := c.Table()
		if strings.Join(tab.Columns, ",") != cols || len(tab.Rows) != 2 || tab.Rows[0][0] != "USA→RUS" || tab.Rows[1][0] != "RUS→USA" {
			t.Errorf("by %s: %+v", by, tab)
		}
	}
	// top keeps the first products and groups of each direction; none is an empty list, not null
	c, _ = NewTradeComplement(tb, "BRA", "CHN", "hs6", "product", 1)
	if len(c.AToB.Products) != 1 || c.BToA.Products == nil || len(c.BToA.Products) != 1 {
		t.Errorf("BRA–CHN top 1: %+v / %+v", c.AToB.Products, c.BToA.Products)
	}
	c, _ = NewTradeComplement(tb, "BRA", "USA", "hs6", "product", 1)
	if c.AToB.Products == nil || len(c.AToB.Products) != 0 {
		t.Errorf("BRA sells nothing the USA imports: %+v", c.AToB.Products)
	}

	p, err := NewTradePartners(tb, "USA", "hs6", 2)
	if err != nil || len(p.Partners) != 2 || p.Partners[0].B != "RUS" || p.Partners[1].B != "CHN" {
		t.Fatalf("USA partners: %+v %v", p, err)
	}
	near(t, "USA–RUS mean TC", p.Partners[0].TC, 81.25)
	near(t, "TC CHN→USA", p.Partners[1].TCBA, 100*(1-(0.225+0.4+0.625)/2))
	if tab := p.Table(); tab.Columns[0] != "state" || tab.Rows[0][0] != "RUS" {
		t.Errorf("partners table %+v", tab)
	}

	// exports only: no complementarity
	sitc := trade.NewTable(&concord.TradeYear{Classification: "SITC2", Year: 2000, Values: []concord.TradeValue{{State: "USA", Product: "7521", Export: 1}}})
	if _, err := NewTradeComplement(sitc, "USA", "USA", "", "product", 0); err == nil || !strings.Contains(err.Error(), "exports only") {
		t.Errorf("complement on exports only: %v", err)
	}

	// years, shown as a list even when none
	var buf strings.Builder
	if err := output.Write(&buf, output.FormatJSON, NewTradeYears(nil)); err != nil || !strings.Contains(buf.String(), `"years": []`) && !strings.Contains(buf.String(), `"years":[]`) {
		t.Errorf("no years: %s %v", buf.String(), err)
	}
}
