package main

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/concord-project/concord/events/worker"
	"github.com/concord-project/concord/postgres"
)

// natsFlags locate the job stream.
type natsFlags struct {
	url, stream, subject string
}

func (f *natsFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.url, "nats", envOr("CONCORD_NATS", nats.DefaultURL), "NATS server address (default $CONCORD_NATS, else nats://127.0.0.1:4222)")
	c.Flags().StringVar(&f.stream, "stream", "CONCORD_ARTICLES", "JetStream stream of article jobs")
	c.Flags().StringVar(&f.subject, "subject", "concord.articles", "subject jobs are published on")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func (f *natsFlags) connect(cmd *cobra.Command) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(f.url, nats.Timeout(5*time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("--nats %s: %w", f.url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	if err := worker.EnsureStream(cmd.Context(), js, f.stream, f.subject); err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

func (a *app) eventsEnqueueCmd() *cobra.Command {
	var nf natsFlags
	var published string
	c := &cobra.Command{
		Use:   "enqueue FILE|URL...",
		Short: "Publish articles as jobs on NATS JetStream for concord events worker",
		Example: `  concord events enqueue articles/*.txt
  concord events enqueue https://example.org/news/1 --nats nats://queue:4222`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			nc, js, err := nf.connect(cmd)
			if err != nil {
				return err
			}
			defer nc.Close()
			client := &http.Client{Timeout: time.Minute}
			for _, arg := range args {
				raw, addr, err := fetchItem(cmd, client, ingestItemFor(arg))
				if err != nil {
					return fmt.Errorf("%s: %w", addr, err)
				}
				j := worker.Job{Content: raw, Published: published}
				if ingestItemFor(arg).url != "" {
					j.URL = arg
				}
				if err := worker.Publish(cmd.Context(), js, nf.subject, j); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.stderr, "%d jobs published on %s (stream %s)\n", len(args), nf.subject, nf.stream)
			return nil
		},
	}
	nf.register(c)
	c.Flags().StringVar(&published, "published", "", "publication date yyyy-mm-dd of the articles")
	return c
}

func ingestItemFor(arg string) ingestItem {
	if len(arg) > 7 && (arg[:7] == "http://" || len(arg) > 8 && arg[:8] == "https://") {
		return ingestItem{url: arg}
	}
	return ingestItem{path: arg}
}

func (a *app) eventsWorkerCmd() *cobra.Command {
	var nf natsFlags
	var cf coderFlags
	var pgDSN, consumer string
	var drain bool
	var ackWait time.Duration
	c := &cobra.Command{
		Use:   "worker",
		Short: "Code article jobs from NATS JetStream into PostgreSQL (run one per core or machine)",
		Long: `Take article jobs from a NATS JetStream work queue (published by concord events
enqueue) and store their events in PostgreSQL. Delivery is at least once and
writes are idempotent: a job is acknowledged only after its article is
committed, and an article already stored (same content hash) is acknowledged
without writing again, so a worker killed mid-batch loses nothing and
duplicates nothing. Stop with Ctrl-C, or use --drain to stop when the queue is
empty.`,
		Example: `  concord events worker --pg postgres://postgres@127.0.0.1:5432/concord
  concord events worker --nats nats://queue:4222 --pg "$DATABASE_URL" --drain`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if pgDSN == "" {
				return fmt.Errorf("--pg: a PostgreSQL connection string is needed (or $CONCORD_PG)")
			}
			coder, err := cf.coder()
			if err != nil {
				return err
			}
			nc, js, err := nf.connect(cmd)
			if err != nil {
				return err
			}
			defer nc.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			db, err := postgres.Open(ctx, pgDSN)
			if err != nil {
				return fmt.Errorf("--pg: %w", err)
			}
			defer db.Close()
			w := &worker.Worker{JS: js, Stream: nf.stream, Consumer: consumer, AckWait: ackWait, Store: db.EventStore(), Coder: coder,
				Log: func(f string, args ...any) { fmt.Fprintf(a.stderr, f+"\n", args...) }}
			st, err := w.Run(ctx, drain)
			fmt.Fprintf(a.stderr, "%d articles coded (%d events), %d already stored, %d bad jobs dropped\n", st.Coded, st.Events, st.Skipped, st.Bad)
			return err
		},
	}
	nf.register(c)
	cf.register(c)
	c.Flags().StringVar(&pgDSN, "pg", os.Getenv("CONCORD_PG"), "PostgreSQL connection string (default $CONCORD_PG)")
	c.Flags().StringVar(&consumer, "consumer", "concord-coders", "durable consumer name shared by the workers")
	c.Flags().DurationVar(&ackWait, "ack-wait", 30*time.Second, "time a job may be in hand before it is given to another worker")
	c.Flags().BoolVar(&drain, "drain", false, "stop when the queue is empty")
	return c
}
