package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/pgtest"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/postgres"
)

func open(t testing.TB) *postgres.DB {
	db, err := postgres.Open(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestRegistryConformance(t *testing.T) {
	storetest.RunRegistry(t, func(t *testing.T) concord.Registry { return open(t) })
}

func TestMigrationsOnceAndVersion(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) < 3 {
		t.Fatalf("migration files: %v %v", files, err)
	}
	for range 2 { // reopening applies nothing twice
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(ctx)
		db.Close()
		if err != nil || v != len(files) {
			t.Fatalf("schema version %d, %v; want %d", v, err, len(files))
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db": "postgres://u:xxxxx@h:5432/db",
		"postgres://postgres@h/db":      "postgres://postgres@h/db",
		"host=h user=u":                 "host=h user=u",
	} {
		if got := postgres.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
