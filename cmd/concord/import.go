package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/unga"
)

func (a *app) importCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "import",
		Short: "Import data files into the store",
	}
	c.AddCommand(&cobra.Command{
		Use:   "unga FILE|DIR...",
		Short: "Import UN General Assembly votes (all files in one transaction: all or nothing)",
		Long: `Import UN General Assembly roll calls and votes. Each file's layout is
recognised from its header, plain or gzip:
  - the three-table release (votes, roll_calls, issues) of Voeten's data as in the unvotes package;
  - Voeten's complete-votes file (COW ccode, vote 1 yes 2 abstain 3 no 8 absent 9 not a member);
  - the UN Digital Library "UN General Assembly Voting Data" CSV.
All files given are imported in one transaction: all of it or nothing. Importing
the same data again adds nothing; files that overlap (the 2021 and 2016 releases)
merge into one roll call per rcid, keeping the absences of the complete file.
A folder stands for the vote data files in it (other CSV files are skipped).`,
		Example: `  concord import unga ../shared/data/unga
  concord import unga votes.csv.gz roll_calls.csv.gz issues.csv.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importUNGA(cmd, args)
		},
	})
	return c
}

func (a *app) importUNGA(cmd *cobra.Command, paths []string) error {
	start := time.Now()
	files, skipped, err := unga.ExpandPaths(paths)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintln(a.stderr, "skipping", s, "(not a vote data layout)")
	}
	if len(files) == 0 {
		return fmt.Errorf("no vote data files in %s", strings.Join(paths, " "))
	}
	ds, err := unga.ReadFiles(cmd.Context(), files...)
	if err != nil {
		return err
	}
	for _, w := range ds.Warnings {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	update, finish := a.progress("importing votes")
	stats, err := db.ImportVotes(cmd.Context(), ds, update)
	finish()
	if err != nil {
		return fmt.Errorf("import failed, the store is unchanged: %w", err)
	}
	printImportStats(a, stats, time.Since(start))
	return nil
}

func printImportStats(a *app, s concord.ImportStats, d time.Duration) {
	for _, w := range s.Warnings {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
	fmt.Fprintf(a.stderr, "imported in %.1fs: %d roll calls added, %d updated; %d votes added, %d already stored\n",
		d.Seconds(), s.RollCallsAdded, s.RollCallsUpdated, s.VotesAdded, s.VotesUnchanged)
}
