package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/sqlite"
)

func Example() {
	dir, _ := os.MkdirTemp("", "concord")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(filepath.Join(dir, "data", "concord.db")) // creates data/
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	ctx := context.Background()

	day := time.Date(1974, 11, 22, 0, 0, 0, 0, time.UTC)
	first := &concord.Dataset{
		RollCalls: []concord.RollCall{{RCID: 1, Session: 29, Date: day, Resolution: "R/29/3236"}},
		Votes: []concord.VoteRecord{
			{RCID: 1, State: "USA", Vote: concord.No},
			{RCID: 1, State: "FRA", Vote: concord.Abstain},
		},
	}
	st, _ := db.ImportVotes(ctx, first, nil)
	fmt.Printf("added %d roll calls, %d votes\n", st.RollCallsAdded, st.VotesAdded)

	// A second release adds an issue tag and an absence, and agrees on the rest.
	second := &concord.Dataset{
		RollCalls: []concord.RollCall{{RCID: 1, Issues: []concord.Issue{concord.IssueMiddleEast}}},
		Votes: []concord.VoteRecord{
			{RCID: 1, State: "USA", Vote: concord.No},
			{RCID: 1, State: "BOL", Vote: concord.Absent},
		},
	}
	st, _ = db.ImportVotes(ctx, second, nil)
	fmt.Printf("updated %d roll call, added %d vote, %d unchanged\n", st.RollCallsUpdated, st.VotesAdded, st.VotesUnchanged)

	// A vote that contradicts the store is refused, and nothing is written.
	_, err = db.ImportVotes(ctx, &concord.Dataset{Votes: []concord.VoteRecord{
		{RCID: 1, State: "FRA", Vote: concord.Yes, Pos: concord.Pos{File: "votes.csv", Line: 7, Column: 1}},
	}}, nil)
	fmt.Println(err)

	rcs, _ := db.RollCalls(ctx, concord.RollCallFilter{Issue: concord.IssueMiddleEast})
	fmt.Println(rcs[0].Resolution, rcs[0].Date.Format(time.DateOnly), rcs[0].Issues)
	m, _ := db.Matrix(ctx)
	fmt.Println(m.States, m.Votes)
	// Output:
	// added 1 roll calls, 2 votes
	// updated 1 roll call, added 1 vote, 1 unchanged
	// votes.csv:7:1: vote yes of FRA on roll call 1 conflicts: the store has abstain
	// R/29/3236 1974-11-22 [me]
	// [BOL FRA USA] [absent abstain no]
}
