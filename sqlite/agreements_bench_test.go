package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/concord-project/concord/agreements"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/sqlite"
)

// BenchmarkRegistry measures list and filter queries on the full GGO import plus 50,000 commitments.
func BenchmarkRegistry(b *testing.B) {
	reg, _, err := agreements.Read(testdata.File(b, "agreements/ggo_agreements.csv.gz"), testdata.File(b, "agreements/ggo_parties.csv.gz"))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	storetest.BenchRegistry(b, db.Registry(), reg.Agreements)
}
