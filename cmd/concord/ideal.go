package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// idealFlags are the options of `concord ideal`, shared with commands that use ideal points.
type idealFlags struct {
	w         windowFlags
	by, model string
	bootstrap int
	omega2    float64
	bridge    bool
	seed      int64
}

func (f *idealFlags) register(c *cobra.Command) {
	f.w.register(c)
	c.Flags().StringVar(&f.by, "by", "session", "period of the positions: session or year")
	c.Flags().StringVar(&f.model, "model", "dynamic", "dynamic (a position per period, linked by a random walk) or static (one position per state)")
	c.Flags().IntVar(&f.bootstrap, "bootstrap", 0, "parametric bootstrap replicates for standard errors and 90% intervals (0: none)")
	c.Flags().Float64Var(&f.omega2, "omega2", ideal.DefaultOmega2, "variance of the random-walk step per period (dynamic model)")
	c.Flags().BoolVar(&f.bridge, "bridge", false, "roll calls on the same recurring resolution in different sessions share item parameters")
	c.Flags().Int64Var(&f.seed, "seed", 1, "seed of the bootstrap's random numbers")
}

// options checks the flags and returns the window and the estimator's options.
func (f *idealFlags) options() (concord.RollCallFilter, ideal.Options, error) {
	w, err := f.w.filter()
	if err != nil {
		return w, ideal.Options{}, err
	}
	by, err := ideal.ParsePeriod(f.by)
	if err != nil {
		return w, ideal.Options{}, fmt.Errorf("--by: %w", err)
	}
	var dynamic bool
	switch f.model {
	case "dynamic":
		dynamic = true
	case "static":
	default:
		return w, ideal.Options{}, fmt.Errorf("--model: unknown model %q (want dynamic or static)", f.model)
	}
	if f.bootstrap < 0 || f.bootstrap > 10000 {
		return w, ideal.Options{}, fmt.Errorf("--bootstrap: want 0 to 10000 replicates, got %d", f.bootstrap)
	}
	if !(f.omega2 > 0) {
		return w, ideal.Options{}, fmt.Errorf("--omega2: want a positive variance, got %g", f.omega2)
	}
	return w, ideal.Options{By: by, Dynamic: dynamic, Omega2: f.omega2, Bridge: f.bridge, Bootstrap: f.bootstrap, Seed: f.seed}, nil
}

// idealPoints returns the ideal points for a window and options: from the
// store when they were computed on the same votes, else estimated and stored.
func (a *app) idealPoints(ctx context.Context, w concord.RollCallFilter, opt ideal.Options) (*ideal.Result, bool, error) {
	db, err := a.store()
	if err != nil {
		return nil, false, err
	}
	r, cached, err := report.IdealPoints(ctx, db, db.Matrix, w, opt)
	switch {
	case errors.Is(err, report.ErrNoVotes):
		return nil, false, fmt.Errorf("no votes in %s: run `concord import unga FILE...` or `concord fetch unga` first", a.dbPath)
	case errors.Is(err, report.ErrEmptyWindow):
		return nil, false, fmt.Errorf("no roll calls in the window (--from %d --to %d --issue %q)", w.From, w.To, w.Issue)
	}
	return r, cached, err
}

// idealResult is the output of `concord ideal`: one row per state and period.
type idealResult struct {
	by   ideal.Period
	boot bool // the fit was bootstrapped: se, lo and hi are known
	rows []ideal.Point
}

// uncertainty returns se, lo and hi, or NaN for each when there was no bootstrap.
func (r idealResult) uncertainty(p ideal.Point) (se, lo, hi float64) {
	if !r.boot {
		return math.NaN(), math.NaN(), math.NaN()
	}
	return p.SE, p.Lo, p.Hi
}

// nullNaN returns nil for NaN, so that JSON prints null.
func nullNaN(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// idealRow is the JSON shape of one point; the period key is session or year.
func (r idealResult) MarshalJSON() ([]byte, error) {
	out := make([]map[string]any, len(r.rows))
	for i, p := range r.rows {
		s, _ := countries.ByCode(p.State)
		se, lo, hi := r.uncertainty(p)
		row := map[string]any{"country": p.State, "ideal": p.Ideal, "se": nullNaN(se), "lo": nullNaN(lo), "hi": nullNaN(hi), "votes": p.Votes}
		if s.COW != 0 {
			row["cow"] = s.COW
		} else {
			row["cow"] = nil
		}
		if p.Period != 0 {
			row[r.by.String()] = p.Period
		} else {
			row[r.by.String()] = nil
		}
		out[i] = row
	}
	return jsonMarshal(out)
}

func (r idealResult) Table() output.Table {
	t := output.Table{Columns: []string{"country", "cow", r.by.String(), "ideal", "se", "lo", "hi", "votes"}}
	for _, p := range r.rows {
		s, _ := countries.ByCode(p.State)
		se, lo, hi := r.uncertainty(p)
		t.Rows = append(t.Rows, []any{p.State, cowCell(s.COW), cowCell(p.Period), p.Ideal, se, lo, hi, p.Votes})
	}
	return t
}

func (a *app) idealCmd() *cobra.Command {
	var f idealFlags
	var states, plotFile string
	c := &cobra.Command{
		Use:   "ideal",
		Short: "Every state's position on one common scale, period by period (dynamic ordinal ideal points)",
		Long: `Estimate ideal points from yes / abstain / no votes (absences and non-membership
are missing): an ordered probit per roll call, each state's position a random
walk across sessions or years, fitted by EM with a Kalman smoother (package
ideal cites the method). Positions are standardised and oriented so that the
United States sits on the positive side: higher means closer to US positions.
--bootstrap N adds standard errors and 90% intervals. Results are stored and
reused until the votes change.`,
		Example: `  concord ideal --from 1991 --to 2019 --by year --states USA,RUS,CHN,IRN,CUB
  concord ideal --model static --from 2015 --to 2015 --bootstrap 50 --format csv
  concord ideal --states IRN,CUB,VEN --plot trajectories.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w, opt, err := f.options()
			if err != nil {
				return err
			}
			var codes []string
			if states != "" {
				for _, q := range strings.Split(states, ",") {
					code, err := resolveState(strings.TrimSpace(q))
					if err != nil {
						return fmt.Errorf("--states: %w", err)
					}
					codes = append(codes, code)
				}
			}
			if plotFile != "" {
				ext := strings.ToLower(filepath.Ext(plotFile))
				if ext != ".svg" && ext != ".png" {
					return fmt.Errorf("--plot: want a .svg or .png file, got %q", plotFile)
				}
				if len(codes) == 0 {
					return fmt.Errorf("--plot: name the states to draw with --states")
				}
			}
			res, cached, err := a.idealPoints(cmd.Context(), w, opt)
			if err != nil {
				return err
			}
			if cached {
				fmt.Fprintln(a.stderr, "ideal points reused from the store (computed on the same votes)")
			} else {
				state := "converged"
				if !res.Converged {
					state = "did NOT converge"
				}
				fmt.Fprintf(a.stderr, "EM %s after %d iterations (last change of the standardised positions %.2g sd rms; criterion %.0e)\n",
					state, res.Iterations, res.Change, res.Options.Tol)
			}
			rows := res.Points
			if len(codes) > 0 {
				rows = nil
				for _, c := range codes {
					tr := res.Trajectory(c)
					if tr == nil {
						return fmt.Errorf("--states: %s has no position in this window", c)
					}
					rows = append(rows, tr...)
				}
			}
			if plotFile != "" {
				if err := plotTrajectories(plotFile, res, codes, opt.By); err != nil {
					return fmt.Errorf("--plot: %w", err)
				}
				fmt.Fprintln(a.stderr, "wrote", plotFile)
			}
			return a.print(idealResult{by: opt.By, boot: res.Options.Bootstrap > 0, rows: rows})
		},
	}
	f.register(c)
	c.Flags().StringVar(&states, "states", "", "only these states, comma-separated (codes or names)")
	c.Flags().StringVar(&plotFile, "plot", "", "also draw the chosen states' trajectories with their bands to FILE.svg or FILE.png")
	return c
}

// cowCell prints a number, or an empty cell for 0 (no COW code; no period in a static fit).
func cowCell(n int) any {
	if n == 0 {
		return ""
	}
	return n
}
