package trade

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// fixtureCSV is a hand-made BACI year: the United States (842), Brazil (76)
// and China (156) trading live horses (010121), crude oil (270900) and
// computers (847130). Totals, worked by hand:
//
//	exports  USA 100 (010121 20, 847130 80), BRA 80 (270900 30, 010121 50), CHN 100 (847130)
//	imports  USA 110 (270900 30, 847130 80), BRA 80 (847130), CHN 90 (010121 70, 847130 20)
//	world    280; by product 010121 70, 270900 30, 847130 180
const fixtureCSV = `t,i,j,k,v,q
2020,842,76,847130,60,1.5
2020,842,156,010121,20,
2020,842,156,847130,20,NA
2020,76,842,270900,30,100
2020,76,156,10121,50,3
2020,156,842,847130,80,2
2020,156,76,847130,20,0.5
`

func writeFile(t testing.TB, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func fixture(t *testing.T) *Table {
	t.Helper()
	p := writeFile(t, "BACI_HS17_Y2020_V202401.csv", fixtureCSV)
	names := writeFile(t, "product_codes_HS17_V202401.csv",
		"code,description\n010121,\"Horses: live, pure-bred breeding animals\"\n270900,Petroleum oils and oils obtained from bituminous minerals; crude\n847130,\"Automatic data processing machines: portable, weighing not more than 10kg\"\n")
	ys, err := ReadFiles(context.Background(), Options{}, names, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ys) != 1 || ys[0].Classification != "HS17" || ys[0].Year != 2020 || ys[0].Rows != 7 || !ys[0].HasImports {
		t.Fatalf("read %d years: %+v", len(ys), ys)
	}
	return NewTable(ys[0])
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func ix(t *testing.T, tb *Table, s string) int {
	t.Helper()
	i, ok := tb.StateIndex(s)
	if !ok {
		t.Fatalf("no state %s in %v", s, tb.States)
	}
	return i
}

func pix(t *testing.T, tb *Table, p string) int {
	t.Helper()
	for k, c := range tb.Products {
		if c == p {
			return k
		}
	}
	t.Fatalf("no product %s in %v", p, tb.Products)
	return 0
}

func TestFormulasOnHandComputedFixture(t *testing.T) {
	tb := fixture(t)
	usa, bra, chn := ix(t, tb, "USA"), ix(t, tb, "BRA"), ix(t, tb, "CHN")
	horses, oil, computers := pix(t, tb, "010121"), pix(t, tb, "270900"), pix(t, tb, "847130")
	near(t, "W", tb.World(), 280)
	near(t, "X_USA", tb.TotalExports(usa), 100)
	near(t, "M_USA", tb.TotalImports(usa), 110)
	near(t, "M_CHN", tb.TotalImports(chn), 90)
	near(t, "F_USA,BRA", tb.Flow(usa, bra), 60)
	// RCA = (X_ik/X_i)/(X_wk/W)
	near(t, "RCA USA horses", tb.RCA(usa, horses), (20.0/100)/(70.0/280))
	near(t, "RCA USA computers", tb.RCA(usa, computers), 0.8*280/180)
	near(t, "RCA BRA horses", tb.RCA(bra, horses), 2.5)
	near(t, "RCA BRA oil", tb.RCA(bra, oil), 3.5)
	near(t, "RCA CHN computers", tb.RCA(chn, computers), 280.0/180)
	if !math.IsNaN(tb.RCA(chn, oil)) && tb.RCA(chn, oil) != 0 {
		t.Errorf("RCA of China in oil it does not export = %v, want 0", tb.RCA(chn, oil))
	}
	// TC = 100(1 − Σ|m_jk − x_ik|/2)
	near(t, "TC USA→CHN", tb.Complementarity(usa, chn), 100*19.0/45)
	near(t, "TC BRA→USA", tb.Complementarity(bra, usa), 300.0/11)
	near(t, "TC CHN→BRA", tb.Complementarity(chn, bra), 100)
	near(t, "TC CHN→USA", tb.Complementarity(chn, usa), 800.0/11)
	near(t, "TC BRA→CHN", tb.Complementarity(bra, chn), 100*(1-(math.Abs(70.0/90-0.625)+0.375+20.0/90)/2))
	// TI = (F_ij/X_i)/(M_j/W)
	near(t, "TI USA→BRA", tb.Intensity(usa, bra), 2.1)
	near(t, "TI CHN→USA", tb.Intensity(chn, usa), (80.0/100)/(110.0/280))
	if tb.Flow(bra, bra) != 0 || !math.IsNaN(tb.Intensity(bra, bra)) {
		t.Error("a state's intensity with itself is defined")
	}
	// ES = 100 Σ min(x_ik, x_jk)
	near(t, "ES USA,CHN", tb.Similarity(usa, chn), 80)
	near(t, "ES USA,BRA", tb.Similarity(usa, bra), 20)
	near(t, "ES CHN,BRA", tb.Similarity(chn, bra), 0)

	rca, err := tb.StateRCA("BRA")
	if err != nil {
		t.Fatal(err)
	}
	if len(rca) != 2 || rca[0].Product != "270900" || rca[1].Product != "010121" || !strings.HasPrefix(rca[0].Name, "Petroleum oils") {
		t.Errorf("Brazil's RCA rows: %+v", rca)
	}
	c, err := tb.ComplementaryProducts("BRA", "CHN")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Products) != 1 || c.Products[0].Product != "010121" || c.Products[0].Section != "I" ||
		c.Products[0].Chapter != "01" || c.Products[0].ChapterName != "Live animals" {
		t.Fatalf("Brazil's complementary products for China: %+v", c.Products)
	}
	near(t, "import share of horses in China", c.ComplementShare, 70.0/90)
	if len(c.Sections) != 1 || c.Sections[0].Name != "Live animals; animal products" || c.Sections[0].Imports != 70 {
		t.Errorf("sections: %+v", c.Sections)
	}
	c, _ = tb.ComplementaryProducts("USA", "CHN")
	if len(c.Products) != 1 || c.Products[0].Product != "847130" || c.Products[0].Section != "XVI" {
		t.Errorf("US complementary products for China: %+v", c.Products)
	}
	p, err := tb.Pair("USA", "CHN")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "pair TC_ab", p.TCAB, 100*19.0/45)
	near(t, "pair TC_ba", p.TCBA, tb.Complementarity(chn, usa))
	near(t, "pair exports CHN→USA", p.ExportsBA, 80)
	partners, err := tb.Partners("CHN")
	if err != nil {
		t.Fatal(err)
	}
	if len(partners) != 2 || partners[0].TC < partners[1].TC {
		t.Errorf("partners of China not ranked by mean TC: %+v", partners)
	}
}

// generated returns a random year: S states, P products, flows on about density of the exporter × importer × product cells.
func generated(seed uint64, S, P int, density float64) *concord.TradeYear {
	r := rand.New(rand.NewPCG(seed, 7))
	codes := make([]string, S)
	for i := range codes {
		codes[i] = string([]byte{'A' + byte(i/26%26), 'A' + byte(i%26), 'X'})
	}
	prods := make([]string, P)
	for k := range prods {
		ch := 1 + r.IntN(97)
		if ch == 77 {
			ch = 76
		}
		prods[k] = strings.Repeat("0", 0) + itoa2(ch) + itoa2(r.IntN(100)) + itoa2(k%100)
	}
	exp := make([]float64, S*P)
	imp := make([]float64, S*P)
	bil := make([]float64, S*S)
	for i := 0; i < S; i++ {
		for j := 0; j < S; j++ {
			if i == j {
				continue
			}
			for k := 0; k < P; k++ {
				if r.Float64() < density {
					v := math.Exp(r.NormFloat64() * 3)
					exp[i*P+k] += v
					imp[j*P+k] += v
					bil[i*S+j] += v
				}
			}
		}
	}
	ty := &concord.TradeYear{Classification: "HS17", Year: 2020, HasImports: true}
	for i := 0; i < S; i++ {
		for k := 0; k < P; k++ {
			if exp[i*P+k] != 0 || imp[i*P+k] != 0 {
				ty.Values = append(ty.Values, concord.TradeValue{State: codes[i], Product: prods[k], Export: exp[i*P+k], Import: imp[i*P+k]})
			}
		}
		for j := 0; j < S; j++ {
			if bil[i*S+j] != 0 {
				ty.Flows = append(ty.Flows, concord.TradeFlow{Exporter: codes[i], Importer: codes[j], Value: bil[i*S+j]})
			}
		}
	}
	return ty
}

func itoa2(n int) string { return string([]byte{'0' + byte(n/10), '0' + byte(n%10)}) }

func TestPropertiesOnGeneratedData(t *testing.T) {
	ty := generated(1, 40, 300, 0.02)
	tb := NewTable(ty)
	S, P := len(tb.States), len(tb.Products)
	m, err := tb.ComplementarityMatrix()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < S; i++ {
		// RCA averages: Σ_k (X_wk/W) RCA_ik = 1
		var avg float64
		for k := 0; k < P; k++ {
			if r := tb.RCA(i, k); !math.IsNaN(r) {
				avg += tb.WorldExports(k) / tb.World() * r
			}
		}
		near(t, "world-weighted mean RCA of "+tb.States[i], avg, 1)
		for j := 0; j < S; j++ {
			tc := m[i][j]
			if !(tc >= 0 && tc <= 100) {
				t.Fatalf("TC(%d,%d) = %v, outside 0..100", i, j, tc)
			}
			if math.Abs(tc-tb.Complementarity(i, j)) > 1e-9 {
				t.Fatalf("matrix TC(%d,%d) = %v, pairwise %v", i, j, tc, tb.Complementarity(i, j))
			}
			if es := tb.Similarity(i, j); !(es >= 0 && es <= 100+1e-9) {
				t.Fatalf("ES(%d,%d) = %v", i, j, es)
			}
		}
		near(t, "ES with itself", tb.Similarity(i, i), 100)
	}
	for k := 0; k < P; k++ {
		// Σ_i (X_i/W) RCA_ik = 1
		var avg float64
		for i := 0; i < S; i++ {
			avg += tb.TotalExports(i) / tb.World() * tb.RCA(i, k)
		}
		near(t, "export-weighted mean RCA of "+tb.Products[k], avg, 1)
	}
	// intensities average to 1: Σ_j (M_j/W) TI_ij = Σ_j F_ij/X_i = 1
	for i := 0; i < S; i++ {
		var s float64
		for j := 0; j < S; j++ {
			if j != i {
				s += tb.TotalImports(j) / tb.World() * tb.Intensity(i, j)
			}
		}
		near(t, "import-weighted mean intensity of "+tb.States[i], s, 1)
	}
	// aggregation keeps totals and can only raise TC: |Σa − Σb| ≤ Σ|a − b|
	prev := tb
	for _, l := range []Level{HS4, HS2, Section} {
		agg, err := Aggregate(ty, l)
		if err != nil {
			t.Fatal(err)
		}
		at := NewTable(agg)
		near(t, "world at "+l.String(), at.World(), tb.World())
		for i := 0; i < S; i++ {
			near(t, "exports at "+l.String(), at.TotalExports(i), tb.TotalExports(i))
			for j := 0; j < S; j++ {
				if at.Complementarity(i, j) < prev.Complementarity(i, j)-1e-9 {
					t.Fatalf("TC(%d,%d) fell from %v to %v at %s", i, j, prev.Complementarity(i, j), at.Complementarity(i, j), l)
				}
			}
		}
		prev = at
	}
	if len(prev.Products) > len(Sections) {
		t.Errorf("%d sections", len(prev.Products))
	}
	// the counts of complementary products in Partners are the products ComplementaryProducts lists
	for _, a := range tb.States[:5] {
		ps, err := tb.Partners(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			ab, _ := tb.ComplementaryProducts(p.A, p.B)
			ba, _ := tb.ComplementaryProducts(p.B, p.A)
			if p.ComplementAB != len(ab.Products) || p.ComplementBA != len(ba.Products) || p.ComplementAB == 0 && p.ComplementBA == 0 {
				t.Fatalf("%s–%s: counts %d, %d; products %d, %d", p.A, p.B, p.ComplementAB, p.ComplementBA, len(ab.Products), len(ba.Products))
			}
		}
	}
}

func TestAggregateLevelsAndNames(t *testing.T) {
	if Up("847130", HS4) != "8471" || Up("847130", HS2) != "84" || Up("847130", Section) != "XVI" || Up("010121", Section) != "I" {
		t.Error("Up does not climb the HS tree")
	}
	if s, _ := SectionOf(Chapter("270900")); s.Name != "Mineral products" {
		t.Errorf("chapter 27 in section %+v", s)
	}
	for ch := 1; ch <= 97; ch++ {
		if _, ok := SectionOf(ch); !ok || ChapterName(ch) == "" {
			t.Errorf("chapter %d has no section or name", ch)
		}
	}
	if _, err := Aggregate(&concord.TradeYear{Classification: "SITC2", Values: []concord.TradeValue{{State: "A", Product: "0011"}}}, HS2); err == nil {
		t.Error("SITC data aggregated along the HS tree")
	}
}

func TestJSONWritesUndefinedAsNull(t *testing.T) {
	tb := fixture(t)
	p, err := tb.Pair("USA", "BRA")
	if err != nil {
		t.Fatal(err)
	}
	p.IntensityBA = math.NaN()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["intensity_ba"] != nil || back["intensity_ab"].(float64) != 2.1 || back["a"] != "USA" {
		t.Errorf("JSON %s", b)
	}
	c := Complement{Exporter: "USA", TC: math.NaN()}
	if b, err := json.Marshal(c); err != nil || !strings.Contains(string(b), `"tc":null`) || !strings.Contains(string(b), `"exporter":"USA"`) {
		t.Errorf("complement JSON %s %v", b, err)
	}
}

// Aggregating a laid-out table gives the table of the aggregated year: same
// products, names, totals and indices at every level.
func TestTableAggregateMatchesAggregatedYear(t *testing.T) {
	ty := generated(3, 12, 200, 0.05)
	ty.Products = map[string]string{}
	for _, v := range ty.Values[:5] {
		ty.Products[v.Product] = "named " + v.Product
	}
	base := NewTable(ty)
	for _, l := range []Level{HS6, HS4, HS2, Section} {
		got, err := base.Aggregate(l)
		if err != nil {
			t.Fatal(err)
		}
		ay, err := Aggregate(ty, l)
		if err != nil {
			t.Fatal(err)
		}
		want := NewTable(ay)
		if !slices.Equal(got.Products, want.Products) || !slices.Equal(got.States, want.States) {
			t.Fatalf("%s: products %d vs %d, states %d vs %d", l, len(got.Products), len(want.Products), len(got.States), len(want.States))
		}
		for _, p := range want.Products {
			if got.Name(p) != want.Name(p) || got.Name(p) == "" {
				t.Errorf("%s: name of %s %q, want %q", l, p, got.Name(p), want.Name(p))
			}
		}
		near(t, l.String()+" world", got.World(), want.World())
		for i := range want.States {
			near(t, l.String()+" exports", got.TotalExports(i), want.TotalExports(i))
			near(t, l.String()+" imports", got.TotalImports(i), want.TotalImports(i))
			for k := range want.Products {
				near(t, l.String()+" x", got.Exports(i, k), want.Exports(i, k))
				near(t, l.String()+" m", got.Imports(i, k), want.Imports(i, k))
			}
			for j := range want.States {
				near(t, l.String()+" TC", nanZero(got.Complementarity(i, j)), nanZero(want.Complementarity(i, j)))
				near(t, l.String()+" TI", nanZero(got.Intensity(i, j)), nanZero(want.Intensity(i, j)))
			}
		}
		if l != HS6 && len(got.Products) >= len(base.Products) {
			t.Errorf("%s: %d groups of %d products", l, len(got.Products), len(base.Products))
		}
	}
	sitc := NewTable(&concord.TradeYear{Classification: "SITC2", Values: []concord.TradeValue{{State: "A", Product: "0011", Export: 1}}})
	if _, err := sitc.Aggregate(HS2); err == nil {
		t.Error("SITC table aggregated along the HS tree")
	}
}

func nanZero(f float64) float64 {
	if math.IsNaN(f) {
		return -1
	}
	return f
}
