package http

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/concord-project/concord/internal/tradegen"
	"github.com/concord-project/concord/sqlite"
	"github.com/concord-project/concord/trade"
)

// benchTradeServer serves one generated BACI year of real size (10 million
// rows among 200 states and 5,000 HS6 products; CONCORD_BENCH_ROWS changes
// the rows) from a SQLite store, as `concord serve` would, and returns two of its states.
func benchTradeServer(b *testing.B) (*Server, string, string) {
	b.Helper()
	rows := 10_000_000
	if v := os.Getenv("CONCORD_BENCH_ROWS"); v != "" {
		rows, _ = strconv.Atoi(v)
	}
	dir := b.TempDir()
	p := filepath.Join(dir, "BACI_HS17_Y2020_V202401.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tradegen.WriteBACI(f, 1, 2020, 200, 5000, rows); err != nil {
		b.Fatal(err)
	}
	f.Close()
	ys, err := trade.ReadFiles(context.Background(), trade.Options{}, p)
	if err != nil {
		b.Fatal(err)
	}
	os.Remove(p)
	db, err := sqlite.Open(filepath.Join(dir, "trade.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.ImportTrade(context.Background(), ys, nil); err != nil {
		b.Fatal(err)
	}
	tb := trade.NewTable(ys[0])
	b.Logf("%d rows: %d states, %d products, %d state × product values", ys[0].Rows, len(tb.States), len(tb.Products), len(ys[0].Values))
	s := NewServer(fixtureStore(b))
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Trade = db
	return s, tb.States[0], tb.States[len(tb.States)/2]
}

// BenchmarkTradeAPI measures requests through the whole handler: the first
// complement request on a year (uncached: reading it from the store and
// laying it out), then requests once the year is laid out.
func BenchmarkTradeAPI(b *testing.B) {
	s, a, c := benchTradeServer(b)
	b.Run("complement-uncached", func(b *testing.B) {
		for b.Loop() {
			s.trade = tradeTables{}
			serveOK(b, s, "/api/v1/trade/complement?a="+a+"&b="+c)
		}
	})
	for _, x := range []struct{ name, url string }{
		{"complement", "/api/v1/trade/complement?a=" + a + "&b=" + c},
		{"complement-all", "/api/v1/trade/complement?a=" + a + "&b=" + c + "&top=0"},
		{"complement-section", "/api/v1/trade/complement?a=" + a + "&b=" + c + "&level=section"},
		{"rca", "/api/v1/trade/rca?state=" + a},
		{"partners", "/api/v1/trade/partners?state=" + a},
		{"page-pair", "/trade?a=" + a + "&b=" + c},
		{"page-state", "/trade?state=" + a},
	} {
		b.Run(x.name, func(b *testing.B) {
			serveOK(b, s, x.url) // lay the year out before timing
			for b.Loop() {
				serveOK(b, s, x.url)
			}
		})
	}
}

func serveOK(b *testing.B, s *Server, url string) {
	req := httptest.NewRequest("GET", url, nil)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("%s: %d %s", url, w.Code, w.Body.String())
	}
}
