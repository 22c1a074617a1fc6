package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/brief"
)

func (a *app) briefCmd() *cobra.Command {
	var from, to int
	var format, out string
	c := &cobra.Command{
		Use:   "brief A B [MORE...]",
		Short: "One document on two states, or a coalition: votes, positions, agreements, events, trade",
		Long: `The relationship brief: how close the states are and on what (alignment in UN
votes overall, per issue, per decade, the trend, the latest roll calls on which
they split), where they stand (ideal points per year with 90% bands; same voting
bloc or not, and since when), what binds them (agreements by field, the
implementation rate of their commitments, overdue ones), what happened lately
(meetings, signings, praise, criticism with their sources; the monthly
cooperation–conflict score), where their economies fit (trade complementarity
both ways and the fields behind it) and, for three or more states, the
coalition's cohesion, decisiveness and best next partners.

Every section says where its data comes from and how recent it is, and says so
when data is missing. --from/--to set the vote window (default: the last 29
years of the record) and also bound the agreements and events (default: all).
Ideal points and blocs are computed once and kept in the database.

Formats: md (Markdown), html (one file with SVG charts), json (one key per
section: alignment, positions, agreements, events, economy, coalition), pdf
(charts embedded as images; made without a browser).`,
		Example: `  concord brief IRN CUB
  concord brief Iran Cuba --format html -o iran-cuba.html
  concord brief BRA IND ZAF --from 2000 --format pdf -o ibsa.pdf
  concord brief USA ISR --format json`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "table" { // the root's default
				format = "md"
			}
			if !containsString(brief.Formats, format) {
				return fmt.Errorf("--format: unknown format %q (want %s)", format, strings.Join(brief.Formats, ", "))
			}
			if format == "pdf" && out == "" {
				return fmt.Errorf("--format pdf: name the file with -o FILE.pdf")
			}
			states := make([]string, len(args))
			for i, q := range args {
				s, err := resolveState(q)
				if err != nil {
					return err
				}
				states[i] = s
			}
			ix, err := a.index(cmd)
			if err != nil {
				return err
			}
			db, _ := a.store()
			src := brief.Sources{Index: ix, Votes: a.dbPath, Cache: db, Registry: db.Registry(), Events: db, Trade: db}
			b, err := brief.Build(cmd.Context(), src, states, from, to)
			if err != nil {
				return err
			}
			var w io.Writer = a.stdout
			if out != "" {
				if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
					return err
				}
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				if err := brief.Write(f, format, b); err != nil {
					f.Close()
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintln(a.stderr, "wrote", out)
				return nil
			}
			return brief.Write(w, format, b)
		},
	}
	c.Flags().IntVar(&from, "from", 0, "first calendar year (votes; also agreements' signing and events)")
	c.Flags().IntVar(&to, "to", 0, "last calendar year")
	c.Flags().StringVar(&format, "format", "md", "md, html, json or pdf")
	c.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output (needed for pdf)")
	return c
}

// containsString reports whether xs holds x.
func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
