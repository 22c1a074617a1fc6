package unga

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func init() { retryDelay = time.Millisecond } // tests do not wait for servers to recover

// payload is the content of a fake data file: incompressible, 300 kB.
func payload(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, 300_000)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func md5hex(b []byte) string    { s := md5.Sum(b); return hex.EncodeToString(s[:]) }
func sha256hex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// fakeServer is a publisher's server: its metadata JSON and one data file.
type fakeServer struct {
	*httptest.Server
	mu       sync.Mutex
	data     []byte
	ranges   []string // Range header of every data request ("" when none)
	dropOnce bool     // the first data request sends half the file and drops the connection
	noRange  bool     // ignore Range headers: always send the whole file with 200
	html     bool     // answer data requests with a web page
	down     bool     // answer data requests (after a dropping one) with 503
	metaHits int
}

func (s *fakeServer) serveData(w http.ResponseWriter, r *http.Request, name string) {
	s.mu.Lock()
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	drop := s.dropOnce
	s.dropOnce = false
	down := s.down
	s.mu.Unlock()
	switch {
	case down && !drop:
		http.Error(w, "try later", http.StatusServiceUnavailable)
	case s.html:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>Please verify you are a human</body></html>")
	case drop:
		w.Header().Set("Content-Length", fmt.Sprint(len(s.data)))
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(http.StatusOK)
		w.Write(s.data[:len(s.data)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // the connection drops half-way
	case s.noRange:
		w.Header().Set("Content-Type", "text/csv")
		w.Write(s.data)
	default:
		w.Header().Set("Content-Type", "text/csv")
		http.ServeContent(w, r, name, time.Unix(0, 0), bytes.NewReader(s.data))
	}
}

func (s *fakeServer) dataRequests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

// newFakeDataverse serves a Dataverse dataset listing whose votes file
// (an ingested tabular file, downloaded as original) is data, with md5 as its checksum.
func newFakeDataverse(t *testing.T, data []byte, md5sum string) *fakeServer {
	s := &fakeServer{data: data}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/datasets/:persistentId/", func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("persistentId"); got != DataversePID {
			http.Error(w, `{"status":"ERROR","message":"Dataset with Persistent ID `+got+` not found."}`, http.StatusNotFound)
			return
		}
		s.mu.Lock()
		s.metaHits++
		s.mu.Unlock()
		file := func(id int, label string, df map[string]any) map[string]any {
			df["id"] = id
			return map[string]any{"label": label, "restricted": false, "dataFile": df}
		}
		meta := map[string]any{"status": "OK", "data": map[string]any{"latestVersion": map[string]any{
			"versionNumber": 37, "versionMinorNumber": 0, "releaseTime": "2025-07-01T12:00:00Z",
			"license": map[string]any{"name": "CC0 1.0", "uri": "http://creativecommons.org/publicdomain/zero/1.0"},
			"files": []any{
				file(100, "Codebook UN Voting Data.pdf", map[string]any{"filename": "Codebook UN Voting Data.pdf", "filesize": 1234,
					"md5": "00000000000000000000000000000000", "checksum": map[string]any{"type": "MD5", "value": "00000000000000000000000000000000"}}),
				file(200, "UNVotes-1.tab", map[string]any{"filename": "UNVotes-1.tab", "contentType": "text/tab-separated-values",
					"filesize": len(data) + 999, "originalFileFormat": "text/csv", "originalFileName": "UNVotes-1.csv",
					"originalFileSize": len(data), "md5": md5sum, "checksum": map[string]any{"type": "MD5", "value": md5sum}}),
				file(150, "UNVotes.RData", map[string]any{"filename": "UNVotes.RData", "filesize": 10,
					"checksum": map[string]any{"type": "MD5", "value": "11111111111111111111111111111111"}}),
				file(120, "IdealpointestimatesAll_Jun2025.tab", map[string]any{"filename": "IdealpointestimatesAll_Jun2025.tab",
					"filesize": 10, "originalFileFormat": "text/csv", "originalFileName": "IdealpointestimatesAll_Jun2025.csv", "originalFileSize": 10,
					"checksum": map[string]any{"type": "MD5", "value": "22222222222222222222222222222222"}}),
			},
		}}}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(meta)
	})
	mux.HandleFunc("/api/access/datafile/200", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("format") != "original" {
			// The archival .tab differs from the original, as on a real Dataverse.
			w.Write([]byte("archival\ttab\n"))
			return
		}
		s.serveData(w, r, "UNVotes-1.csv")
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// dirFiles lists the names in dir.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestFetchDataverseDownloadsOriginalAndVerifiesMD5(t *testing.T) {
	data := payload(1)
	srv := newFakeDataverse(t, data, md5hex(data))
	dir := t.TempDir()
	var last, total int64
	calls := 0
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, func(d, n int64) {
		calls++
		if d < last {
			t.Errorf("progress went back from %d to %d", last, d)
		}
		last, total = d, n
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Path != filepath.Join(dir, "UNVotes-1.csv") || got.Name != "UNVotes-1.csv" {
		t.Errorf("path %q name %q, want the original file name UNVotes-1.csv", got.Path, got.Name)
	}
	b, err := os.ReadFile(got.Path)
	if err != nil || !bytes.Equal(b, data) {
		t.Fatalf("downloaded file differs from the published one (err %v)", err)
	}
	if len(got.Verified) != 1 || !strings.Contains(got.Verified[0], "MD5") {
		t.Errorf("Verified = %q, want the publisher's MD5", got.Verified)
	}
	if got.SHA256 != sha256hex(data) {
		t.Errorf("SHA256 = %s, want %s", got.SHA256, sha256hex(data))
	}
	if got.Version != "37.0 (2025-07-01T12:00:00Z)" || !strings.Contains(got.Licence, "CC0") {
		t.Errorf("version %q licence %q", got.Version, got.Licence)
	}
	if calls == 0 || last != int64(len(data)) || total != int64(len(data)) {
		t.Errorf("progress: %d calls, last %d/%d, want %d", calls, last, total, len(data))
	}
	if names := dirFiles(t, dir); len(names) != 1 {
		t.Errorf("dir holds %q, want only the data file", names)
	}
	if got.Resumed || got.Cached {
		t.Errorf("Resumed %v Cached %v on a first download", got.Resumed, got.Cached)
	}

	// A second fetch finds the verified file and downloads nothing.
	n := len(srv.dataRequests())
	again, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cached || len(srv.dataRequests()) != n {
		t.Errorf("second fetch: Cached %v, %d new data requests; want the file reused", again.Cached, len(srv.dataRequests())-n)
	}
}

func TestFetchResumesPartialDownloadWithRange(t *testing.T) {
	data := payload(2)
	srv := newFakeDataverse(t, data, md5hex(data))
	dir := t.TempDir()
	half := len(data) / 3
	if err := os.WriteFile(filepath.Join(dir, "UNVotes-1.csv.part"), data[:half], 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.dataRequests()
	if len(reqs) != 1 || reqs[0] != fmt.Sprintf("bytes=%d-", half) {
		t.Errorf("data requests %q, want one asking for bytes=%d-", reqs, half)
	}
	b, _ := os.ReadFile(got.Path)
	if !bytes.Equal(b, data) || !got.Resumed {
		t.Errorf("resumed download: equal %v, Resumed %v", bytes.Equal(b, data), got.Resumed)
	}
}

func TestFetchRestartsWhenServerIgnoresRange(t *testing.T) {
	data := payload(3)
	srv := newFakeDataverse(t, data, md5hex(data))
	srv.noRange = true
	dir := t.TempDir()
	// A stale part that is not a prefix of the file: it must not survive.
	if err := os.WriteFile(filepath.Join(dir, "UNVotes-1.csv.part"), bytes.Repeat([]byte("x"), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reqs := srv.dataRequests(); len(reqs) != 1 || reqs[0] != "bytes=1000-" {
		t.Errorf("data requests %q, want one range request", reqs)
	}
	b, _ := os.ReadFile(got.Path)
	if !bytes.Equal(b, data) {
		t.Error("file differs from the published one after the server ignored Range")
	}

	// A part longer than the file cannot be a prefix of it: it is replaced, not overwritten in place.
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "UNVotes-1.csv.part"), bytes.Repeat([]byte("z"), len(data)+500), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err = Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got.Path); !bytes.Equal(b, data) {
		t.Errorf("file of %d bytes differs from the published one (%d bytes) after an over-long part", len(b), len(data))
	}
}

func TestFetchResumesAfterDroppedConnection(t *testing.T) {
	data := payload(4)
	srv := newFakeDataverse(t, data, md5hex(data))
	srv.dropOnce = true
	dir := t.TempDir()
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.dataRequests()
	if len(reqs) != 2 || reqs[0] != "" || !strings.HasPrefix(reqs[1], "bytes=") || reqs[1] == "bytes=0-" {
		t.Errorf("data requests %q, want a plain request then a range request past what arrived", reqs)
	}
	b, _ := os.ReadFile(got.Path)
	if !bytes.Equal(b, data) || !got.Resumed {
		t.Errorf("after a dropped connection: equal %v, Resumed %v", bytes.Equal(b, data), got.Resumed)
	}
	if names := dirFiles(t, dir); len(names) != 1 {
		t.Errorf("dir holds %q, want only the data file", names)
	}
}

func TestFetchResumesAcrossCalls(t *testing.T) {
	data := payload(12)
	srv := newFakeDataverse(t, data, md5hex(data))
	srv.dropOnce, srv.down = true, true
	dir := t.TempDir()
	_, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "giving up after") || !strings.Contains(err.Error(), "will be resumed") {
		t.Fatalf("err = %v, want the download given up with its part kept", err)
	}
	st, err := os.Stat(filepath.Join(dir, "UNVotes-1.csv.part"))
	if err != nil || st.Size() == 0 || st.Size() >= int64(len(data)) {
		t.Fatalf("part file after the failure: %v, %v; want a partial download", st, err)
	}
	srv.mu.Lock()
	srv.down = false
	srv.mu.Unlock()
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.dataRequests()
	if want := fmt.Sprintf("bytes=%d-", st.Size()); reqs[len(reqs)-1] != want || !got.Resumed {
		t.Errorf("last data request %q, want %q; Resumed %v", reqs[len(reqs)-1], want, got.Resumed)
	}
	if b, _ := os.ReadFile(got.Path); !bytes.Equal(b, data) {
		t.Error("file differs from the published one")
	}
	if names := dirFiles(t, dir); len(names) != 1 {
		t.Errorf("dir holds %q, want only the data file", names)
	}
}

func TestFetchBadChecksumLeavesNoFile(t *testing.T) {
	data := payload(5)
	srv := newFakeDataverse(t, data, md5hex([]byte("something else")))
	dir := t.TempDir()
	_, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	var ce *checksumError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "MD5 checksum mismatch") {
		t.Fatalf("err = %v, want an MD5 checksum mismatch", err)
	}
	if names := dirFiles(t, dir); len(names) != 0 {
		t.Errorf("dir holds %q after a checksum mismatch, want nothing", names)
	}
}

func TestFetchRedownloadsWhenResumedPartIsCorrupt(t *testing.T) {
	data := payload(6)
	srv := newFakeDataverse(t, data, md5hex(data))
	dir := t.TempDir()
	// A part of the right length for a prefix but with other bytes, e.g. from an older version.
	if err := os.WriteFile(filepath.Join(dir, "UNVotes-1.csv.part"), bytes.Repeat([]byte("y"), 5000), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.dataRequests()
	if len(reqs) != 2 || reqs[0] != "bytes=5000-" || reqs[1] != "" {
		t.Errorf("data requests %q, want a resume then a fresh download", reqs)
	}
	b, _ := os.ReadFile(got.Path)
	if !bytes.Equal(b, data) {
		t.Error("file differs from the published one")
	}
}

func TestFetchUserSHA256(t *testing.T) {
	data := payload(7)
	srv := newFakeDataverse(t, data, md5hex(data))
	dir := t.TempDir()
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL, SHA256: strings.ToUpper(sha256hex(data))}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Verified) != 2 || !strings.Contains(got.Verified[1], "SHA-256 given") {
		t.Errorf("Verified = %q, want the publisher's MD5 and the given SHA-256", got.Verified)
	}
	dir2 := t.TempDir()
	_, err = Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL, SHA256: sha256hex([]byte("other"))}, dir2, nil)
	if err == nil || !strings.Contains(err.Error(), "SHA-256 checksum mismatch") {
		t.Errorf("err = %v, want a SHA-256 mismatch", err)
	}
	if names := dirFiles(t, dir2); len(names) != 0 {
		t.Errorf("dir holds %q after a SHA-256 mismatch", names)
	}
	_, err = Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL, SHA256: "abc"}, t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "not a SHA-256 digest") {
		t.Errorf("err = %v for a malformed --sha256", err)
	}
}

func TestFetchDataverseFileChoice(t *testing.T) {
	data := payload(8)
	srv := newFakeDataverse(t, data, md5hex(data))
	r, err := Resolve(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if r.URL != srv.URL+"/api/access/datafile/200?format=original" || r.Size != int64(len(data)) || r.Checksum != (Checksum{"MD5", md5hex(data)}) {
		t.Errorf("resolved %+v", r)
	}
	r, err = Resolve(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL, File: "unvotes.rdata"})
	if err != nil || r.Name != "UNVotes.RData" || strings.Contains(r.URL, "format=") {
		t.Errorf("--file UNVotes.RData: %+v, %v", r, err)
	}
	_, err = Resolve(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL, File: "nope.csv"})
	if err == nil || !strings.Contains(err.Error(), `no public file named "nope.csv"`) || !strings.Contains(err.Error(), "UNVotes-1.csv") {
		t.Errorf("err = %v, want the list of files", err)
	}
}

func TestFetchRefusesWebPage(t *testing.T) {
	data := payload(9)
	srv := newFakeDataverse(t, data, md5hex(data))
	srv.html = true
	dir := t.TempDir()
	_, err := Fetch(context.Background(), srv.Client(), Source{Publisher: Dataverse, URL: srv.URL}, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "web page") {
		t.Fatalf("err = %v, want a web page refused", err)
	}
	if names := dirFiles(t, dir); len(names) != 0 {
		t.Errorf("dir holds %q", names)
	}
}

// newFakeUNDL serves the UN Digital Library's file list for the voting data
// record, whose newest CSV is data.
func newFakeUNDL(t *testing.T, data []byte, checksum string) *fakeServer {
	s := &fakeServer{data: data}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/file", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("recid") != UNDLRecord {
			http.NotFound(w, r)
			return
		}
		list := []map[string]any{
			{"name": "2024_09_12_ga_resolutions_voting", "format": ".csv", "url": "/record/4060887/files/2024_09_12_ga_resolutions_voting.csv", "size": 5},
			{"name": "2025_7_23_ga_voting", "format": ".csv", "url": s.URL + "/record/4060887/files/2025_7_23_ga_voting.csv?ln=en", "size": len(data), "checksum": checksum},
			{"name": "2025_7_23_ga_voting", "format": ".xlsx", "url": "/record/4060887/files/2025_7_23_ga_voting.xlsx"},
			{"name": "2025_7_23_ga_voting_md", "format": ".md", "url": "/record/4060887/files/2025_7_23_ga_voting_md.md"},
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(list)
	})
	mux.HandleFunc("/record/4060887/files/2025_7_23_ga_voting.csv", func(w http.ResponseWriter, r *http.Request) {
		s.serveData(w, r, "2025_7_23_ga_voting.csv")
	})
	mux.HandleFunc("/record/4060887/files/2024_09_12_ga_resolutions_voting.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("old\n"))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestFetchUNDLNewestCSV(t *testing.T) {
	data := payload(10)
	srv := newFakeUNDL(t, data, "")
	dir := t.TempDir()
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: UNDigitalLibrary, URL: srv.URL}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "2025_7_23_ga_voting.csv"))
	if !bytes.Equal(b, data) || got.Version != "2025-07-23" {
		t.Errorf("downloaded %d bytes (want %d), version %q", len(b), len(data), got.Version)
	}
	if len(got.Verified) != 0 || got.SHA256 != sha256hex(data) {
		t.Errorf("no checksum published: Verified %q (want none), SHA256 %s", got.Verified, got.SHA256)
	}
	if !strings.Contains(got.Licence, "non-commercial use only, with attribution") {
		t.Errorf("licence %q does not state the UN's terms", got.Licence)
	}

	// With the SHA-256 pinned the download is verified; a relative URL resolves against the server.
	r, err := Resolve(context.Background(), srv.Client(), Source{Publisher: UNDigitalLibrary, URL: srv.URL, File: "2024_09_12_ga_resolutions_voting.csv"})
	if err != nil || r.URL != srv.URL+"/record/4060887/files/2024_09_12_ga_resolutions_voting.csv" {
		t.Errorf("--file: %+v %v", r, err)
	}
	got, err = Fetch(context.Background(), srv.Client(), Source{Publisher: UNDigitalLibrary, URL: srv.URL, SHA256: sha256hex(data)}, t.TempDir(), nil)
	if err != nil || len(got.Verified) != 1 {
		t.Errorf("pinned SHA-256: %v, Verified %q", err, got.Verified)
	}
}

func TestFetchUNDLPublishedChecksum(t *testing.T) {
	data := payload(11)
	srv := newFakeUNDL(t, data, "md5:"+md5hex(data))
	got, err := Fetch(context.Background(), srv.Client(), Source{Publisher: UNDigitalLibrary, URL: srv.URL}, t.TempDir(), nil)
	if err != nil || len(got.Verified) != 1 || !strings.Contains(got.Verified[0], "MD5") {
		t.Fatalf("Fetch: %v, Verified %q", err, got.Verified)
	}
	bad := newFakeUNDL(t, data, md5hex([]byte("x")))
	dir := t.TempDir()
	if _, err := Fetch(context.Background(), bad.Client(), Source{Publisher: UNDigitalLibrary, URL: bad.URL}, dir, nil); err == nil {
		t.Fatal("no error for a wrong published checksum")
	}
	if names := dirFiles(t, dir); len(names) != 0 {
		t.Errorf("dir holds %q", names)
	}
}

func TestParseChecksum(t *testing.T) {
	for in, want := range map[string]Checksum{
		"md5:" + strings.Repeat("A", 32):     {"MD5", strings.Repeat("a", 32)},
		strings.Repeat("b", 64):              {"SHA-256", strings.Repeat("b", 64)},
		"sha-256:" + strings.Repeat("c", 64): {"SHA-256", strings.Repeat("c", 64)},
		"sha1:" + strings.Repeat("d", 64):    {}, // length does not fit the algorithm
		"crc32:0000":                         {},
		"":                                   {},
		"not hex":                            {},
	} {
		if got := parseChecksum(in); got != want {
			t.Errorf("parseChecksum(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestParsePublisher(t *testing.T) {
	for in, want := range map[string]Publisher{"dataverse": Dataverse, "Voeten": Dataverse, "undl": UNDigitalLibrary, "UN": UNDigitalLibrary} {
		if got, err := ParsePublisher(in); err != nil || got != want {
			t.Errorf("ParsePublisher(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParsePublisher("cran"); err == nil {
		t.Error("no error for an unknown source")
	}
}
