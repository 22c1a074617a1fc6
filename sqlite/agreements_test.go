package sqlite_test

import (
	"path/filepath"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/sqlite"
)

func TestRegistryConformance(t *testing.T) {
	storetest.RunRegistry(t, func(t *testing.T) concord.Registry {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "r.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db.Registry()
	})
}
