package main

import (
	"fmt"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
)

// windowFlags are the --from, --to, --issue and --important flags shared by every vote analysis.
type windowFlags struct {
	from, to  int
	issue     string
	important bool
}

func (w *windowFlags) register(c *cobra.Command) {
	c.Flags().IntVar(&w.from, "from", 0, "first calendar year of vote dates (inclusive)")
	c.Flags().IntVar(&w.to, "to", 0, "last calendar year of vote dates (inclusive)")
	c.Flags().StringVar(&w.issue, "issue", "", "only roll calls on this issue: me (Palestinian conflict), nu (nuclear), di (arms control), hr (human rights), co (colonialism), ec (economic development)")
	c.Flags().BoolVar(&w.important, "important", false, "only votes the US State Department classified as important")
}

// filter checks the flags and returns them as a roll-call filter.
func (w *windowFlags) filter() (concord.RollCallFilter, error) {
	f := concord.RollCallFilter{From: w.from, To: w.to, Important: w.important}
	if w.from < 0 || w.to < 0 {
		return f, fmt.Errorf("--from and --to are calendar years, got %d and %d", w.from, w.to)
	}
	if w.from != 0 && w.to != 0 && w.from > w.to {
		return f, fmt.Errorf("--from %d is after --to %d", w.from, w.to)
	}
	if w.issue != "" {
		i, err := concord.ParseIssue(w.issue)
		if err != nil {
			return f, fmt.Errorf("--issue: %w", err)
		}
		f.Issue = i
	}
	return f, nil
}
