package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/sqlite"
	"github.com/concord-project/concord/unga"
)

// run executes concord with args in-process and returns stdout, stderr and the error.
func run(t testing.TB, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCmd(&out, &errb)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// realDB imports the shared UN voting data once into a database shared by the tests of this package.
var realDB = struct {
	once sync.Once
	path string
	err  error
	log  string
}{}

func importedReal(t *testing.T) string {
	t.Helper()
	dir := testdata.Dir(t)
	realDB.once.Do(func() {
		tmp, err := os.MkdirTemp("", "concord-cli-test")
		if err != nil {
			realDB.err = err
			return
		}
		realDB.path = filepath.Join(tmp, "votes.db")
		_, realDB.log, realDB.err = run(t, "--db", realDB.path, "import", "unga", filepath.Join(dir, "unga"))
	})
	if realDB.err != nil {
		t.Fatalf("import of the shared data: %v\n%s", realDB.err, realDB.log)
	}
	return realDB.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if realDB.path != "" {
		os.RemoveAll(filepath.Dir(realDB.path))
	}
	os.Exit(code)
}

func counts(t *testing.T, path string) (int, int) {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, v, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r, v
}

func TestImportRealFolderThenAgainAddsNothing(t *testing.T) {
	db := importedReal(t)
	if !strings.Contains(realDB.log, "skipping") || !strings.Contains(realDB.log, "cow_country_codes") {
		t.Errorf("the lookup table in the folder was not reported as skipped:\n%s", realDB.log)
	}
	rcs, votes := counts(t, db)
	// 6,203 roll calls of the 2021 release; 870,109 cast votes plus 73,328
	// absences and 254,521 non-members from the complete 2016 file.
	if rcs != 6203 || votes != 870109+73328+254521 {
		t.Fatalf("store holds %d roll calls, %d votes; want 6203, 1197958", rcs, votes)
	}
	_, stderr, err := run(t, "--db", db, "import", "unga", filepath.Join(testdata.Dir(t), "unga", "votes.csv.gz"),
		filepath.Join(testdata.Dir(t), "unga", "roll_calls.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "0 roll calls added") || !strings.Contains(stderr, "0 votes added, 870109 already stored") {
		t.Errorf("re-import reported %q", stderr)
	}
	if r2, v2 := counts(t, db); r2 != rcs || v2 != votes {
		t.Errorf("re-import changed the store: %d, %d", r2, v2)
	}
}

func TestImportBadFileNamesPlaceAndLeavesStoreAsItWas(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	dir := t.TempDir()
	rc := filepath.Join(dir, "roll_calls.csv")
	os.WriteFile(rc, []byte("rcid,session,importantvote,date,unres,amend,para,short,descr\n1,1,0,1946-01-10,R/1/1,0,0,s,d\n2,1,0,1946-01-11,R/1/2,0,0,s,d\n"), 0o644)
	good := filepath.Join(dir, "votes.csv")
	os.WriteFile(good, []byte("rcid,country,country_code,vote\n1,Cuba,CU,yes\n1,Iran,IR,no\n"), 0o644)
	if _, _, err := run(t, "--db", db, "import", "unga", rc, good); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct{ body, want string }{
		"bad vote code":      {"rcid,country,country_code,vote\n2,Cuba,CU,yes\n2,Iran,IR,maybe\n", "votes.csv:3:11"},
		"unknown country":    {"rcid,country,country_code,vote\n2,Cuba,CU,yes\n2,Atlantis,,no\n", "Atlantis"},
		"vote changed":       {"rcid,country,country_code,vote\n2,Cuba,CU,yes\n1,Cuba,CU,no\n", "votes.csv:3"},
		"missing column":     {"rcid,country,country_code\n2,Cuba,CU\n", `"vote"`},
		"two votes in batch": {"rcid,country,country_code,vote\n2,Cuba,CU,yes\n2,Cuba,CU,no\n", "votes.csv:3"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "votes.csv")
			os.WriteFile(bad, []byte(c.body), 0o644)
			_, _, err := run(t, "--db", db, "import", "unga", rc, bad)
			if err == nil {
				t.Fatal("bad input imported without error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name %q", err, c.want)
			}
			if r, v := counts(t, db); r != 2 || v != 2 {
				t.Errorf("store changed to %d roll calls, %d votes", r, v)
			}
		})
	}
}

func TestAlignJSONHasTheDocumentedShape(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "--format", "json", "align", "Iran", "cu", "--issue", "me", "--from", "2000", "--to", "2019")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		A, B     string
		From, To int
		Issue    string
		Rows     []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if got.A != "IRN" || got.B != "CUB" || got.From != 2000 || got.To != 2019 || got.Issue != "me" || len(got.Rows) != 1 {
		t.Fatalf("align JSON = %s", out)
	}
	row := got.Rows[0]
	for _, k := range []string{"period", "votes", "agree", "s_score", "kappa", "coincidence"} {
		if _, ok := row[k]; !ok {
			t.Errorf("row lacks %q: %v", k, row)
		}
	}
	// The same numbers as the align package computes on the same store.
	store, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m, err := store.Matrix(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, err := align.NewIndex(m).Pair("IRN", "CUB", align.Window{From: 2000, To: 2019, Issue: "me"}, align.All)
	if err != nil {
		t.Fatal(err)
	}
	if row["votes"].(float64) != float64(want[0].Votes) || math.Abs(row["agree"].(float64)-want[0].Agree) > 1e-15 ||
		math.Abs(row["s_score"].(float64)-(2*want[0].Agree-1)) > 1e-12 {
		t.Errorf("CLI row %v differs from align %+v", row, want[0])
	}
}

func TestPartnersOfIranOnPalestineRankCubaAboveTheUnitedStates(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "--format", "csv", "partners", "IRN", "--issue", "me", "--from", "2000", "--min-votes", "50")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "rank,state,name,votes,agree,s_score,kappa,coincidence" {
		t.Fatalf("header %q", lines[0])
	}
	rank := map[string]int{}
	for i, l := range lines[1:] {
		rank[strings.Split(l, ",")[1]] = i + 1
	}
	if _, self := rank["IRN"]; self {
		t.Error("Iran is listed as its own partner")
	}
	if rank["CUB"] == 0 || rank["USA"] == 0 || rank["CUB"] > 10 || rank["USA"] < len(rank)-5 {
		t.Errorf("Cuba ranks %d and the United States %d of %d", rank["CUB"], rank["USA"], len(rank))
	}
	top, _, err := run(t, "--db", db, "--format", "csv", "partners", "IRN", "--issue", "me", "--top", "3")
	if err != nil || strings.Count(strings.TrimSpace(top), "\n") != 3 {
		t.Errorf("--top 3 printed %q, %v", top, err)
	}
}

func TestBadParametersAreNamed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.db")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"align", "IRN", "Atlantis"}, `unknown state "Atlantis"`},
		{[]string{"align", "IRN", "CUB", "--issue", "xx"}, "--issue"},
		{[]string{"align", "IRN", "CUB", "--by", "decade"}, "--by"},
		{[]string{"align", "IRN", "CUB", "--from", "2010", "--to", "2000"}, "--from 2010 is after --to 2000"},
		{[]string{"partners", "IRN", "--metric", "love"}, "--metric"},
		{[]string{"--format", "xml", "countries"}, "--format"},
		{[]string{"align", "IRN", "CUB"}, "no votes in"},
		{[]string{"import", "unga", "/nonexistent/votes.csv"}, "/nonexistent/votes.csv"},
	}
	for _, c := range cases {
		_, _, err := run(t, append([]string{"--db", db}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("concord %v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}

func TestCountriesResolvesEverySpelling(t *testing.T) {
	for _, q := range []string{"IRN", "IR", "630", "Iran", "Iran (Islamic Republic of)"} {
		out, _, err := run(t, "--format", "csv", "countries", q)
		if err != nil {
			t.Fatalf("countries %q: %v", q, err)
		}
		if first := strings.Split(out, "\n")[1]; !strings.HasPrefix(first, "IRN,Iran,IR,IRN,364,630,") {
			t.Errorf("countries %q first row %q", q, first)
		}
	}
}

func TestRollcallsSearchAndWindow(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "--format", "json", "rollcalls", "--issue", "nu", "--from", "2019", "--to", "2019", "--search", "nuclear")
	if err != nil {
		t.Fatal(err)
	}
	var rcs []struct {
		Date   string
		Issues []string
		Descr  string
		Short  string
	}
	if err := json.Unmarshal([]byte(out), &rcs); err != nil {
		t.Fatal(err)
	}
	if len(rcs) == 0 {
		t.Fatal("no nuclear roll calls in 2019")
	}
	for _, r := range rcs {
		text := strings.ToLower(r.Short + r.Descr)
		if !strings.HasPrefix(r.Date, "2019-") || !strings.Contains(text, "nuclear") || !contains(r.Issues, "nu") {
			t.Errorf("roll call outside the window: %+v", r)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestFetchDownloadsChecksAndImports(t *testing.T) {
	body := []byte("rcid,session,vote,ccode,member,importantvote,date,unres,me,nu,di,hr,co,ec,year\n" +
		"3,1,1,2,1,0,1946-01-10,R/1/66,0,0,0,0,0,0,1946\n3,1,3,630,1,0,1946-01-10,R/1/66,0,0,0,0,0,0,1946\n" +
		"3,1,8,40,1,0,1946-01-10,R/1/66,0,0,0,0,0,0,1946\n")
	sum := md5.Sum(body)
	md5hex := hex.EncodeToString(sum[:])
	mux := http.NewServeMux()
	mux.HandleFunc("/api/datasets/:persistentId/", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"status": "OK", "data": map[string]any{"latestVersion": map[string]any{
			"versionNumber": 1, "versionMinorNumber": 0,
			"files": []any{map[string]any{"label": "UNVotes.csv", "dataFile": map[string]any{"id": 7, "filename": "UNVotes.csv",
				"filesize": len(body), "checksum": map[string]any{"type": "MD5", "value": md5hex}}}}}}})
	})
	mux.HandleFunc("/api/access/datafile/7", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "c.db")
	_, stderr, err := run(t, "--db", db, "fetch", "unga", "--url", srv.URL, "--dir", t.TempDir())
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "CC0") || !strings.Contains(stderr, "verified") {
		t.Errorf("fetch did not state the licence and the check:\n%s", stderr)
	}
	if r, v := counts(t, db); r != 1 || v != 3 {
		t.Errorf("fetched import stored %d roll calls, %d votes; want 1, 3", r, v)
	}
	_, _, err = run(t, "--db", filepath.Join(t.TempDir(), "d.db"), "fetch", "unga", "--url", srv.URL, "--dir", t.TempDir(),
		"--sha256", strings.Repeat("0", 64))
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "sha-256") && !strings.Contains(strings.ToLower(err.Error()), "sha256") {
		t.Errorf("a wrong --sha256 gave %v", err)
	}
}

// BenchmarkImportRealRecord measures the full import of the shared UN voting data into a new store.
func BenchmarkImportRealRecord(b *testing.B) {
	dir := filepath.Join(testdata.Dir(b), "unga")
	files, _, err := unga.ExpandPaths([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		ds, err := unga.ReadFiles(context.Background(), files...)
		if err != nil {
			b.Fatal(err)
		}
		db, err := sqlite.Open(filepath.Join(b.TempDir(), "c.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.ImportVotes(context.Background(), ds, nil); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkLoadMatrixReal measures loading the whole voting record from SQLite into memory.
func BenchmarkLoadMatrixReal(b *testing.B) {
	path := filepath.Join(b.TempDir(), "c.db")
	if _, _, err := run(b, "--db", path, "import", "unga", filepath.Join(testdata.Dir(b), "unga")); err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	var bytes int
	for i := 0; i < b.N; i++ {
		m, err := db.Matrix(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		bytes = m.Bytes()
	}
	b.ReportMetric(float64(bytes), "matrix-bytes")
}

func TestIdealStaticFitIsStoredAndReused(t *testing.T) {
	db := importedReal(t)
	args := []string{"--db", db, "--format", "json", "ideal", "--model", "static", "--from", "2015", "--to", "2015",
		"--states", "USA,Israel,IRN,CUB"}
	out, stderr, err := run(t, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "converged after") {
		t.Errorf("the fit did not report its convergence: %q", stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	pos := map[string]float64{}
	for _, r := range rows {
		for _, k := range []string{"country", "cow", "session", "ideal", "se", "lo", "hi", "votes"} {
			if _, ok := r[k]; !ok {
				t.Errorf("row lacks %q: %v", k, r)
			}
		}
		if r["se"] != nil {
			t.Errorf("a fit without bootstrap printed a standard error: %v", r)
		}
		pos[r["country"].(string)] = r["ideal"].(float64)
	}
	// Oriented on the United States; in 2015 Israel voted with it, Iran and Cuba against.
	if !(pos["USA"] > 0 && pos["ISR"] > 0 && pos["IRN"] < 0 && pos["CUB"] < 0) {
		t.Errorf("2015 positions %v", pos)
	}
	out2, stderr2, err := run(t, args...)
	if err != nil || !strings.Contains(stderr2, "reused from the store") || out2 != out {
		t.Errorf("second run: err %v, stderr %q, same output %t", err, stderr2, out2 == out)
	}
	png := filepath.Join(t.TempDir(), "p.png")
	if _, _, err := run(t, append(args[:len(args)-2], "--states", "USA,CUB", "--plot", png)...); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Errorf("plot not written: %v", err)
	}
}

func TestIdealBadOptionsAreNamed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ideal", "--model", "quadratic"}, "--model"},
		{[]string{"ideal", "--by", "decade"}, "--by"},
		{[]string{"ideal", "--bootstrap", "-1"}, "--bootstrap"},
		{[]string{"ideal", "--omega2", "0"}, "--omega2"},
		{[]string{"ideal", "--plot", "x.pdf", "--states", "USA"}, "--plot"},
		{[]string{"ideal", "--plot", "x.svg"}, "--states"},
		{[]string{"ideal", "--states", "Atlantis"}, "Atlantis"},
	} {
		_, _, err := run(t, append([]string{"--db", db}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("concord %v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
