package regsql

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	_ "modernc.org/sqlite"
)

// TestCachedKeepsNewResults: a full cache makes room for new results, serves a
// result again while the revision stands, and computes it anew once a change
// is recorded.
func TestCachedKeepsNewResults(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	if _, err := db.Exec(`CREATE TABLE changes (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	s := New(db, false)
	s.EnableCache(2)
	computed := 0
	read := func(key string) string {
		t.Helper()
		v, err := cached(ctx, s, key, func() (string, error) { computed++; return fmt.Sprint(key, computed), nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, k := range []string{"a", "b", "c", "d", "e"} { // more keys than the cache holds
		read(k)
	}
	first := read("f")
	if again := read("f"); again != first || computed != 6 {
		t.Errorf("a full cache did not keep a new result: %q then %q, %d computations (want 6)", first, again, computed)
	}
	if _, err := db.Exec(`INSERT INTO changes DEFAULT VALUES`); err != nil {
		t.Fatal(err)
	}
	if after := read("f"); after == first || computed != 7 {
		t.Errorf("after a change: %q (before %q), %d computations (want 7)", after, first, computed)
	}
	s.EnableCache(0)
	read("f")
	read("f")
	if computed != 9 {
		t.Errorf("with the cache off: %d computations, want 9", computed)
	}
}
