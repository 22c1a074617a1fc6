package memstore_test

import (
	"context"
	"fmt"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/memstore"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) concord.VoteStore { return memstore.New() })
}

func Example() {
	ctx := context.Background()
	s := memstore.New()
	ds := &concord.Dataset{
		RollCalls: []concord.RollCall{{RCID: 1, Session: 1, Issues: []concord.Issue{concord.IssueColonialism}}},
		Votes: []concord.VoteRecord{
			{RCID: 1, State: "USA", Vote: concord.Yes},
			{RCID: 1, State: "FRA", Vote: concord.No},
		},
	}
	st, err := s.ImportVotes(ctx, ds, nil)
	fmt.Println(st.RollCallsAdded, st.VotesAdded, err)
	st, err = s.ImportVotes(ctx, ds, nil)
	fmt.Println(st.VotesAdded, st.VotesUnchanged, err)
	m, _ := s.Matrix(ctx)
	fmt.Println(m.States, m.Votes)
	// Output:
	// 1 2 <nil>
	// 0 2 <nil>
	// [FRA USA] [no yes]
}
