package regsql_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/migrate"
	"github.com/concord-project/concord/internal/pgtest"
	"github.com/concord-project/concord/internal/regsql"
	"github.com/concord-project/concord/internal/sqlq"
	"github.com/concord-project/concord/internal/storetest"
	_ "github.com/concord-project/concord/postgres" // driver "pgx"
	_ "github.com/concord-project/concord/sqlite"   // driver "sqlite"
)

// TestChangesAgreementMigration populates a registry's history as it was
// written before changes had an agreement_id (SQLite migration 0011,
// PostgreSQL 0006), applies the migration and checks that each agreement's
// history then holds its own changes and its commitments' (a deleted
// commitment's too, and none of users' or other agreements'), that the
// store's writes continue it without giving a deleted commitment's id again,
// and that applying the migration again (as on a database whose record of
// migrations was rolled back) derives the same.
func TestChangesAgreementMigration(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			var db *sql.DB
			var err error
			dir, record := "../../sqlite/migrations", `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`
			if backend == "sqlite" {
				db, err = sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "old.db")+"?_pragma=foreign_keys(1)")
			} else {
				dir, record = "../../postgres/migrations", sqlq.Dollar(record)
				db, err = sql.Open("pgx", pgtest.NewDatabase(t))
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ms, err := migrate.Load(os.DirFS(dir), "*.sql")
			if err != nil {
				t.Fatal(err)
			}
			cut := slices.IndexFunc(ms, func(m migrate.Migration) bool { return strings.HasSuffix(m.Name, "_changes_agreement") })
			if cut < 0 {
				t.Fatalf("no migration of %s is named changes_agreement", dir)
			}
			last := ms[cut]
			if err := migrate.Apply(ctx, db, ms[:cut], record); err != nil {
				t.Fatal(err)
			}
			q := func(s string) string {
				if backend == "postgres" {
					return sqlq.Dollar(s)
				}
				return s
			}
			// The history as the store wrote it before: the JSON of each record, no agreement_id.
			at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			write := func(entity, id, action string, version int, who string, before, after any) {
				t.Helper()
				enc := func(v any) string {
					if v == nil {
						return ""
					}
					b, _ := json.Marshal(v)
					return string(b)
				}
				if _, err := db.ExecContext(ctx, q(`INSERT INTO changes (entity, entity_id, action, version, who, at, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
					entity, id, action, version, who, at.Format(time.RFC3339Nano), enc(before), enc(after)); err != nil {
					t.Fatal(err)
				}
			}
			as := storetest.SampleAgreements()
			a, k := as[0], as[1]
			c1 := concord.Commitment{ID: 1, AgreementID: a.ID, Text: "Joint lab", Responsible: "FRA", Status: concord.CommitmentNotStarted, Version: 1}
			c1b := c1
			c1b.Status, c1b.Version = concord.CommitmentDone, 2
			c2 := concord.Commitment{ID: 2, AgreementID: k.ID, Text: "Cut emissions", Status: concord.CommitmentNotStarted, Version: 1}
			write("user", "ada", "create", 1, "ada", nil, concord.User{Name: "ada", Role: concord.RoleAdmin})
			write("agreement", a.ID, "create", 1, "eve", nil, a)
			write("agreement", k.ID, "create", 1, "eve", nil, k)
			write("commitment", "1", "create", 1, "eve", nil, c1)
			write("commitment", "2", "create", 1, "eve", nil, c2)
			write("commitment", "1", "update", 2, "eve", c1, c1b)
			write("commitment", "1", "delete", 0, "ada", c1b, nil)
			write("agreement", k.ID, "delete", 0, "ada", k, nil)
			write("commitment", "2", "delete", 0, "ada", c2, nil) // as DeleteAgreement records them: the commitments first
			if backend == "postgres" {                            // ids 1 and 2 were taken from the sequence
				if _, err := db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('commitments', 'id'), 2)`); err != nil {
					t.Fatal(err)
				}
			}
			if err := migrate.Apply(ctx, db, ms, record); err != nil {
				t.Fatalf("migration %s on a populated history: %v", last.Name, err)
			}
			s := regsql.New(db, backend == "postgres")
			check := func(id, want string) {
				t.Helper()
				h, err := s.AgreementHistory(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range h {
					got = append(got, fmt.Sprintf("%d %s %s %s", c.ID, c.Entity, c.EntityID, c.Action))
				}
				if strings.Join(got, ", ") != want {
					t.Errorf("history of %s after the migration: %q, want %q", id, strings.Join(got, ", "), want)
				}
			}
			wantA := "2 agreement " + a.ID + " create, 4 commitment 1 create, 6 commitment 1 update, 7 commitment 1 delete"
			wantK := "3 agreement " + k.ID + " create, 5 commitment 2 create, 8 agreement " + k.ID + " delete, 9 commitment 2 delete"
			check(a.ID, wantA)
			check(k.ID, wantK)
			check("ada", "")
			if all, err := s.History(ctx, "", ""); err != nil || len(all) != 9 {
				t.Fatalf("all changes after the migration: %d, %v; want the 9 written", len(all), err)
			}

			// Applied again on a database that has the column, it derives the same.
			if _, err := db.ExecContext(ctx, q(`DELETE FROM schema_migrations WHERE version = ?`), last.Version); err != nil {
				t.Fatal(err)
			}
			if err := migrate.Apply(ctx, db, ms, record); err != nil {
				t.Fatalf("migration %s applied again: %v", last.Name, err)
			}
			check(a.ID, wantA)
			check(k.ID, wantK)

			// The store's writes continue the history, and the ids of the
			// commitments deleted before the migration are not given again.
			s.Now = func() time.Time { return at }
			if _, err := s.ImportAgreements(ctx, storetest.Admin, []concord.Agreement{a}, []concord.Commitment{{AgreementID: a.ID, Text: "Exchange", Status: concord.CommitmentDone}}); err != nil {
				t.Fatal(err)
			}
			h, err := s.AgreementHistory(ctx, a.ID)
			if err != nil || len(h) != 6 || h[4].Entity != "agreement" || h[4].Action != "create" || h[5].Entity != "commitment" || h[5].Action != "create" || h[5].EntityID != "3" {
				t.Fatalf("history of %s after an import: %+v, %v", a.ID, h, err)
			}
		})
	}
}
