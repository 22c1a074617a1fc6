package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "concord.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) concord.VoteStore { return openTemp(t) })
}

// dump returns every row of every table, so that tests can tell whether
// anything at all changed.
func dump(t testing.TB, db *DB) string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.sql.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tb := range tables {
		fmt.Fprintf(&b, "table %s\n", tb)
		rows, err := db.sql.QueryContext(ctx, `SELECT * FROM `+tb+` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%#v\n", vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b c", "x?y#z.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created where asked: %v", err)
	}
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": fmt.Sprint(BusyTimeout.Milliseconds()),
	} {
		var got string
		if err := db.sql.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
		}
	}
	ms, _ := migrations()
	if v, err := db.SchemaVersion(ctx); err != nil || v != len(ms) || v < 1 {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, len(ms))
	}
	// Foreign keys are enforced.
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO votes (rcid, state, vote) VALUES (1, 'USA', 1)`); err == nil {
		t.Error("a vote on a missing roll call was accepted")
	}
	ds := storetest.Generate(storetest.Gen{RollCalls: 10, States: 10})
	if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	db.Close()

	// Reopening applies no migration again and keeps the data.
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if after := dump(t, db); after != before {
		t.Errorf("reopening changed the database:\n%s\nwas\n%s", after, before)
	}
	var n int
	db.sql.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}
	// A database from a newer concord is refused.
	if _, err := db.sql.Exec(`INSERT INTO schema_migrations VALUES (999, '0999_future', '2100-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err := Open(path); err == nil || !strings.Contains(err.Error(), "schema version 999 is newer") {
		if db != nil {
			db.Close()
		}
		t.Errorf("Open of a newer schema: err = %v", err)
	}
	// A file that is not a database is refused, naming it.
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a database\n", 500)), 0o644)
	if db, err := Open(junk); err == nil || !strings.Contains(err.Error(), junk) {
		if db != nil {
			db.Close()
		}
		t.Errorf("Open of a text file: err = %v", err)
	}
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
}

func TestMigrationFiles(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.Version != i+1 || !strings.HasPrefix(m.Name, fmt.Sprintf("%04d_", i+1)) {
			t.Errorf("migration %d is %s", i+1, m.Name)
		}
	}
}

func TestImportLog(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a := storetest.Generate(storetest.Gen{RollCalls: 20, States: 10, File: "votes.csv"})
	st1, err := db.ImportVotes(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := storetest.Generate(storetest.Gen{RollCalls: 20, States: 10, File: "votes.csv"})
	bad.Votes[5].Vote = 7
	if _, err := db.ImportVotes(ctx, bad, nil); err == nil {
		t.Fatal("invalid vote accepted")
	}
	st2, err := db.ImportVotes(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	log, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("%d log entries, want 2 (failed imports are not logged)", len(log))
	}
	if log[0].VotesAdded != st1.VotesAdded || log[0].RollCallsAdded != 20 || log[1].VotesUnchanged != st2.VotesUnchanged ||
		log[1].VotesAdded != 0 {
		t.Errorf("log %+v does not match stats %+v, %+v", log, st1, st2)
	}
	if !strings.Contains(log[0].Summary, "votes.csv") || time.Since(log[0].ImportedAt) > time.Hour {
		t.Errorf("log entry %+v", log[0])
	}
}

// TestErrorsLeaveDatabaseIdentical compares every row of every table, import
// log included, before and after failed imports.
func TestErrorsLeaveDatabaseIdentical(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.ImportVotes(ctx, storetest.Generate(storetest.Gen{RollCalls: 50, States: 30, Complete: true}), nil); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	for name, mutate := range map[string]func(ds *concord.Dataset){
		"conflict at the end": func(ds *concord.Dataset) {
			v := ds.Votes[len(ds.Votes)-1]
			v.Vote = concord.Absent
			if ds.Votes[len(ds.Votes)-1].Vote == concord.Absent {
				v.Vote = concord.Yes
			}
			ds.Votes = append(ds.Votes, v)
		},
		"conflict with the store": func(ds *concord.Dataset) {
			for i, v := range ds.Votes {
				if v.RCID == 50 && v.Vote == concord.Yes {
					ds.Votes[i].Vote = concord.No
					return
				}
			}
		},
		"unknown roll call": func(ds *concord.Dataset) {
			ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: 99999, State: "AAA", Vote: concord.Yes})
		},
	} {
		// Roll calls 40..139: 11 updated, 90 new, thousands of new votes before the bad one.
		ds := storetest.Generate(storetest.Gen{FirstRCID: 40, RollCalls: 100, States: 40})
		mutate(ds)
		if _, err := db.ImportVotes(ctx, ds, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if after := dump(t, db); after != before {
			t.Errorf("%s: the database changed", name)
		}
	}
}

const (
	helperEnv    = "CONCORD_SQLITE_HELPER_DB"
	startedLine  = "import started"
	finishedLine = "import finished"
)

// TestHelperProcess is not a test: TestKilledImport runs the test binary with
// it as a child process that imports a large dataset until it is killed.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process for TestKilledImport")
	}
	db, err := Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	// One connection with a tiny page cache: the import spills uncommitted
	// pages into the write-ahead log long before it could commit.
	db.sql.SetMaxOpenConns(1)
	if _, err := db.sql.Exec(`PRAGMA cache_size = 50`); err != nil {
		fmt.Println("pragma:", err)
		os.Exit(2)
	}
	ds := storetest.Generate(storetest.Gen{FirstRCID: 1, RollCalls: 4000, States: 150, Complete: true})
	said := false
	_, err = db.ImportVotes(context.Background(), ds, func(done, total int) {
		if !said && done*10 > total {
			said = true
			fmt.Println(startedLine)
		}
		if done*2 > total {
			// The parent kills us long before this: never let the
			// import finish, however fast the machine.
			time.Sleep(time.Minute)
		}
	})
	fmt.Println(finishedLine, err)
	os.Exit(0)
}

// TestKilledImport kills a process in the middle of a large import and checks
// that the database is exactly as it was before.
func TestKilledImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a large import in a child process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "killed.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// The child's import overlaps these roll calls and votes, so it fills
	// fields, adds issues and adds votes to existing roll calls.
	if _, err := db.ImportVotes(ctx, storetest.Generate(storetest.Gen{FirstRCID: 1, RollCalls: 300, States: 100}), nil); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	nrc, nv, _ := db.Counts(ctx)
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	started := false
	for lines.Scan() {
		if strings.Contains(lines.Text(), finishedLine) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child finished its import before it was killed: %s", lines.Text())
		}
		if lines.Text() == startedLine {
			started = true
			break
		}
	}
	if !started {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child never reported its import started")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v", err)
	}
	// The import had written uncommitted pages to the write-ahead log when it died.
	fi, err := os.Stat(path + "-wal")
	if err != nil || fi.Size() == 0 {
		t.Fatalf("the killed import left no write-ahead log (%v): the test did not kill it mid-write", err)
	}
	t.Logf("the killed import left a %d-byte write-ahead log", fi.Size())

	db, err = Open(path)
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	defer db.Close()
	var check string
	if err := db.sql.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	if n1, n2, _ := db.Counts(ctx); n1 != nrc || n2 != nv {
		t.Errorf("counts after the kill: %d roll calls, %d votes; want %d, %d", n1, n2, nrc, nv)
	}
	if after := dump(t, db); after != before {
		t.Errorf("the killed import changed the database")
	}
	// The database is usable: the same import now succeeds.
	st, err := db.ImportVotes(ctx, storetest.Generate(storetest.Gen{FirstRCID: 1, RollCalls: 400, States: 100, Complete: true}), nil)
	if err != nil || st.RollCallsAdded != 100 || st.RollCallsUpdated != 300 {
		t.Errorf("import after the kill: %+v, %v", st, err)
	}
}

// TestConcurrentOpen opens one file from two handles that import at once: the
// busy timeout and immediate transactions serialise the writers.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	errs := make(chan error, 2)
	for i, db := range []*DB{a, b} {
		go func() {
			_, err := db.ImportVotes(ctx, storetest.Generate(storetest.Gen{FirstRCID: 1 + 100*i, RollCalls: 150, States: 50}), nil)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if nrc, _, _ := a.Counts(ctx); nrc != 250 {
		t.Errorf("%d roll calls, want 250", nrc)
	}
}
