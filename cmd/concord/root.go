package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/sqlite"
)

// app holds what every command shares: where the store is and how to print.
type app struct {
	dbPath string
	format string
	stdout io.Writer
	stderr io.Writer
	db     *sqlite.DB
}

// newRootCmd builds the command tree; stdout and stderr are parameters so tests can run commands in-process.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	a := &app{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "concord",
		Short: "Who stands with whom: UN votes, blocs, agreements, events and trade",
		Long: `concord analyses how states align, from UN General Assembly roll-call votes
(agreement, S-score, Cohen's kappa, coincidence), with more analyses to come.

Start with:
  concord fetch unga            download and import the UN voting record
  concord partners IRN --issue me
  concord align IRN CUB --by year`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPostRunE: func(*cobra.Command, []string) error {
			return a.close()
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&a.dbPath, "db", defaultDBPath(), "database file (default $CONCORD_DB, else in the user's data directory)")
	root.PersistentFlags().StringVar(&a.format, "format", "table", "output format: table, csv or json")
	root.AddCommand(
		a.importCmd(),
		a.fetchCmd(),
		a.alignCmd(),
		a.partnersCmd(),
		a.blocsCmd(),
		a.coalitionCmd(),
		a.idealCmd(),
		a.countriesCmd(),
		a.rollcallsCmd(),
		a.serveCmd(),
		a.eventsCmd(),
		a.tradeCmd(),
		a.agreementsCmd(),
		a.commitmentsCmd(),
		a.usersCmd(),
		a.briefCmd(),
	)
	return root
}

// defaultDBPath is $CONCORD_DB, else concord/concord.db in the user's data directory.
func defaultDBPath() string {
	if p := os.Getenv("CONCORD_DB"); p != "" {
		return p
	}
	return filepath.Join(userDataDir(), "concord", "concord.db")
}

// userDataDir follows the XDG base directory convention on Unix, and the platform's own elsewhere.
func userDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support")
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d
		}
	}
	return filepath.Join(home, ".local", "share")
}

// store opens the database once per command.
func (a *app) store() (*sqlite.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	db, err := sqlite.Open(a.dbPath)
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", a.dbPath, err)
	}
	a.db = db
	return db, nil
}

func (a *app) close() error {
	if a.db == nil {
		return nil
	}
	err := a.db.Close()
	a.db = nil
	return err
}

// print writes a result in the chosen --format.
func (a *app) print(v output.Tabler) error {
	f, err := output.ParseFormat(a.format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	return output.Write(a.stdout, f, v)
}
