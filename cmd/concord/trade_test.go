package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord/internal/testdata"
)

// tradeDB imports the shared trade files into a new database.
func tradeDB(t *testing.T) string {
	t.Helper()
	sitc := testdata.File(t, "trade/sitc2_4digit_exports_avg_1998_2000.csv.gz")
	baci := testdata.File(t, "trade/baci_hs17_2020_exports_afg_zaf.csv.gz")
	db := filepath.Join(t.TempDir(), "trade.db")
	if _, stderr, err := run(t, "--db", db, "trade", "import", sitc, baci); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	return db
}

func TestTradeImportAndRCAOnRealFiles(t *testing.T) {
	db := tradeDB(t)
	out, _, err := run(t, "--db", db, "trade", "years", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var years struct {
		Years []struct {
			Classification string `json:"classification"`
			Year           int    `json:"year"`
			Rows           int    `json:"rows"`
			HasImports     bool   `json:"has_imports"`
		} `json:"years"`
	}
	if err := json.Unmarshal([]byte(out), &years); err != nil {
		t.Fatal(err)
	}
	if len(years.Years) != 2 || years.Years[0].Classification != "HS17" || years.Years[0].Rows != 70920 || !years.Years[0].HasImports ||
		years.Years[1].Classification != "SITC2" || years.Years[1].Year != 2000 || years.Years[1].Rows != 124336 {
		t.Fatalf("stored years: %s", out)
	}
	out, _, err = run(t, "--db", db, "trade", "rca", "Saudi Arabia", "--classification", "sitc2", "--top", "5", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rca struct {
		State    string `json:"state"`
		Year     int    `json:"year"`
		Products []struct {
			Product string  `json:"product"`
			Name    string  `json:"name"`
			RCA     float64 `json:"rca"`
		} `json:"products"`
	}
	if err := json.Unmarshal([]byte(out), &rca); err != nil {
		t.Fatal(err)
	}
	if rca.State != "SAU" || rca.Year != 2000 || len(rca.Products) != 5 {
		t.Fatalf("rca: %s", out)
	}
	for i, p := range rca.Products {
		if p.Product == "" || p.Name == "" || p.RCA <= 1 || (i > 0 && p.RCA > rca.Products[i-1].RCA) {
			t.Errorf("row %d: %+v (want product, name, RCA > 1, descending)", i, p)
		}
	}
	// at chapter level, rows are HS chapters with their names
	out, _, err = run(t, "--db", db, "trade", "rca", "ZAF", "--level", "hs2", "--top", "0", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\n26,\"Ores, slag and ash\",") || !strings.Contains(out, "\n87,Vehicles other than railway,") {
		t.Errorf("rca by chapter:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if code, _, _ := strings.Cut(line, ","); len(code) != 2 {
			t.Errorf("chapter row %q", line)
		}
	}
	// the same store re-imported: replaced, not doubled
	baci := testdata.File(t, "trade/baci_hs17_2020_exports_afg_zaf.csv.gz")
	_, stderr, err := run(t, "--db", db, "trade", "import", baci)
	if err != nil || !strings.Contains(stderr, "1 replaced") {
		t.Errorf("re-import: %v\n%s", err, stderr)
	}
	out, _, _ = run(t, "--db", db, "trade", "years", "--format", "csv")
	if !strings.Contains(out, "HS17,2020,true,206,5059") {
		t.Errorf("after re-import:\n%s", out)
	}
}

func TestTradeComplementAndPartnersOnRealExtract(t *testing.T) {
	db := tradeDB(t)
	out, stderr, err := run(t, "--db", db, "trade", "complement", "ZAF", "China", "--format", "json", "--top", "3")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var c struct {
		A, B string
		Pair struct {
			TCAB float64  `json:"tc_ab"`
			TCBA *float64 `json:"tc_ba"`
		} `json:"pair"`
		AToB struct {
			Products []struct {
				Product, Section string
				RCA              float64
				Imports          float64
			} `json:"products"`
			Sections []struct{ Code, Name string } `json:"sections"`
		} `json:"a_to_b"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	// China imports from South Africa above all minerals (HS section V: ores, chapter 26)
	if c.A != "ZAF" || c.B != "CHN" || !(c.Pair.TCAB > 0 && c.Pair.TCAB < 100) || c.Pair.TCBA != nil {
		t.Errorf("pair: %s", out)
	}
	if len(c.AToB.Products) != 3 || len(c.AToB.Sections) == 0 || c.AToB.Sections[0].Code != "V" {
		t.Errorf("ZAF→CHN products and sections: %+v", c.AToB)
	}
	for _, p := range c.AToB.Products {
		if p.RCA <= 1 || p.Imports <= 0 {
			t.Errorf("complementary product %+v", p)
		}
	}
	if !strings.Contains(stderr, "only 2 states export") {
		t.Errorf("no note that the extract has two exporters:\n%s", stderr)
	}
	out, _, err = run(t, "--db", db, "trade", "complement", "ZAF", "CHN", "--by", "section", "--format", "csv")
	if err != nil || !strings.HasPrefix(out, "direction,tc,section,name,products,imports,import_share\n") || !strings.Contains(out, "Mineral products") {
		t.Errorf("by section: %v\n%s", err, out)
	}
	out, _, err = run(t, "--db", db, "trade", "partners", "AFG", "--top", "5", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "state,tc,tc_out,tc_in,intensity_out") {
		t.Errorf("partners:\n%s", out)
	}
	// SITC data has no imports: complementarity says so
	_, _, err = run(t, "--db", db, "trade", "complement", "JPN", "SAU", "--classification", "SITC2")
	if err == nil || !strings.Contains(err.Error(), "with imports") {
		t.Errorf("complement on exports-only data: %v", err)
	}
}

func TestTradeBadInputNamesPlaceAndStoresNothing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "BACI_HS17_Y2020_V202401.csv")
	bad := filepath.Join(dir, "BACI_HS17_Y2021_V202401.csv")
	os.WriteFile(good, []byte("t,i,j,k,v,q\n2020,842,76,847130,60,1\n"), 0o644)
	os.WriteFile(bad, []byte("t,i,j,k,v,q\n2021,842,76,847130,60,1\n2021,842,76,847130,six,1\n"), 0o644)
	db := filepath.Join(dir, "t.db")
	_, _, err := run(t, "--db", db, "trade", "import", good, bad)
	if err == nil || !strings.Contains(err.Error(), bad+":3:20") {
		t.Fatalf("error %v does not name %s:3:20", err, bad)
	}
	_, _, err = run(t, "--db", db, "trade", "rca", "USA")
	if err == nil || !strings.Contains(err.Error(), "no trade data") {
		t.Errorf("after a failed import: %v", err)
	}
	for _, args := range [][]string{
		{"trade", "rca", "Narnia"},
		{"trade", "rca", "USA", "--level", "hs5"},
		{"trade", "complement", "USA", "USA"},
		{"trade", "complement", "USA", "BRA", "--by", "state"},
		{"trade", "partners", "USA", "--top", "-1"},
		{"fetch", "baci", "--revision", "HS17"},
	} {
		if _, _, err := run(t, append([]string{"--db", db}, args...)...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestFetchBACIFromLocalServerImports(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"BACI_HS17_Y2022_V202501.csv":    "t,i,j,k,v,q\n2022,842,76,847130,60,1\n2022,76,842,270900,30,\n2022,156,842,847130,80,2\n",
		"country_codes_V202501.csv":      "country_code,country_name,country_iso2,country_iso3\n842,USA,US,USA\n76,Brazil,BR,BRA\n156,China,CN,CHN\n",
		"product_codes_HS17_V202501.csv": "code,description\n270900,Crude petroleum\n847130,Portable computers\n",
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/CEPII/en/bdd_modele/bdd_modele_item.asp", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<a href="/DATA_DOWNLOAD/baci/data/BACI_HS17_V202501.zip">BACI HS17</a>`))
	})
	mux.HandleFunc("/DATA_DOWNLOAD/baci/data/BACI_HS17_V202501.zip", func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "b.zip", time.Time{}, bytes.NewReader(buf.Bytes()))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "t.db")
	_, stderr, err := run(t, "--db", db, "fetch", "baci", "--revision", "HS17", "--year", "2022", "--url", srv.URL, "--dir", t.TempDir())
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "Etalab Open Licence 2.0") || !strings.Contains(stderr, "BACI V202501") {
		t.Errorf("fetch did not state the licence and release:\n%s", stderr)
	}
	out, _, err := run(t, "--db", db, "trade", "rca", "BRA", "--format", "csv")
	if err != nil || !strings.Contains(out, "270900,Crude petroleum,") {
		t.Errorf("rca after fetch: %v\n%s", err, out)
	}
}
