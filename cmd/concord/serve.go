package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
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
	var registryCache int
	var trustedProxies []string
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
(concord users token create) sent as "Authorization: Bearer <token>".

Results of registry reads (lists, timelines) are kept for as long as the
registry does not change (--registry-cache entries; 0 keeps none); writes by
any server or command sharing the registry are seen at once.

Behind a reverse proxy, name it with --trusted-proxy (a CIDR range or an
address, repeatable): the client's address, which failed logins are counted
by and the log shows, is then read from the X-Forwarded-For the proxy sets.`,
		Example: `  concord serve
  concord serve --addr 127.0.0.1:9000 --db votes.db
  concord serve --registry postgres://concord@db.example.org/concord --private
  concord serve --addr 0.0.0.0:8080 --trusted-proxy 10.0.0.0/8`,
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
			if registryCache < 0 {
				return fmt.Errorf("--registry-cache: %d entries; want 0 (no cache) or more", registryCache)
			}
			proxies, err := parseTrustedProxies(trustedProxies)
			if err != nil {
				return err
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
			s.TrustedProxies = proxies
			where := a.dbPath
			if registry != "" {
				reg, desc, closeReg, err := openRegistry(ctx, registry)
				if err != nil {
					return fmt.Errorf("--registry: %w", err)
				}
				defer closeReg()
				s.Registry, where = reg, where+" with the registry "+desc
			}
			enableRegistryCache(s.Registry, registryCache)
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
	c.Flags().IntVar(&registryCache, "registry-cache", defaultRegistryCache, "registry read results kept until the registry changes (entries; 0: none)")
	c.Flags().StringArrayVar(&trustedProxies, "trusted-proxy", nil, "a reverse proxy (CIDR range or address; repeatable) whose X-Forwarded-For names the client")
	return c
}

// defaultRegistryCache is the number of registry read results serve keeps.
// The cache counts results, not bytes: a page of 100 agreements is about
// 70 kB, the whole GGO registry in one list (limit 5000) about 3 MB, so 256
// bounds it near 800 MB even if every kept result were a whole list.
const defaultRegistryCache = 256

// enableRegistryCache has reg keep up to n read results per registry revision
// (none when n is 0), if it can (the SQLite and PostgreSQL registries can).
func enableRegistryCache(reg concord.Registry, n int) {
	if c, ok := reg.(interface{ EnableCache(n int) }); ok {
		c.EnableCache(n)
	}
}

// parseTrustedProxies parses the --trusted-proxy ranges.
func parseTrustedProxies(ss []string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, s := range ss {
		p, err := chttp.ParseTrustedProxy(s)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxy: %w", err)
		}
		ps = append(ps, p)
	}
	return ps, nil
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
