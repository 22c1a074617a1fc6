package trade

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/concord-project/concord/internal/tradegen"
)

// Real size: one BACI year has about 10 million rows, 200+ states and 5,000 HS6 products.
const (
	benchRows     = 10_000_000
	benchStates   = 200
	benchProducts = 5000
)

// benchFile writes a BACI year of real size into dir.
func benchFile(b *testing.B, rows int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "BACI_HS17_Y2020_V202401.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tradegen.WriteBACI(f, 1, 2020, benchStates, benchProducts, rows); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkReadBACI measures streaming one BACI year of 10 million rows into the margins (rows/s reported).
func BenchmarkReadBACI(b *testing.B) {
	rows := benchRows
	if s := os.Getenv("CONCORD_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	p := benchFile(b, rows)
	b.ResetTimer()
	for b.Loop() {
		ys, err := ReadFiles(context.Background(), Options{}, p)
		if err != nil {
			b.Fatal(err)
		}
		rows = ys[0].Rows
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkComplementarityMatrix measures TC for all ordered pairs of 200 states over 5,000 HS6 products.
func BenchmarkComplementarityMatrix(b *testing.B) {
	p := benchFile(b, benchRows)
	ys, err := ReadFiles(context.Background(), Options{}, p)
	if err != nil {
		b.Fatal(err)
	}
	tb := NewTable(ys[0])
	b.ResetTimer()
	for b.Loop() {
		if _, err := tb.ComplementarityMatrix(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tb.States)), "states")
	b.ReportMetric(float64(len(tb.Products)), "products")
}

// BenchmarkNewTable measures laying out one year of real size for the indices.
func BenchmarkNewTable(b *testing.B) {
	p := benchFile(b, benchRows)
	ys, err := ReadFiles(context.Background(), Options{}, p)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		NewTable(ys[0])
	}
}
