package main

import (
	"github.com/spf13/cobra"

	"github.com/concord-project/concord/report"
)

func (a *app) rollcallsCmd() *cobra.Command {
	var w windowFlags
	var search string
	c := &cobra.Command{
		Use:   "rollcalls",
		Short: "List roll calls by period, issue or text",
		Example: `  concord rollcalls --issue nu --from 2017 --to 2017
  concord rollcalls --search "nuclear weapons" --important --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := w.filter()
			if err != nil {
				return err
			}
			f.Search = search
			db, err := a.store()
			if err != nil {
				return err
			}
			rcs, err := db.RollCalls(cmd.Context(), f)
			if err != nil {
				return err
			}
			return a.print(rollCallList(rcs))
		},
	}
	w.register(c)
	c.Flags().StringVar(&search, "search", "", "only roll calls whose resolution code or description contains this text")
	return c
}

// rollCallList prints roll calls; JSON keeps every field.
type rollCallList = report.RollCalls
