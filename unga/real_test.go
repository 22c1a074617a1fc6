package unga

import (
	"context"
	"strings"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
)

// The figures below are those of /work/shared/data/unga/README.md.

// realFile returns the path of a file of the shared UNGA data, skipping when it is missing.
func realFile(tb testing.TB, name string) string {
	tb.Helper()
	return testdata.File(tb, "unga/"+name)
}

// readReal reads shared files once per test binary: they are large.
var realCache sync.Map // key: joined names → *realResult

type realResult struct {
	once sync.Once
	ds   *concord.Dataset
	err  error
}

func readReal(tb testing.TB, names ...string) *concord.Dataset {
	tb.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, realFile(tb, n))
	}
	v, _ := realCache.LoadOrStore(strings.Join(names, "+"), &realResult{})
	r := v.(*realResult)
	r.once.Do(func() { r.ds, r.err = ReadFiles(context.Background(), paths...) })
	if r.err != nil {
		tb.Fatal(r.err)
	}
	return r.ds
}

func countVotes(ds *concord.Dataset) map[concord.Vote]int {
	n := map[concord.Vote]int{}
	for _, v := range ds.Votes {
		n[v.Vote]++
	}
	return n
}

func TestRealThreeTables(t *testing.T) {
	ds := readReal(t, "votes.csv.gz", "roll_calls.csv.gz", "issues.csv.gz")
	if len(ds.Votes) != 870_109 {
		t.Errorf("%d votes, want 870,109", len(ds.Votes))
	}
	if n := countVotes(ds); n[concord.Yes] != 693_664 || n[concord.Abstain] != 110_897 || n[concord.No] != 65_548 || len(n) != 3 {
		t.Errorf("vote counts %v, want yes 693,664, abstain 110,897, no 65,548", n)
	}
	if len(ds.RollCalls) != 6_203 {
		t.Errorf("%d roll calls, want 6,203", len(ds.RollCalls))
	}
	if len(ds.Warnings) != 0 {
		t.Errorf("%d warnings reading one release, want none: %q", len(ds.Warnings), ds.Warnings[:min(5, len(ds.Warnings))])
	}
	states := map[string]int{}
	for _, v := range ds.Votes {
		states[v.State]++
	}
	// 200 country names in the file; FRG's session-45 votes join Germany's, which also votes from session 46.
	if len(states) != 200 {
		t.Errorf("%d states, want 200", len(states))
	}
	if states["NAM"] != 2_455 {
		t.Errorf("Namibia (ISO code \"NA\") has %d votes, want 2,455", states["NAM"])
	}
	if states["GFR"]+states["YAR"]+states["ZAN"] != 5_444-84 {
		t.Errorf("FRG, YAR and ZAN (empty codes) have %d votes, want 5,444 less FRG's 84 of session 45", states["GFR"]+states["YAR"]+states["ZAN"])
	}
	first, last := ds.RollCalls[0].Date, ds.RollCalls[0].Date
	tags, tagged := map[concord.Issue]int{}, 0
	unknownImportant, noUnres := 0, 0
	for _, rc := range ds.RollCalls {
		if rc.Date.IsZero() {
			t.Errorf("roll call %d has no date", rc.RCID)
			continue
		}
		if rc.Date.Before(first) {
			first = rc.Date
		}
		if rc.Date.After(last) {
			last = rc.Date
		}
		for _, i := range rc.Issues {
			tags[i]++
		}
		if len(rc.Issues) > 0 {
			tagged++
		}
		if rc.Important == concord.FlagUnknown {
			unknownImportant++
		}
		if rc.Resolution == "" {
			noUnres++
		}
	}
	if first.Format("2006-01-02") != "1946-01-01" || last.Format("2006-01-02") != "2020-01-14" {
		t.Errorf("dates %v to %v, want 1946-01-01 to 2020-01-14", first, last)
	}
	total := 0
	for _, n := range tags {
		total += n
	}
	want := map[concord.Issue]int{"me": 1_061, "nu": 855, "di": 1_092, "hr": 1_015, "co": 957, "ec": 765}
	if total != 5_745 || tagged != 4_099 {
		t.Errorf("%d issue tags on %d roll calls, want 5,745 on 4,099", total, tagged)
	}
	for i, n := range want {
		if tags[i] != n {
			t.Errorf("issue %s tags %d roll calls, want %d", i, tags[i], n)
		}
	}
	if unknownImportant != 605 || noUnres != 159 {
		t.Errorf("%d roll calls without importantvote (want 605), %d without unres (want 159)", unknownImportant, noUnres)
	}
	rc, _ := rollCall(ds, 4592)
	if rc.Session != 60 || rc.Date.Format("2006-01-02") != "2006-05-08" || rc.Resolution != "R/60/260" {
		t.Errorf("roll call 4592: %+v", rc)
	}
}

func TestRealComplete(t *testing.T) {
	ds := readReal(t, "complete_votes_2016.csv.gz")
	if len(ds.Votes) != 1_066_613 {
		t.Errorf("%d votes, want one per row: 1,066,613", len(ds.Votes))
	}
	n := countVotes(ds)
	for v, want := range map[concord.Vote]int{concord.Yes: 588_800, concord.Abstain: 95_099, concord.No: 54_865, concord.Absent: 73_328, concord.NonMember: 254_521} {
		if n[v] != want {
			t.Errorf("%d %s votes, want %d", n[v], v, want)
		}
	}
	if len(ds.RollCalls) != 5_429 {
		t.Errorf("%d roll calls, want 5,429", len(ds.RollCalls))
	}
	states := map[string]bool{}
	for _, v := range ds.Votes {
		states[v.State] = true
	}
	if len(states) != 200 {
		t.Errorf("%d states, want one per COW code: 200", len(states))
	}
	rc, _ := rollCall(ds, 4592)
	if rc.Session != 59 || !rc.Date.IsZero() || rc.Resolution != "" || rc.Important != concord.FlagUnknown {
		t.Errorf("roll call 4592 (session 59, no date, unres or importantvote): %+v", rc)
	}
	if len(ds.Warnings) != 0 {
		t.Errorf("%d warnings, want none: %q", len(ds.Warnings), ds.Warnings[:min(5, len(ds.Warnings))])
	}
}

func TestRealMergedReleases(t *testing.T) {
	ds := readReal(t, "votes.csv.gz", "roll_calls.csv.gz", "issues.csv.gz", "complete_votes_2016.csv.gz")
	if len(ds.RollCalls) != 6_203 {
		t.Errorf("%d roll calls, want one per rcid: 6,203", len(ds.RollCalls))
	}
	n := countVotes(ds)
	cast := n[concord.Yes] + n[concord.No] + n[concord.Abstain]
	if cast != 870_109 || n[concord.Yes] != 693_664 || n[concord.Absent] != 73_328 || n[concord.NonMember] != 254_521 {
		t.Errorf("%d cast votes (want 870,109), %d yes (want 693,664), %d absent (want 73,328), %d non-member (want 254,521)",
			cast, n[concord.Yes], n[concord.Absent], n[concord.NonMember])
	}
	if len(ds.Votes) != 870_109+73_328+254_521 {
		t.Errorf("%d votes, want %d", len(ds.Votes), 870_109+73_328+254_521)
	}
	rc, _ := rollCall(ds, 4592)
	if rc.Session != 60 || rc.Date.Format("2006-01-02") != "2006-05-08" {
		t.Errorf("roll call 4592 keeps the 2021 release's session and date: %+v", rc)
	}
	found := false
	for _, w := range ds.Warnings {
		if strings.HasPrefix(w, "rcid 4592: session \"59\"") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the session of rcid 4592 among %d warnings: %q", len(ds.Warnings), ds.Warnings[:min(10, len(ds.Warnings))])
	}
	t.Logf("%d warnings, e.g. %q", len(ds.Warnings), ds.Warnings[:min(3, len(ds.Warnings))])
}

// benchRead measures reading one real file into a batch (parse, resolve states), in rows per second.
func benchRead(b *testing.B, name string, rows int) {
	p := realFile(b, name)
	b.ReportAllocs()
	for b.Loop() {
		bt := NewBatch()
		if err := bt.AddFile(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadVotes(b *testing.B)     { benchRead(b, "votes.csv.gz", 870_109) }
func BenchmarkReadRollCalls(b *testing.B) { benchRead(b, "roll_calls.csv.gz", 6_203) }
func BenchmarkReadIssues(b *testing.B)    { benchRead(b, "issues.csv.gz", 5_745) }
func BenchmarkReadComplete(b *testing.B)  { benchRead(b, "complete_votes_2016.csv.gz", 1_066_613) }

// BenchmarkReadMerged reads and joins the four files of both releases (1,948,176 rows).
func BenchmarkReadMerged(b *testing.B) {
	names := []string{"votes.csv.gz", "roll_calls.csv.gz", "issues.csv.gz", "complete_votes_2016.csv.gz"}
	var paths []string
	for _, n := range names {
		paths = append(paths, realFile(b, n))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadFiles(context.Background(), paths...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(870_109+6_203+5_745+1_066_613)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
