package main

import (
	"context"
	"fmt"
	"log/slog"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	chttp "github.com/concord-project/concord/http"
	"github.com/concord-project/concord/postgres"
	"github.com/concord-project/concord/sqlite"
)

func (a *app) serveCmd() *cobra.Command {
	var addr, logFormat, registry string
	var private bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the JSON API and the web UI over HTTP",
		Long: `Serves concord over HTTP until interrupted (Ctrl-C or SIGTERM, which let the
requests in flight finish):
  /                  web UI: state pages, pair pages (and pages for analyses to come)
  /api/v1/...        JSON API with the parameters and fields of the commands
  /api/openapi.json  its OpenAPI 3 document
  /healthz           200 when the store answers
  /metrics           Prometheus metrics
  /agreements        the agreements registry: lists, details, edit forms (log in at /login)
Listens on localhost unless --addr says otherwise. One line of structured log per request on stderr.

The registry is the one in --db (SQLite) unless --registry names another: a
PostgreSQL URL for a registry a team shares (several servers may use it at
once), or another SQLite file. Anyone may read it unless --private; writes need
a user (concord users add) logged in at /login, or an API token
(concord users token create) sent as "Authorization: Bearer <token>".`,
		Example: `  concord serve
  concord serve --addr 127.0.0.1:9000 --db votes.db
  concord serve --registry postgres://concord@db.example.org/concord --private`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var h slog.Handler
			switch logFormat {
			case "json":
				h = slog.NewJSONHandler(a.stderr, nil)
			case "text":
				h = slog.NewTextHandler(a.stderr, nil)
			default:
				return fmt.Errorf("--log: unknown format %q (want text or json)", logFormat)
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			s := chttp.NewServer(db)
			s.Addr = addr
			s.Logger = slog.New(h)
			s.PrivateRegistry = private
			where := a.dbPath
			if registry != "" {
				reg, desc, closeReg, err := openRegistry(ctx, registry)
				if err != nil {
					return fmt.Errorf("--registry: %w", err)
				}
				defer closeReg()
				s.Registry, where = reg, where+" with the registry "+desc
			}
			if err := s.Open(); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "concord: serving %s on %s\n", where, s.URL())
			<-ctx.Done()
			stop()
			s.Logger.Info("shutting down: waiting for requests in flight")
			sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			return s.Close(sctx)
		},
	}
	c.Flags().StringVar(&addr, "addr", chttp.DefaultAddr, "address to listen on (host:port); the default accepts local connections only")
	c.Flags().StringVar(&logFormat, "log", "text", "request log format on stderr: text or json")
	c.Flags().StringVar(&registry, "registry", "", "agreements registry: a PostgreSQL URL (postgres://…, shared) or a SQLite file (default: the registry in --db)")
	c.Flags().BoolVar(&private, "private", false, "reading the registry needs a login too (by default only writes do)")
	return c
}

// openRegistry opens the registry named by --registry: a PostgreSQL URL or a SQLite file.
func openRegistry(ctx context.Context, where string) (concord.Registry, string, func(), error) {
	if isPostgresURL(where) {
		db, err := postgres.Open(ctx, where)
		if err != nil {
			return nil, "", nil, err
		}
		return db, postgres.Redact(where), func() { db.Close() }, nil
	}
	db, err := sqlite.Open(where)
	if err != nil {
		return nil, "", nil, err
	}
	return db.Registry(), where, func() { db.Close() }, nil
}
