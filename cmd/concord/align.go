package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
)

// resolveState turns any spelling or code of a state into its canonical code.
func resolveState(q string) (string, error) {
	s, err := countries.Lookup(q)
	if err != nil {
		return "", err
	}
	return s.Code, nil
}

// requireVotes checks that each state has votes in the index, with a hint from the state's note when it has none.
func requireVotes(ix *align.Index, codes ...string) error {
	for _, c := range codes {
		if _, ok := ix.Matrix().StateIndex(c); ok {
			continue
		}
		s, _ := countries.ByCode(c)
		msg := fmt.Sprintf("%s (%s) has no votes in the store", c, s.Name)
		if s.Note != "" {
			msg += ": " + s.Note
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// index loads the vote matrix from the store and indexes it for alignment.
func (a *app) index(cmd *cobra.Command) (*align.Index, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	m, err := db.Matrix(cmd.Context())
	if err != nil {
		return nil, err
	}
	if len(m.RollCalls) == 0 || len(m.States) == 0 {
		return nil, fmt.Errorf("no votes in %s: run `concord import unga FILE...` or `concord fetch unga` first", a.dbPath)
	}
	return align.NewIndex(m), nil
}

// alignResult is the JSON and table shape of `concord align`, shared with the HTTP API.
type alignResult = report.Align

func (a *app) alignCmd() *cobra.Command {
	var w windowFlags
	var by string
	var withEvents bool
	c := &cobra.Command{
		Use:   "align A B",
		Short: "How closely two states vote alike: agreement, S-score, kappa and coincidence",
		Long: `Alignment of two states over the roll calls in a window, on which both voted
yes, no or abstain:
  agree        (identical votes + ½ × votes where exactly one abstained) / votes
  s_score      Signorino–Ritter S on yes=1, abstain=2, no=3: 1 − mean|a−b| (= 2·agree − 1)
  kappa        Cohen's kappa, linear weights |i−j|/2, marginals over the same roll calls (Häge 2011)
  coincidence  identical / (identical + opposite) over votes where both said yes or no
               (the US State Department's "votes only" coincidence)
Undefined values (no common votes, no variation) are empty in tables and null in JSON.
States may be given by ISO or COW code or by name.`,
		Example: `  concord align IRN CUB
  concord align Iran Cuba --issue me --from 2000 --to 2019 --by year
  concord align USA ISR --by session --important --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := w.filter()
			if err != nil {
				return err
			}
			grouping, err := align.ParseBy(by)
			if err != nil {
				return fmt.Errorf("--by: %w", err)
			}
			sa, err := resolveState(args[0])
			if err != nil {
				return err
			}
			sb, err := resolveState(args[1])
			if err != nil {
				return err
			}
			ix, err := a.index(cmd)
			if err != nil {
				return err
			}
			if err := requireVotes(ix, sa, sb); err != nil {
				return err
			}
			rows, err := ix.Pair(sa, sb, align.Window(f), grouping)
			if err != nil {
				return err
			}
			res := alignResult{A: sa, B: sb, From: f.From, To: f.To, Issue: f.Issue, Rows: rows}
			if withEvents {
				if res.Events, err = a.alignEvents(cmd, sa, sb, f.From, f.To, rows); err != nil {
					return err
				}
			}
			return a.print(res)
		},
	}
	w.register(c)
	c.Flags().StringVar(&by, "by", "all", "one row for the whole window (all), per calendar year (year) or per UN session (session)")
	c.Flags().BoolVar(&withEvents, "events", false, "add the pair's cooperation–conflict score from stored news events (event count and Goldstein sum) beside each row")
	return c
}

// partnersResult is the JSON and table shape of `concord partners`, shared with the HTTP API.
type partnersResult = report.Partners

func (a *app) partnersCmd() *cobra.Command {
	var w windowFlags
	var metric string
	var minVotes, top int
	var withEvents bool
	c := &cobra.Command{
		Use:   "partners A",
		Short: "Every other state ranked by how closely it votes with A",
		Example: `  concord partners IRN --issue me --from 2000
  concord partners Cuba --metric kappa --min-votes 100 --top 20 --format csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := w.filter()
			if err != nil {
				return err
			}
			m, err := align.ParseMetric(metric)
			if err != nil {
				return fmt.Errorf("--metric: %w", err)
			}
			if minVotes < 0 || top < 0 {
				return fmt.Errorf("--min-votes and --top must not be negative")
			}
			sa, err := resolveState(args[0])
			if err != nil {
				return err
			}
			ix, err := a.index(cmd)
			if err != nil {
				return err
			}
			if err := requireVotes(ix, sa); err != nil {
				return err
			}
			ps, err := ix.Partners(sa, align.Window(f), m, minVotes)
			if err != nil {
				return err
			}
			if top > 0 && len(ps) > top {
				ps = ps[:top]
			}
			res := partnersResult{A: sa, Metric: m, From: f.From, To: f.To, Issue: f.Issue, Rows: ps}
			if withEvents {
				if res.Events, err = a.partnerEvents(cmd, sa, f.From, f.To, ps); err != nil {
					return err
				}
			}
			return a.print(res)
		},
	}
	w.register(c)
	c.Flags().StringVar(&metric, "metric", "agree", "rank by agree, s_score, kappa or coincidence")
	c.Flags().IntVar(&minVotes, "min-votes", 1, "leave out states with fewer common votes")
	c.Flags().IntVar(&top, "top", 0, "print only the first N (0: all)")
	c.Flags().BoolVar(&withEvents, "events", false, "add each partner's cooperation–conflict score with A from stored news events (event count and Goldstein sum)")
	return c
}
