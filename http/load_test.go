package http

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/sqlite"
	"github.com/concord-project/concord/unga"
)

// TestLoad is a load test on loopback, run on demand:
//
//	CONCORD_LOADTEST=1 go test -run TestLoad -v ./http/            # imports the whole UN record of CONCORD_DATA
//	CONCORD_LOADTEST_DB=votes.db go test -run TestLoad -v ./http/  # or serves a database imported with `concord import unga`
//
// It serves the votes from SQLite and sends partners and align requests from
// 200 concurrent clients for 10 seconds (CONCORD_LOADTEST_SECONDS
// overrides), then reports throughput, the p50/p99 latency per endpoint, the
// share answered from the response cache and the machine's load average.
// Every answer must be a 200. The clients run in the same process as the
// server; http/testdata/wrk_mix.lua sends the same mix with wrk from another.
func TestLoad(t *testing.T) {
	path := os.Getenv("CONCORD_LOADTEST_DB")
	if path == "" && os.Getenv("CONCORD_LOADTEST") == "" {
		t.Skip("set CONCORD_LOADTEST=1 (or CONCORD_LOADTEST_DB to a database with the UN votes) to run the load test")
	}
	secs := 10
	if s := os.Getenv("CONCORD_LOADTEST_SECONDS"); s != "" {
		fmt.Sscan(s, &secs)
	}
	if path == "" {
		path = filepath.Join(t.TempDir(), "votes.db")
		importRecord(t, path)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	load0, _ := os.ReadFile("/proc/loadavg")
	s := NewServer(db)
	s.Addr = "127.0.0.1:0"
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	base := s.URL()
	if resp, err := nethttp.Get(base + "/api/v1/partners?a=USA"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("warm-up: %v %v", resp, err)
	} // loads the matrix

	states := []string{"USA", "IRN", "CUB", "FRA", "CHN", "RUS", "BRA", "IND", "ZAF", "ISR", "GBR", "DEU", "JPN", "EGY", "NGA", "MEX"}
	issues := []string{"", "me", "nu", "di", "hr", "co", "ec"}
	const clients = 200
	tr := &nethttp.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &nethttp.Client{Transport: tr, Timeout: 10 * time.Second}
	type sample struct {
		endpoint string
		d        time.Duration
	}
	var (
		mu      sync.Mutex
		samples []sample
		errs    atomic.Int64
		wg      sync.WaitGroup
	)
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var local []sample
			for i := 0; time.Now().Before(deadline); i++ {
				a, b := states[(c+i)%len(states)], states[(c+3*i+1)%len(states)]
				if a == b {
					b = "KEN"
				}
				is := issues[(c+i)%len(issues)]
				from := 1946 + (c*7+i)%60
				var ep, url string
				if i%2 == 0 {
					ep, url = "partners", fmt.Sprintf("%s/api/v1/partners?a=%s&issue=%s&from=%d&top=20", base, a, is, from)
				} else {
					ep, url = "align", fmt.Sprintf("%s/api/v1/align?a=%s&b=%s&issue=%s&from=%d&by=year", base, a, b, is, from)
				}
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
					continue
				}
				local = append(local, sample{ep, time.Since(t0)})
			}
			mu.Lock()
			samples = append(samples, local...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if errs.Load() > 0 {
		t.Errorf("%d requests failed", errs.Load())
	}
	by := map[string][]time.Duration{}
	for _, s := range samples {
		by[s.endpoint] = append(by[s.endpoint], s.d)
		by["all"] = append(by["all"], s.d)
	}
	for _, ep := range []string{"partners", "align", "all"} {
		ds := by[ep]
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		if len(ds) == 0 {
			continue
		}
		q := func(p float64) time.Duration { return ds[int(p*float64(len(ds)-1))] }
		t.Logf("%-8s %7d requests  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms", ep, len(ds),
			float64(len(ds))/elapsed.Seconds(), ms(q(0.5)), ms(q(0.99)), ms(ds[len(ds)-1]))
	}
	rc := &s.cache.responses
	load1, _ := os.ReadFile("/proc/loadavg")
	t.Logf("%d clients, %.1f s, %d errors; %d answered from the response cache, %d computed; GOMAXPROCS %d, load average %s before, %s after",
		clients, elapsed.Seconds(), errs.Load(), rc.hits.Load(), rc.misses.Load(), runtime.GOMAXPROCS(0),
		strings.Join(strings.Fields(string(load0))[:3], " "), strings.Join(strings.Fields(string(load1))[:3], " "))
}

// importRecord imports the whole UN record of the shared data into a new SQLite database at path.
func importRecord(t *testing.T, path string) {
	dir := testdata.Dir(t)
	files, _, err := unga.ExpandPaths([]string{filepath.Join(dir, "unga")})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := unga.ReadFiles(context.Background(), files...)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportVotes(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
