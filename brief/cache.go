package brief

import (
	"context"
	"fmt"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/report"
)

// cached returns the result kept in cache under kind and key for the current
// votes, else computes it and keeps it; a nil cache computes every time.
func cached[T any](ctx context.Context, cache concord.ResultCache, kind, key string, compute func() (T, error)) (T, error) {
	if cache == nil {
		return compute()
	}
	var v T
	version, err := cache.VotesVersion(ctx)
	if err != nil {
		return v, err
	}
	if ok, err := cache.LoadResult(ctx, kind, key, version, &v); err == nil && ok {
		return v, nil
	}
	if v, err = compute(); err != nil {
		return v, err
	}
	if err := cache.SaveResult(ctx, kind, key, version, v); err != nil {
		return v, fmt.Errorf("keeping the %s result: %w", kind, err)
	}
	return v, nil
}

// idealPoints returns every state's ideal points in window w: through
// src.Ideal when set, else through report.IdealPoints (whose whole fit is
// kept under kind "ideal", shared with `concord ideal`), the points alone
// also kept under kind "brief-ideal" so that a later brief reads only them.
func idealPoints(ctx context.Context, src Sources, w concord.RollCallFilter) ([]ideal.Point, error) {
	if src.Ideal != nil {
		r, err := src.Ideal(ctx, w, IdealOptions)
		if err != nil {
			return nil, err
		}
		return r.Points, nil
	}
	m := src.Index.Matrix()
	return cached(ctx, src.Cache, "brief-ideal", report.IdealKey(w, IdealOptions), func() ([]ideal.Point, error) {
		r, _, err := report.IdealPoints(ctx, src.Cache, func(context.Context) (*concord.Matrix, error) { return m, nil }, w, IdealOptions)
		if err != nil {
			return nil, err
		}
		return r.Points, nil
	})
}

// windowBlocs is the bloc of every state in one window.
type windowBlocs struct {
	From, To  int
	Blocs     map[string]string // state → bloc name
	Unaligned map[string]bool   // states of the window's graph in no bloc (blocs.Window.Unaligned)
}

// blocWindows returns the blocs of every window of o: through src.Blocs when
// set, else blocs.Analyze on src.Index, kept under kind "brief-blocs".
func blocWindows(ctx context.Context, src Sources, o blocs.Options) ([]windowBlocs, error) {
	flatten := func(res *blocs.Result) []windowBlocs {
		out := []windowBlocs{}
		for _, w := range res.Windows {
			wb := windowBlocs{From: w.From, To: w.To, Blocs: map[string]string{}, Unaligned: map[string]bool{}}
			for _, b := range w.Blocs {
				for _, m := range b.Members {
					wb.Blocs[m.State] = b.Name
				}
			}
			for _, s := range w.Unaligned {
				wb.Unaligned[s] = true
			}
			out = append(out, wb)
		}
		return out
	}
	if src.Blocs != nil {
		res, err := src.Blocs(ctx, o)
		if err != nil {
			return nil, err
		}
		return flatten(res), nil
	}
	// "unaligned": kept results from before the unaligned states were set
	// apart (as blocs of one) are not read.
	key := fmt.Sprintf("from=%d to=%d window=%d step=%d metric=%s resolution=%g restarts=%d seed=%d bootstrap=%d unaligned",
		o.From, o.To, o.Window, o.Step, o.Metric, o.Leiden.Resolution, o.Leiden.Restarts, o.Leiden.Seed, o.Bootstrap)
	return cached(ctx, src.Cache, "brief-blocs", key, func() ([]windowBlocs, error) {
		res, err := blocs.Analyze(src.Index, o)
		if err != nil {
			return nil, err
		}
		return flatten(res), nil
	})
}
