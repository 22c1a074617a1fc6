package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
)

// commitmentFilterFlags select commitments.
type commitmentFilterFlags struct {
	agreement, responsible, status, field string
	parties                               []string
	asOf                                  string
}

func (f *commitmentFilterFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.agreement, "agreement", "", "of this agreement (id)")
	c.Flags().StringArrayVar(&f.parties, "party", nil, "of agreements this state is party to (repeat: all of them)")
	c.Flags().StringVar(&f.field, "field", "", "of agreements in this field")
	c.Flags().StringVar(&f.responsible, "responsible", "", "with this responsible state")
	c.Flags().StringVar(&f.status, "status", "", "with this status: not-started, in-progress, done, overdue, cancelled")
	c.Flags().StringVar(&f.asOf, "as-of", "", "the day overdue is counted on, YYYY-MM-DD (default today)")
}

func (f *commitmentFilterFlags) day() string {
	if f.asOf != "" {
		return f.asOf
	}
	return time.Now().UTC().Format("2006-01-02")
}

func (f *commitmentFilterFlags) filter() (concord.CommitmentFilter, error) {
	cf := concord.CommitmentFilter{AgreementID: f.agreement}
	var err error
	if f.asOf != "" {
		if _, err := time.Parse("2006-01-02", f.asOf); err != nil {
			return cf, fmt.Errorf("--as-of %q: want a date YYYY-MM-DD", f.asOf)
		}
	}
	if cf.Parties, err = resolveStates("--party", f.parties); err != nil {
		return cf, err
	}
	if f.responsible != "" {
		if cf.Responsible, err = resolveState(f.responsible); err != nil {
			return cf, fmt.Errorf("--responsible: %w", err)
		}
	}
	if f.field != "" {
		if cf.Field, err = concord.ParseField(f.field); err != nil {
			return cf, fmt.Errorf("--field: %w", err)
		}
	}
	if f.status != "" {
		if cf.Status, err = concord.ParseCommitmentStatus(f.status); err != nil {
			return cf, fmt.Errorf("--status: %w", err)
		}
	}
	return cf, nil
}

// commitmentList prints commitments, marking those overdue on the day asked.
type commitmentList struct {
	Commitments []concord.Commitment `json:"commitments"`
	AsOf        string               `json:"as_of"`
}

func (l commitmentList) Table() output.Table {
	t := output.Table{Columns: []string{"id", "agreement", "responsible", "due", "status", "progress", "overdue", "text"}}
	for _, c := range l.Commitments {
		od := ""
		if c.OverdueOn(l.AsOf) {
			od = "overdue"
		}
		t.Rows = append(t.Rows, []any{c.ID, c.AgreementID, c.Responsible, c.Due, string(c.Status), c.Progress, od, c.Text})
	}
	return t
}

func (a *app) commitmentsCmd() *cobra.Command {
	var af actorFlags
	c := &cobra.Command{
		Use:   "commitments",
		Short: "Commitments made under agreements: add, list, update, delete, due, overdue, history",
		Long: `Commitments: what a party promised under an agreement, with a due date, a status
(not-started, in-progress, done, overdue, cancelled), progress and evidence. A commitment
past its due date that is neither done nor cancelled is reported overdue. Writes need a
user, as for concord agreements (--as, $CONCORD_TOKEN).`,
	}
	af.register(c)
	c.AddCommand(a.commitmentsAddCmd(&af), a.commitmentsListCmd("list", "List commitments", nil),
		a.commitmentsListCmd("due", "Commitments due within --within days of --as-of (default today), not done or cancelled", dueFilter),
		a.commitmentsListCmd("overdue", "Commitments past their due date and neither done nor cancelled", overdueFilter),
		a.commitmentsUpdateCmd(&af), a.commitmentsDeleteCmd(&af), a.commitmentsHistoryCmd())
	return c
}

var within int

func dueFilter(f *concord.CommitmentFilter, day string) {
	d, _ := time.Parse("2006-01-02", day)
	f.DueFrom, f.DueTo = day, d.AddDate(0, 0, within).Format("2006-01-02")
}

func overdueFilter(f *concord.CommitmentFilter, day string) { f.OverdueOn = day }

func (a *app) commitmentsListCmd(use, short string, adjust func(*concord.CommitmentFilter, string)) *cobra.Command {
	var cf commitmentFilterFlags
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Example: fmt.Sprintf(`  concord commitments %s --party FRA --party DEU
  concord commitments %s --field health --format csv`, use, use),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := cf.filter()
			if err != nil {
				return err
			}
			if within < 0 {
				return fmt.Errorf("--within %d: want days ahead, 0 or more", within)
			}
			day := cf.day()
			if adjust != nil {
				adjust(&f, day)
				if use == "due" {
					f.OverdueOn = ""
					f.Status = ""
				}
			}
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				cs, err := r.Commitments(cmd.Context(), f)
				if err != nil {
					return err
				}
				if use == "due" { // open ones only
					open := cs[:0]
					for _, c := range cs {
						if c.Open() {
							open = append(open, c)
						}
					}
					cs = open
				}
				if cs == nil {
					cs = []concord.Commitment{}
				}
				return a.print(commitmentList{cs, day})
			})
		},
	}
	cf.register(c)
	if use == "due" {
		c.Flags().IntVar(&within, "within", 30, "days ahead")
	}
	return c
}

func (a *app) commitmentsAddCmd(af *actorFlags) *cobra.Command {
	var c concord.Commitment
	var status, responsible string
	cmd := &cobra.Command{
		Use:     "add",
		Short:   "Add a commitment to an agreement",
		Example: `  concord commitments add --agreement DEU-FRA_2001A --text "Open a joint laboratory" --responsible FRA --due 2026-06-30`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if c.Status, err = concord.ParseCommitmentStatus(status); err != nil {
				return fmt.Errorf("--status: %w", err)
			}
			if responsible != "" {
				if c.Responsible, err = resolveState(responsible); err != nil {
					return fmt.Errorf("--responsible: %w", err)
				}
			}
			if err := c.Validate(); err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				c, err := r.CreateCommitment(ctx, by, c)
				if err != nil {
					return err
				}
				return a.print(commitmentList{[]concord.Commitment{c}, time.Now().UTC().Format("2006-01-02")})
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&c.AgreementID, "agreement", "", "the agreement (id)")
	fl.StringVar(&c.Text, "text", "", "what is promised")
	fl.StringVar(&responsible, "responsible", "", "the state responsible (empty: all parties)")
	fl.StringVar(&c.Due, "due", "", "due date YYYY-MM-DD")
	fl.StringVar(&status, "status", "not-started", "not-started, in-progress, done, overdue or cancelled")
	fl.IntVar(&c.Progress, "progress", 0, "percent done")
	fl.StringArrayVar(&c.Evidence, "evidence", nil, "link to evidence (repeat)")
	fl.StringVar(&c.Notes, "notes", "", "notes")
	return cmd
}

func (a *app) commitmentsUpdateCmd(af *actorFlags) *cobra.Command {
	var status, due, notes, text string
	var progress, version int
	var evidence []string
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change a commitment's status, progress, evidence, notes or due date (recorded in its history)",
		Example: `  concord commitments update 12 --status done --progress 100 --evidence https://example.org/report.pdf
  concord commitments update 12 --notes "delayed" --version 3   # fail if changed since version 3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("commitment id %q: want a number", args[0])
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				c, err := r.Commitment(ctx, id)
				if err != nil {
					return err
				}
				fl := cmd.Flags()
				if version != 0 {
					c.Version = version
				}
				if fl.Changed("status") {
					if c.Status, err = concord.ParseCommitmentStatus(status); err != nil {
						return fmt.Errorf("--status: %w", err)
					}
				}
				if fl.Changed("progress") {
					c.Progress = progress
				}
				if fl.Changed("due") {
					c.Due = due
				}
				if fl.Changed("notes") {
					c.Notes = notes
				}
				if fl.Changed("text") {
					c.Text = text
				}
				c.Evidence = append(c.Evidence, evidence...)
				c, err = r.UpdateCommitment(ctx, by, c)
				if err != nil {
					return err
				}
				return a.print(commitmentList{[]concord.Commitment{c}, time.Now().UTC().Format("2006-01-02")})
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "not-started, in-progress, done, overdue or cancelled")
	fl.IntVar(&progress, "progress", 0, "percent done")
	fl.StringVar(&due, "due", "", "due date YYYY-MM-DD")
	fl.StringVar(&notes, "notes", "", "notes (replaces them)")
	fl.StringVar(&text, "text", "", "what is promised")
	fl.StringArrayVar(&evidence, "evidence", nil, "add a link to evidence (repeat)")
	fl.IntVar(&version, "version", 0, "the version you read: the change fails if the stored one differs (default: the current one)")
	return cmd
}

func (a *app) commitmentsDeleteCmd(af *actorFlags) *cobra.Command {
	var version int
	c := &cobra.Command{
		Use:     "delete ID --version N",
		Short:   "Delete a commitment (admins; the record before is kept in the history)",
		Example: `  concord commitments delete 12 --version 3`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id < 1 {
				return fmt.Errorf("commitment id %q: want a number", args[0])
			}
			if version <= 0 {
				return fmt.Errorf("--version: give the version you read (concord commitments list --agreement ID --format json)")
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				if err := r.DeleteCommitment(ctx, by, id, version); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "commitment %d deleted\n", id)
				return nil
			})
		},
	}
	c.Flags().IntVar(&version, "version", 0, "the version you read: the delete fails if the stored one differs")
	return c
}

func (a *app) commitmentsHistoryCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "history ID",
		Short:   "Who changed a commitment when; --format json includes the record before and after",
		Example: `  concord commitments history 12 --format json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				h, err := r.History(cmd.Context(), "commitment", args[0])
				if err != nil {
					return err
				}
				if h == nil {
					h = []concord.Change{}
				}
				return a.print(changeList(h))
			})
		},
	}
}
