package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
)

func TestResultsAreReusedUntilTheVotesChange(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v0, err := db.VotesVersion(ctx)
	if err != nil || v0 != 0 {
		t.Fatalf("version of an empty store = %d, %v", v0, err)
	}
	type res struct{ X []float64 }
	if err := db.SaveResult(ctx, "ideal", "k", v0, res{X: []float64{1, 2}}); err != nil {
		t.Fatal(err)
	}
	var got res
	if ok, err := db.LoadResult(ctx, "ideal", "k", v0, &got); !ok || err != nil || len(got.X) != 2 || got.X[1] != 2 {
		t.Fatalf("LoadResult = %v, %v, %+v", ok, err, got)
	}
	if ok, _ := db.LoadResult(ctx, "ideal", "other key", v0, &got); ok {
		t.Error("a result was found under a key never saved")
	}
	ds := storetest.Generate(storetest.Gen{States: 5, RollCalls: 10})
	if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	v1, _ := db.VotesVersion(ctx)
	if v1 == v0 {
		t.Fatal("an import that added votes left the votes version as it was")
	}
	if ok, _ := db.LoadResult(ctx, "ideal", "k", v1, &got); ok {
		t.Error("a result computed on older votes was reused")
	}
	// Importing the same data again changes nothing, so results stay valid.
	if err := db.SaveResult(ctx, "ideal", "k", v1, res{X: []float64{3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if v2, _ := db.VotesVersion(ctx); v2 != v1 {
		t.Errorf("a re-import that added nothing moved the version from %d to %d", v1, v2)
	}
	var _ concord.ResultCache = db
}
