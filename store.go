package concord

import (
	"context"
)

// ImportStats reports what an import changed.
type ImportStats struct {
	RollCallsAdded   int      // roll calls new to the store
	RollCallsUpdated int      // stored roll calls whose missing fields or issue tags were filled in
	VotesAdded       int      // votes new to the store
	VotesUnchanged   int      // votes already stored with the same value
	Warnings         []string // metadata that disagreed with the store and was kept as stored
}

// RollCallFilter selects roll calls. Zero fields select everything.
type RollCallFilter struct {
	From, To  int    // calendar years of the vote date, inclusive; 0 leaves the bound open
	Issue     Issue  // only roll calls tagged with this issue
	Important bool   // only roll calls classified important
	Search    string // case-insensitive substring of resolution code, short or long description
}

// Match reports whether r passes the filter.
func (f RollCallFilter) Match(r RollCall) bool {
	y := r.Year()
	if f.From != 0 && (y == 0 || y < f.From) {
		return false
	}
	if f.To != 0 && (y == 0 || y > f.To) {
		return false
	}
	if f.Issue != "" && !r.HasIssue(f.Issue) {
		return false
	}
	if f.Important && r.Important != FlagTrue {
		return false
	}
	if f.Search != "" && !containsFold(r.Resolution+"\x00"+r.Short+"\x00"+r.Descr, f.Search) {
		return false
	}
	return true
}

// VoteStore keeps roll calls and votes.
type VoteStore interface {
	// ImportVotes adds a dataset in one transaction: all of it or nothing.
	// A vote that differs from one already stored for the same state and roll
	// call is an error naming its position. progress, if not nil, is called
	// with the number of votes written so far and the total.
	ImportVotes(ctx context.Context, ds *Dataset, progress func(done, total int)) (ImportStats, error)
	// RollCalls returns the roll calls that pass f, sorted by date then RCID.
	RollCalls(ctx context.Context, f RollCallFilter) ([]RollCall, error)
	// Matrix loads every roll call and vote into memory.
	Matrix(ctx context.Context) (*Matrix, error)
	// Counts returns the number of roll calls and votes stored.
	Counts(ctx context.Context) (rollCalls, votes int, err error)
}
