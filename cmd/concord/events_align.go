package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/report"
)

// periodDays is the span of days of an alignment row's period: the window's
// years for "all", a calendar year, or a UN session (September to August).
func periodDays(period string, from, to int) (time.Time, time.Time) {
	n, err := strconv.Atoi(period)
	switch {
	case err != nil:
		return report.YearRange(from, to)
	case n >= 1900:
		return report.YearRange(n, n)
	default: // session n opens in September of 1945+n
		y := 1945 + n
		return time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 8, 31, 0, 0, 0, 0, time.UTC)
	}
}

// alignEvents is `align --events`: the pair's event score for each row's period.
func (a *app) alignEvents(cmd *cobra.Command, sa, sb string, from, to int, rows []align.Row) ([]report.EventScore, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	out := make([]report.EventScore, len(rows))
	total := 0
	for i, r := range rows {
		f, t := periodDays(r.Period, from, to)
		if out[i], err = report.PairEventScore(cmd.Context(), db, sa, sb, f, t); err != nil {
			return nil, fmt.Errorf("--events: %w", err)
		}
		out[i].Period = r.Period
		total += out[i].Events
	}
	if total == 0 {
		fmt.Fprintf(a.stderr, "--events: no dated events between %s and %s stored in this window; code articles with: concord events code FILE --store\n", sa, sb)
	}
	return out, nil
}

// partnerEvents is `partners --events`: each partner's event score with A over the window.
func (a *app) partnerEvents(cmd *cobra.Command, sa string, from, to int, ps []align.Partner) ([]report.EventScore, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	f, t := report.YearRange(from, to)
	scores, err := report.EventScoresOf(cmd.Context(), db, sa, f, t)
	if err != nil {
		return nil, fmt.Errorf("--events: %w", err)
	}
	out := make([]report.EventScore, len(ps))
	for i, p := range ps {
		s := scores[p.State]
		s.A, s.B, s.Period = sa, p.State, "all"
		out[i] = s
	}
	if len(scores) == 0 {
		fmt.Fprintf(a.stderr, "--events: no dated events of %s stored in this window; code articles with: concord events code FILE --store\n", sa)
	}
	return out, nil
}
