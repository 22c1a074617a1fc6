package trade

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	concord "github.com/concord-project/concord"
)

// Table is one year of trade held densely, states × products, for the
// indices. It is read-only after NewTable and safe for concurrent use.
type Table struct {
	Classification string
	Year           int
	States         []string          // state codes, sorted
	Products       []string          // product codes, sorted
	Names          map[string]string // product code → name, where known
	HasImports     bool              // imports and bilateral flows are known

	x, m   []float64 // exports, imports: [state*P + product]
	f      []float64 // bilateral: [exporter*S + importer]
	xt, mt []float64 // total exports, imports per state
	wx     []float64 // world exports per product
	w      float64   // world exports
	wm     float64   // world imports (= w with complete bilateral data)
	mIn    []float64 // bilateral imports per state: Σ_i F_ij
	six    map[string]int
	pix    map[string]int

	advOnce sync.Once
	adv     []bool // RCA_ik > 1: [state*P + product]; see advantages
}

// NewTable lays out a year of trade for the indices.
func NewTable(ty *concord.TradeYear) *Table {
	t := &Table{Classification: ty.Classification, Year: ty.Year, Names: ty.Products, HasImports: ty.HasImports,
		six: map[string]int{}, pix: map[string]int{}}
	for _, v := range ty.Values {
		if _, ok := t.six[v.State]; !ok {
			t.six[v.State] = 0
			t.States = append(t.States, v.State)
		}
		if _, ok := t.pix[v.Product]; !ok {
			t.pix[v.Product] = 0
			t.Products = append(t.Products, v.Product)
		}
	}
	for _, f := range ty.Flows {
		for _, s := range []string{f.Exporter, f.Importer} {
			if _, ok := t.six[s]; !ok {
				t.six[s] = 0
				t.States = append(t.States, s)
			}
		}
	}
	slices.Sort(t.States)
	slices.Sort(t.Products)
	for i, s := range t.States {
		t.six[s] = i
	}
	for i, p := range t.Products {
		t.pix[p] = i
	}
	S, P := len(t.States), len(t.Products)
	t.x, t.m = make([]float64, S*P), make([]float64, S*P)
	t.f = make([]float64, S*S)
	t.xt, t.mt, t.mIn = make([]float64, S), make([]float64, S), make([]float64, S)
	t.wx = make([]float64, P)
	for _, v := range ty.Values {
		i, k := t.six[v.State], t.pix[v.Product]
		t.x[i*P+k] += v.Export
		t.m[i*P+k] += v.Import
		t.xt[i] += v.Export
		t.mt[i] += v.Import
		t.wx[k] += v.Export
		t.w += v.Export
		t.wm += v.Import
	}
	for _, fl := range ty.Flows {
		i, j := t.six[fl.Exporter], t.six[fl.Importer]
		t.f[i*S+j] += fl.Value
		t.mIn[j] += fl.Value
	}
	return t
}

// StateIndex returns the row of state code s.
func (t *Table) StateIndex(s string) (int, bool) {
	i, ok := t.six[s]
	return i, ok
}

// Exports returns the exports of state i in product k (thousands of USD).
func (t *Table) Exports(i, k int) float64 { return t.x[i*len(t.Products)+k] }

// Imports returns the imports of state i in product k (thousands of USD).
func (t *Table) Imports(i, k int) float64 { return t.m[i*len(t.Products)+k] }

// TotalExports returns X_i, the total exports of state i.
func (t *Table) TotalExports(i int) float64 { return t.xt[i] }

// TotalImports returns M_i, the total imports of state i.
func (t *Table) TotalImports(i int) float64 { return t.mt[i] }

// Flow returns F_ij, the exports of state i to state j.
func (t *Table) Flow(i, j int) float64 { return t.f[i*len(t.States)+j] }

// World returns W, the total exports of all states in the table.
func (t *Table) World() float64 { return t.w }

// WorldExports returns X_wk, the exports of all states in product k.
func (t *Table) WorldExports(k int) float64 { return t.wx[k] }

// Name returns the name of product code p, or the name of its HS chapter.
func (t *Table) Name(p string) string {
	if n := t.Names[p]; n != "" {
		return n
	}
	if strings.HasPrefix(t.Classification, "HS") {
		return ChapterName(Chapter(p))
	}
	if strings.HasPrefix(t.Classification, "SITC") && p != "" && p[0] >= '0' && p[0] <= '9' {
		return sitcSections[p[0]-'0']
	}
	return ""
}

// Exporters returns the number of states with exports in the table.
func (t *Table) Exporters() int {
	n := 0
	for _, x := range t.xt {
		if x > 0 {
			n++
		}
	}
	return n
}

func (t *Table) state(s string) (int, error) {
	i, ok := t.six[s]
	if !ok {
		return 0, fmt.Errorf("%s has no trade in %s %d", s, t.Classification, t.Year)
	}
	return i, nil
}

func (t *Table) needImports() error {
	if !t.HasImports {
		return fmt.Errorf("%s %d has exports only (an exporter × product table): this index needs imports, i.e. bilateral data such as BACI",
			t.Classification, t.Year)
	}
	return nil
}

// RCA returns Balassa's revealed comparative advantage of state i in product
// k: RCA_ik = (X_ik / X_i) / (X_wk / W); NaN when i exports nothing or the
// world does not export k.
func (t *Table) RCA(i, k int) float64 {
	if t.xt[i] == 0 || t.wx[k] == 0 {
		return math.NaN()
	}
	return (t.x[i*len(t.Products)+k] / t.xt[i]) / (t.wx[k] / t.w)
}

// ProductRCA is one product of a state with its revealed comparative advantage.
type ProductRCA struct {
	Product    string  `json:"product"`
	Name       string  `json:"name"`
	RCA        float64 `json:"rca"`
	Exports    float64 `json:"exports"`     // X_ik, thousands of USD
	Share      float64 `json:"share"`       // X_ik / X_i
	WorldShare float64 `json:"world_share"` // X_wk / W
}

// StateRCA returns the products state s exports, by RCA from the highest
// (ties by exports), with RCA_ik = (X_ik / X_i) / (X_wk / W).
func (t *Table) StateRCA(s string) ([]ProductRCA, error) {
	i, err := t.state(s)
	if err != nil {
		return nil, err
	}
	if t.xt[i] == 0 {
		return nil, fmt.Errorf("%s exports nothing in %s %d", s, t.Classification, t.Year)
	}
	P := len(t.Products)
	var out []ProductRCA
	for k := 0; k < P; k++ {
		x := t.x[i*P+k]
		if x == 0 {
			continue
		}
		out = append(out, ProductRCA{Product: t.Products[k], Name: t.Name(t.Products[k]), RCA: t.RCA(i, k), Exports: x,
			Share: x / t.xt[i], WorldShare: t.wx[k] / t.w})
	}
	slices.SortStableFunc(out, func(a, b ProductRCA) int {
		if c := cmp.Compare(b.RCA, a.RCA); c != 0 {
			return c
		}
		return cmp.Compare(b.Exports, a.Exports)
	})
	return out, nil
}

// Complementarity returns the trade complementarity of exporter i with
// importer j: TC_ij = 100 · (1 − Σ_k |m_jk − x_ik| / 2), x_ik = X_ik / X_i,
// m_jk = M_jk / M_j; NaN when i exports or j imports nothing.
func (t *Table) Complementarity(i, j int) float64 {
	if t.xt[i] == 0 || t.mt[j] == 0 {
		return math.NaN()
	}
	P := len(t.Products)
	xi, mj := t.x[i*P:(i+1)*P], t.m[j*P:(j+1)*P]
	ax, am := 1/t.xt[i], 1/t.mt[j]
	var d float64
	for k := range xi {
		d += math.Abs(mj[k]*am - xi[k]*ax)
	}
	return 100 * (1 - d/2)
}

// ComplementarityMatrix returns TC_ij for every exporter i (row) and importer j
// (column), in the order of States; NaN where undefined. It computes the
// shares once and spreads the rows over the processors.
func (t *Table) ComplementarityMatrix() ([][]float64, error) {
	if err := t.needImports(); err != nil {
		return nil, err
	}
	S, P := len(t.States), len(t.Products)
	xs, ms := shares(t.x, t.xt, S, P), shares(t.m, t.mt, S, P)
	out := make([][]float64, S)
	flat := make([]float64, S*S)
	for i := range out {
		out[i] = flat[i*S : (i+1)*S]
	}
	var wg sync.WaitGroup
	rows := make(chan int, S)
	for i := 0; i < S; i++ {
		rows <- i
	}
	close(rows)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rows {
				xi := xs[i*P : (i+1)*P]
				for j := 0; j < S; j++ {
					if t.xt[i] == 0 || t.mt[j] == 0 {
						out[i][j] = math.NaN()
						continue
					}
					out[i][j] = 100 * (1 - l1(xi, ms[j*P:(j+1)*P])/2)
				}
			}
		}()
	}
	wg.Wait()
	return out, nil
}

func shares(v, tot []float64, S, P int) []float64 {
	out := make([]float64, S*P)
	for i := 0; i < S; i++ {
		if tot[i] == 0 {
			continue
		}
		a := 1 / tot[i]
		for k := 0; k < P; k++ {
			out[i*P+k] = v[i*P+k] * a
		}
	}
	return out
}

// l1 returns Σ_k |a_k − b_k|, four sums at a time.
func l1(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += math.Abs(a[k] - b[k])
		s1 += math.Abs(a[k+1] - b[k+1])
		s2 += math.Abs(a[k+2] - b[k+2])
		s3 += math.Abs(a[k+3] - b[k+3])
	}
	for ; k < len(a); k++ {
		s0 += math.Abs(a[k] - b[k])
	}
	return s0 + s1 + s2 + s3
}

// Intensity returns the bilateral trade intensity of exporter i with importer
// j: TI_ij = (F_ij / X_i) / (M_j / W), with M_j the imports of j from the
// states in the data; NaN when undefined.
func (t *Table) Intensity(i, j int) float64 {
	if t.xt[i] == 0 || t.mIn[j] == 0 || i == j {
		return math.NaN()
	}
	return (t.f[i*len(t.States)+j] / t.xt[i]) / (t.mIn[j] / t.w)
}

// Similarity returns the export similarity of Finger and Kreinin:
// ES_ij = 100 · Σ_k min(X_ik / X_i, X_jk / X_j); NaN when one exports nothing.
func (t *Table) Similarity(i, j int) float64 {
	if t.xt[i] == 0 || t.xt[j] == 0 {
		return math.NaN()
	}
	P := len(t.Products)
	xi, xj := t.x[i*P:(i+1)*P], t.x[j*P:(j+1)*P]
	ai, aj := 1/t.xt[i], 1/t.xt[j]
	var s float64
	for k := range xi {
		s += math.Min(xi[k]*ai, xj[k]*aj)
	}
	return 100 * s
}

// PairIndices holds the indices of two states A and B, in both directions.
type PairIndices struct {
	A            string  `json:"a"`
	B            string  `json:"b"`
	Year         int     `json:"year"`
	TCAB         float64 `json:"tc_ab"`         // TC of A's exports with B's imports
	TCBA         float64 `json:"tc_ba"`         // TC of B's exports with A's imports
	TC           float64 `json:"tc"`            // mean of the two directions
	IntensityAB  float64 `json:"intensity_ab"`  // TI of A's exports to B
	IntensityBA  float64 `json:"intensity_ba"`  // TI of B's exports to A
	Similarity   float64 `json:"similarity"`    // ES of A's and B's exports
	ExportsAB    float64 `json:"exports_ab"`    // F_AB, thousands of USD
	ExportsBA    float64 `json:"exports_ba"`    // F_BA
	ComplementAB int     `json:"complement_ab"` // products where A has RCA > 1 and B imports
	ComplementBA int     `json:"complement_ba"` // products where B has RCA > 1 and A imports
}

// Pair returns the indices of states a and b.
func (t *Table) Pair(a, b string) (PairIndices, error) {
	i, err := t.state(a)
	if err != nil {
		return PairIndices{}, err
	}
	j, err := t.state(b)
	if err != nil {
		return PairIndices{}, err
	}
	return t.pair(i, j, math.NaN(), math.NaN()), nil
}

func (t *Table) pair(i, j int, tcij, tcji float64) PairIndices {
	if math.IsNaN(tcij) && t.HasImports {
		tcij, tcji = t.Complementarity(i, j), t.Complementarity(j, i)
	}
	S := len(t.States)
	p := PairIndices{A: t.States[i], B: t.States[j], Year: t.Year, TCAB: tcij, TCBA: tcji, TC: (tcij + tcji) / 2,
		IntensityAB: math.NaN(), IntensityBA: math.NaN(), Similarity: t.Similarity(i, j),
		ComplementAB: t.countComplement(i, j), ComplementBA: t.countComplement(j, i)}
	if t.HasImports {
		p.IntensityAB, p.IntensityBA = t.Intensity(i, j), t.Intensity(j, i)
		p.ExportsAB, p.ExportsBA = t.f[i*S+j], t.f[j*S+i]
	}
	return p
}

func (t *Table) countComplement(i, j int) int {
	if !t.HasImports {
		return 0
	}
	n := 0
	P := len(t.Products)
	adv, mj := t.advantages()[i*P:(i+1)*P], t.m[j*P:(j+1)*P]
	for k, a := range adv {
		if a && mj[k] > 0 {
			n++
		}
	}
	return n
}

// advantages returns, for every state i and product k, whether RCA_ik > 1;
// computed once per table, on first use.
func (t *Table) advantages() []bool {
	t.advOnce.Do(func() {
		P := len(t.Products)
		t.adv = make([]bool, len(t.States)*P)
		for i := range t.States {
			for k := 0; k < P; k++ {
				t.adv[i*P+k] = t.RCA(i, k) > 1
			}
		}
	})
	return t.adv
}

// Partners returns the indices of state a with every other state that
// trades, ranked by the mean complementarity of both directions, highest first.
func (t *Table) Partners(a string) ([]PairIndices, error) {
	if err := t.needImports(); err != nil {
		return nil, err
	}
	i, err := t.state(a)
	if err != nil {
		return nil, err
	}
	var out []PairIndices
	for j := range t.States {
		if j == i {
			continue
		}
		p := t.pair(i, j, t.Complementarity(i, j), t.Complementarity(j, i))
		if math.IsNaN(p.TCAB) && math.IsNaN(p.TCBA) {
			continue
		}
		out = append(out, p)
	}
	key := func(p PairIndices) float64 {
		switch {
		case math.IsNaN(p.TCAB):
			return p.TCBA / 2
		case math.IsNaN(p.TCBA):
			return p.TCAB / 2
		}
		return p.TC
	}
	slices.SortStableFunc(out, func(x, y PairIndices) int { return cmp.Compare(key(y), key(x)) })
	return out, nil
}

// ComplementaryProduct is a product the exporter has a comparative advantage
// in and the importer buys.
type ComplementaryProduct struct {
	Product     string  `json:"product"`
	Name        string  `json:"name"`
	Section     string  `json:"section"`      // HS section (Roman), or SITC section digit
	SectionName string  `json:"section_name"` // e.g. "Machinery and electrical equipment"
	Chapter     string  `json:"chapter"`      // HS chapter (2 digits), or SITC division
	ChapterName string  `json:"chapter_name"`
	RCA         float64 `json:"rca"`          // exporter's RCA
	Exports     float64 `json:"exports"`      // exporter's exports to the world, thousands of USD
	Imports     float64 `json:"imports"`      // importer's imports from the world, thousands of USD
	ImportShare float64 `json:"import_share"` // share of the product in the importer's imports
}

// ProductGroup sums the complementary products of one HS section or chapter.
type ProductGroup struct {
	Level    string  `json:"level"` // "section" or "chapter"
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Products int     `json:"products"`
	Imports  float64 `json:"imports"`      // importer's imports of these products
	Share    float64 `json:"import_share"` // their share in the importer's imports
}

// Complement lists what an exporter could sell an importer.
type Complement struct {
	Exporter        string                 `json:"exporter"`
	Importer        string                 `json:"importer"`
	TC              float64                `json:"tc"`
	Products        []ComplementaryProduct `json:"products"` // by Imports, highest first
	Sections        []ProductGroup         `json:"sections"` // by Imports, highest first
	Chapters        []ProductGroup         `json:"chapters"`
	ComplementShare float64                `json:"complement_share"` // share of the importer's imports in these products
}

// ComplementaryProducts returns the products in which exporter a has
// RCA_ak > 1 and that importer b imports, ranked by M_bk, with their sums by
// HS section and chapter.
func (t *Table) ComplementaryProducts(a, b string) (*Complement, error) {
	if err := t.needImports(); err != nil {
		return nil, err
	}
	i, err := t.state(a)
	if err != nil {
		return nil, err
	}
	j, err := t.state(b)
	if err != nil {
		return nil, err
	}
	c := &Complement{Exporter: a, Importer: b, TC: t.Complementarity(i, j)}
	P := len(t.Products)
	sec, chap := map[string]*ProductGroup{}, map[string]*ProductGroup{}
	for k := 0; k < P; k++ {
		mk := t.m[j*P+k]
		r := t.RCA(i, k)
		if mk <= 0 || !(r > 1) {
			continue
		}
		code := t.Products[k]
		cp := ComplementaryProduct{Product: code, Name: t.Name(code), RCA: r, Exports: t.x[i*P+k], Imports: mk,
			ImportShare: mk / t.mt[j]}
		cp.Section, cp.SectionName, cp.Chapter, cp.ChapterName = t.groups(code)
		c.Products = append(c.Products, cp)
		c.ComplementShare += cp.ImportShare
		for _, g := range []struct {
			m          map[string]*ProductGroup
			level      string
			code, name string
		}{{sec, "section", cp.Section, cp.SectionName}, {chap, "chapter", cp.Chapter, cp.ChapterName}} {
			pg := g.m[g.code]
			if pg == nil {
				pg = &ProductGroup{Level: g.level, Code: g.code, Name: g.name}
				g.m[g.code] = pg
			}
			pg.Products++
			pg.Imports += mk
			pg.Share += cp.ImportShare
		}
	}
	// by imports, ties in code order (the order found): a total order, so no stable sort of large values is needed
	slices.SortFunc(c.Products, func(x, y ComplementaryProduct) int {
		if c := cmp.Compare(y.Imports, x.Imports); c != 0 {
			return c
		}
		return strings.Compare(x.Product, y.Product)
	})
	c.Sections, c.Chapters = sortedGroups(sec), sortedGroups(chap)
	return c, nil
}

func sortedGroups(m map[string]*ProductGroup) []ProductGroup {
	out := make([]ProductGroup, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(x, y ProductGroup) int {
		if c := cmp.Compare(y.Imports, x.Imports); c != 0 {
			return c
		}
		return strings.Compare(x.Code, y.Code)
	})
	return out
}

// sitcSections names the 10 sections of the Standard International Trade Classification.
var sitcSections = [10]string{"Food and live animals", "Beverages and tobacco", "Crude materials, inedible, except fuels",
	"Mineral fuels, lubricants", "Animal and vegetable oils, fats, waxes", "Chemicals", "Manufactured goods by material",
	"Machinery and transport equipment", "Miscellaneous manufactured articles", "Commodities not classified elsewhere"}

// groups returns the section and chapter of a product code of the table's classification.
func (t *Table) groups(code string) (sec, secName, chap, chapName string) {
	if strings.HasPrefix(t.Classification, "SITC") && len(code) >= 2 && code[0] >= '0' && code[0] <= '9' {
		return code[:1], sitcSections[code[0]-'0'], code[:2], ""
	}
	for _, s := range Sections {
		if s.Roman == code {
			return s.Roman, s.Name, "", ""
		}
	}
	ch := Chapter(code)
	if s, ok := SectionOf(ch); ok {
		sec, secName = s.Roman, s.Name
	}
	if ch > 0 {
		chap, chapName = code[:2], ChapterName(ch)
	}
	return sec, secName, chap, chapName
}

// Aggregate sums a year of HS trade up to level l (HS4, HS2 or section);
// flows between states are unchanged. Codes that are not HS codes are an error.
func Aggregate(ty *concord.TradeYear, l Level) (*concord.TradeYear, error) {
	if l == HS6 {
		return ty, nil
	}
	if !strings.HasPrefix(ty.Classification, "HS") {
		return nil, fmt.Errorf("%s %d: only Harmonized System data aggregates to %s", ty.Classification, ty.Year, l)
	}
	type key struct{ s, p string }
	sum := map[key]*concord.TradeValue{}
	var order []key
	for _, v := range ty.Values {
		up := Up(v.Product, l)
		if up == "" {
			return nil, fmt.Errorf("%s %d: product %q of %s is not an HS code", ty.Classification, ty.Year, v.Product, v.State)
		}
		k := key{v.State, up}
		a := sum[k]
		if a == nil {
			a = &concord.TradeValue{State: v.State, Product: up}
			sum[k] = a
			order = append(order, k)
		}
		a.Export += v.Export
		a.Import += v.Import
	}
	out := &concord.TradeYear{Classification: ty.Classification, Year: ty.Year, Source: ty.Source, Rows: ty.Rows,
		HasImports: ty.HasImports, Flows: ty.Flows, Products: map[string]string{}}
	slices.SortFunc(order, func(a, b key) int {
		if c := strings.Compare(a.s, b.s); c != 0 {
			return c
		}
		return strings.Compare(a.p, b.p)
	})
	for _, k := range order {
		out.Values = append(out.Values, *sum[k])
		if _, ok := out.Products[k.p]; !ok {
			out.Products[k.p] = GroupName(k.p, l, ty.Products)
		}
	}
	return out, nil
}
