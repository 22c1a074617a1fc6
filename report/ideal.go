package report

import (
	"context"
	"errors"
	"fmt"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/ideal"
)

// ErrNoVotes is returned by IdealPoints when the matrix has no roll calls.
var ErrNoVotes = errors.New("no votes")

// ErrEmptyWindow is returned by IdealPoints when no roll call falls in the window.
var ErrEmptyWindow = errors.New("no roll calls in the window")

// IdealKey is the key under which the ideal points of window w and options opt are kept in a concord.ResultCache (kind "ideal"); it names ideal.Version, so results of an older estimator are not reused.
func IdealKey(w concord.RollCallFilter, opt ideal.Options) string {
	if opt.Omega2 == 0 {
		opt.Omega2 = ideal.DefaultOmega2 // the same fit as with the default given explicitly
	}
	return fmt.Sprintf("estimator=%d from=%d to=%d issue=%s important=%t by=%s dynamic=%t omega2=%g bridge=%t bootstrap=%d seed=%d",
		ideal.Version, w.From, w.To, w.Issue, w.Important, opt.By, opt.Dynamic, opt.Omega2, opt.Bridge, opt.Bootstrap, opt.Seed)
}

// IdealPoints returns the ideal points of the roll calls in window w: from cache
// when they were computed on the same votes (cache may be nil), else estimated
// on the matrix that load returns and stored; it reports whether they came from the cache.
func IdealPoints(ctx context.Context, cache concord.ResultCache, load func(context.Context) (*concord.Matrix, error),
	w concord.RollCallFilter, opt ideal.Options) (*ideal.Result, bool, error) {
	var version int64
	key := IdealKey(w, opt)
	if cache != nil {
		v, err := cache.VotesVersion(ctx)
		if err != nil {
			return nil, false, err
		}
		version = v
		var res ideal.Result
		if ok, err := cache.LoadResult(ctx, "ideal", key, version, &res); err == nil && ok {
			return &res, true, nil
		}
	}
	m, err := load(ctx)
	if err != nil {
		return nil, false, err
	}
	if len(m.RollCalls) == 0 {
		return nil, false, ErrNoVotes
	}
	var cols []int
	for i, rc := range m.RollCalls {
		if w.Match(rc) {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return nil, false, ErrEmptyWindow
	}
	r, err := ideal.Estimate(ctx, m, cols, opt)
	if err != nil {
		return nil, false, err
	}
	if cache != nil {
		if err := cache.SaveResult(ctx, "ideal", key, version, r); err != nil {
			return nil, false, fmt.Errorf("storing the ideal points: %w", err)
		}
	}
	return r, false, nil
}
