package main

import (
	"context"
	"fmt"
	"log/slog"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	chttp "github.com/concord-project/concord/http"
)

func (a *app) serveCmd() *cobra.Command {
	var addr string
	var logFormat string
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
Listens on localhost unless --addr says otherwise. One line of structured log per request on stderr.`,
		Example: `  concord serve
  concord serve --addr 127.0.0.1:9000 --db votes.db`,
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
			if err := s.Open(); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "concord: serving %s on %s\n", a.dbPath, s.URL())
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
	return c
}
