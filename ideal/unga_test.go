package ideal

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/unga"
)

// The real record, read once for all tests and benchmarks from the shared
// data directory with package unga (the 2021 release of Voeten's data:
// votes.csv.gz, roll_calls.csv.gz and issues.csv.gz). States carry
// concord's canonical codes (USA, ISR, RUS, …).
var (
	realOnce sync.Once
	realM    *concord.Matrix
	realErr  error
)

func realMatrix(tb testing.TB) *concord.Matrix {
	tb.Helper()
	dir := filepath.Join(testdata.Dir(tb), "unga")
	realOnce.Do(func() {
		var ds *concord.Dataset
		ds, realErr = unga.ReadFiles(context.Background(),
			filepath.Join(dir, "votes.csv.gz"), filepath.Join(dir, "roll_calls.csv.gz"), filepath.Join(dir, "issues.csv.gz"))
		if realErr == nil {
			realM = concord.NewMatrix(ds.RollCalls, ds.Votes)
		}
	})
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realM
}

// sessionCols returns the columns of sessions from … to.
func sessionCols(m *concord.Matrix, from, to int) []int {
	var cols []int
	for c, rc := range m.RollCalls {
		if rc.Session >= from && rc.Session <= to {
			cols = append(cols, c)
		}
	}
	return cols
}
