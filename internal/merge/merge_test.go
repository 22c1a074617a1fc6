package merge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

func TestMergeRollCall(t *testing.T) {
	d := time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC)
	stored := concord.RollCall{RCID: 1, Session: 54, Resolution: "R/54/1", Important: concord.FlagFalse,
		Short: "s", Issues: []concord.Issue{concord.IssueNuclear}}
	in := concord.RollCall{RCID: 1, Session: 54, Date: d, Resolution: "R/54/1", Important: concord.FlagUnknown,
		Amend: concord.FlagTrue, Para: concord.FlagFalse, Descr: "d",
		Issues: []concord.Issue{concord.IssueEconomic, concord.IssueMiddleEast, concord.IssueNuclear}}
	got, changed, added, warns := MergeRollCall(stored, in, "x")
	want := concord.RollCall{RCID: 1, Session: 54, Date: d, Resolution: "R/54/1", Important: concord.FlagFalse,
		Amend: concord.FlagTrue, Para: concord.FlagFalse, Short: "s", Descr: "d",
		Issues: []concord.Issue{concord.IssueMiddleEast, concord.IssueNuclear, concord.IssueEconomic}}
	if fmt.Sprint(got) != fmt.Sprint(want) || !changed || len(warns) != 0 {
		t.Errorf("merge = %+v, %v, %q\nwant %+v", got, changed, warns, want)
	}
	if !slices.Equal(added, []concord.Issue{concord.IssueMiddleEast, concord.IssueEconomic}) {
		t.Errorf("added %v", added)
	}
	if !slices.Equal(stored.Issues, []concord.Issue{concord.IssueNuclear}) {
		t.Errorf("MergeRollCall changed its argument: %v", stored.Issues)
	}

	// Merging what is stored, or a subset of it, changes nothing.
	for _, sub := range []concord.RollCall{want, {RCID: 1}, {RCID: 1, Short: "s", Issues: []concord.Issue{concord.IssueNuclear}}} {
		if _, changed, _, warns := MergeRollCall(want, sub, "x"); changed || len(warns) != 0 {
			t.Errorf("merging %+v: changed %v, warnings %q", sub, changed, warns)
		}
	}

	// Every conflicting field keeps the stored value with a warning.
	other := concord.RollCall{RCID: 1, Session: 55, Date: d.AddDate(0, 0, 1), Resolution: "R/55/1",
		Important: concord.FlagTrue, Amend: concord.FlagFalse, Para: concord.FlagTrue, Short: "t", Descr: "e"}
	got, changed, _, warns = MergeRollCall(want, other, "f.csv:3:1: roll call 1")
	if changed || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("conflicts changed the roll call: %+v", got)
	}
	if len(warns) != 8 {
		t.Fatalf("%d warnings, want 8: %q", len(warns), warns)
	}
	for i, w := range []string{"session 55 differs from stored 54", "date 2000-01-03 differs from stored 2000-01-02",
		`resolution "R/55/1" differs from stored "R/54/1"`, "important true differs from stored false",
		"amend false differs from stored true", "para true differs from stored false",
		`short description "t" differs from stored "s"`, `description "e" differs from stored "d"`} {
		if !strings.HasPrefix(warns[i], "f.csv:3:1: roll call 1: "+w) {
			t.Errorf("warning %d = %q, want %q", i, warns[i], w)
		}
	}
}

// fakeSource is a store of the given roll calls and votes.
type fakeSource struct {
	rcs   map[int]concord.RollCall
	votes map[int]map[string]concord.Vote
	err   error
}

func (f fakeSource) RollCalls(_ context.Context, rcids []int) (map[int]concord.RollCall, error) {
	out := map[int]concord.RollCall{}
	for _, r := range rcids {
		if rc, ok := f.rcs[r]; ok {
			out[r] = rc
		}
	}
	return out, nil
}

func (f fakeSource) Votes(_ context.Context, rcid int, fn func(string, concord.Vote)) error {
	if f.err != nil {
		return f.err
	}
	for s, v := range f.votes[rcid] {
		fn(s, v)
	}
	return nil
}

func TestPrepare(t *testing.T) {
	ctx := context.Background()
	src := fakeSource{
		rcs:   map[int]concord.RollCall{10: {RCID: 10, Session: 1}},
		votes: map[int]map[string]concord.Vote{10: {"USA": concord.Yes}},
	}
	ds := &concord.Dataset{
		RollCalls: []concord.RollCall{{RCID: 12, Session: 2}, {RCID: 11, Session: 2}, {RCID: 10, Session: 1, Short: "x"}},
		Votes: []concord.VoteRecord{
			{RCID: 12, State: "FRA", Vote: concord.No}, {RCID: 10, State: "USA", Vote: concord.Yes},
			{RCID: 11, State: "FRA", Vote: concord.Yes}, {RCID: 10, State: "FRA", Vote: concord.Absent},
			{RCID: 12, State: "USA", Vote: concord.Yes}, {RCID: 12, State: "FRA", Vote: concord.No},
		},
	}
	p, err := Prepare(ctx, ds, src)
	if err != nil {
		t.Fatal(err)
	}
	// Votes are grouped by roll call in RCID order, in dataset order within one.
	if !slices.Equal(p.Order, []int32{1, 3, 2, 0, 4, 5}) {
		t.Errorf("Order = %v", p.Order)
	}
	if !slices.Equal(p.New, []bool{false, true, true, true, true, false}) {
		t.Errorf("New = %v", p.New)
	}
	if p.Stats.VotesAdded != 4 || p.Stats.VotesUnchanged != 2 || p.Stats.RollCallsAdded != 2 || p.Stats.RollCallsUpdated != 1 {
		t.Errorf("stats %+v", p.Stats)
	}
	if len(p.Insert) != 2 || p.Insert[0].RCID != 11 || p.Insert[1].RCID != 12 || p.Update[0].RollCall.Short != "x" {
		t.Errorf("Insert %v, Update %v", p.Insert, p.Update)
	}

	// The store's errors are returned as they are.
	boom := errors.New("disk on fire")
	if _, err := Prepare(ctx, ds, fakeSource{rcs: src.rcs, err: boom}); !errors.Is(err, boom) {
		t.Errorf("source error: got %v", err)
	}
	if _, err := Prepare(ctx, nil, src); err == nil {
		t.Error("nil dataset accepted")
	}
}

func TestPrepareReportsFirstErrorsInDatasetOrder(t *testing.T) {
	ds := &concord.Dataset{RollCalls: []concord.RollCall{{RCID: 1}}}
	for i := range 25 {
		// Later lines are on smaller rcids, so dataset order differs from rcid order.
		ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: 1000 - i, State: "USA", Vote: concord.Yes,
			Pos: concord.Pos{File: "v.csv", Line: i + 2, Column: 1}})
	}
	ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: 1, State: "USA", Vote: concord.Yes},
		concord.VoteRecord{RCID: 1, State: "USA", Vote: concord.No})
	_, err := Prepare(context.Background(), ds, fakeSource{})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[MaxErrors] != "and 16 more errors" {
		t.Fatalf("error has %d lines: %q", len(lines), lines)
	}
	for i := range MaxErrors {
		if want := fmt.Sprintf("v.csv:%d:1: vote of USA on roll call %d: no such roll call", i+2, 1000-i); !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want %q", i, lines[i], want)
		}
	}
	// A conflict inside a dataset read from no file names the votes by index.
	ds.Votes = ds.Votes[25:]
	_, err = Prepare(context.Background(), ds, fakeSource{})
	if err == nil || err.Error() != "dataset vote 1: vote no of USA on roll call 1 conflicts: the same dataset has yes" {
		t.Errorf("got %v", err)
	}
}

func TestValidState(t *testing.T) {
	for code, want := range map[string]bool{"USA": true, "GFR": true, "NA": true, "": false, "U\x1eS": false, "A\nB": false, "Côte": true} {
		if ValidState(code) != want {
			t.Errorf("ValidState(%q) = %v", code, !want)
		}
	}
}

func TestFilesAndSummary(t *testing.T) {
	ds := &concord.Dataset{
		RollCalls:   []concord.RollCall{{RCID: 1}},
		RollCallPos: map[int]concord.Pos{1: {File: "rc.csv", Line: 2}},
		Votes:       []concord.VoteRecord{{Pos: concord.Pos{File: "v.csv"}}, {Pos: concord.Pos{File: "v.csv"}}, {Pos: concord.Pos{File: "rc.csv"}}},
	}
	if f := Files(ds); !slices.Equal(f, []string{"rc.csv", "v.csv"}) {
		t.Errorf("Files = %v", f)
	}
	s := Summary(ds, concord.ImportStats{RollCallsAdded: 1, VotesAdded: 3, Warnings: []string{"w"}})
	if s != "rc.csv, v.csv: 1 roll calls added, 0 updated, 3 votes added, 0 unchanged, 1 warnings" {
		t.Errorf("Summary = %q", s)
	}
}
