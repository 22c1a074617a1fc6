package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/output"
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
type stateList []concord.State

func (l stateList) Table() output.Table {
	t := output.Table{Columns: []string{"code", "name", "iso2", "iso3", "iso_numeric", "cow", "cow_abbr", "from", "to", "un_from", "un_to", "historical", "successors"}}
	for _, s := range l {
		t.Rows = append(t.Rows, []any{s.Code, s.Name, s.ISO2, s.ISO3, zeroEmpty(s.ISONumeric), zeroEmpty(s.COW), s.COWAbbr,
			zeroEmpty(s.From), zeroEmpty(s.To), zeroEmpty(s.UNFrom), zeroEmpty(s.UNTo), s.Historical, strings.Join(s.Successors, " ")})
	}
	return t
}

// zeroEmpty prints 0 as an empty cell.
func zeroEmpty(n int) any {
	if n == 0 {
		return ""
	}
	return n
}
