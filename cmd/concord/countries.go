package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
)

func (a *app) countriesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "countries [QUERY]",
		Short: "List states, or find the states that match a name or code",
		Example: `  concord countries
  concord countries iran
  concord countries 630 --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			list := countries.All()
			if len(args) == 1 {
				list = countries.Search(args[0])
				if len(list) == 0 {
					if _, err := countries.Lookup(args[0]); err != nil {
						return err
					}
					return fmt.Errorf("no state matches %q", args[0])
				}
			}
			return a.print(stateList(list))
		},
	}
}

// stateList prints states with their codes in every scheme.
type stateList = report.States
