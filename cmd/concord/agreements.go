package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/agreements"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/postgres"
	"github.com/concord-project/concord/report"
)

// isPostgresURL reports whether --db names a PostgreSQL server rather than a SQLite file.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// withRegistry opens the agreements registry named by --db — a PostgreSQL URL
// (postgres://…) or, as for every other command, a SQLite file — runs fn and
// closes a PostgreSQL connection afterwards (the SQLite file is closed with the app).
func (a *app) withRegistry(ctx context.Context, fn func(reg concord.Registry, shared bool) error) error {
	if isPostgresURL(a.dbPath) {
		db, err := postgres.Open(ctx, a.dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		return fn(db, true)
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	return fn(db.Registry(), false)
}

// actorFlags say who makes a change: --as USER, else $CONCORD_USER; or $CONCORD_TOKEN.
type actorFlags struct{ as string }

func (f *actorFlags) register(c *cobra.Command) {
	c.PersistentFlags().StringVar(&f.as, "as", "", "user making the change (default $CONCORD_USER; on PostgreSQL authenticate with $CONCORD_TOKEN or $CONCORD_PASSWORD)")
}

// actor decides who writes:
//   - $CONCORD_TOKEN set: the user that API token belongs to (any store).
//   - PostgreSQL (a shared server): --as/$CONCORD_USER with $CONCORD_PASSWORD, checked against the store.
//   - SQLite file: --as/$CONCORD_USER names a user of the store, acting with its role (whoever can open
//     the file can change it anyway: the file's permissions are its access control); with neither, the
//     local operating-system user acts as an admin, recorded as "local:NAME".
func (f *actorFlags) actor(ctx context.Context, reg concord.Registry, shared bool) (concord.User, error) {
	if tok := os.Getenv("CONCORD_TOKEN"); tok != "" {
		u, err := reg.TokenUser(ctx, tok)
		if err != nil {
			return u, fmt.Errorf("$CONCORD_TOKEN: %w", err)
		}
		return u, nil
	}
	name := f.as
	if name == "" {
		name = os.Getenv("CONCORD_USER")
	}
	if shared {
		if name == "" {
			return concord.User{}, fmt.Errorf("writing to a shared PostgreSQL registry needs a user: set $CONCORD_TOKEN, or --as USER with $CONCORD_PASSWORD: %w", concord.ErrUnauthorized)
		}
		u, err := reg.Authenticate(ctx, name, os.Getenv("CONCORD_PASSWORD"))
		if err != nil {
			return u, fmt.Errorf("--as %s: wrong or missing $CONCORD_PASSWORD: %w", name, err)
		}
		return u, nil
	}
	if name == "" {
		local := "local"
		if u, err := user.Current(); err == nil && u.Username != "" {
			local = "local:" + u.Username
		}
		return concord.User{Name: local, Role: concord.RoleAdmin}, nil
	}
	u, err := reg.User(ctx, name)
	if errors.Is(err, concord.ErrNotFound) {
		return u, fmt.Errorf("--as %s: no such user (see concord users list)", name)
	}
	return u, err
}

func (a *app) agreementsCmd() *cobra.Command {
	var af actorFlags
	c := &cobra.Command{
		Use:   "agreements",
		Short: "Registry of international agreements and MoUs: import, list, show, export, history, timelines, rates",
		Long: `The agreements registry: agreements, their parties with their dates, the commitments
made under them and the history of every change. --db selects the store: a SQLite file
(the default) or a shared PostgreSQL server (--db postgres://user@host/dbname).

Who writes: $CONCORD_TOKEN (an API token, see concord users token), or --as USER. On
a SQLite file --as names a user of the file; with neither, the local OS user acts as
admin. On PostgreSQL --as needs $CONCORD_PASSWORD.`,
	}
	af.register(c)
	c.AddCommand(a.agreementsImportCmd(&af), a.agreementsListCmd(), a.agreementsShowCmd(), a.agreementsExportCmd(),
		a.agreementsHistoryCmd(), a.agreementsTimelineCmd(), a.agreementsRatesCmd(), a.agreementsSetCmd(&af),
		a.agreementsAddCmd(&af), a.agreementsDeleteCmd(&af))
	return c
}

func (a *app) agreementsImportCmd(af *actorFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Import agreements: the GGO/HUGGO files, or a registry CSV or JSON export (all or nothing)",
		Example: `  concord agreements import ggo_agreements.csv.gz ggo_parties.csv.gz
  concord agreements import registry.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, st, err := agreements.Read(args...)
			if err != nil {
				return err
			}
			for i, w := range st.Warnings {
				if i == 10 {
					fmt.Fprintf(a.stderr, "warning: … and %d more\n", len(st.Warnings)-10)
					break
				}
				fmt.Fprintln(a.stderr, "warning:", w)
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				is, err := r.ImportAgreements(ctx, by, reg.Agreements, reg.Commitments)
				if err != nil {
					return fmt.Errorf("import (nothing was stored): %w", err)
				}
				return a.print(importReport{Read: st, Stored: is})
			})
		},
	}
}

// importReport is what an agreements import read and changed.
type importReport struct {
	Read   agreements.Stats             `json:"read"`
	Stored concord.AgreementImportStats `json:"stored"`
}

func (r importReport) Table() output.Table {
	return output.Table{Columns: []string{"what", "count"}, Rows: [][]any{
		{"agreements read", r.Read.Agreements}, {"membership rows read", r.Read.PartyRows}, {"parties", r.Read.Parties},
		{"non-state parties", r.Read.NonStateParties}, {"repeated IDs renamed (~k)", r.Read.RenamedIDs},
		{"memberships of agreements not in the files (skipped)", r.Read.Orphans}, {"repeated memberships merged", r.Read.Merged},
		{"malformed dates repaired", len(r.Read.Warnings)},
		{"agreements added", r.Stored.Added}, {"agreements updated", r.Stored.Updated}, {"agreements unchanged", r.Stored.Unchanged},
		{"commitments added", r.Stored.Commitments},
	}}
}

// agreementFilterFlags are the filters of agreements list.
type agreementFilterFlags struct {
	parties           []string
	field, kind, stat string
	search            string
	from, to          int
	limit, offset     int
}

func (f *agreementFilterFlags) register(c *cobra.Command) {
	c.Flags().StringArrayVar(&f.parties, "party", nil, "a state that must be a party (repeat: all of them); any code or name")
	c.Flags().StringVar(&f.field, "field", "", "policy field: "+strings.Join(concord.Fields, ", "))
	c.Flags().StringVar(&f.kind, "kind", "", "kind of instrument, e.g. treaty, agreement, mou, protocol")
	c.Flags().StringVar(&f.stat, "status", "", "status: signed, in-force, suspended, terminated, expired")
	c.Flags().StringVar(&f.search, "search", "", "substring of the title or id")
	c.Flags().IntVar(&f.from, "from", 0, "first calendar year of the signing date (inclusive)")
	c.Flags().IntVar(&f.to, "to", 0, "last calendar year of the signing date (inclusive)")
	c.Flags().IntVar(&f.limit, "limit", 0, "at most this many (0 for all)")
	c.Flags().IntVar(&f.offset, "offset", 0, "skip this many first")
}

func (f *agreementFilterFlags) filter() (concord.AgreementFilter, error) {
	af := concord.AgreementFilter{From: f.from, To: f.to, Search: f.search, Limit: f.limit, Offset: f.offset}
	if f.from < 0 || f.to < 0 || (f.from != 0 && f.to != 0 && f.from > f.to) {
		return af, fmt.Errorf("--from %d --to %d: want calendar years, from before to", f.from, f.to)
	}
	if f.limit < 0 || f.offset < 0 {
		return af, fmt.Errorf("--limit and --offset must not be negative")
	}
	var err error
	if af.Parties, err = resolveStates("--party", f.parties); err != nil {
		return af, err
	}
	if f.field != "" {
		if af.Field, err = concord.ParseField(f.field); err != nil {
			return af, fmt.Errorf("--field: %w", err)
		}
	}
	if f.kind != "" {
		if af.Kind, err = concord.ParseAgreementKind(f.kind); err != nil {
			return af, fmt.Errorf("--kind: %w", err)
		}
	}
	if f.stat != "" {
		if af.Status, err = concord.ParseAgreementStatus(f.stat); err != nil {
			return af, fmt.Errorf("--status: %w", err)
		}
	}
	return af, nil
}

func resolveStates(flag string, qs []string) ([]string, error) {
	var out []string
	for _, q := range qs {
		c, err := resolveState(q)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, q, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func (a *app) agreementsListCmd() *cobra.Command {
	var ff agreementFilterFlags
	c := &cobra.Command{
		Use:   "list",
		Short: "List agreements: between states (bilateral and shared multilateral), by field, kind, status and period",
		Example: `  concord agreements list --party FRA --party DEU
  concord agreements list --party "United States" --field trade --from 1990 --to 2020 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := ff.filter()
			if err != nil {
				return err
			}
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				as, err := r.Agreements(cmd.Context(), f)
				if err != nil {
					return err
				}
				if as == nil {
					as = []concord.Agreement{}
				}
				return a.print(agreementList(as))
			})
		},
	}
	ff.register(c)
	return c
}

// agreementList prints one line per agreement.
type agreementList []concord.Agreement

func (l agreementList) Table() output.Table {
	t := output.Table{Columns: []string{"id", "signed", "kind", "fields", "status", "parties", "title"}}
	for _, a := range l {
		t.Rows = append(t.Rows, []any{a.ID, a.Signed, string(a.Kind), strings.Join(a.Fields, " "), string(a.Status), a.NParties, a.Title})
	}
	return t
}

// agreementDetail is one agreement with its commitments.
type agreementDetail struct {
	concord.Agreement
	Commitments []concord.Commitment `json:"commitments"`
}

// Table is one row per fact, party and commitment (report.AgreementTable).
func (d agreementDetail) Table() output.Table {
	return report.AgreementTable(d.Agreement, d.Commitments)
}

func (a *app) agreementsShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show one agreement with its parties, their dates, and its commitments",
		Example: `  concord agreements show ESP-GBR_1351A`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				ag, err := r.Agreement(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				cs, err := r.Commitments(cmd.Context(), concord.CommitmentFilter{AgreementID: ag.ID})
				if err != nil {
					return err
				}
				if cs == nil {
					cs = []concord.Commitment{}
				}
				return a.print(agreementDetail{ag, cs})
			})
		},
	}
}

func (a *app) agreementsExportCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "export",
		Short: "Export the registry: --format json (agreements and commitments, the default) or csv (agreements, one row per party)",
		Example: `  concord agreements export > registry.json
  concord agreements export --format csv -o registry.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var w io.Writer = a.stdout
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				as, err := r.Agreements(cmd.Context(), concord.AgreementFilter{WithParties: true})
				if err != nil {
					return err
				}
				switch a.format {
				case "csv":
					return agreements.WriteCSV(w, as)
				case "json", "table":
					cs, err := r.Commitments(cmd.Context(), concord.CommitmentFilter{})
					if err != nil {
						return err
					}
					return agreements.WriteJSON(w, &agreements.Registry{Agreements: as, Commitments: cs})
				}
				return fmt.Errorf("--format %s: export writes json or csv", a.format)
			})
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return c
}

// changeList prints the history of records.
type changeList []concord.Change

func (l changeList) Table() output.Table {
	t := output.Table{Columns: []string{"at", "who", "entity", "id", "action", "version"}}
	for _, c := range l {
		t.Rows = append(t.Rows, []any{c.At.Format(time.RFC3339), c.Who, c.Entity, c.EntityID, c.Action, c.Version})
	}
	return t
}

func (a *app) agreementsHistoryCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "history [ID]",
		Short: "Show who changed an agreement and its commitments (deleted ones too) when, or anything in the registry; --format json includes the records before and after",
		Long: `Show who changed what when, oldest first. With an ID: every change made under
that agreement, its own and its commitments', including commitments deleted
since and the agreement's own deletion; a deleted agreement keeps its history.
An ID that was never used is an error. Without an ID: every change in the
registry.`,
		Example: `  concord agreements history ESP-GBR_1351A --format json
  concord agreements history`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				ctx := cmd.Context()
				var h []concord.Change
				var err error
				if len(args) == 1 {
					h, err = r.AgreementHistory(ctx, args[0])
					if err == nil && len(h) == 0 {
						_, err = r.Agreement(ctx, args[0]) // never used: not found; stored but never changed: empty
					}
				} else {
					h, err = r.History(ctx, "", "")
				}
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

// timeline prints the steps of a pair's shared agreements.
type timeline []concord.TimelineEntry

func (l timeline) Table() output.Table {
	t := output.Table{Columns: []string{"date", "state", "event", "agreement", "title"}}
	for _, e := range l {
		t.Rows = append(t.Rows, []any{e.Date, e.State, e.Event, e.AgreementID, e.Title})
	}
	return t
}

func (a *app) agreementsTimelineCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "timeline STATE STATE",
		Short:   "Timeline of the agreements two states share: signatures, ratifications, entry into force, withdrawals, commitments due",
		Example: `  concord agreements timeline FRA DEU`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			codes, err := resolveStates("state", args)
			if err != nil {
				return err
			}
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				tl, err := r.Timeline(cmd.Context(), codes[0], codes[1])
				if err != nil {
					return err
				}
				if tl == nil {
					tl = []concord.TimelineEntry{}
				}
				return a.print(timeline(tl))
			})
		},
	}
}

// rateList prints implementation rates.
type rateList []concord.Rate

func (l rateList) Table() output.Table {
	t := output.Table{Columns: []string{"key", "commitments", "done", "cancelled", "overdue", "rate"}}
	for _, r := range l {
		t.Rows = append(t.Rows, []any{r.Key, r.Total, r.Done, r.Cancelled, r.Overdue, r.Rate})
	}
	return t
}

func (a *app) agreementsRatesCmd() *cobra.Command {
	var cf commitmentFilterFlags
	var by string
	c := &cobra.Command{
		Use:   "rates",
		Short: "Implementation rates (done / commitments not cancelled) per agreement, pair of states or field",
		Example: `  concord agreements rates --by field
  concord agreements rates --by pair --party FRA --party DEU
  concord agreements rates --by pair --party FRA        # FRA with each partner`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := cf.filter()
			if err != nil {
				return err
			}
			return a.withRegistry(cmd.Context(), func(r concord.Registry, _ bool) error {
				rs, err := r.Rates(cmd.Context(), concord.RateBy(by), f, cf.day())
				if err != nil {
					return err
				}
				if rs == nil {
					rs = []concord.Rate{}
				}
				return a.print(rateList(rs))
			})
		},
	}
	cf.register(c)
	c.Flags().StringVar(&by, "by", "agreement", "group by agreement, pair or field")
	return c
}

func (a *app) agreementsSetCmd(af *actorFlags) *cobra.Command {
	var status, summary, end, force string
	var tags []string
	var version int
	c := &cobra.Command{
		Use:   "set ID",
		Short: "Change an agreement's status, dates, summary or tags (recorded in its history)",
		Example: `  concord agreements set DEU-FRA_2001A --status terminated --end 2020-01-01
  concord agreements set DEU-FRA_2001A --summary "…" --version 3   # fail if someone changed it since version 3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				ag, err := r.Agreement(ctx, args[0])
				if err != nil {
					return err
				}
				if version != 0 {
					ag.Version = version
				}
				fl := cmd.Flags()
				if fl.Changed("status") {
					if ag.Status, err = concord.ParseAgreementStatus(status); err != nil {
						return fmt.Errorf("--status: %w", err)
					}
				}
				if fl.Changed("summary") {
					ag.Summary = summary
				}
				if fl.Changed("end") {
					ag.End = end
				}
				if fl.Changed("force") {
					ag.Force = force
				}
				if fl.Changed("tag") {
					ag.Tags = tags
				}
				ag, err = r.UpdateAgreement(ctx, by, ag)
				if err != nil {
					return err
				}
				return a.print(agreementDetail{ag, []concord.Commitment{}})
			})
		},
	}
	c.Flags().StringVar(&status, "status", "", "signed, in-force, suspended, terminated or expired")
	c.Flags().StringVar(&summary, "summary", "", "free-text summary")
	c.Flags().StringVar(&end, "end", "", "date of termination or expiry")
	c.Flags().StringVar(&force, "force", "", "date of entry into force")
	c.Flags().StringArrayVar(&tags, "tag", nil, "tags (repeat; replaces the tags)")
	c.Flags().IntVar(&version, "version", 0, "the version you read: the change fails if the stored one differs (default: the current one)")
	return c
}

func (a *app) agreementsAddCmd(af *actorFlags) *cobra.Command {
	var ag concord.Agreement
	var kind, status string
	var fields, parties []string
	c := &cobra.Command{
		Use:   "add",
		Short: "Add one agreement (parties with their signing date; more detail through set, or import a CSV/JSON)",
		Example: `  concord agreements add --id DEU-FRA_2024M --title "MoU on Hydrogen" --kind mou --field energy \
      --party France --party Germany --signed 2024-05-28 --place Meseberg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if ag.Kind, err = concord.ParseAgreementKind(kind); err != nil {
				return fmt.Errorf("--kind: %w", err)
			}
			if ag.Status, err = concord.ParseAgreementStatus(status); err != nil {
				return fmt.Errorf("--status: %w", err)
			}
			for _, f := range fields {
				field, err := concord.ParseField(f)
				if err != nil {
					return fmt.Errorf("--field: %w", err)
				}
				ag.Fields = append(ag.Fields, field)
			}
			codes, err := resolveStates("--party", parties)
			if err != nil {
				return err
			}
			for _, code := range codes {
				ag.Parties = append(ag.Parties, concord.Party{State: code, Signature: ag.Signed})
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				ag, err := r.CreateAgreement(ctx, by, ag)
				if err != nil {
					return err
				}
				return a.print(agreementDetail{ag, []concord.Commitment{}})
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&ag.ID, "id", "", "identifier, e.g. DEU-FRA_2024M")
	fl.StringVar(&ag.Title, "title", "", "title")
	fl.StringVar(&kind, "kind", "agreement", "treaty, agreement, mou, protocol, joint-declaration, action-plan, …")
	fl.StringArrayVar(&fields, "field", nil, "policy field (repeat)")
	fl.StringArrayVar(&parties, "party", nil, "a state party (repeat)")
	fl.StringVar(&ag.Signed, "signed", "", "signing date")
	fl.StringVar(&ag.Place, "place", "", "place of signature")
	fl.StringVar(&status, "status", "signed", "signed, in-force, suspended, terminated or expired")
	fl.StringVar(&ag.Summary, "summary", "", "summary")
	fl.StringArrayVar(&ag.Sources, "source", nil, "source reference or URL (repeat)")
	return c
}

func (a *app) agreementsDeleteCmd(af *actorFlags) *cobra.Command {
	var version int
	c := &cobra.Command{
		Use:     "delete ID --version N",
		Short:   "Delete an agreement and its commitments (admins; the record before is kept in the history)",
		Example: `  concord agreements delete DEU-FRA_2024M --version 2`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if version <= 0 {
				return fmt.Errorf("--version: give the version you read (concord agreements show %s)", args[0])
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(r concord.Registry, shared bool) error {
				by, err := af.actor(ctx, r, shared)
				if err != nil {
					return err
				}
				if err := r.DeleteAgreement(ctx, by, args[0], version); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "agreement %s deleted\n", args[0])
				return nil
			})
		},
	}
	c.Flags().IntVar(&version, "version", 0, "the version you read: the delete fails if the stored one differs")
	return c
}
