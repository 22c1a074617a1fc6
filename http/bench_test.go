package http

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/memstore"
	"github.com/concord-project/concord/unga"
)

var realServer struct {
	once sync.Once
	s    *Server
	err  error
}

// realHandler serves the shared UN voting record from a memstore (read once per test binary).
func realHandler(b testing.TB) *Server {
	dir := testdata.Dir(b)
	realServer.once.Do(func() {
		files, _, err := unga.ExpandPaths([]string{filepath.Join(dir, "unga")})
		if err != nil {
			realServer.err = err
			return
		}
		ds, err := unga.ReadFiles(context.Background(), files...)
		if err != nil {
			realServer.err = err
			return
		}
		st := memstore.New()
		if _, err := st.ImportVotes(context.Background(), ds, nil); err != nil {
			realServer.err = err
			return
		}
		s := NewServer(st)
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		realServer.s = s
	})
	if realServer.err != nil {
		b.Fatal(realServer.err)
	}
	return realServer.s
}

// BenchmarkAPI measures one request through the whole handler (middleware,
// parsing, analysis, JSON) on the real record: "cached" answers repeated
// requests from the response cache, "computed" empties it before each request.
func BenchmarkAPI(b *testing.B) {
	for _, mode := range []string{"cached", "computed"} {
		b.Run(mode, func(b *testing.B) { benchmarkAPI(b, mode == "computed") })
	}
}

func benchmarkAPI(b *testing.B, uncached bool) {
	for _, c := range []struct{ name, url string }{
		{"partners", "/api/v1/partners?a=IRN&issue=me&from=2000&top=20"},
		{"partners-all", "/api/v1/partners?a=USA"},
		{"align-year", "/api/v1/align?a=USA&b=ISR&by=year"},
		{"align", "/api/v1/align?a=IRN&b=CUB&issue=me&from=2000&to=2019"},
		{"splits", "/api/v1/splits?a=USA&b=ISR&limit=100"},
		{"state-page", "/states/IRN?issue=me"},
		{"pair-page", "/pairs/USA/ISR"},
	} {
		b.Run(c.name, func(b *testing.B) {
			h := realHandler(b).Handler()
			warm := httptest.NewRecorder()
			h.ServeHTTP(warm, httptest.NewRequest("GET", c.url, nil))
			if warm.Code != 200 {
				b.Fatalf("%s: %d %s", c.url, warm.Code, warm.Body)
			}
			b.ReportAllocs()
			b.ResetTimer()
			s := realHandler(b)
			for i := 0; i < b.N; i++ {
				if uncached {
					s.cache.responses.mu.Lock()
					s.cache.responses.m = nil
					s.cache.responses.mu.Unlock()
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", c.url, nil))
			}
		})
	}
}
