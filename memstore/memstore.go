// Package memstore is a concord.VoteStore held in memory, for tests of the
// packages that use a store: New returns an empty Store; Store.ImportVotes
// merges datasets with exactly the rules of the SQLite store (package
// internal/merge); Store.RollCalls, Store.Counts and Store.Matrix read it back.
package memstore

import (
	"context"
	"slices"
	"sync"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/merge"
)

// Store is an in-memory concord.VoteStore; it is safe for concurrent use.
type Store struct {
	mu    sync.RWMutex
	rcs   map[int]concord.RollCall
	votes map[int]map[string]concord.Vote // rcid → state → vote
	n     int                             // number of votes
}

var _ concord.VoteStore = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{rcs: map[int]concord.RollCall{}, votes: map[int]map[string]concord.Vote{}}
}

// source shows merge.Prepare the store; the caller holds the lock.
type source struct{ s *Store }

func (src source) RollCalls(_ context.Context, rcids []int) (map[int]concord.RollCall, error) {
	out := map[int]concord.RollCall{}
	for _, r := range rcids {
		if rc, ok := src.s.rcs[r]; ok {
			out[r] = rc
		}
	}
	return out, nil
}

func (src source) Votes(_ context.Context, rcid int, fn func(state string, v concord.Vote)) error {
	for s, v := range src.s.votes[rcid] {
		fn(s, v)
	}
	return nil
}

// ImportVotes merges ds into the store: all of it, or nothing on error.
// progress, if not nil, is called with the number of ds.Votes handled and len(ds.Votes).
func (s *Store) ImportVotes(ctx context.Context, ds *concord.Dataset, progress func(done, total int)) (concord.ImportStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	plan, err := merge.Prepare(ctx, ds, source{s})
	if err != nil {
		return concord.ImportStats{}, err
	}
	// Nothing below can fail: the store changes all at once.
	for _, rc := range plan.Insert {
		rc.Issues = slices.Clone(rc.Issues)
		s.rcs[rc.RCID] = rc
	}
	for _, u := range plan.Update {
		rc := u.RollCall
		rc.Issues = slices.Clone(rc.Issues)
		s.rcs[rc.RCID] = rc
	}
	total := len(ds.Votes)
	for i, idx := range plan.Order {
		if !plan.New[i] {
			continue
		}
		v := ds.Votes[idx]
		m := s.votes[v.RCID]
		if m == nil {
			m = map[string]concord.Vote{}
			s.votes[v.RCID] = m
		}
		m[v.State] = v.Vote
		s.n++
		if progress != nil && i%4096 == 0 {
			progress(i, total)
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return plan.Stats, nil
}

// sorted returns the roll calls, with copies of their issues, sorted by date then RCID.
func (s *Store) sorted(f concord.RollCallFilter) []concord.RollCall {
	var out []concord.RollCall
	for _, rc := range s.rcs {
		if f.Match(rc) {
			rc.Issues = slices.Clone(rc.Issues)
			out = append(out, rc)
		}
	}
	slices.SortFunc(out, func(a, b concord.RollCall) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return a.RCID - b.RCID
	})
	return out
}

// RollCalls returns the roll calls that pass f, sorted by date (undated first) then RCID.
func (s *Store) RollCalls(ctx context.Context, f concord.RollCallFilter) ([]concord.RollCall, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sorted(f), ctx.Err()
}

// Matrix returns every roll call and vote as a concord.Matrix.
func (s *Store) Matrix(ctx context.Context) (*concord.Matrix, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := concord.NewMatrixBuilder(s.sorted(concord.RollCallFilter{}))
	for r, m := range s.votes {
		for st, v := range m {
			b.Set(st, r, v)
		}
	}
	return b.Matrix(), ctx.Err()
}

// Counts returns the number of roll calls and votes stored.
func (s *Store) Counts(ctx context.Context) (rollCalls, votes int, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.rcs), s.n, ctx.Err()
}
