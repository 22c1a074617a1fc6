package regsql_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/pgtest"
	"github.com/concord-project/concord/internal/regsql"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/postgres"
	"github.com/concord-project/concord/sqlite"
)

// stores opens n registries over one new database of each backend, as n
// servers (or a server and the CLI) sharing it would.
func stores(t *testing.T, backend string, n int) []*regsql.Store {
	var out []*regsql.Store
	switch backend {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "registry.db")
		for range n {
			db, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			out = append(out, db.Registry())
		}
	case "postgres":
		url := pgtest.NewDatabase(t)
		for range n {
			db, err := postgres.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			out = append(out, db.Store)
		}
	}
	return out
}

// TestCacheUnderConcurrentWrites: two caching stores (two servers) over the
// database a third, uncached one writes to, while writers edit commitments
// through the first and second and readers keep filling both caches. After
// every accepted write, a read through either caching store shows it (the
// commitment at its new version, its text in the timeline), and at the end
// every cached read equals the uncached one.
func TestCacheUnderConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ss := stores(t, backend, 3)
			plain, b, c := ss[0], ss[1], ss[2]
			b.EnableCache(64)
			c.EnableCache(64)
			cs := []concord.Commitment{
				{AgreementID: "DEU-FRA_2001A", Text: "Exchange researchers", Responsible: "DEU", Due: "2005-12-31", Status: concord.CommitmentInProgress},
				{AgreementID: "DEU-FRA_2001A", Text: "Open a joint laboratory", Responsible: "FRA", Due: "2010-06-30", Status: concord.CommitmentInProgress},
				{AgreementID: "KYOTO_1997P", Text: "Cut emissions", Responsible: "DEU", Due: "2012-12-31", Status: concord.CommitmentNotStarted},
			}
			if _, err := plain.ImportAgreements(ctx, storetest.Admin, storetest.SampleAgreements(), cs); err != nil {
				t.Fatal(err)
			}
			all, err := plain.Commitments(ctx, concord.CommitmentFilter{})
			if err != nil || len(all) != 3 {
				t.Fatalf("commitments %v, %v", all, err)
			}
			reads := func(s *regsql.Store) (string, error) {
				var out []string
				for _, f := range []concord.CommitmentFilter{{AgreementID: "DEU-FRA_2001A"}, {Parties: []string{"FRA", "DEU"}}, {}} {
					got, err := s.Commitments(ctx, f)
					if err != nil {
						return "", err
					}
					out = append(out, fmt.Sprint(got))
				}
				tl, total, err := s.TimelinePage(ctx, "FRA", "DEU", 0, 0)
				if err != nil {
					return "", err
				}
				as, err := s.Agreements(ctx, concord.AgreementFilter{Parties: []string{"DEU"}, WithParties: true})
				if err != nil {
					return "", err
				}
				return strings.Join(append(out, fmt.Sprint(tl, total), fmt.Sprint(as)), "\n"), nil
			}

			var stop atomic.Bool
			var wg sync.WaitGroup
			for _, s := range []*regsql.Store{b, c, b, c} { // readers filling the caches at any moment
				wg.Add(1)
				go func() {
					defer wg.Done()
					for !stop.Load() {
						if _, err := reads(s); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			var writers sync.WaitGroup
			for w, through := range []*regsql.Store{b, c, plain} { // each writer edits its own commitment
				writers.Add(1)
				go func() {
					defer writers.Done()
					id := all[w].ID
					for n := range 25 {
						cur, err := through.Commitment(ctx, id)
						if err != nil {
							t.Error(err)
							return
						}
						cur.Text = fmt.Sprintf("writer %d, edit %d", w, n)
						done, err := through.UpdateCommitment(ctx, storetest.Editor, cur)
						if err != nil {
							t.Errorf("writer %d: %v", w, err)
							return
						}
						for _, s := range []*regsql.Store{b, c} {
							got, err := s.Commitment(ctx, id)
							if err != nil || got.Version != done.Version || got.Text != cur.Text {
								t.Errorf("writer %d, edit %d: read back %+v, %v; want version %d", w, n, got, err, done.Version)
								return
							}
							list, err := s.Commitments(ctx, concord.CommitmentFilter{AgreementID: all[w].AgreementID})
							if err != nil || !strings.Contains(fmt.Sprint(list), cur.Text) {
								t.Errorf("writer %d, edit %d: the list lacks %q: %v, %v", w, n, cur.Text, list, err)
								return
							}
							if all[w].AgreementID != "DEU-FRA_2001A" {
								continue
							}
							tl, _, err := s.TimelinePage(ctx, "DEU", "FRA", 0, 0)
							if err != nil || !strings.Contains(fmt.Sprint(tl), "commitment-due: "+cur.Text) {
								t.Errorf("writer %d, edit %d: the timeline lacks %q: %v, %v", w, n, cur.Text, tl, err)
								return
							}
						}
					}
				}()
			}
			writers.Wait()
			stop.Store(true)
			wg.Wait()
			want, err := reads(plain)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range []*regsql.Store{b, c} {
				if got, err := reads(s); err != nil || got != want {
					t.Errorf("caching store %d at the end:\n%s\nuncached:\n%s\n%v", i+1, got, want, err)
				}
			}
			// A cached result handed out is the caller's: changing it changes nothing cached.
			as, _ := b.Agreements(ctx, concord.AgreementFilter{Parties: []string{"DEU"}})
			as[0].Title = "changed by a caller"
			again, _ := b.Agreements(ctx, concord.AgreementFilter{Parties: []string{"DEU"}})
			if again[0].Title == "changed by a caller" {
				t.Error("a caller's change to a cached result is seen by the next read")
			}
			plainAs, _ := plain.Agreements(ctx, concord.AgreementFilter{Parties: []string{"DEU"}})
			if !reflect.DeepEqual(again, plainAs) {
				t.Error("cached agreements differ from uncached ones")
			}
		})
	}
}
