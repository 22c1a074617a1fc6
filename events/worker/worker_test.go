package worker

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/concord-project/concord/events"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/postgres"
)

// Services: NATS JetStream at $CONCORD_NATS (default nats://127.0.0.1:4222) and
// PostgreSQL at $CONCORD_PG (default postgres://postgres@127.0.0.1:5432/postgres).
// Tests skip when they are unreachable, unless CONCORD_REQUIRE_SERVICES=1.
func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func unavailable(t *testing.T, what string, err error) {
	t.Helper()
	if os.Getenv("CONCORD_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s: %v", what, err)
	}
	t.Skipf("%s unavailable: %v", what, err)
}

// testDB creates a fresh PostgreSQL database for one test and returns its connection string.
func testDB(t *testing.T) string {
	admin := env("CONCORD_PG", "postgres://postgres@127.0.0.1:5432/postgres")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		unavailable(t, "PostgreSQL", err)
	}
	name := fmt.Sprintf("concord_worker_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, name)
}

func jetStream(t *testing.T) (*nats.Conn, jetstream.JetStream) {
	nc, err := nats.Connect(env("CONCORD_NATS", nats.DefaultURL), nats.Timeout(3*time.Second))
	if err != nil {
		unavailable(t, "NATS", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc, js
}

// TestWorkerChild is the worker process that TestWorkerKillRestart kills; it runs only when started by it.
func TestWorkerChild(t *testing.T) {
	if os.Getenv("CONCORD_WORKER_CHILD") == "" {
		t.Skip("started by TestWorkerKillRestart only")
	}
	_, js := jetStream(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("CONCORD_WORKER_PG"))
	if err != nil {
		t.Fatal(err)
	}
	pg := db.EventStore()
	w := &Worker{JS: js, Stream: os.Getenv("CONCORD_WORKER_STREAM"), Consumer: "coders", AckWait: 2 * time.Second, Batch: 8,
		Store: pg, Coder: events.NewCoder(), AfterStore: func(int) { time.Sleep(300 * time.Millisecond) }}
	w.Run(ctx, false)
}

// TestWorkerKillRestart: a worker killed mid-batch (after committing some
// articles, before acknowledging them, with more fetched) loses nothing and
// duplicates nothing once another worker takes over; publishing every job
// again changes nothing.
func TestWorkerKillRestart(t *testing.T) {
	dir := testdata.File(t, "events/articles")
	dsn := testDB(t)
	_, js := jetStream(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	id := time.Now().UnixNano()
	stream, subject := fmt.Sprintf("CONCORD_TEST_%d", id), fmt.Sprintf("concord.test.%d.articles", id)
	if err := EnsureStream(ctx, js, stream, subject); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { js.DeleteStream(context.Background(), stream) })

	// the expected result: each development article coded once
	coder := events.NewCoder()
	keys, mentions := map[string]bool{}, map[string]bool{}
	var jobs []Job
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := events.ReadArticle(strings.NewReader(string(b)), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range coder.Code(a) {
			keys[e.Key()] = true
			mentions[fmt.Sprintf("%s|%s|%d", e.Key(), a.ID, e.Evidence.Start)] = true
		}
		jobs = append(jobs, Job{URL: "file://" + f, Content: b})
	}
	publishAll := func() {
		for _, j := range append(jobs, jobs...) { // every article twice
			if err := Publish(ctx, js, subject, j); err != nil {
				t.Fatal(err)
			}
		}
	}
	publishAll()
	if _, err := js.Publish(ctx, subject, []byte("not a job")); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pg := db.EventStore()

	child := exec.Command(os.Args[0], "-test.run=^TestWorkerChild$", "-test.v")
	child.Env = append(os.Environ(), "CONCORD_WORKER_CHILD=1", "CONCORD_WORKER_PG="+dsn, "CONCORD_WORKER_STREAM="+stream)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	for {
		n, _, _, err := pg.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n >= 3 {
			break
		}
		if ctx.Err() != nil {
			child.Process.Kill()
			t.Fatal("the child worker stored nothing")
		}
		time.Sleep(50 * time.Millisecond)
	}
	child.Process.Kill() // SIGKILL: no cleanup, jobs in hand unacknowledged
	child.Wait()
	before, _, _, _ := pg.Counts(ctx)
	if before >= len(jobs) {
		t.Fatalf("the child stored all %d articles before it was killed; the test needs it killed mid-batch", before)
	}

	w := &Worker{JS: js, Stream: stream, Consumer: "coders", AckWait: 2 * time.Second, Batch: 8, Store: pg, Coder: coder}
	st, err := w.Run(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	arts, evs, ms, err := pg.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d articles; the second worker coded %d, skipped %d, dropped %d bad jobs", before, st.Coded, st.Skipped, st.Bad)
	if arts != len(jobs) || evs != len(keys) || ms != len(mentions) {
		t.Errorf("stored %d articles, %d events, %d mentions; want %d, %d, %d", arts, evs, ms, len(jobs), len(keys), len(mentions))
	}
	if st.Bad != 1 {
		t.Errorf("bad jobs dropped: %d, want 1", st.Bad)
	}
	publishAll()
	if _, err := w.Run(ctx, true); err != nil {
		t.Fatal(err)
	}
	if a2, e2, m2, _ := pg.Counts(ctx); a2 != arts || e2 != evs || m2 != ms {
		t.Errorf("publishing again changed the store: %d/%d/%d → %d/%d/%d", arts, evs, ms, a2, e2, m2)
	}
	tl, err := pg.Timeline(ctx, concordFilter("IRN", "CUB"))
	if err != nil || len(tl) == 0 || tl[0].Month != "2023-12" {
		t.Errorf("PostgreSQL timeline IRN–CUB: %+v %v", tl, err)
	}
}
