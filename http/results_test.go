package http

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/report"
	"github.com/concord-project/concord/sqlite"
)

// TestResultsKeptInTheStore checks that the slow analyses (blocs, ideal
// points) computed by one server are read from the store's result cache by
// the next one on the same database, without computing them again, and that
// an import of new votes makes them be computed anew.
func TestResultsKeptInTheStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "concord.db")
	open := func() *sqlite.DB {
		db, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	if _, err := db.ImportVotes(context.Background(), fixtureDataset(fixtureStates), nil); err != nil {
		t.Fatal(err)
	}
	newServer := func(db *sqlite.DB) *Server {
		s := NewServer(db)
		s.CheckInterval = 0
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		return s
	}
	urls := map[string]string{
		"blocs": "/api/v1/blocs?from=2000&to=2009&bootstrap=3",
		"ideal": "/api/v1/ideal?by=year&model=dynamic&states=USA,IRN",
	}
	counts := func(s *Server, kind string) [3]int {
		return [3]int{s.results.counted(kind, "computed"), s.results.counted(kind, "store"), s.results.counted(kind, "memory")}
	}

	first := newServer(db)
	bodies := map[string]string{}
	for kind, url := range urls {
		code, body := serve(first, url)
		if code != 200 {
			t.Fatalf("%s: %d %s", url, code, body)
		}
		bodies[kind] = body
		serve(first, url)
		if c := counts(first, kind); c != [3]int{1, 0, 1} {
			t.Errorf("first server, %s: computed, from store, from memory = %v, want [1 0 1]", kind, c)
		}
	}

	// A restart: a new server on the database opened anew.
	db.Close()
	db = open()
	defer db.Close()
	second := newServer(db)
	for kind, url := range urls {
		code, body := serve(second, url)
		if code != 200 || body != bodies[kind] {
			t.Fatalf("after a restart, %s: %d\n%s\nwant\n%s", url, code, body, bodies[kind])
		}
		if c := counts(second, kind); c != [3]int{0, 1, 0} {
			t.Errorf("after a restart, %s: computed, from store, from memory = %v, want [0 1 0] (read from the store)", kind, c)
		}
	}

	// An import of new votes: the results are computed anew, on the new votes.
	ds := &concord.Dataset{RollCalls: []concord.RollCall{{RCID: 9001, Session: 64, Date: time.Date(2009, 12, 20, 0, 0, 0, 0, time.UTC),
		Resolution: "A/RES/64/999", Short: "A new roll call", Issues: []concord.Issue{concord.IssueMiddleEast}}}}
	for _, st := range fixtureStates {
		ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: 9001, State: st, Vote: concord.No})
	}
	if _, err := db.ImportVotes(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
	for kind, url := range urls {
		code, body := serve(second, url)
		if code != 200 || body == bodies[kind] && kind == "blocs" {
			t.Fatalf("after an import, %s: %d %s", url, code, body)
		}
		if c := counts(second, kind); c[0] != 1 {
			t.Errorf("after an import, %s: computed, from store, from memory = %v, want computed once", kind, c)
		}
	}
	// and kept for the next restart.
	third := newServer(db)
	for kind, url := range urls {
		serve(third, url)
		if c := counts(third, kind); c != [3]int{0, 1, 0} {
			t.Errorf("third server, %s: computed, from store, from memory = %v, want [0 1 0]", kind, c)
		}
	}
}

// TestResultsNotKeptForVotesSinceReplaced checks that a server still on the
// matrix of an older votes version (an import came in before its next check)
// does not store what it computes, which would replace the newer version's
// results; while its version is the store's, it does.
func TestResultsNotKeptForVotesSinceReplaced(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "concord.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportVotes(ctx, fixtureDataset(fixtureStates), nil); err != nil {
		t.Fatal(err)
	}
	s := NewServer(db)
	s.CheckInterval = time.Hour // keeps the first matrix
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	stored := func(by ideal.Period, version int64) bool {
		var r ideal.Result
		found, err := db.LoadResult(ctx, "ideal", report.IdealKey(concord.RollCallFilter{}, ideal.Options{By: by, Dynamic: true, Seed: 1}), version, &r)
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	if code, body := serve(s, "/api/v1/ideal?by=year"); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	v1 := s.cache.cur.Load().version
	if !stored(ideal.Year, v1) {
		t.Fatalf("the fit by year was not kept under votes version %d", v1)
	}

	ds := &concord.Dataset{RollCalls: []concord.RollCall{{RCID: 9002, Session: 64, Date: time.Date(2009, 12, 21, 0, 0, 0, 0, time.UTC), Issues: []concord.Issue{concord.IssueHumanRights}}},
		Votes: []concord.VoteRecord{{RCID: 9002, State: "USA", Vote: concord.Yes}, {RCID: 9002, State: "IRN", Vote: concord.No}}}
	if _, err := db.ImportVotes(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if code, body := serve(s, "/api/v1/ideal?by=session"); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if s.cache.cur.Load().version != v1 {
		t.Fatal("the server reloaded: the test needs it on the old matrix")
	}
	if stored(ideal.Session, v1) {
		t.Errorf("a fit on votes version %d was kept after the store moved on", v1)
	}
	if s.results.counted("ideal", "computed") != 2 {
		t.Errorf("fits computed: %d, want 2", s.results.counted("ideal", "computed"))
	}
}
