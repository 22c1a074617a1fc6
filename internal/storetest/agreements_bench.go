package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

// GenCommitments returns n commitments spread over the agreements with due
// dates in 2000–2029 and every status, from a fixed seed.
func GenCommitments(as []concord.Agreement, n int) []concord.Commitment {
	r := rand.New(rand.NewPCG(6, 6))
	cs := make([]concord.Commitment, n)
	for i := range cs {
		a := as[r.IntN(len(as))]
		resp := ""
		if len(a.Parties) > 0 {
			if p := a.Parties[r.IntN(len(a.Parties))]; !p.NonState {
				resp = p.State
			}
		}
		cs[i] = concord.Commitment{AgreementID: a.ID, Text: fmt.Sprintf("commitment %d", i), Responsible: resp,
			Due:    time.Date(2000+r.IntN(30), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format("2006-01-02"),
			Status: concord.CommitmentStatuses[r.IntN(len(concord.CommitmentStatuses))], Progress: r.IntN(101)}
	}
	return cs
}

// BenchRegistry imports as plus 50,000 generated commitments into reg, then
// measures the queries an API list page makes, reporting the 99th percentile
// of each as p99-ms.
func BenchRegistry(b *testing.B, reg concord.Registry, as []concord.Agreement) {
	ctx := context.Background()
	t0 := time.Now()
	if _, err := reg.ImportAgreements(ctx, Admin, as, GenCommitments(as, 50000)); err != nil {
		b.Fatal(err)
	}
	b.Logf("import of %d agreements and 50,000 commitments: %v", len(as), time.Since(t0))
	for _, c := range []struct {
		name string
		fn   func() error
	}{
		{"ListFirstPage", func() error { _, err := reg.Agreements(ctx, concord.AgreementFilter{Limit: 50}); return err }},
		{"ListPage40", func() error {
			_, err := reg.Agreements(ctx, concord.AgreementFilter{Limit: 50, Offset: 2000})
			return err
		}},
		{"PairFRA-DEU", func() error {
			_, err := reg.Agreements(ctx, concord.AgreementFilter{Parties: []string{"FRA", "DEU"}, Limit: 50})
			return err
		}},
		{"PairFieldPeriod", func() error {
			_, err := reg.Agreements(ctx, concord.AgreementFilter{Parties: []string{"USA", "CAN"}, Field: "environment", From: 1990, To: 2020, Limit: 50})
			return err
		}},
		{"Show", func() error { _, err := reg.Agreement(ctx, as[len(as)/2].ID); return err }},
		{"CommitmentsOverdue", func() error {
			_, err := reg.Commitments(ctx, concord.CommitmentFilter{OverdueOn: "2026-01-01", Limit: 50})
			return err
		}},
		{"CommitmentsOfPair", func() error {
			_, err := reg.Commitments(ctx, concord.CommitmentFilter{Parties: []string{"FRA", "DEU"}, Limit: 50})
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				t := time.Now()
				if err := c.fn(); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
