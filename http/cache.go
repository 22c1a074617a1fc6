package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"sync"
	"sync/atomic"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
)

// snapshot is one loaded vote matrix with its alignment index and the store counts it was loaded at.
type snapshot struct {
	ix               *align.Index
	rollCalls, votes int
	checked          time.Time // when the store's counts were last compared with these
}

// matrixCache loads the vote matrix once and reloads it when the store's counts change.
type matrixCache struct {
	store    concord.VoteStore
	interval func() time.Duration
	metrics  *metrics
	cur      atomic.Pointer[snapshot]
	mu       sync.Mutex // held while checking or loading
}

// get returns the current snapshot. With a snapshot less than interval old it
// returns at once; an older one is returned while a check runs in the
// background; with none (or interval ≤ 0) it checks, and loads, before returning.
func (c *matrixCache) get(ctx context.Context) (*snapshot, error) {
	snap := c.cur.Load()
	iv := c.interval()
	if snap != nil && iv > 0 {
		if time.Since(snap.checked) >= iv && c.mu.TryLock() {
			go func() {
				defer c.mu.Unlock()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				c.refresh(ctx)
			}()
		}
		return snap, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if snap := c.cur.Load(); snap != nil && iv > 0 {
		return snap, nil // loaded by another request while we waited
	}
	return c.refresh(ctx)
}

// refresh compares the store's counts with the snapshot's and reloads on a change; c.mu must be held.
func (c *matrixCache) refresh(ctx context.Context) (*snapshot, error) {
	old := c.cur.Load()
	rcs, votes, err := c.store.Counts(ctx)
	if err != nil {
		if old != nil {
			return old, nil // keep serving what we have
		}
		return nil, fmt.Errorf("counting the store: %w", err)
	}
	if old != nil && old.rollCalls == rcs && old.votes == votes {
		next := *old
		next.checked = time.Now()
		c.cur.Store(&next)
		return &next, nil
	}
	start := time.Now()
	m, err := c.store.Matrix(ctx)
	if err != nil {
		if old != nil {
			return old, nil
		}
		return nil, fmt.Errorf("loading the vote matrix: %w", err)
	}
	snap := &snapshot{ix: align.NewIndex(m), rollCalls: rcs, votes: votes, checked: time.Now()}
	c.metrics.matrixLoads.Inc()
	c.metrics.loadSeconds.Set(time.Since(start).Seconds())
	c.metrics.rollCalls.Set(float64(len(m.RollCalls)))
	c.metrics.states.Set(float64(len(m.States)))
	c.cur.Store(snap)
	return snap, nil
}

// index returns the alignment index, or a 503 error when the store holds no votes.
func (s *Server) index(ctx context.Context) (*align.Index, error) {
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	m := snap.ix.Matrix()
	if len(m.RollCalls) == 0 || len(m.States) == 0 {
		return nil, &Error{Status: nethttp.StatusServiceUnavailable,
			Message: "the store holds no votes yet: run `concord import unga FILE...` or `concord fetch unga`"}
	}
	return snap.ix, nil
}
