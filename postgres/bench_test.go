package postgres_test

import (
	"testing"

	"github.com/concord-project/concord/agreements"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/internal/testdata"
)

// BenchmarkRegistry measures list and filter queries on the full GGO import plus 50,000 commitments.
func BenchmarkRegistry(b *testing.B) {
	reg, _, err := agreements.Read(testdata.File(b, "agreements/ggo_agreements.csv.gz"), testdata.File(b, "agreements/ggo_parties.csv.gz"))
	if err != nil {
		b.Fatal(err)
	}
	storetest.BenchRegistry(b, open(b), reg.Agreements)
}
