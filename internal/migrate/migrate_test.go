package migrate_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/concord-project/concord/internal/migrate"
	_ "modernc.org/sqlite"
)

const record = `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`

func TestApply(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"m/0002_more.sql": {Data: []byte(`ALTER TABLE t ADD COLUMN b TEXT;`)},
		"m/0001_init.sql": {Data: []byte(`CREATE TABLE t (a INTEGER);`)},
	}
	ms, err := migrate.Load(fsys, "m/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Name != "0001_init" || ms[1].Version != 2 {
		t.Fatalf("Load = %+v", ms)
	}
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/m.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Twice: the second run applies nothing (ALTER TABLE would fail if run again).
	for i := 0; i < 2; i++ {
		if err := migrate.Apply(ctx, db, ms, record); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("schema_migrations has %d rows (%v), want 2", n, err)
	}
	if _, err := db.Exec(`INSERT INTO t (a, b) VALUES (1, 'x')`); err != nil {
		t.Fatalf("schema not migrated: %v", err)
	}
	// A program knowing only the first migration refuses the newer database.
	err = migrate.Apply(ctx, db, ms[:1], record)
	if err == nil || !strings.Contains(err.Error(), "newer than this program knows") {
		t.Fatalf("older program: err = %v", err)
	}
	// A failing migration leaves nothing recorded.
	bad := append(ms, migrate.Migration{Version: 3, Name: "0003_bad", SQL: `CREATE TABLE t (a INTEGER);`})
	if err := migrate.Apply(ctx, db, bad, record); err == nil || !strings.Contains(err.Error(), "0003_bad") {
		t.Fatalf("bad migration: err = %v", err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("after a failed migration schema_migrations has %d rows, want 2", n)
	}
}

func TestLoadRejectsBadNames(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"unnumbered": {"m/init.sql": {Data: []byte(`x`)}},
		"gap":        {"m/0001_a.sql": {Data: []byte(`x`)}, "m/0003_c.sql": {Data: []byte(`x`)}},
	} {
		if _, err := migrate.Load(fsys, "m/*.sql"); err == nil {
			t.Errorf("%s: Load accepted it", name)
		}
	}
}
