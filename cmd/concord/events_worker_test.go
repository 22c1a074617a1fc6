package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/concord-project/concord/internal/testdata"
)

// TestEventsWorkerCommand enqueues two articles and drains them with concord events worker into a fresh PostgreSQL database.
// It needs NATS ($CONCORD_NATS) and PostgreSQL ($CONCORD_PG); it skips without them unless CONCORD_REQUIRE_SERVICES=1.
func TestEventsWorkerCommand(t *testing.T) {
	skip := func(what string, err error) {
		if os.Getenv("CONCORD_REQUIRE_SERVICES") == "1" {
			t.Fatalf("%s: %v", what, err)
		}
		t.Skipf("%s unavailable: %v", what, err)
	}
	dir := testdata.File(t, "events/articles")
	natsURL := envOr("CONCORD_NATS", nats.DefaultURL)
	nc, err := nats.Connect(natsURL, nats.Timeout(3*time.Second))
	if err != nil {
		skip("NATS", err)
	}
	defer nc.Close()
	admin := envOr("CONCORD_PG", "postgres://postgres@127.0.0.1:5432/postgres")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		skip("PostgreSQL", err)
	}
	id := time.Now().UnixNano()
	name := fmt.Sprintf("concord_cli_%d", id)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	defer func() { conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); conn.Close(ctx) }()
	cfg, _ := pgx.ParseConfig(admin)
	dsn := fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, name)
	stream, subject := fmt.Sprintf("CONCORD_CLI_%d", id), fmt.Sprintf("concord.cli.%d", id)
	if js, err := jetstream.New(nc); err == nil {
		defer js.DeleteStream(ctx, stream)
	}
	q := []string{"--nats", natsURL, "--stream", stream, "--subject", subject}
	a := filepath.Join(dir, "00-radiohc-iran-cuba.txt")
	b := filepath.Join(dir, "09-memo-iran-uk-sanctions.txt")
	if _, errOut, err := run(t, append([]string{"events", "enqueue", a, b, a}, q...)...); err != nil || !strings.Contains(errOut, "3 jobs published") {
		t.Fatalf("enqueue: %v %s", err, errOut)
	}
	_, errOut, err := run(t, append([]string{"events", "worker", "--pg", dsn, "--drain", "--consumer", "c1"}, q...)...)
	if err != nil || !strings.Contains(errOut, "2 articles coded") || !strings.Contains(errOut, "1 already stored") {
		t.Fatalf("worker: %v %s", err, errOut)
	}
	if _, _, err := run(t, "events", "worker", "--pg", ""); err == nil || !strings.Contains(err.Error(), "--pg") {
		t.Errorf("worker without --pg: %v", err)
	}
}
