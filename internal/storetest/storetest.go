package storetest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/merge"
)

// Snapshot describes everything a store holds as seen through the
// concord.VoteStore interface: counts, every roll call and every vote.
func Snapshot(t testing.TB, s concord.VoteStore) string {
	t.Helper()
	ctx := context.Background()
	nrc, nv, err := s.Counts(ctx)
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	rcs, err := s.RollCalls(ctx, concord.RollCallFilter{})
	if err != nil {
		t.Fatalf("RollCalls: %v", err)
	}
	m, err := s.Matrix(ctx)
	if err != nil {
		t.Fatalf("Matrix: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "counts %d %d\n", nrc, nv)
	for _, rc := range rcs {
		fmt.Fprintf(&b, "%s\n", formatRollCall(rc))
	}
	fmt.Fprintf(&b, "states %v\n", m.States)
	h := fnv.New64a()
	for _, v := range m.Votes {
		h.Write([]byte{byte(v)})
	}
	fmt.Fprintf(&b, "matrix %dx%d %x\n", len(m.States), len(m.RollCalls), h.Sum64())
	return b.String()
}

func formatRollCall(rc concord.RollCall) string {
	d := "-"
	if !rc.Date.IsZero() {
		d = rc.Date.Format(time.RFC3339)
	}
	return fmt.Sprintf("%d s=%d d=%s res=%q imp=%d am=%d para=%d short=%q descr=%q issues=%v",
		rc.RCID, rc.Session, d, rc.Resolution, rc.Important, rc.Amend, rc.Para, rc.Short, rc.Descr, rc.Issues)
}

// SortRollCalls sorts rcs as stores return them: by date (undated first), then RCID.
func SortRollCalls(rcs []concord.RollCall) {
	slices.SortFunc(rcs, func(a, b concord.RollCall) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return a.RCID - b.RCID
	})
}

// mustImport imports ds and fails t on error.
func mustImport(t *testing.T, s concord.VoteStore, ds *concord.Dataset) concord.ImportStats {
	t.Helper()
	st, err := s.ImportVotes(context.Background(), ds, nil)
	if err != nil {
		t.Fatalf("ImportVotes: %v", err)
	}
	return st
}

// checkVotes fails t unless the store's matrix holds exactly want (state → rcid → vote).
func checkVotes(t *testing.T, s concord.VoteStore, want map[string]map[int]concord.Vote) {
	t.Helper()
	m, err := s.Matrix(context.Background())
	if err != nil {
		t.Fatalf("Matrix: %v", err)
	}
	n := 0
	for si, st := range m.States {
		for ri, rc := range m.RollCalls {
			got := m.Vote(si, ri)
			if w := want[st][rc.RCID]; got != w {
				t.Fatalf("vote of %s on %d = %s, want %s", st, rc.RCID, got, w)
			}
			if got != concord.VoteMissing {
				n++
			}
		}
	}
	wn := 0
	for _, m := range want {
		wn += len(m)
	}
	if n != wn {
		t.Fatalf("matrix holds %d votes, want %d", n, wn)
	}
}

// Run checks that the stores newStore returns (each empty) keep the rules of
// concord.VoteStore and package internal/merge.
func Run(t *testing.T, newStore func(t *testing.T) concord.VoteStore) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
		rcs := []concord.RollCall{
			{RCID: 7, Session: 1, Date: day(1946, 1, 1), Resolution: "R/1/66", Important: concord.FlagTrue,
				Amend: concord.FlagFalse, Para: concord.FlagUnknown, Short: "short", Descr: "LONG \\\\MEMBERS PRESENT\\\\ <d3> People?Ã†s",
				Issues: []concord.Issue{concord.IssueEconomic, concord.IssueMiddleEast, concord.IssueEconomic}},
			{RCID: 3, Session: 74, Date: day(2020, 1, 14), Important: concord.FlagFalse, Amend: concord.FlagTrue,
				Para: concord.FlagTrue, Descr: "Côte d’Ivoire \"quoted\"\ttab"},
			{RCID: 9001, Session: 2}, // no date, no text, flags unknown
			{RCID: 5, Session: 20, Date: day(1965, 2, 6), Issues: concord.Issues},
		}
		ds := &concord.Dataset{RollCalls: rcs, Votes: []concord.VoteRecord{
			{RCID: 7, State: "USA", Vote: concord.Yes}, {RCID: 7, State: "NAM", Vote: concord.No},
			{RCID: 3, State: "USA", Vote: concord.Abstain}, {RCID: 3, State: "FRA", Vote: concord.Absent},
			{RCID: 9001, State: "FRA", Vote: concord.NonMember}, {RCID: 5, State: "NAM", Vote: concord.Yes},
		}}
		st := mustImport(t, s, ds)
		want := concord.ImportStats{RollCallsAdded: 4, VotesAdded: 6}
		if !reflect.DeepEqual(st, want) {
			t.Errorf("stats = %+v, want %+v", st, want)
		}
		got, err := s.RollCalls(ctx, concord.RollCallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		exp := slices.Clone(rcs)
		exp[0].Issues = []concord.Issue{concord.IssueMiddleEast, concord.IssueEconomic}
		exp[3].Issues = slices.Clone(concord.Issues)
		exp = []concord.RollCall{exp[2], exp[0], exp[3], exp[1]} // undated first, then by date
		if len(got) != len(exp) {
			t.Fatalf("got %d roll calls, want %d", len(got), len(exp))
		}
		for i := range exp {
			if g, w := formatRollCall(got[i]), formatRollCall(exp[i]); g != w {
				t.Errorf("roll call %d:\n got %s\nwant %s", i, g, w)
			}
			if got[i].Date.Location() != time.UTC {
				t.Errorf("roll call %d: date location %v, want UTC", got[i].RCID, got[i].Date.Location())
			}
		}
		nrc, nv, err := s.Counts(ctx)
		if err != nil || nrc != 4 || nv != 6 {
			t.Errorf("Counts = %d, %d, %v; want 4, 6", nrc, nv, err)
		}
		checkVotes(t, s, map[string]map[int]concord.Vote{
			"USA": {7: concord.Yes, 3: concord.Abstain},
			"NAM": {7: concord.No, 5: concord.Yes},
			"FRA": {3: concord.Absent, 9001: concord.NonMember},
		})
		m, _ := s.Matrix(ctx)
		if !slices.Equal(m.States, []string{"FRA", "NAM", "USA"}) {
			t.Errorf("matrix states %v", m.States)
		}
		var order []int
		for _, rc := range m.RollCalls {
			order = append(order, rc.RCID)
		}
		if !slices.Equal(order, []int{9001, 7, 5, 3}) {
			t.Errorf("matrix roll call order %v, want [9001 7 5 3]", order)
		}
	})

	t.Run("ReimportAddsNothing", func(t *testing.T) {
		s := newStore(t)
		ds := Generate(Gen{RollCalls: 60, States: 40, Complete: true})
		st := mustImport(t, s, ds)
		if st.VotesAdded != len(ds.Votes) || st.RollCallsAdded != 60 || st.VotesUnchanged != 0 {
			t.Fatalf("first import: %+v", st)
		}
		before := Snapshot(t, s)
		st = mustImport(t, s, ds)
		want := concord.ImportStats{VotesUnchanged: len(ds.Votes)}
		if !reflect.DeepEqual(st, want) {
			t.Errorf("second import stats = %+v, want %+v", st, want)
		}
		if after := Snapshot(t, s); after != before {
			t.Errorf("re-import changed the store")
		}
	})

	t.Run("MergeReleases", func(t *testing.T) {
		s := newStore(t)
		// A: cast votes only, roll calls 1..80; B: complete, roll calls 41..120.
		a := Generate(Gen{FirstRCID: 1, RollCalls: 80, States: 50, File: "a.csv"})
		b := Generate(Gen{FirstRCID: 41, RollCalls: 80, States: 60, Complete: true, File: "b.csv"})
		sa := mustImport(t, s, a)
		if sa.RollCallsAdded != 80 || sa.VotesAdded != len(a.Votes) {
			t.Fatalf("import A: %+v", sa)
		}
		sb := mustImport(t, s, b)
		// Expected: votes of B on 41..80 by states 0..49 that are cast are in A.
		unchanged := 0
		for _, v := range b.Votes {
			i := stateIndex(v.State)
			if v.RCID <= 80 && i < 50 && v.Vote.Cast() {
				unchanged++
			}
		}
		want := concord.ImportStats{RollCallsAdded: 40, RollCallsUpdated: 40,
			VotesAdded: len(b.Votes) - unchanged, VotesUnchanged: unchanged}
		if !reflect.DeepEqual(sb, want) {
			t.Errorf("import B stats = %+v, want %+v", sb, want)
		}
		rcs, err := s.RollCalls(ctx, concord.RollCallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var exp []concord.RollCall
		for r := 1; r <= 120; r++ {
			switch {
			case r <= 40:
				exp = append(exp, partial(r, false))
			case r > 80:
				exp = append(exp, partial(r, true))
			default:
				exp = append(exp, FullRollCall(r))
			}
			exp[len(exp)-1].Issues = merge.NormaliseIssues(exp[len(exp)-1].Issues)
		}
		SortRollCalls(exp)
		if len(rcs) != len(exp) {
			t.Fatalf("got %d roll calls, want %d", len(rcs), len(exp))
		}
		for i := range exp {
			if g, w := formatRollCall(rcs[i]), formatRollCall(exp[i]); g != w {
				t.Fatalf("roll call %d:\n got %s\nwant %s", i, g, w)
			}
		}
		want2 := map[string]map[int]concord.Vote{}
		for _, ds := range []*concord.Dataset{a, b} {
			for _, v := range ds.Votes {
				if want2[v.State] == nil {
					want2[v.State] = map[int]concord.Vote{}
				}
				want2[v.State][v.RCID] = v.Vote
			}
		}
		checkVotes(t, s, want2)
		// Importing both again changes nothing.
		before := Snapshot(t, s)
		for _, ds := range []*concord.Dataset{a, b} {
			st := mustImport(t, s, ds)
			if st.VotesAdded != 0 || st.RollCallsAdded != 0 || st.RollCallsUpdated != 0 || len(st.Warnings) != 0 {
				t.Errorf("re-import: %+v", st)
			}
		}
		if Snapshot(t, s) != before {
			t.Error("re-importing merged releases changed the store")
		}
	})

	t.Run("MetadataConflictKeepsStored", func(t *testing.T) {
		s := newStore(t)
		d1 := time.Date(2006, 5, 8, 0, 0, 0, 0, time.UTC)
		mustImport(t, s, &concord.Dataset{RollCalls: []concord.RollCall{
			{RCID: 4592, Session: 60, Date: d1, Resolution: "R/60/260", Important: concord.FlagFalse}}})
		st, err := s.ImportVotes(ctx, &concord.Dataset{
			RollCalls: []concord.RollCall{{RCID: 4592, Session: 59, Date: d1.AddDate(0, 0, 1),
				Important: concord.FlagTrue, Short: "new short", Issues: []concord.Issue{concord.IssueNuclear}}},
			RollCallPos: map[int]concord.Pos{4592: {File: "complete.csv", Line: 12, Column: 1}},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.RollCallsUpdated != 1 || len(st.Warnings) != 3 {
			t.Fatalf("stats %+v, want 1 update and 3 warnings", st)
		}
		for _, w := range []string{"complete.csv:12:1: roll call 4592: session 59 differs from stored 60",
			"date 2006-05-09 differs from stored 2006-05-08", "important true differs from stored false"} {
			if !strings.Contains(strings.Join(st.Warnings, "\n"), w) {
				t.Errorf("warnings %q lack %q", st.Warnings, w)
			}
		}
		rcs, _ := s.RollCalls(ctx, concord.RollCallFilter{})
		want := concord.RollCall{RCID: 4592, Session: 60, Date: d1, Resolution: "R/60/260", Important: concord.FlagFalse,
			Short: "new short", Issues: []concord.Issue{concord.IssueNuclear}}
		if len(rcs) != 1 || formatRollCall(rcs[0]) != formatRollCall(want) {
			t.Errorf("got %v, want %s", rcs, formatRollCall(want))
		}
	})

	t.Run("ErrorsChangeNothing", func(t *testing.T) {
		s := newStore(t)
		base := Generate(Gen{FirstRCID: 1, RollCalls: 30, States: 20, Complete: true, File: "base.csv"})
		mustImport(t, s, base)
		before := Snapshot(t, s)
		// A big valid dataset with one bad vote at the end.
		good := func() *concord.Dataset {
			return Generate(Gen{FirstRCID: 20, RollCalls: 40, States: 30, Complete: true, File: "new.csv"})
		}
		find := func(ds *concord.Dataset, rcid int, state string) int {
			for i, v := range ds.Votes {
				if v.RCID == rcid && v.State == state {
					return i
				}
			}
			t.Fatalf("no vote %d %s", rcid, state)
			return -1
		}
		other := func(v concord.Vote) concord.Vote {
			if v == concord.Yes {
				return concord.No
			}
			return concord.Yes
		}
		cases := []struct {
			name   string
			mutate func(ds *concord.Dataset)
			want   []string
		}{
			{"stored vote differs", func(ds *concord.Dataset) {
				i := find(ds, 25, StateCode(3))
				ds.Votes[i].Vote = other(ds.Votes[i].Vote)
				ds.Votes[i].Pos = concord.Pos{File: "new.csv", Line: 77, Column: 9}
			}, []string{"new.csv:77:9", StateCode(3), "roll call 25", other(VoteOf(25, 3)).String(), "store has " + VoteOf(25, 3).String()}},
			{"stored yes, new absent", func(ds *concord.Dataset) {
				var r int
				for r = 20; VoteOf(r, 0) != concord.Yes; r++ {
				}
				i := find(ds, r, StateCode(0))
				ds.Votes[i].Vote = concord.Absent
				ds.Votes[i].Pos = concord.Pos{File: "new.csv", Line: 5, Column: 3}
			}, []string{"new.csv:5:3", "vote absent of AAA", "store has yes"}},
			{"dataset contradicts itself", func(ds *concord.Dataset) {
				v := ds.Votes[len(ds.Votes)-1]
				v.Vote = other(v.Vote)
				v.Pos.Line = 99999
				ds.Votes = append(ds.Votes, v)
			}, []string{"new.csv:99999:1", "already read at new.csv:"}},
			{"unknown roll call", func(ds *concord.Dataset) {
				ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: 5000, State: "USA", Vote: concord.Yes,
					Pos: concord.Pos{File: "new.csv", Line: 3, Column: 1}})
			}, []string{"new.csv:3:1", "USA", "roll call 5000", "no such roll call"}},
			{"invalid vote", func(ds *concord.Dataset) {
				ds.Votes[len(ds.Votes)-1].Vote = 7
			}, []string{"invalid vote Vote(7)"}},
			{"missing state", func(ds *concord.Dataset) {
				ds.Votes[len(ds.Votes)-1].State = ""
			}, []string{"no state code"}},
			{"bad rcid", func(ds *concord.Dataset) {
				ds.RollCalls = append(ds.RollCalls, concord.RollCall{RCID: -1})
			}, []string{"roll call -1: rcid must be positive"}},
			{"bad flag", func(ds *concord.Dataset) { ds.RollCalls[3].Amend = 5 }, []string{"rc-new.csv:5:1: roll call 23: invalid amend flag 5"}},
			{"unknown issue", func(ds *concord.Dataset) {
				ds.RollCalls[0].Issues = append(ds.RollCalls[0].Issues, "xx")
			}, []string{`unknown issue "xx"`}},
			{"time of day", func(ds *concord.Dataset) {
				ds.RollCalls[1].Date = time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)
			}, []string{"not a day at UTC midnight"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ds := good()
				c.mutate(ds)
				st, err := s.ImportVotes(ctx, ds, nil)
				if err == nil {
					t.Fatalf("no error; stats %+v", st)
				}
				for _, w := range c.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				if !reflect.DeepEqual(st, concord.ImportStats{}) {
					t.Errorf("failed import reported %+v", st)
				}
				if after := Snapshot(t, s); after != before {
					t.Errorf("failed import changed the store")
				}
			})
		}
		// A conflict is a *merge.ConflictError with both values.
		ds := good()
		i := find(ds, 21, StateCode(1))
		ds.Votes[i].Vote = other(ds.Votes[i].Vote)
		_, err := s.ImportVotes(ctx, ds, nil)
		var ce *merge.ConflictError
		if !errors.As(err, &ce) || ce.RCID != 21 || ce.State != StateCode(1) || ce.Old != VoteOf(21, 1) || ce.New != ds.Votes[i].Vote {
			t.Errorf("error %v: want a ConflictError on 21 %s", err, StateCode(1))
		}
		// A cancelled import changes nothing either.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.ImportVotes(cctx, good(), nil); err == nil {
			t.Error("cancelled import succeeded")
		}
		if Snapshot(t, s) != before {
			t.Error("cancelled import changed the store")
		}
		// And the valid dataset is then accepted.
		st := mustImport(t, s, good())
		if st.VotesAdded == 0 || st.VotesUnchanged == 0 {
			t.Errorf("valid import after errors: %+v", st)
		}
	})

	t.Run("Progress", func(t *testing.T) {
		s := newStore(t)
		ds := Generate(Gen{RollCalls: 50, States: 100, Complete: true})
		last, calls := -1, 0
		_, err := s.ImportVotes(ctx, ds, func(done, total int) {
			calls++
			if total != len(ds.Votes) || done < last || done > total {
				t.Errorf("progress(%d, %d) after %d; %d votes", done, total, last, len(ds.Votes))
			}
			last = done
		})
		if err != nil {
			t.Fatal(err)
		}
		if last != len(ds.Votes) || calls < 3 {
			t.Errorf("progress ended at %d after %d calls, want %d and several calls", last, calls, len(ds.Votes))
		}
	})

	t.Run("Filter", func(t *testing.T) {
		s := newStore(t)
		mustImport(t, s, Generate(Gen{RollCalls: 300, States: 3}))
		mustImport(t, s, Generate(Gen{RollCalls: 300, States: 3, Complete: true}))
		mustImport(t, s, &concord.Dataset{RollCalls: []concord.RollCall{
			{RCID: 1000, Date: time.Date(1990, 12, 31, 0, 0, 0, 0, time.UTC), Descr: "ÉTAT DU MONDE"},
			{RCID: 1001, Date: time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC), Short: "état du monde"},
		}})
		all, err := s.RollCalls(ctx, concord.RollCallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 302 {
			t.Fatalf("%d roll calls, want 302", len(all))
		}
		ids := func(rcs []concord.RollCall) []int {
			var out []int
			for _, rc := range rcs {
				out = append(out, rc.RCID)
			}
			return out
		}
		// Hand-checked cases.
		for _, c := range []struct {
			f    concord.RollCallFilter
			want []int
		}{
			{concord.RollCallFilter{From: 1990, To: 1990, Search: "monde"}, []int{1000}},
			{concord.RollCallFilter{From: 1991, Search: "MONDE"}, []int{1001}},
			{concord.RollCallFilter{Search: "état du"}, []int{1000, 1001}},
			{concord.RollCallFilter{Search: "Question 17"}, []int{17, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179}},
		} {
			got, err := s.RollCalls(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			g := ids(got)
			slices.Sort(g)
			if !slices.Equal(g, c.want) {
				t.Errorf("RollCalls(%+v) = %v, want %v", c.f, g, c.want)
			}
		}
		// Every filter returns exactly the roll calls Match accepts, in order.
		for _, f := range []concord.RollCallFilter{
			{From: 1950}, {To: 1960}, {From: 1955, To: 1955}, {Issue: concord.IssueHumanRights},
			{Issue: concord.IssueNuclear, Important: true}, {Important: true, From: 1970, To: 1999},
			{Search: "a/res/7"}, {Search: "RÉSOLUTION 2"}, {To: 9999}, {From: -1}, {From: 1, To: 10000},
		} {
			var want []concord.RollCall
			for _, rc := range all {
				if f.Match(rc) {
					want = append(want, rc)
				}
			}
			got, err := s.RollCalls(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 || len(want) == len(all) {
				t.Errorf("filter %+v selects %d of %d: not a useful case", f, len(want), len(all))
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Errorf("RollCalls(%+v) = %v, want %v", f, ids(got), ids(want))
			}
		}
	})
}
