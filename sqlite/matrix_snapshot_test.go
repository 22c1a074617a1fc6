package sqlite

import (
	"context"
	"reflect"
	"testing"

	"github.com/concord-project/concord/internal/storetest"
)

// TestMatrixSnapshotFollowsImports: the matrix read back from the snapshot is
// the one built from the votes; an import that changes votes is seen at once;
// a snapshot that does not decode is built again.
func TestMatrixSnapshotFollowsImports(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	ds := storetest.Generate(storetest.Gen{States: 6, RollCalls: 12})
	if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	built, err := db.Matrix(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM matrix_snapshot`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("snapshots kept after the first Matrix: %d, %v; want 1", n, err)
	}
	again, err := db.Matrix(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(built, again) {
		t.Fatal("the matrix read from the snapshot differs from the one built from the votes")
	}
	for _, s := range again.States {
		if i, ok := again.StateIndex(s); !ok || again.States[i] != s {
			t.Fatalf("StateIndex(%s) = %d, %v after reading the snapshot", s, i, ok)
		}
	}

	// Another import that changes votes: the next matrix has them.
	more := storetest.Generate(storetest.Gen{States: 8, RollCalls: 20, FirstRCID: 100})
	if _, err := db.ImportVotes(ctx, more, nil); err != nil {
		t.Fatal(err)
	}
	after, err := db.Matrix(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.sql.BeginTx(ctx, nil)
	fresh, err := buildMatrix(ctx, tx)
	tx.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(after, again) || !reflect.DeepEqual(after, fresh) {
		t.Fatalf("after an import: %d states × %d roll calls, built from the votes %d × %d",
			len(after.States), len(after.RollCalls), len(fresh.States), len(fresh.RollCalls))
	}

	// A damaged snapshot is not used.
	if _, err := db.sql.ExecContext(ctx, `UPDATE matrix_snapshot SET data = x'00ff'`); err != nil {
		t.Fatal(err)
	}
	if m, err := db.Matrix(ctx); err != nil || !reflect.DeepEqual(m, fresh) {
		t.Fatalf("with a damaged snapshot: %v, same matrix %v", err, reflect.DeepEqual(m, fresh))
	}
}
