package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	nethttp "net/http"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// The parameters of `concord ideal`.
var (
	pIdealBy        = param{Name: "by", Type: "string", Enum: []string{"session", "year"}, Default: "session", Description: "period of the positions: session or year"}
	pIdealModel     = param{Name: "model", Type: "string", Enum: []string{"dynamic", "static"}, Default: "dynamic", Description: "dynamic (a position per period, linked by a random walk) or static (one position per state)"}
	pIdealBootstrap = param{Name: "bootstrap", Type: "integer", Max: maxIdealBootstrap, Default: "0", Description: "parametric bootstrap replicates for se and 90% intervals (0: none; se, lo, hi are null)"}
	pIdealStates    = param{Name: "states", Type: "string", Description: "only these states, separated by commas (codes or names)", Example: "USA,IRN"}
)

// maxIdealBootstrap bounds the bootstrap replicates of one request: each costs about a fit.
const maxIdealBootstrap = 50

// idealEndpoints are the endpoints of `concord ideal`.
func (s *Server) idealEndpoints() []endpoint {
	return []endpoint{{
		Path:    "/api/v1/ideal",
		Summary: "Every state's position on one common scale, period by period (dynamic ordinal ideal points)",
		Description: "Ideal points from yes / abstain / no votes: an ordered probit per roll call, each state's position a random walk " +
			"across sessions or years, fitted by EM (package ideal cites the method); standardised, oriented so that the United States " +
			"is positive (as `concord ideal`). se, lo and hi (90% interval) are null without bootstrap. Fits are cached per loaded votes.",
		Params:  append(append([]param(nil), windowParams...), pIdealBy, pIdealModel, pIdealBootstrap, pIdealStates),
		Result:  "Ideal",
		Example: "by=year&states=USA,IRN",
		handle:  s.handleIdeal,
	}}
}

// idealResult is the output of /api/v1/ideal: one row per state and period, as `concord ideal --format json`.
type idealResult struct {
	by   ideal.Period
	boot bool
	rows []ideal.Point
}

// nullNaN returns nil for NaN, so that JSON prints null.
func nullNaN(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

func (r idealResult) uncertainty(p ideal.Point) (se, lo, hi float64) {
	if !r.boot {
		return math.NaN(), math.NaN(), math.NaN()
	}
	return p.SE, p.Lo, p.Hi
}

// MarshalJSON writes the rows; the period key is session or year (null in a static fit).
func (r idealResult) MarshalJSON() ([]byte, error) {
	out := make([]map[string]any, len(r.rows))
	for i, p := range r.rows {
		st, _ := countries.ByCode(p.State)
		se, lo, hi := r.uncertainty(p)
		row := map[string]any{"country": p.State, "cow": nil, r.by.String(): nil, "ideal": p.Ideal,
			"se": nullNaN(se), "lo": nullNaN(lo), "hi": nullNaN(hi), "votes": p.Votes}
		if st.COW != 0 {
			row["cow"] = st.COW
		}
		if p.Period != 0 {
			row[r.by.String()] = p.Period
		}
		out[i] = row
	}
	return json.Marshal(out)
}

// Table returns the rows with the columns of `concord ideal`.
func (r idealResult) Table() output.Table {
	t := output.Table{Columns: []string{"country", "cow", r.by.String(), "ideal", "se", "lo", "hi", "votes"}}
	blank := func(n int) any {
		if n == 0 {
			return ""
		}
		return n
	}
	for _, p := range r.rows {
		st, _ := countries.ByCode(p.State)
		se, lo, hi := r.uncertainty(p)
		t.Rows = append(t.Rows, []any{p.State, blank(st.COW), blank(p.Period), p.Ideal, se, lo, hi, p.Votes})
	}
	return t
}

func (s *Server) handleIdeal(ctx context.Context, q *query) (output.Tabler, error) {
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	var opt ideal.Options
	if b := q.get("by"); b != "" {
		if opt.By, err = ideal.ParsePeriod(b); err != nil {
			return nil, badParam("by", err.Error())
		}
	}
	switch q.get("model") {
	case "", "dynamic":
		opt.Dynamic = true
	case "static":
	default:
		return nil, badParam("model", fmt.Sprintf("unknown model %q (want dynamic or static)", clip(q.get("model"))))
	}
	if opt.Bootstrap, err = q.int(pIdealBootstrap, 0); err != nil {
		return nil, err
	}
	opt.Seed = 1
	var codes []string
	if st := q.get("states"); st != "" {
		for _, c := range strings.Split(st, ",") {
			s, err := countries.Lookup(strings.TrimSpace(c))
			if err != nil {
				return nil, stateError("states", err)
			}
			codes = append(codes, s.Code)
		}
	}
	ix, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	return s.idealRows(ix, w, opt, codes)
}

// fitIdeal returns the ideal points of the window, computed once per votes
// version and options: kept in memory and in the store's ResultCache (kind
// "ideal", the key of `concord ideal`, which shares them).
func (s *Server) fitIdeal(ix *align.Index, w align.Window, opt ideal.Options) (*ideal.Result, error) {
	return kept(s, ix, "ideal", report.IdealKey(w.Filter(), opt), func() (*ideal.Result, error) {
		// One implementation with `concord ideal` (report.IdealPoints). It is cached for
		// later requests, so it runs to its end even when this request goes away.
		r, _, err := report.IdealPoints(context.Background(), nil,
			func(context.Context) (*concord.Matrix, error) { return ix.Matrix(), nil }, w.Filter(), opt)
		switch {
		case errors.Is(err, report.ErrEmptyWindow):
			return nil, badParam("from", fmt.Sprintf("no roll calls in the window (from %d, to %d, issue %q)", w.From, w.To, w.Issue))
		case err != nil:
			return nil, badParam("", err.Error())
		}
		return r, nil
	})
}

// idealRows returns the points of the chosen states (all when none).
func (s *Server) idealRows(ix *align.Index, w align.Window, opt ideal.Options, codes []string) (output.Tabler, error) {
	res, err := s.fitIdeal(ix, w, opt)
	if err != nil {
		return nil, err
	}
	rows := res.Points
	if len(codes) > 0 {
		rows = nil
		for _, c := range codes {
			tr := res.Trajectory(c)
			if tr == nil {
				return nil, &Error{Status: nethttp.StatusNotFound, Param: "states", Message: c + " has no position in this window"}
			}
			rows = append(rows, tr...)
		}
	}
	if rows == nil {
		rows = []ideal.Point{}
	}
	return idealResult{by: opt.By, boot: res.Options.Bootstrap > 0, rows: rows}, nil
}
