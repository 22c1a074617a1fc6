package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
)

// releases returns two generated datasets shaped like Voeten's two releases:
// 6,200 roll calls of cast votes only by 200 states (about 970,000 votes) and
// 5,430 of them complete with absences by 197 states (about 1,070,000 votes,
// 830,000 of them equal to votes of the first).
var releases = sync.OnceValues(func() (*concord.Dataset, *concord.Dataset) {
	a := storetest.Generate(storetest.Gen{FirstRCID: 1, RollCalls: 6200, States: 200, File: "votes.csv"})
	b := storetest.Generate(storetest.Gen{FirstRCID: 1, RollCalls: 5430, States: 197, Complete: true, File: "complete.csv"})
	return a, b
})

// BenchmarkImportVotes imports both releases into an empty database.
func BenchmarkImportVotes(b *testing.B) {
	ctx := context.Background()
	a, c := releases()
	rows := len(a.Votes) + len(c.Votes)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for _, ds := range []*concord.Dataset{a, c} {
			if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(rows), "rows/op")
}

// BenchmarkImportMerge imports the complete release into a database holding the first.
func BenchmarkImportMerge(b *testing.B) {
	ctx := context.Background()
	a, c := releases()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.ImportVotes(ctx, a, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if _, err := db.ImportVotes(ctx, c, nil); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(c.Votes))*float64(b.N)/elapsed.Seconds(), "rows/s")
}

// BenchmarkMatrix loads the matrix of a database holding both releases.
func BenchmarkMatrix(b *testing.B) {
	ctx := context.Background()
	a, c := releases()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, ds := range []*concord.Dataset{a, c} {
		if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
			b.Fatal(err)
		}
	}
	_, nv, _ := db.Counts(ctx)
	// From the votes table, as after an import; then from the snapshot that
	// the first Matrix after an import keeps.
	b.Run("build", func(b *testing.B) {
		var m *concord.Matrix
		for b.Loop() {
			tx, err := db.sql.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if m, err = buildMatrix(ctx, tx); err != nil {
				b.Fatal(err)
			}
			tx.Rollback()
		}
		b.ReportMetric(float64(m.Bytes()), "matrix-bytes")
		b.ReportMetric(float64(nv), "votes")
	})
	b.Run("snapshot", func(b *testing.B) {
		if _, err := db.Matrix(ctx); err != nil { // keeps the snapshot
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := db.Matrix(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
