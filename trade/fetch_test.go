package trade

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// baciServer serves a BACI page linking two releases and the zip of the newer, honouring Range requests.
func baciServer(t *testing.T) (*httptest.Server, []byte, *[]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"BACI_HS17_Y2020_V202401b.csv":    fixtureCSV,
		"BACI_HS17_Y2021_V202401b.csv":    strings.ReplaceAll(fixtureCSV, "2020,", "2021,"),
		"country_codes_V202401b.csv":      "country_code,country_name,country_iso2,country_iso3\n842,USA,US,USA\n76,Brazil,BR,BRA\n156,China,CN,CHN\n",
		"product_codes_HS17_V202401b.csv": "code,description\n010121,\"Horses: live, pure-bred\"\n270900,Crude petroleum\n847130,Portable computers\n",
		"Readme.txt":                      "BACI",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	var log []string
	mux := http.NewServeMux()
	mux.HandleFunc("/CEPII/en/bdd_modele/bdd_modele_item.asp", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<a href="https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS17_V202301.zip">old</a>
			<a href="/DATA_DOWNLOAD/baci/data/BACI_HS17_V202401b.zip">HS17</a><a href="BACI_HS92_V202501.zip">HS92</a>`))
	})
	mux.HandleFunc("/DATA_DOWNLOAD/baci/data/BACI_HS17_V202401b.zip", func(w http.ResponseWriter, r *http.Request) {
		log = append(log, r.Header.Get("Range"))
		http.ServeContent(w, r, "x.zip", time.Time{}, bytes.NewReader(data))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, data, &log
}

func TestFetchBACIFindsNewestResumesAndExtracts(t *testing.T) {
	srv, data, log := baciServer(t)
	dir := t.TempDir()
	// an interrupted earlier download: half the file
	if err := os.WriteFile(filepath.Join(dir, "BACI_HS17_V202401b.zip.part"), data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := FetchBACI(context.Background(), srv.Client(), BACISource{BaseURL: srv.URL, Revision: "hs17"}, 2020, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got.Version != "202401b" || !got.Resumed || got.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("fetched %+v; want version 202401b, resumed, sha %x", got, sum)
	}
	if len(*log) != 1 || !strings.HasPrefix((*log)[0], "bytes=") {
		t.Errorf("requests' Range headers: %q", *log)
	}
	if len(got.Files) != 3 || len(got.Available) != 2 {
		t.Fatalf("extracted %v, years %v", got.Files, got.Available)
	}
	ys, err := ReadFiles(context.Background(), Options{}, got.Files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ys) != 1 || ys[0].Year != 2020 || ys[0].Classification != "HS17" || ys[0].Products["270900"] != "Crude petroleum" {
		t.Errorf("read the fetched year as %+v", ys)
	}
	// again: the zip is cached, nothing downloaded
	got, err = FetchBACI(context.Background(), srv.Client(), BACISource{BaseURL: srv.URL, Revision: "HS17", Version: "202401b"}, 2021, dir, nil)
	if err != nil || !got.Cached || len(*log) != 1 {
		t.Errorf("second fetch: %+v %v, %d requests", got, err, len(*log))
	}
	if _, err := FetchBACI(context.Background(), srv.Client(), BACISource{BaseURL: srv.URL, Revision: "HS17", Version: "202401b"}, 2019, dir, nil); err == nil ||
		!strings.Contains(err.Error(), "no year 2019") || !strings.Contains(err.Error(), "2020 2021") {
		t.Errorf("missing year: %v", err)
	}
	if _, err := FetchBACI(context.Background(), srv.Client(), BACISource{BaseURL: srv.URL, Revision: "HS22"}, 2020, t.TempDir(), nil); err == nil ||
		!strings.Contains(err.Error(), "links no HS22 release") {
		t.Errorf("revision not on the page: %v", err)
	}
	if _, err := FetchBACI(context.Background(), srv.Client(), BACISource{BaseURL: srv.URL, Revision: "HS17", SHA256: strings.Repeat("0", 64)}, 2020, t.TempDir(), nil); err == nil ||
		!strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("wrong checksum: %v", err)
	}
	if _, err := FetchBACI(context.Background(), srv.Client(), BACISource{BaseURL: srv.URL, Revision: "17"}, 2020, t.TempDir(), nil); err == nil ||
		!strings.Contains(err.Error(), "--revision") {
		t.Errorf("bad revision: %v", err)
	}
}
