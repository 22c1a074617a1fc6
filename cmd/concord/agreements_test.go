package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/pgtest"
	"github.com/concord-project/concord/internal/testdata"
)

func ggo(t testing.TB) []string {
	return []string{testdata.File(t, "agreements/ggo_agreements.csv.gz"), testdata.File(t, "agreements/ggo_parties.csv.gz")}
}

func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, errOut, err := run(t, args...)
	if err != nil {
		t.Fatalf("concord %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func listJSON(t testing.TB, db string, args ...string) []concord.Agreement {
	t.Helper()
	var as []concord.Agreement
	out := mustRun(t, append([]string{"agreements", "list", "--db", db, "--format", "json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &as); err != nil {
		t.Fatalf("list JSON: %v", err)
	}
	return as
}

type importOut struct {
	Read struct {
		Agreements int `json:"agreements"`
		PartyRows  int `json:"party_rows"`
		Parties    int `json:"parties"`
	} `json:"read"`
	Stored concord.AgreementImportStats `json:"stored"`
}

func importJSON(t testing.TB, db string, files ...string) importOut {
	t.Helper()
	var r importOut
	out := mustRun(t, append([]string{"agreements", "import", "--db", db, "--format", "json"}, files...)...)
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("import JSON %q: %v", out, err)
	}
	return r
}

// checkRealRegistry runs the same checks of the real GGO import on any store.
func checkRealRegistry(t *testing.T, db string, reimport bool) {
	files := ggo(t)
	// A bad extra file makes the whole import fail and stores nothing.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte(`"treatyID","Title","TypeAgree"`+"\n"+`"X_1","T","Pact"`+"\n"), 0o644)
	_, _, err := run(t, "agreements", "import", "--db", db, bad, files[0], files[1])
	if err == nil || !strings.Contains(err.Error(), "bad.csv:2:11: TypeAgree") {
		t.Fatalf("import with a bad file: %v", err)
	}
	if n := len(listJSON(t, db)); n != 0 {
		t.Fatalf("a failed import left %d agreements", n)
	}
	r := importJSON(t, db, files...)
	if r.Read.Agreements != 4532 || r.Read.PartyRows != 98320 || r.Stored.Added != 4532 || r.Stored.Parties != r.Read.Parties {
		t.Fatalf("import %+v", r)
	}
	if reimport {
		if again := importJSON(t, db, files...); again.Stored.Unchanged != 4532 || again.Stored.Added+again.Stored.Updated != 0 {
			t.Fatalf("re-import changed things: %+v", again.Stored)
		}
	}
	all := listJSON(t, db)
	parties := 0
	for _, a := range all {
		parties += a.NParties
	}
	if len(all) != 4532 || parties != r.Read.Parties {
		t.Fatalf("listed %d agreements with %d parties, imported 4,532 with %d", len(all), parties, r.Read.Parties)
	}
	// Several --party flags: every one is a party; names resolve through countries/.
	fd := listJSON(t, db, "--party", "France", "--party", "DEU", "--from", "1990", "--to", "1999", "--field", "environment")
	if len(fd) == 0 {
		t.Fatal("no environment agreements of France and Germany in the 1990s")
	}
	for _, a := range fd {
		if a.Year() < 1990 || a.Year() > 1999 || !strings.Contains(strings.Join(a.Fields, " "), "environment") {
			t.Fatalf("%s (%s, %v) passed the filter", a.ID, a.Signed, a.Fields)
		}
	}
	var show struct {
		concord.Agreement
		Commitments []concord.Commitment `json:"commitments"`
	}
	json.Unmarshal([]byte(mustRun(t, "agreements", "show", fd[0].ID, "--db", db, "--format", "json")), &show)
	if !show.HasParty("FRA") || !show.HasParty("DEU") || show.NParties != len(show.Parties) {
		t.Fatalf("show %s: parties %v", fd[0].ID, show.Parties)
	}
	bil := listJSON(t, db, "--party", "ESP", "--party", "GBR", "--to", "1400")
	if len(bil) == 0 || bil[0].ID != "ESP-GBR_1351A" || bil[0].NParties != 2 {
		t.Fatalf("ESP-GBR before 1400: %+v", bil)
	}
	if _, _, err := run(t, "agreements", "list", "--db", db, "--party", "Atlantis"); err == nil || !strings.Contains(err.Error(), "--party Atlantis") {
		t.Fatalf("unknown state: %v", err)
	}
}

func TestAgreementsRealImportSQLite(t *testing.T) {
	checkRealRegistry(t, filepath.Join(t.TempDir(), "c.db"), true)
}

func TestAgreementsRealImportPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	db := pgtest.NewDatabase(t)
	// Bootstrap the first admin, then act through a token.
	t.Setenv("CONCORD_NEW_PASSWORD", "first admin pass")
	mustRun(t, "users", "add", "ada", "--db", db)
	t.Setenv("CONCORD_PASSWORD", "first admin pass")
	secret := strings.TrimSpace(mustRun(t, "users", "token", "create", "ada", "--as", "ada", "--db", db))
	t.Setenv("CONCORD_PASSWORD", "")
	t.Setenv("CONCORD_TOKEN", "")
	if _, _, err := run(t, "agreements", "import", "--db", db, ggo(t)[0], ggo(t)[1]); !errors.Is(err, concord.ErrUnauthorized) {
		t.Fatalf("import on PostgreSQL without a user: %v", err)
	}
	t.Setenv("CONCORD_TOKEN", secret)
	checkRealRegistry(t, db, false) // re-import is checked on SQLite; the store code is shared
}

// TestCommitmentsUsersAndExport drives the registry through the CLI: users and
// roles, commitments due and overdue, a stale update refused, history, and an
// export that imports into a new store unchanged.
func TestCommitmentsUsersAndExport(t *testing.T) {
	db, dir := newRegistryDB(t, scienceAgreementRows("France")...)

	t.Setenv("CONCORD_NEW_PASSWORD", "a long passphrase")
	mustRun(t, "users", "add", "ada", "--role", "admin", "--db", db)
	mustRun(t, "users", "add", "vic", "--role", "viewer", "--db", db, "--as", "ada")
	if _, _, err := run(t, "users", "add", "eve", "--role", "editor", "--db", db, "--as", "vic"); !errors.Is(err, concord.ErrForbidden) {
		t.Fatalf("viewer adding a user: %v", err)
	}
	mustRun(t, "users", "add", "eve", "--role", "editor", "--db", db, "--as", "ada")
	if _, _, err := run(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "x", "--db", db, "--as", "vic"); !errors.Is(err, concord.ErrForbidden) {
		t.Fatalf("viewer adding a commitment: %v", err)
	}
	mustRun(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "Joint lab", "--responsible", "France", "--due", "2024-06-30", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "Exchange", "--responsible", "DEU", "--due", "2024-09-01", "--status", "done", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "Report", "--due", "2024-07-15", "--db", db, "--as", "eve")

	var overdue, due struct{ Commitments []concord.Commitment }
	json.Unmarshal([]byte(mustRun(t, "commitments", "overdue", "--as-of", "2024-07-01", "--db", db, "--format", "json")), &overdue)
	json.Unmarshal([]byte(mustRun(t, "commitments", "due", "--as-of", "2024-07-01", "--within", "90", "--db", db, "--format", "json")), &due)
	if len(overdue.Commitments) != 1 || overdue.Commitments[0].Text != "Joint lab" || overdue.Commitments[0].Responsible != "FRA" {
		t.Fatalf("overdue on 2024-07-01: %+v", overdue.Commitments)
	}
	if len(due.Commitments) != 1 || due.Commitments[0].Text != "Report" { // Exchange is done
		t.Fatalf("due within 90 days of 2024-07-01: %+v", due.Commitments)
	}
	id := "1"
	mustRun(t, "commitments", "update", id, "--status", "done", "--progress", "100", "--version", "1", "--db", db, "--as", "eve")
	if _, _, err := run(t, "commitments", "update", id, "--notes", "stale", "--version", "1", "--db", db, "--as", "ada"); !errors.Is(err, concord.ErrConflict) {
		t.Fatalf("update at a stale version: %v", err)
	}
	var rates []struct {
		Key  string
		Rate float64
	}
	json.Unmarshal([]byte(mustRun(t, "agreements", "rates", "--by", "pair", "--party", "FRA", "--party", "DEU", "--db", db, "--format", "json")), &rates)
	if len(rates) != 1 || rates[0].Key != "DEU-FRA" || rates[0].Rate != 2.0/3 {
		t.Fatalf("rate of DEU-FRA: %+v", rates)
	}
	var hist []concord.Change
	json.Unmarshal([]byte(mustRun(t, "commitments", "history", id, "--db", db, "--format", "json")), &hist)
	if len(hist) != 2 || hist[1].Who != "eve" || !strings.Contains(hist[1].Before, `"not-started"`) || !strings.Contains(hist[1].After, `"done"`) {
		t.Fatalf("history of commitment 1: %+v", hist)
	}

	// Add by hand, delete only as admin at the current version.
	mustRun(t, "agreements", "add", "--id", "DEU-FRA_2024M", "--title", "MoU on Hydrogen", "--kind", "MoU", "--field", "energy",
		"--party", "France", "--party", "Germany", "--signed", "2024-05-28", "--db", db, "--as", "eve")
	if got := listJSON(t, db, "--party", "FRA", "--kind", "mou"); len(got) != 1 || got[0].ID != "DEU-FRA_2024M" || got[0].NParties != 2 {
		t.Fatalf("added MoU: %+v", got)
	}
	if _, _, err := run(t, "agreements", "delete", "DEU-FRA_2024M", "--version", "1", "--db", db, "--as", "eve"); !errors.Is(err, concord.ErrForbidden) {
		t.Fatalf("editor deleting: %v", err)
	}
	if _, _, err := run(t, "agreements", "delete", "DEU-FRA_2024M", "--version", "2", "--db", db, "--as", "ada"); !errors.Is(err, concord.ErrConflict) {
		t.Fatalf("delete at a wrong version: %v", err)
	}
	mustRun(t, "agreements", "delete", "DEU-FRA_2024M", "--version", "1", "--db", db, "--as", "ada")
	if got := listJSON(t, db, "--kind", "mou"); len(got) != 0 {
		t.Fatalf("after delete: %+v", got)
	}

	// Export, import into a new store, export again: the same registry.
	exp := mustRun(t, "agreements", "export", "--db", db)
	expFile := filepath.Join(dir, "exp.json")
	os.WriteFile(expFile, []byte(exp), 0o644)
	db2 := filepath.Join(dir, "c2.db")
	mustRun(t, "agreements", "import", expFile, "--db", db2)
	csv1 := mustRun(t, "agreements", "export", "--format", "csv", "--db", db)
	csv2 := mustRun(t, "agreements", "export", "--format", "csv", "--db", db2)
	if csv1 != csv2 || !strings.Contains(csv1, "DEU-FRA_2001A,Science Agreement") {
		t.Fatalf("CSV exports differ:\n%s\n%s", csv1, csv2)
	}
	var r2 struct{ Commitments []concord.Commitment }
	json.Unmarshal([]byte(mustRun(t, "agreements", "export", "--db", db2)), &r2)
	if len(r2.Commitments) != 3 {
		t.Fatalf("commitments after the round trip: %+v", r2.Commitments)
	}
	// Importing the export again adds no commitment twice.
	mustRun(t, "agreements", "import", expFile, "--db", db2)
	json.Unmarshal([]byte(mustRun(t, "agreements", "export", "--db", db2)), &r2)
	if len(r2.Commitments) != 3 {
		t.Fatalf("re-import duplicated commitments: %d", len(r2.Commitments))
	}
}
