package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/output"
)

func TestFindSplits(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2001, 1, d, 0, 0, 0, 0, time.UTC) }
	rcs := []concord.RollCall{
		{RCID: 1, Date: day(1), Short: "one", Issues: []concord.Issue{"me"}},
		{RCID: 2, Date: day(2), Descr: "two (long title only)"},
		{RCID: 3, Date: day(3), Short: "three", Issues: []concord.Issue{"me"}},
		{RCID: 4, Date: day(4), Short: "four"},
		{RCID: 5, Date: day(5), Short: "five"},
	}
	// A and B: yes/no (split, opposite), yes/abstain (split), yes/yes, absent/no (not cast), no/yes (split, opposite)
	votes := []concord.VoteRecord{
		{RCID: 1, State: "AAA", Vote: concord.Yes}, {RCID: 1, State: "BBB", Vote: concord.No},
		{RCID: 2, State: "AAA", Vote: concord.Yes}, {RCID: 2, State: "BBB", Vote: concord.Abstain},
		{RCID: 3, State: "AAA", Vote: concord.Yes}, {RCID: 3, State: "BBB", Vote: concord.Yes},
		{RCID: 4, State: "AAA", Vote: concord.Absent}, {RCID: 4, State: "BBB", Vote: concord.No},
		{RCID: 5, State: "AAA", Vote: concord.No}, {RCID: 5, State: "BBB", Vote: concord.Yes},
	}
	m := concord.NewMatrix(rcs, votes)
	a, _ := m.StateIndex("AAA")
	b, _ := m.StateIndex("BBB")
	rows, total := FindSplits(m, a, b, concord.RollCallFilter{}, 0)
	if total != 3 || len(rows) != 3 {
		t.Fatalf("total %d, rows %v; want the 3 roll calls 5, 2, 1", total, rows)
	}
	if rows[0].RCID != 5 || !rows[0].Opposite || rows[1].RCID != 2 || rows[1].Opposite || rows[1].Title != "two (long title only)" || rows[2].RCID != 1 || rows[2].VoteB != "no" {
		t.Errorf("splits %+v", rows)
	}
	rows, total = FindSplits(m, a, b, concord.RollCallFilter{Issue: "me"}, 0)
	if total != 1 || rows[0].RCID != 1 {
		t.Errorf("on me: %d %+v", total, rows)
	}
	rows, total = FindSplits(m, a, b, concord.RollCallFilter{}, 1)
	if total != 3 || len(rows) != 1 || rows[0].RCID != 5 {
		t.Errorf("limit 1: %d %+v", total, rows)
	}
	rows, _ = FindSplits(m, a, a, concord.RollCallFilter{}, 0)
	if rows == nil || len(rows) != 0 {
		t.Errorf("a state never splits with itself: %v", rows)
	}
	var sb strings.Builder
	if err := output.Write(&sb, output.FormatCSV, Splits{A: "AAA", B: "BBB", Rows: rows}); err != nil || !strings.HasPrefix(sb.String(), "rcid,session,date,resolution,issues,important,vote_aaa,vote_bbb,opposite,title\n") {
		t.Errorf("csv: %q %v", sb.String(), err)
	}
}

func TestIssueRowJSON(t *testing.T) {
	r := IssueRow{Issue: "me", Name: "Palestinian conflict", Row: align.Row{Period: "all", Votes: 0, Agree: nanf(), SScore: nanf(), Kappa: nanf(), Coincidence: nanf()}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"issue":"me","name":"Palestinian conflict","period":"all","votes":0,"agree":null,"s_score":null,"kappa":null,"coincidence":null}` {
		t.Errorf("got %s", b)
	}
}

func nanf() float64 { var z float64; return z / z }
