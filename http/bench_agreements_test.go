package http

import (
	"fmt"
	"io"
	nethttp "net/http"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/concord-project/concord/agreements"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/internal/testdata"
)

// BenchmarkRegistryAPI measures the registry's API on the real GGO import
// (4,532 agreements, their parties) plus 50,000 generated commitments, on
// each store: every sub-benchmark sends its request from one client (c1) and
// from 4×GOMAXPROCS clients at once (c8 on two cores) through a loopback HTTP
// server and reports the 50th and 99th percentiles of the latency a client
// sees (p50-ms, p99-ms). The target is a p99 under 20 ms per call. The
// timeline is measured as its first page (the API's default) and whole
// (limit=0). Then every call is measured again under cached/, with the
// store's cache of results per registry revision (regsql.Store.EnableCache),
// apart from the figures above, which are those of the queries themselves.
//
//	go test ./http -run XXX -bench RegistryAPI -benchtime 400x
func BenchmarkRegistryAPI(b *testing.B) {
	ggo, _, err := agreements.Read(testdata.File(b, "agreements/ggo_agreements.csv.gz"), testdata.File(b, "agreements/ggo_parties.csv.gz"))
	if err != nil {
		b.Fatal(err)
	}
	for _, backend := range regBackends {
		b.Run(backend.name, func(b *testing.B) {
			reg := backend.open(b)
			t0 := time.Now()
			if _, err := reg.ImportAgreements(b.Context(), storetest.Admin, ggo.Agreements, storetest.GenCommitments(ggo.Agreements, 50000)); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: import of %d agreements and 50,000 commitments: %v", backend.name, len(ggo.Agreements), time.Since(t0))
			s, ts := newTestServer(b, fixtureStore(b))
			s.Registry = reg
			client := &nethttp.Client{Transport: &nethttp.Transport{MaxIdleConnsPerHost: 64}}
			var mu sync.Mutex
			next := 0
			ids := func() string { // a different agreement on each call
				mu.Lock()
				defer mu.Unlock()
				next = (next + 97) % len(ggo.Agreements)
				return ggo.Agreements[next].ID
			}
			calls := []struct {
				name string
				path func() string
			}{
				{"ListFirstPage", func() string { return "/api/v1/agreements?limit=50" }},
				{"ListPage40", func() string { return "/api/v1/agreements?limit=50&offset=2000" }},
				{"PairFRA-DEU", func() string { return "/api/v1/agreements?party=FRA&party=DEU&limit=50" }},
				{"PairFieldPeriod", func() string {
					return "/api/v1/agreements?party=USA&party=CAN&field=environment&from=1990&to=2020&limit=50"
				}},
				{"Show", func() string { return "/api/v1/agreements/" + ids() }},
				{"TimelineFRA-DEU", func() string { return "/api/v1/timeline?a=FRA&b=DEU" }}, // the first page, 100 of 3,668 steps
				{"TimelineFRA-DEU-all", func() string { return "/api/v1/timeline?a=FRA&b=DEU&limit=0" }},
				{"CommitmentsOfPair", func() string { return "/api/v1/commitments?party=FRA&party=DEU&limit=50" }},
				{"CommitmentsOverdue", func() string { return "/api/v1/commitments?overdue=true&as_of=2026-01-01&limit=50" }},
			}
			// Every call uncached, then (reported apart, under cached/) with the
			// store's cache of results per registry revision, when it has one.
			cacher, canCache := reg.(interface{ EnableCache(int) })
			for _, cache := range []bool{false, true} {
				prefix := ""
				if cache {
					if !canCache {
						break
					}
					cacher.EnableCache(256)
					defer cacher.EnableCache(0)
					prefix = "cached/"
				}
				for _, c := range calls {
					for _, par := range []int{0, 4} {
						name := prefix + c.name + "/c1"
						if par > 0 {
							name = fmt.Sprintf("%s%s/c%d", prefix, c.name, par*runtime.GOMAXPROCS(0))
						}
						b.Run(name, func(b *testing.B) {
							var all []time.Duration
							call := func() bool {
								t := time.Now()
								resp, err := client.Get(ts.URL + c.path())
								if err != nil {
									b.Error(err)
									return false
								}
								io.Copy(io.Discard, resp.Body)
								resp.Body.Close()
								if resp.StatusCode != 200 {
									b.Error(fmt.Sprintf("%s: %d", c.path(), resp.StatusCode))
									return false
								}
								mu.Lock()
								all = append(all, time.Since(t))
								mu.Unlock()
								return true
							}
							if par == 0 {
								for b.Loop() {
									if !call() {
										return
									}
								}
							} else {
								b.SetParallelism(par)
								b.RunParallel(func(pb *testing.PB) {
									for pb.Next() {
										if !call() {
											return
										}
									}
								})
							}
							if len(all) == 0 {
								return
							}
							slices.Sort(all)
							b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
							b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
						})
					}
				}
			}
		})
	}
}
