package trade

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/concord-project/concord/internal/testdata"
)

func TestReadErrorsNamePlace(t *testing.T) {
	cases := []struct{ body, want string }{
		{"t,i,j,k,v,q\n2020,842,76,847130,60,1\n2020,842,76,847130,x,1\n", ":3:20: value v \"x\""},
		{"t,i,j,k,v,q\n2020,842,76,847130,-1,1\n", ":2:20: value v"},
		{"t,i,j,k,v,q\n2020,842,76,8471305,1,1\n", ":2:13: product k"},
		{"t,i,j,k,v,q\n2020,842,7b,847130,1,1\n", ":2:10: importer j"},
		{"t,i,j,k,v,q\n20x0,842,76,847130,1,1\n", ":2:1: year t"},
		{"t,i,j,k,v,q\n2020,842,76,847130,1,abc\n", ":2:22: quantity q"},
		{"t,i,j,k,v,q\n2020,842,76\n", ":2:12: 3 fields"},
		{"t,i,j,k,v,q\n2020,842,76,847130,1,1\n2020,868,76,847130,1,1\n", ":3:6: BACI country code 868"},
	}
	for _, c := range cases {
		p := writeFile(t, "BACI_HS17_Y2020_V202401.csv", c.body)
		_, err := ReadFiles(context.Background(), Options{}, p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.body, err, c.want)
		}
	}
	p := writeFile(t, "x.csv", "a,b\n1,2\n")
	if _, err := ReadFiles(context.Background(), Options{}, p); err == nil || !strings.Contains(err.Error(), "not a trade file") {
		t.Errorf("unknown layout: %v", err)
	}
	p = writeFile(t, "exports.csv", "country,product,value\nfra,0011,1\n")
	if _, err := ReadFiles(context.Background(), Options{}, p); err == nil || !strings.Contains(err.Error(), "classification") {
		t.Errorf("table without classification: %v", err)
	}
	p = writeFile(t, "sitc2_2000.csv", "country,product,value\nfra,0011,1\nxyz,0011,2\n")
	if _, err := ReadFiles(context.Background(), Options{}, p); err == nil || !strings.Contains(err.Error(), ":3:1: country \"XYZ\"") {
		t.Errorf("unknown country: %v", err)
	}
}

func TestCountryFileResolvesBACICodes(t *testing.T) {
	codes := writeFile(t, "country_codes_V202401.csv",
		"country_code,country_name,country_iso2,country_iso3\n842,USA,US,USA\n76,Brazil,BR,BRA\n868,Pacific Isds,,XXX\n")
	data := writeFile(t, "BACI_HS17_Y2020_V202401.csv", "t,i,j,k,v,q\n2020,842,76,847130,1,1\n2020,868,76,847130,1,1\n")
	_, err := ReadFiles(context.Background(), Options{}, codes, data)
	if err == nil || !strings.Contains(err.Error(), "868 (Pacific Isds)") {
		t.Errorf("error %v does not name the code and its BACI name", err)
	}
}

func TestParseDecimalMatchesStrconv(t *testing.T) {
	for _, s := range []string{"0", "27.82", "0.164", "169.800", "123456789.123", "1e3", "0.000001", "999999999999999", "12345678901234567.5", ".5"} {
		got, ok := parseDecimal([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil || got != want {
			t.Errorf("parseDecimal(%q) = %v %v, strconv %v %v", s, got, ok, want, err)
		}
	}
	for _, s := range []string{"", ".", "1.2.3", "NaN", "abc"} {
		if _, ok := parseDecimal([]byte(s)); ok {
			t.Errorf("parseDecimal(%q) accepted", s)
		}
	}
}

// TestRealSITCTableRCA reads the economiccomplexity package's SITC rev. 2 exports and checks RCA on it.
func TestRealSITCTableRCA(t *testing.T) {
	path := testdata.File(t, "trade/sitc2_4digit_exports_avg_1998_2000.csv.gz")
	ys, err := ReadFiles(context.Background(), Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ys) != 1 || ys[0].Classification != "SITC2" || ys[0].Year != 2000 || ys[0].HasImports {
		t.Fatalf("years: %+v", ys)
	}
	ty := ys[0]
	// independent sums straight from the file
	rows, total, countries := 0, 0.0, map[string]bool{}
	readGzCSV(t, path, func(rec []string) {
		v, err := strconv.ParseFloat(rec[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		rows++
		total += v
		countries[rec[0]] = true
	})
	if ty.Rows != rows || rows != 124336 {
		t.Errorf("read %d rows, the file has %d (README: 124,336)", ty.Rows, rows)
	}
	tb := NewTable(ty)
	if math.Abs(tb.World()-total) > 1e-6*total {
		t.Errorf("world exports %v, file total %v", tb.World(), total)
	}
	if len(tb.States) != len(countries) {
		t.Errorf("%d states, the file has %d country codes", len(tb.States), len(countries))
	}
	for i := range tb.States {
		var avg float64
		for k := range tb.Products {
			if r := tb.RCA(i, k); !math.IsNaN(r) {
				avg += tb.WorldExports(k) / tb.World() * r
			}
		}
		if tb.TotalExports(i) > 0 && math.Abs(avg-1) > 1e-9 {
			t.Errorf("world-weighted mean RCA of %s = %v", tb.States[i], avg)
		}
	}
	// oil exporters' advantage is crude petroleum (SITC 3330); Japan's, cars (7810), not crude oil
	for _, s := range []string{"SAU", "NGA", "NOR", "VEN"} {
		rca, err := tb.StateRCA(s)
		if err != nil {
			t.Fatal(err)
		}
		if !hasRCAAbove(rca, "3330", 2) {
			t.Errorf("%s: RCA in crude petroleum (3330) not above 2", s)
		}
	}
	jpn, _ := tb.StateRCA("JPN")
	if !hasRCAAbove(jpn, "7810", 1.5) || hasRCAAbove(jpn, "3330", 0.1) {
		t.Errorf("Japan: RCA in cars (7810) not above 1.5, or in crude oil above 0.1")
	}
	if _, err := tb.ComplementaryProducts("JPN", "SAU"); err == nil || !strings.Contains(err.Error(), "exports only") {
		t.Errorf("complementarity on exports-only data: %v", err)
	}
}

func hasRCAAbove(rows []ProductRCA, product string, min float64) bool {
	for _, r := range rows {
		if r.Product == product {
			return r.RCA > min
		}
	}
	return false
}

func readGzCSV(t *testing.T, path string, f func([]string)) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(zr)
	if _, err := cr.Read(); err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		f(rec)
	}
}

// TestRealBACIExtractTotals reads the BACI HS17 2020 extract (exports of Afghanistan and South Africa) and checks its totals and margins.
func TestRealBACIExtractTotals(t *testing.T) {
	path := testdata.File(t, "trade/baci_hs17_2020_exports_afg_zaf.csv.gz")
	ys, err := ReadFiles(context.Background(), Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ys) != 1 || ys[0].Classification != "HS17" || ys[0].Year != 2020 || !ys[0].HasImports {
		t.Fatalf("years: %+v", ys)
	}
	ty := ys[0]
	byExp := map[string]float64{}
	rowsByExp := map[string]int{}
	partners := map[string]bool{}
	readGzCSV(t, path, func(rec []string) {
		v, err := strconv.ParseFloat(rec[4], 64)
		if err != nil {
			t.Fatal(err)
		}
		byExp[rec[1]] += v
		rowsByExp[rec[1]]++
		partners[rec[2]] = true
	})
	if ty.Rows != 70920 || rowsByExp["4"] != 2331 || rowsByExp["710"] != 68589 {
		t.Errorf("rows: read %d, file AFG %d ZAF %d (README: 70,920 = 2,331 + 68,589)", ty.Rows, rowsByExp["4"], rowsByExp["710"])
	}
	tb := NewTable(ty)
	afg, zaf := ix(t, tb, "AFG"), ix(t, tb, "ZAF")
	for _, c := range []struct {
		i    int
		file string
	}{{afg, "4"}, {zaf, "710"}} {
		want := byExp[c.file]
		if math.Abs(tb.TotalExports(c.i)-want) > 1e-6*want {
			t.Errorf("exports of %s: %v, file %v", tb.States[c.i], tb.TotalExports(c.i), want)
		}
		// consistency: exports by product, bilateral flows and partners' imports all sum to the same total
		var flows float64
		for j := range tb.States {
			flows += tb.Flow(c.i, j)
		}
		if math.Abs(flows-want) > 1e-6*want {
			t.Errorf("bilateral exports of %s sum to %v, file %v", tb.States[c.i], flows, want)
		}
	}
	var imports float64
	for j := range tb.States {
		imports += tb.TotalImports(j)
	}
	if math.Abs(imports-tb.World()) > 1e-6*tb.World() {
		t.Errorf("world imports %v ≠ world exports %v", imports, tb.World())
	}
	// 206 partner codes; BACI's own codes (251 France, 842 USA …) resolve, and AFG and ZAF trade with each other
	if len(partners) != 206 {
		t.Errorf("%d partner codes in the file", len(partners))
	}
	for _, s := range []string{"FRA", "USA", "IND", "CHE", "NOR", "TWN"} {
		if _, ok := tb.StateIndex(s); !ok {
			t.Errorf("BACI partner %s missing", s)
		}
	}
	if len(tb.States) > len(partners)+1 || len(tb.States) < 200 {
		t.Errorf("%d states for %d partner codes", len(tb.States), len(partners))
	}
	rca, err := tb.StateRCA("ZAF")
	if err != nil {
		t.Fatal(err)
	}
	if len(rca) == 0 || rca[0].RCA <= 1 {
		t.Errorf("South Africa's top RCA: %+v", rca[:1])
	}
	// South Africa exports platinum (HS 7110), Afghanistan not: with two exporters, ZAF's RCA in 711011 is W/X_ZAF
	k := pix(t, tb, "711011")
	near(t, "RCA ZAF platinum (only exporter)", tb.RCA(zaf, k), tb.World()/tb.TotalExports(zaf))
}
