package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/ideal"
)

func (a *app) coalitionCmd() *cobra.Command {
	var w windowFlags
	var metric, rule, rankBy string
	var top, build, minVotes int
	var withIdeal bool
	c := &cobra.Command{
		Use:   "coalition SEED...",
		Short: "Best partners for a coalition of seed states, its cohesion and decisiveness; --build grows it",
		Long: `Ranks every other state by its mean alignment with the seed states (or, with
--rank-by ideal, by the distance of its ideal point to the seeds' mean), each
with the coalition's cohesion if it joined: the Agreement Index of Hix, Noury
& Roland, (max(Y,N,A) − ½(Y+N+A − max)) / (Y+N+A) per roll call over the
members that voted, averaged over roll calls where at least two did.

With --build N the coalition grows greedily from the seeds to N members, each
step adding the best candidate, with the coalition's cohesion and
decisiveness: over the roll calls of the window, how often the coalition
voting as one (every member who voted casting the position of the members'
plurality) would have changed the outcome, and how often its position
prevailed as recorded and as one. Outcomes are recomputed from the recorded
votes under --rule: majority (yes > no among members present and voting;
abstentions do not count) or two-thirds. Roll calls where no member voted or
the members split evenly cannot be judged; JSON lists them.

--ideal adds ideal points (a static ordinal fit over the same window, from
concord ideal; computed once and kept in the store).`,
		Example: `  concord coalition FRA DEU --from 2005 --top 15
  concord coalition BRA IND ZAF --issue hr --build 10
  concord coalition Norway Sweden --ideal --rank-by ideal --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := w.filter()
			if err != nil {
				return err
			}
			m, err := align.ParseMetric(metric)
			if err != nil {
				return fmt.Errorf("--metric: %w", err)
			}
			r, err := blocs.ParseRule(rule)
			if err != nil {
				return fmt.Errorf("--rule: %w", err)
			}
			var rank blocs.Rank
			switch rankBy {
			case "alignment":
			case "ideal":
				if !withIdeal {
					return fmt.Errorf("--rank-by ideal needs --ideal")
				}
				rank = blocs.ByIdeal
			default:
				return fmt.Errorf("--rank-by: unknown ranking %q (want alignment or ideal)", rankBy)
			}
			if top < 0 || minVotes < 0 {
				return fmt.Errorf("--top and --min-votes must not be negative")
			}
			seeds := make([]string, len(args))
			for i, q := range args {
				if seeds[i], err = resolveState(q); err != nil {
					return err
				}
			}
			if build != 0 && build < len(seeds) {
				return fmt.Errorf("--build %d: the coalition already has %d seeds", build, len(seeds))
			}
			ix, err := a.index(cmd)
			if err != nil {
				return err
			}
			if err := requireVotes(ix, seeds...); err != nil {
				return err
			}
			opt := blocs.CoalitionOptions{Window: align.Window(f), Metric: m, MinVotes: minVotes, Rule: r, RankBy: rank}
			if withIdeal {
				res, _, err := a.idealPoints(cmd.Context(), f, ideal.Options{})
				if err != nil {
					return fmt.Errorf("ideal points: %w", err)
				}
				opt.Ideal = map[string]float64{}
				for _, s := range ix.States() {
					if x, ok := res.Mean(s, 0, 0); ok {
						opt.Ideal[s] = x
					}
				}
			}
			co, err := blocs.NewCoalition(ix, opt)
			if err != nil {
				return err
			}
			if build > 0 {
				steps, err := co.Build(seeds, build)
				if err != nil {
					return err
				}
				return a.print(blocs.BuildResult{Seeds: seeds, Metric: m, From: f.From, To: f.To, Issue: f.Issue, Steps: steps})
			}
			cands, err := co.Candidates(seeds)
			if err != nil {
				return err
			}
			if top > 0 && len(cands) > top {
				cands = cands[:top]
			}
			coh, err := co.Cohesion(seeds)
			if err != nil {
				return err
			}
			d, err := co.Decide(seeds)
			if err != nil {
				return err
			}
			return a.print(blocs.CandidatesResult{Seeds: seeds, Metric: m, From: f.From, To: f.To, Issue: f.Issue, Cohesion: coh, Decisiveness: d, Candidates: cands})
		},
	}
	w.register(c)
	c.Flags().StringVar(&metric, "metric", "agree", "alignment metric of the ranking: agree, s_score, kappa or coincidence")
	c.Flags().IntVar(&top, "top", 20, "print only the first N candidates (0: all)")
	c.Flags().IntVar(&build, "build", 0, "grow the coalition greedily to N members, one row per step")
	c.Flags().IntVar(&minVotes, "min-votes", 1, "a candidate needs this many common votes with every member")
	c.Flags().StringVar(&rule, "rule", "majority", "adoption rule: majority (of members present and voting) or two-thirds")
	c.Flags().BoolVar(&withIdeal, "ideal", false, "add the distance of each candidate's ideal point to the members' mean")
	c.Flags().StringVar(&rankBy, "rank-by", "alignment", "rank candidates by alignment or by ideal-point distance (ideal, needs --ideal)")
	return c
}
