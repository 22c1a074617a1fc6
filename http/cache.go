package http

import (
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"sync"
	"sync/atomic"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/output"
)

// snapshot is one loaded vote matrix with its alignment index, the store's
// votes version and the store counts it was loaded at.
type snapshot struct {
	ix               *align.Index
	version          int64 // the store's votes version (concord.ResultCache); 0 when the store has none
	versioned        bool  // the store has votes versions: results may be kept in it
	rollCalls, votes int
	checked          time.Time // when the store was last compared with these
}

// matrixCache loads the vote matrix once and reloads it when the store's
// votes change: when its votes version moves (a concord.ResultCache, such
// as sqlite.DB, which answers that in one indexed query), else when its
// counts change. It also keeps the encoded API responses of the current
// matrix (responses).
type matrixCache struct {
	store     concord.VoteStore
	interval  func() time.Duration
	metrics   *metrics
	cur       atomic.Pointer[snapshot]
	mu        sync.Mutex // held while checking or loading
	responses responseCache
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
	unchanged := func() *snapshot {
		next := *old
		next.checked = time.Now()
		c.cur.Store(&next)
		return &next
	}
	rc, versioned := c.store.(concord.ResultCache)
	var version int64
	if versioned {
		v, err := rc.VotesVersion(ctx)
		if err != nil {
			if old != nil {
				return old, nil // keep serving what we have
			}
			return nil, fmt.Errorf("reading the store's votes version: %w", err)
		}
		if old != nil && old.versioned && old.version == v {
			return unchanged(), nil
		}
		version = v
	}
	rcs, votes, err := c.store.Counts(ctx)
	if err != nil {
		if old != nil {
			return old, nil
		}
		return nil, fmt.Errorf("counting the store: %w", err)
	}
	if !versioned && old != nil && old.rollCalls == rcs && old.votes == votes {
		return unchanged(), nil
	}
	start := time.Now()
	m, err := c.store.Matrix(ctx)
	if err != nil {
		if old != nil {
			return old, nil
		}
		return nil, fmt.Errorf("loading the vote matrix: %w", err)
	}
	if versioned {
		// An import between reading the version and the matrix: this matrix
		// may be newer than version, so keep no results under it (the next
		// check loads again).
		if v, err := rc.VotesVersion(ctx); err != nil || v != version {
			versioned = false
		}
	}
	snap := &snapshot{ix: align.NewIndex(m), version: version, versioned: versioned, rollCalls: rcs, votes: votes, checked: time.Now()}
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

// Bounds of the response cache: entries, bytes, and the largest response kept (variables for the tests).
var (
	maxCachedResponses     = 8192
	maxCachedResponseBytes = 32 << 20
	maxCachedResponse      = 1 << 20
)

// responseCache keeps the results of recent API requests on the current
// matrix, encoded as JSON, under a key naming the endpoint and its resolved
// parameters (so that "Iran" and "IRN" share an entry): the least recently
// used go first beyond maxCachedResponses entries or maxCachedResponseBytes
// bytes. A new matrix empties it.
type responseCache struct {
	mu     sync.Mutex
	ix     *align.Index // the matrix the entries were computed on
	ll     *list.List   // front: most recently used; values are *cachedEntry
	m      map[string]*list.Element
	bytes  int
	hits   atomic.Int64
	misses atomic.Int64
}

type cachedEntry struct {
	key string
	r   *cachedResponse
}

// cachedResponse is a result with its JSON; writeJSON sends the JSON as it is.
type cachedResponse struct {
	tab  output.Tabler
	body []byte // the JSON with a final newline
}

// Table returns the result's table, for CSV and text.
func (c *cachedResponse) Table() output.Table { return c.tab.Table() }

// MarshalJSON returns the JSON encoded once.
func (c *cachedResponse) MarshalJSON() ([]byte, error) { return c.body[:len(c.body)-1], nil }

// jsonBody returns the JSON with its final newline, for writeJSON.
func (c *cachedResponse) jsonBody() []byte { return c.body }

// jsonAppender is a result that writes its JSON itself, without reflection.
type jsonAppender interface{ appendJSON([]byte) []byte }

// respond returns the response cached under key for ix, or computes, encodes
// and keeps it (when ix is still the current matrix).
func (mc *matrixCache) respond(ix *align.Index, key string, compute func() (output.Tabler, error)) (output.Tabler, error) {
	c := &mc.responses
	c.mu.Lock()
	if c.ix == ix && c.m != nil {
		if e, ok := c.m[key]; ok {
			c.ll.MoveToFront(e)
			c.mu.Unlock()
			c.hits.Add(1)
			return e.Value.(*cachedEntry).r, nil
		}
	}
	c.mu.Unlock()
	c.misses.Add(1)
	v, err := compute()
	if err != nil {
		return nil, err
	}
	var body []byte
	if a, ok := v.(jsonAppender); ok {
		body = a.appendJSON(nil)
	} else if body, err = json.Marshal(v); err != nil {
		return v, nil // writeJSON reports it
	}
	r := &cachedResponse{tab: v, body: append(body, '\n')}
	if len(r.body) > maxCachedResponse {
		return r, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur := mc.cur.Load(); cur == nil || cur.ix != ix {
		return r, nil // computed on a matrix since replaced
	}
	if c.ix != ix || c.m == nil {
		c.ix, c.ll, c.m, c.bytes = ix, list.New(), map[string]*list.Element{}, 0
	}
	if _, ok := c.m[key]; ok {
		return r, nil
	}
	c.m[key] = c.ll.PushFront(&cachedEntry{key, r})
	c.bytes += len(key) + len(r.body)
	for c.ll.Len() > maxCachedResponses || c.bytes > maxCachedResponseBytes {
		e := c.ll.Back()
		ce := e.Value.(*cachedEntry)
		c.ll.Remove(e)
		delete(c.m, ce.key)
		c.bytes -= len(ce.key) + len(ce.r.body)
	}
	return r, nil
}
