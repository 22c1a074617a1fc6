package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/blocs"
)

func (a *app) blocsCmd() *cobra.Command {
	var w windowFlags
	var o blocs.Options
	var metric string
	var seed int64
	c := &cobra.Command{
		Use:   "blocs",
		Short: "Voting blocs per window of years: Leiden communities of the agreement graph, matched over time",
		Long: `Finds voting blocs: communities of the graph of states weighted by Cohen's
kappa (or, with --metric agree, by the share of agreement), by the Leiden
algorithm (Traag, Waltman & van Eck 2019), whose communities are always
connected, maximising modularity at resolution γ (--resolution; higher finds
more, smaller blocs). With --signed, states that vote against each other repel
(kappa as it is, or 2·agree − 1); unsigned, kappa is clipped at 0.

Kappa is the default because it corrects for chance: most roll calls pass by
large majorities, so almost every pair of states agrees on 70–80% of them and
raw agreement makes the General Assembly look like one soup (for 2015–2019,
agree puts Russia with the USA, the EU and Japan, modularity 0.04; kappa puts
it with the non-Western majority, modularity 0.33).

With --window YEARS the record is cut into windows of that many years, one
every --step years; a bloc keeps its letter and its name (its most central
member when it first appeared) from one window to the next while it carries on.
"stability" is the adjusted Rand index with the previous window's blocs over
the states in both. Each member's firmness is the share of --bootstrap runs on
roll calls resampled with replacement in which it stays with its bloc; members
at or above --core are core, the others swing states.

A state of the window's graph without a single positive-weight edge (unsigned:
kappa ≤ 0 or undefined with every other state, as for a state that votes the
same way on nearly every roll call it attends, such as Kiribati in 2010–2012)
is unaligned: it is in no bloc (so neither core nor swing, and not counted
among the blocs) and listed in the window's "unaligned" field (JSON) or in the
last column, "unaligned", of each of the window's rows (table and CSV, codes
separated by spaces).`,
		Example: `  concord blocs --from 2010 --to 2019
  concord blocs --window 5 --step 5 --from 1950
  concord blocs --window 1 --issue me --signed --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := w.filter()
			if err != nil {
				return err
			}
			m, err := blocs.ParseMetric(metric)
			if err != nil {
				return fmt.Errorf("--metric: %w", err)
			}
			switch {
			case o.Window < 0:
				return fmt.Errorf("--window: %d years is negative", o.Window)
			case o.Step < 0:
				return fmt.Errorf("--step: %d years is negative", o.Step)
			case !(o.Leiden.Resolution > 0):
				return fmt.Errorf("--resolution: want a positive γ, got %g", o.Leiden.Resolution)
			case o.CoreAt <= 0 || o.CoreAt > 1:
				return fmt.Errorf("--core: want a share above 0 and at most 1, got %g", o.CoreAt)
			case o.Bootstrap < 0:
				return fmt.Errorf("--bootstrap: %d runs is negative", o.Bootstrap)
			case o.Leiden.Restarts < 1:
				return fmt.Errorf("--restarts: want at least 1, got %d", o.Leiden.Restarts)
			}
			if o.Bootstrap == 0 {
				o.Bootstrap = -1 // no firmness
			}
			o.From, o.To, o.Issue, o.Important, o.Metric = f.From, f.To, f.Issue, f.Important, m
			o.Leiden.Seed = uint64(seed)
			ix, err := a.index(cmd)
			if err != nil {
				return err
			}
			res, err := blocs.Analyze(ix, o)
			if err != nil {
				return err
			}
			return a.print(res)
		},
	}
	w.register(c)
	c.Flags().IntVar(&o.Window, "window", 0, "years per window (0: one window --from..--to)")
	c.Flags().IntVar(&o.Step, "step", 1, "years between the starts of consecutive windows")
	c.Flags().Float64Var(&o.Leiden.Resolution, "resolution", 1, "modularity resolution γ (higher: more, smaller blocs)")
	c.Flags().StringVar(&metric, "metric", blocs.DefaultMetric.String(), "edge weights: kappa (chance-corrected) or agree (also s_score, coincidence)")
	c.Flags().BoolVar(&o.Graph.Signed, "signed", false, "signed graph: states that vote against each other repel")
	c.Flags().IntVar(&o.Graph.MinVotes, "min-votes", 1, "leave out pairs with fewer common votes")
	c.Flags().IntVar(&o.Bootstrap, "bootstrap", 20, "resampled runs measuring each member's firmness (0: none)")
	c.Flags().Float64Var(&o.CoreAt, "core", 0.8, "firmness from which a member is core rather than swing")
	c.Flags().IntVar(&o.Leiden.Restarts, "restarts", 5, "Leiden runs per window; the best is kept")
	c.Flags().Int64Var(&seed, "seed", 1, "seed of the random numbers (results are reproducible)")
	return c
}
