package trade

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
)

// Options tunes ReadFiles.
type Options struct {
	// Classification names the product classification of the data files
	// ("HS17", "SITC2"); empty: read from each file name (BACI_HS17_…,
	// …_hs17_…, sitc2_…), else "HS" for BACI files.
	Classification string
	// Year is the year of exporter × product tables, which have no year
	// column; 0: the last four-digit year in the file name.
	Year int
	// Progress, if not nil, is called with the number of rows read so far.
	Progress func(rows int)
}

// Kind is the layout of a trade data file, recognised from its header.
type Kind int

// The layouts ReadFiles recognises.
const (
	Unknown       Kind = iota
	BACIFlows          // t,i,j,k,v,q: year, exporter, importer, HS6 product, value (thousand USD), quantity (t)
	BACICountries      // country_code, …, iso3: BACI's country code file
	BACIProducts       // code, description: BACI's product code file
	ExportTable        // country, product, value: exports by exporter and product
)

// String names the layout.
func (k Kind) String() string {
	return [...]string{"unknown", "BACI flows", "BACI country codes", "BACI product codes", "exporter × product table"}[k]
}

// Detect opens path (plain or gzip) and recognises its layout from the header.
func Detect(path string) (Kind, error) {
	f, r, err := open(path)
	if err != nil {
		return Unknown, err
	}
	defer f.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return Unknown, fmt.Errorf("%s: %w", path, err)
	}
	return kindOf(headerFields(line)), nil
}

func headerFields(line string) []string {
	line = strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "\ufeff")
	fs := strings.Split(line, ",")
	for i, f := range fs {
		fs[i] = strings.ToLower(strings.Trim(strings.TrimSpace(f), `"`))
	}
	return fs
}

func kindOf(h []string) Kind {
	switch {
	case slices.Equal(h, []string{"t", "i", "j", "k", "v", "q"}):
		return BACIFlows
	case len(h) >= 2 && h[0] == "country_code" && (slices.Contains(h, "country_iso3") || slices.Contains(h, "iso_3digit_alpha")):
		return BACICountries
	case len(h) == 2 && h[0] == "code" && h[1] == "description":
		return BACIProducts
	case len(h) == 3 && (h[0] == "country" || h[0] == "exporter") && h[1] == "product" && (h[2] == "value" || h[2] == "export_value"):
		return ExportTable
	}
	return Unknown
}

// open opens a plain or gzip file.
func open(path string) (*os.File, io.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return f, bufio.NewReaderSize(zr, 1<<20), nil
	}
	return f, br, nil
}

var (
	hsInName   = regexp.MustCompile(`(?i)(?:^|[^a-z])hs(\d\d)(?:[^0-9]|$)`)
	sitcInName = regexp.MustCompile(`(?i)sitc(\d?)`)
	yearInName = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)(?:[^0-9]|$)`)
)

// classificationOf reads the classification from a file name: "HS17", "SITC2", or "".
func classificationOf(path string) string {
	base := filepath.Base(path)
	if m := hsInName.FindStringSubmatch(base); m != nil {
		return "HS" + m[1]
	}
	if m := sitcInName.FindStringSubmatch(base); m != nil {
		return "SITC" + m[1]
	}
	return ""
}

// yearOf reads the last four-digit year in a file name, or 0.
func yearOf(path string) int {
	base := filepath.Base(path)
	y := 0
	for i := 0; i < len(base); {
		loc := yearInName.FindStringSubmatchIndex(base[i:])
		if loc == nil {
			break
		}
		y, _ = strconv.Atoi(base[i+loc[2] : i+loc[3]])
		i += loc[3]
	}
	return y
}

// ReadFiles reads trade files of any layout Detect knows, plain or gzip, and
// returns one TradeYear per classification and year, sorted. Country and
// product code files apply to the flow files read with them. Flow files are
// streamed: memory grows with states × products, not with rows. Any bad row
// is an error naming file:line:column, and nothing is returned.
func ReadFiles(ctx context.Context, opt Options, paths ...string) ([]*concord.TradeYear, error) {
	type file struct {
		path string
		kind Kind
	}
	var data []file
	r := newReader(opt)
	for _, p := range paths {
		k, err := Detect(p)
		if err != nil {
			return nil, err
		}
		switch k {
		case BACICountries:
			if err := r.readCountries(p); err != nil {
				return nil, err
			}
		case BACIProducts:
			if err := r.readProducts(p); err != nil {
				return nil, err
			}
		case BACIFlows, ExportTable:
			data = append(data, file{p, k})
		default:
			return nil, fmt.Errorf("%s:1: not a trade file concord knows: want a BACI header t,i,j,k,v,q, a BACI country or product code file, or country,product,value", p)
		}
	}
	if len(data) == 0 {
		return nil, errors.New("no trade data files among " + strings.Join(paths, " ") + " (only code lists)")
	}
	for _, f := range data {
		var err error
		if f.kind == BACIFlows {
			err = r.readBACI(ctx, f.path)
		} else {
			err = r.readTable(ctx, f.path)
		}
		if err != nil {
			return nil, err
		}
	}
	return r.years()
}

// bilateralSize is the number of BACI country codes (0..999) on each side of the bilateral table.
const bilateralSize = 1000

// baciYear aggregates one classification-year of BACI flows by raw BACI country codes.
type baciYear struct {
	class   string
	year    int
	source  []string
	rows    int
	exp     [bilateralSize][]float64 // by exporter code, product index
	imp     [bilateralSize][]float64
	bil     []float64 // exporter*bilateralSize + importer
	firstAt [bilateralSize]concord.Pos
}

// tableYear aggregates one classification-year of an exporter × product table.
type tableYear struct {
	class  string
	year   int
	source []string
	rows   int
	exp    map[string]map[string]float64 // state → product → value
}

type reader struct {
	opt       Options
	prodIdx   []int32 // HS6 code as a number → index+1 into prods
	prods     []int
	names     map[string]map[string]string // classification ("" any HS) → code → name
	codes     map[int]string               // BACI country code → ISO alpha-3 from a country code file
	codeNames map[int]string
	baci      map[[2]any]*baciYear
	tables    map[[2]any]*tableYear
	iso3      map[string]string // table country code → state code
	total     int
}

func newReader(opt Options) *reader {
	return &reader{opt: opt, prodIdx: make([]int32, 1_000_000), names: map[string]map[string]string{},
		codes: map[int]string{}, codeNames: map[int]string{}, baci: map[[2]any]*baciYear{},
		tables: map[[2]any]*tableYear{}, iso3: map[string]string{}}
}

// readCountries reads a BACI country code file: country_code, names, ISO alpha-2 and alpha-3.
func (r *reader) readCountries(path string) error {
	recs, err := readCSV(path)
	if err != nil {
		return err
	}
	h := headerFields(strings.Join(recs[0], ","))
	code, iso3, name := slices.Index(h, "country_code"), slices.Index(h, "country_iso3"), slices.Index(h, "country_name")
	if iso3 < 0 {
		iso3 = slices.Index(h, "iso_3digit_alpha")
	}
	if name < 0 {
		name = slices.Index(h, "country_name_full")
	}
	for n, rec := range recs[1:] {
		if len(rec) != len(h) {
			return fmt.Errorf("%s:%d: %d fields, want %d", path, n+2, len(rec), len(h))
		}
		c, err := strconv.Atoi(strings.TrimSpace(rec[code]))
		if err != nil || c < 0 || c >= bilateralSize {
			return fmt.Errorf("%s:%d:%d: country_code %q is not a number 0..999", path, n+2, code+1, rec[code])
		}
		r.codes[c] = strings.ToUpper(strings.TrimSpace(rec[iso3]))
		if name >= 0 {
			r.codeNames[c] = strings.TrimSpace(rec[name])
		}
	}
	return nil
}

// readProducts reads a BACI product code file: code, description.
func (r *reader) readProducts(path string) error {
	recs, err := readCSV(path)
	if err != nil {
		return err
	}
	class := classificationOf(path)
	if class == "" {
		class = r.opt.Classification
	}
	m := r.names[class]
	if m == nil {
		m = map[string]string{}
		r.names[class] = m
	}
	for n, rec := range recs[1:] {
		if len(rec) != 2 {
			return fmt.Errorf("%s:%d: %d fields, want 2 (code, description)", path, n+2, len(rec))
		}
		c := strings.TrimSpace(rec[0])
		if v, err := strconv.Atoi(c); err != nil || v < 0 || v >= 1_000_000 {
			return fmt.Errorf("%s:%d:1: product code %q is not an HS code of up to 6 digits", path, n+2, c)
		} else {
			c = fmt.Sprintf("%06d", v)
		}
		m[c] = strings.TrimSpace(rec[1])
	}
	return nil
}

func readCSV(path string) ([][]string, error) {
	f, rd, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	return recs, nil
}

func (r *reader) progress(rows int) {
	if r.opt.Progress != nil {
		r.opt.Progress(rows)
	}
}

// readBACI streams a BACI flow file into the per-year aggregates.
func (r *reader) readBACI(ctx context.Context, path string) error {
	f, rd, err := open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	class := r.opt.Classification
	if class == "" {
		class = classificationOf(path)
	}
	if class == "" {
		class = "HS"
	}
	br, ok := rd.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(rd, 1<<20)
	}
	if _, err := br.ReadSlice('\n'); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", path, err)
	}
	var cur *baciYear
	var field [6][]byte
	var col [6]int
	line := 1
	imp := newImportAdder()
	defer imp.close()
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("%s:%d: line longer than 1 MiB", path, line+1)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s:%d: %w", path, line+1, err)
		}
		if len(b) == 0 && err != nil {
			break
		}
		line++
		b = bytes.TrimRight(b, "\r\n")
		if len(b) == 0 {
			if err != nil {
				break
			}
			continue
		}
		n, start := 0, 0
		for i := 0; i <= len(b); i++ {
			if i == len(b) || b[i] == ',' {
				if n == 6 {
					return fmt.Errorf("%s:%d:%d: more than 6 fields (t,i,j,k,v,q)", path, line, i+1)
				}
				field[n], col[n] = trimField(b[start:i]), start+1
				n++
				start = i + 1
			}
		}
		if n < 5 {
			return fmt.Errorf("%s:%d:%d: %d fields, want 6 (t,i,j,k,v,q)", path, line, len(b)+1, n)
		}
		pos := func(c int) concord.Pos { return concord.Pos{File: path, Line: line, Column: col[c]} }
		t, ok := parseUint(field[0])
		if !ok || t < 1900 || t > 2100 {
			return fmt.Errorf("%s: year t %q is not a year", pos(0), field[0])
		}
		i, ok1 := parseUint(field[1])
		j, ok2 := parseUint(field[2])
		if !ok1 || i >= bilateralSize {
			return fmt.Errorf("%s: exporter i %q is not a country code 0..999", pos(1), field[1])
		}
		if !ok2 || j >= bilateralSize {
			return fmt.Errorf("%s: importer j %q is not a country code 0..999", pos(2), field[2])
		}
		k, ok := parseUint(field[3])
		if !ok || k >= 1_000_000 || len(field[3]) > 6 {
			return fmt.Errorf("%s: product k %q is not an HS code of 6 digits", pos(3), field[3])
		}
		v, ok := parseDecimal(field[4])
		if !ok || v < 0 {
			return fmt.Errorf("%s: value v %q is not a non-negative number", pos(4), field[4])
		}
		if n == 6 && len(field[5]) > 0 && !isNA(field[5]) {
			if q, ok := parseDecimal(field[5]); !ok || q < 0 {
				return fmt.Errorf("%s: quantity q %q is not a non-negative number, NA or empty", pos(5), field[5])
			}
		}
		if cur == nil || cur.year != t {
			cur = r.baciYear(class, t, path)
		}
		p := r.product(k)
		cur.add(i, j, p, v, len(r.prods))
		imp.add(cur, j, p, v, len(r.prods))
		if cur.firstAt[i].Line == 0 {
			cur.firstAt[i] = pos(1)
		}
		if cur.firstAt[j].Line == 0 {
			cur.firstAt[j] = pos(2)
		}
		cur.rows++
		r.total++
		if r.total&(1<<20-1) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.progress(r.total)
		}
		if err != nil {
			break
		}
	}
	r.progress(r.total)
	return nil
}

func (r *reader) baciYear(class string, year int, path string) *baciYear {
	key := [2]any{class, year}
	y := r.baci[key]
	if y == nil {
		y = &baciYear{class: class, year: year, bil: make([]float64, bilateralSize*bilateralSize)}
		r.baci[key] = y
	}
	if len(y.source) == 0 || y.source[len(y.source)-1] != path {
		y.source = append(y.source, path)
	}
	return y
}

func (r *reader) product(k int) int {
	p := r.prodIdx[k]
	if p == 0 {
		r.prods = append(r.prods, k)
		p = int32(len(r.prods))
		r.prodIdx[k] = p
	}
	return int(p - 1)
}

func (y *baciYear) add(i, j, p int, v float64, nprod int) {
	if p >= len(y.exp[i]) {
		y.exp[i] = grow(y.exp[i], nprod)
	}
	y.exp[i][p] += v
	y.bil[i*bilateralSize+j] += v
}

// importAdder adds rows to the imports of their importers in a goroutine of
// its own: those updates jump across a states × products table too large for
// the caches, and run beside the parsing.
type importAdder struct {
	batch []impRow
	full  chan []impRow
	free  chan []impRow
	done  chan struct{}
}

type impRow struct {
	y    *baciYear
	j, p int32
	np   int32
	v    float64
}

const impBatch = 8192

func newImportAdder() *importAdder {
	a := &importAdder{full: make(chan []impRow, 4), free: make(chan []impRow, 6), done: make(chan struct{})}
	for i := 0; i < 5; i++ {
		a.free <- make([]impRow, 0, impBatch)
	}
	a.batch = <-a.free
	go func() {
		defer close(a.done)
		for b := range a.full {
			for _, r := range b {
				y := r.y
				if int(r.p) >= len(y.imp[r.j]) {
					y.imp[r.j] = grow(y.imp[r.j], int(r.np))
				}
				y.imp[r.j][r.p] += r.v
			}
			a.free <- b[:0]
		}
	}()
	return a
}

func (a *importAdder) add(y *baciYear, j, p int, v float64, np int) {
	a.batch = append(a.batch, impRow{y, int32(j), int32(p), int32(np), v})
	if len(a.batch) == impBatch {
		a.full <- a.batch
		a.batch = <-a.free
	}
}

// close applies the rows still batched and waits until all are added.
func (a *importAdder) close() {
	if len(a.batch) > 0 {
		a.full <- a.batch
	}
	close(a.full)
	<-a.done
}

func grow(s []float64, n int) []float64 {
	if n < 2*len(s) {
		n = 2 * len(s)
	}
	t := make([]float64, n)
	copy(t, s)
	return t
}

func trimField(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '"') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '"') {
		b = b[:len(b)-1]
	}
	return b
}

func isNA(b []byte) bool { return string(b) == "NA" || string(b) == "NaN" }

func parseUint(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseDecimal parses a plain decimal like "27.82" exactly as strconv.ParseFloat
// would (mantissa below 2^53 divided by an exact power of ten is correctly
// rounded), falling back to strconv for anything else (exponents, long digits).
func parseDecimal(b []byte) (float64, bool) {
	var mant uint64
	digits, frac, dot := 0, 0, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return parseSlow(b)
		}
	}
	if digits == 0 {
		return 0, false
	}
	if digits > 15 || frac >= len(pow10) {
		return parseSlow(b)
	}
	return float64(mant) / pow10[frac], true
}

func parseSlow(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// readTable reads an exporter × product table: country (ISO alpha-3), product, value.
func (r *reader) readTable(ctx context.Context, path string) error {
	class := r.opt.Classification
	if class == "" {
		class = classificationOf(path)
	}
	if class == "" {
		return fmt.Errorf("%s: cannot tell the product classification from the file name; name it (e.g. --classification SITC2)", path)
	}
	year := r.opt.Year
	if year == 0 {
		year = yearOf(path)
	}
	if year == 0 {
		return fmt.Errorf("%s: the table has no year column and its name no year; give one (e.g. --year 2000)", path)
	}
	f, rd, err := open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	key := [2]any{class, year}
	ty := r.tables[key]
	if ty == nil {
		ty = &tableYear{class: class, year: year, exp: map[string]map[string]float64{}}
		r.tables[key] = ty
	}
	ty.source = append(ty.source, path)
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = 3
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		at := func(c int) concord.Pos {
			l, col := cr.FieldPos(c)
			return concord.Pos{File: path, Line: l, Column: col}
		}
		state, err := r.tableState(rec[0])
		if err != nil {
			return fmt.Errorf("%s: %w", at(0), err)
		}
		prod := strings.TrimSpace(rec[1])
		if prod == "" {
			return fmt.Errorf("%s: empty product code", at(1))
		}
		v, ok := parseDecimal([]byte(strings.TrimSpace(rec[2])))
		if !ok || v < 0 {
			return fmt.Errorf("%s: value %q is not a non-negative number", at(2), rec[2])
		}
		m := ty.exp[state]
		if m == nil {
			m = map[string]float64{}
			ty.exp[state] = m
		}
		m[prod] += v
		ty.rows++
		r.total++
		if line%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.progress(r.total)
		}
	}
	r.progress(r.total)
	return nil
}

func (r *reader) tableState(code string) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if s, ok := r.iso3[code]; ok {
		return s, nil
	}
	if len(code) != 3 {
		return "", fmt.Errorf("country %q is not an ISO alpha-3 code", code)
	}
	s, err := countries.Lookup(code)
	if err != nil {
		return "", fmt.Errorf("country %q: %w", code, err)
	}
	r.iso3[code] = s.Code
	return s.Code, nil
}

// baciSpecial maps the BACI country codes that are not ISO 3166 numeric codes
// (BACI's own groupings of a state with its territories or neighbours) to the
// state they stand for.
var baciSpecial = map[int]string{
	58:  "BEL", // Belgium-Luxembourg (until 1998)
	251: "FRA", // France with Monaco
	381: "ITA", // Italy with San Marino and the Holy See
	490: "TWN", // "Other Asia, not elsewhere specified": Taiwan
	579: "NOR", // Norway with Svalbard and Jan Mayen
	699: "IND", // India with Sikkim
	711: "ZAF", // Southern African Customs Union (until 1999)
	736: "SDN", // Sudan before 2012
	757: "CHE", // Switzerland with Liechtenstein
	842: "USA", // United States with Puerto Rico and the US Virgin Islands
}

// BACIState returns the state code of BACI country code c: BACI's own codes
// first, then ISO 3166 numeric, then iso3 as given by BACI's country file.
func BACIState(c int, iso3 string) (string, bool) {
	if s, ok := baciSpecial[c]; ok {
		return s, true
	}
	if s, ok := countries.ByISONumeric(c); ok {
		return s.Code, true
	}
	if iso3 != "" {
		if s, err := countries.Lookup("iso:" + iso3); err == nil {
			return s.Code, true
		}
	}
	return "", false
}

// years turns the aggregates into TradeYears.
func (r *reader) years() ([]*concord.TradeYear, error) {
	var out []*concord.TradeYear
	for _, y := range r.baci {
		ty, err := r.baciTradeYear(y)
		if err != nil {
			return nil, err
		}
		out = append(out, ty)
	}
	for _, y := range r.tables {
		ty := &concord.TradeYear{Classification: y.class, Year: y.year, Source: sourceNames(y.source), Rows: y.rows,
			Products: r.namesFor(y.class)}
		states := make([]string, 0, len(y.exp))
		for s := range y.exp {
			states = append(states, s)
		}
		slices.Sort(states)
		for _, s := range states {
			prods := make([]string, 0, len(y.exp[s]))
			for p := range y.exp[s] {
				prods = append(prods, p)
			}
			slices.Sort(prods)
			for _, p := range prods {
				ty.Values = append(ty.Values, concord.TradeValue{State: s, Product: p, Export: y.exp[s][p]})
			}
		}
		out = append(out, ty)
	}
	slices.SortFunc(out, func(a, b *concord.TradeYear) int {
		if c := strings.Compare(a.Classification, b.Classification); c != 0 {
			return c
		}
		return a.Year - b.Year
	})
	for i := 1; i < len(out); i++ {
		if out[i].Classification == out[i-1].Classification && out[i].Year == out[i-1].Year {
			return nil, fmt.Errorf("%s and %s both hold %s %d: one is bilateral, the other an exports table; import them separately",
				out[i-1].Source, out[i].Source, out[i].Classification, out[i].Year)
		}
	}
	return out, nil
}

func sourceNames(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return strings.Join(names, " ")
}

func (r *reader) namesFor(class string) map[string]string {
	out := map[string]string{}
	for c, m := range r.names {
		if c == class || c == "" || (c == "HS" && strings.HasPrefix(class, "HS")) || (class == "HS" && strings.HasPrefix(c, "HS")) {
			for k, v := range m {
				out[k] = v
			}
		}
	}
	return out
}

func (r *reader) baciTradeYear(y *baciYear) (*concord.TradeYear, error) {
	// resolve every BACI code seen to a state; several codes may share one
	var state [bilateralSize]int // index+1 into codes
	var codes []string
	ix := map[string]int{}
	for c := 0; c < bilateralSize; c++ {
		if y.firstAt[c].Line == 0 {
			continue
		}
		s, ok := BACIState(c, r.codes[c])
		if !ok {
			name := r.codeNames[c]
			if name == "" {
				name = "not in a country code file"
			}
			return nil, fmt.Errorf("%s: BACI country code %d (%s) is no state or territory concord knows; give BACI's country code file with the data",
				y.firstAt[c], c, name)
		}
		if _, ok := ix[s]; !ok {
			ix[s] = len(codes)
			codes = append(codes, s)
		}
		state[c] = ix[s] + 1
	}
	np := len(r.prods)
	exp := make([][]float64, len(codes))
	imp := make([][]float64, len(codes))
	for c := 0; c < bilateralSize; c++ {
		s := state[c] - 1
		if s < 0 {
			continue
		}
		for _, pair := range []struct{ dst, src [][]float64 }{{exp, y.exp[:]}, {imp, y.imp[:]}} {
			if len(pair.src[c]) == 0 {
				continue
			}
			if pair.dst[s] == nil {
				pair.dst[s] = make([]float64, np)
			}
			for p, v := range pair.src[c][:min(len(pair.src[c]), np)] {
				pair.dst[s][p] += v
			}
		}
	}
	bil := make([]float64, len(codes)*len(codes))
	for i := 0; i < bilateralSize; i++ {
		si := state[i] - 1
		if si < 0 {
			continue
		}
		row := y.bil[i*bilateralSize : (i+1)*bilateralSize]
		for j, v := range row {
			if v != 0 && state[j] > 0 {
				bil[si*len(codes)+state[j]-1] += v
			}
		}
	}
	order := make([]int, len(codes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(codes[a], codes[b]) })
	porder := make([]int, np)
	pcode := make([]string, np)
	for p := range porder {
		porder[p] = p
		pcode[p] = fmt.Sprintf("%06d", r.prods[p])
	}
	slices.SortFunc(porder, func(a, b int) int { return r.prods[a] - r.prods[b] })
	ty := &concord.TradeYear{Classification: y.class, Year: y.year, Source: sourceNames(y.source), Rows: y.rows, HasImports: true,
		Products: map[string]string{}}
	names := r.namesFor(y.class)
	nv, nf := 0, 0
	for s := range codes {
		for p := 0; p < np; p++ {
			if (exp[s] != nil && exp[s][p] != 0) || (imp[s] != nil && imp[s][p] != 0) {
				nv++
			}
		}
	}
	for _, v := range bil {
		if v != 0 {
			nf++
		}
	}
	ty.Values = make([]concord.TradeValue, 0, nv)
	ty.Flows = make([]concord.TradeFlow, 0, nf)
	for _, s := range order {
		for _, p := range porder {
			var e, m float64
			if exp[s] != nil {
				e = exp[s][p]
			}
			if imp[s] != nil {
				m = imp[s][p]
			}
			if e != 0 || m != 0 {
				ty.Values = append(ty.Values, concord.TradeValue{State: codes[s], Product: pcode[p], Export: e, Import: m})
			}
		}
	}
	for _, i := range order {
		for _, j := range order {
			if v := bil[i*len(codes)+j]; v != 0 && i != j {
				ty.Flows = append(ty.Flows, concord.TradeFlow{Exporter: codes[i], Importer: codes[j], Value: v})
			}
		}
	}
	for _, p := range porder {
		if n, ok := names[pcode[p]]; ok {
			ty.Products[pcode[p]] = n
		}
	}
	return ty, nil
}
