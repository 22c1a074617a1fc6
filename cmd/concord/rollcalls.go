package main

import (
	"strings"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
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
type rollCallList []concord.RollCall

func (l rollCallList) Table() output.Table {
	t := output.Table{Columns: []string{"rcid", "session", "date", "resolution", "important", "issues", "title"}}
	for _, r := range l {
		date := ""
		if !r.Date.IsZero() {
			date = r.Date.Format("2006-01-02")
		}
		is := make([]string, len(r.Issues))
		for i, x := range r.Issues {
			is[i] = string(x)
		}
		title := r.Short
		if title == "" {
			title = r.Descr
		}
		t.Rows = append(t.Rows, []any{r.RCID, r.Session, date, r.Resolution, flagCell(r.Important), strings.Join(is, " "), title})
	}
	return t
}

// flagCell prints a Flag as yes, no or empty.
func flagCell(f concord.Flag) string {
	switch f {
	case concord.FlagTrue:
		return "yes"
	case concord.FlagFalse:
		return "no"
	}
	return ""
}
