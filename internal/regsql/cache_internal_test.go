package regsql

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"

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

// TestCachedBoundsBytes: the results kept never take more than maxBytes (as
// approxSize counts them), a result larger than an eighth of it is not kept,
// and small ones still are.
func TestCachedBoundsBytes(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE changes (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	s := New(db, false)
	s.EnableCache(1000)
	c := s.cache.Load()
	c.maxBytes = 80 << 10
	computed := 0
	read := func(key string, n int) {
		t.Helper()
		if _, err := cached(ctx, s, key, func() ([]concord.TimelineEntry, error) {
			computed++
			out := make([]concord.TimelineEntry, n)
			for i := range out {
				out[i].Title = strings.Repeat("x", 100)
			}
			return out, nil
		}); err != nil {
			t.Fatal(err)
		}
		if c.bytes > c.maxBytes {
			t.Fatalf("after %s: %d bytes kept, bound %d", key, c.bytes, c.maxBytes)
		}
	}
	for i := range 50 { // 50 results of about 4 kB: more than the bound holds
		read(fmt.Sprint("small", i), 20)
	}
	if len(c.m) == 0 || len(c.m) == 50 {
		t.Errorf("%d results kept of 50 of about 4 kB under a bound of 80 kB", len(c.m))
	}
	before := computed
	read("big", 100) // about 20 kB: more than an eighth of the bound
	read("big", 100)
	if computed != before+2 {
		t.Errorf("a result larger than an eighth of the bound was kept")
	}
	before = computed
	read("small49", 20)
	if computed != before {
		t.Errorf("the last small result was not kept")
	}
}

func TestApproxSizeCountsStringsAndSlices(t *testing.T) {
	a := []concord.Agreement{{ID: "abc", Title: strings.Repeat("t", 1000), Fields: []string{"trade", "energy"},
		Parties: []concord.Party{{State: "FRA"}, {State: "DEU"}}}}
	got := approxSize(reflect.ValueOf(a))
	min := 1000 + 3 + 5 + 6 + 6 + int(reflect.TypeOf(concord.Agreement{}).Size()) + 2*int(reflect.TypeOf(concord.Party{}).Size())
	if got < min || got > min+200 {
		t.Errorf("approxSize = %d, want about %d", got, min)
	}
}
