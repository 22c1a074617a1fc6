// Package worker codes articles taken from a NATS JetStream stream and writes
// their events to a shared store (PostgreSQL: postgres.DB.EventStore), so that many
// machines can code news together.
//
// Delivery is at least once: a job is acknowledged only after its article and
// events are committed in one transaction. A worker killed mid-batch leaves
// its unacknowledged jobs to be redelivered after the consumer's AckWait; a
// job whose article was committed but not acknowledged is redelivered too,
// and then recognised by the article's content hash and acknowledged without
// writing anything again. So nothing is lost and nothing is duplicated.
package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/events"
)

// Job is one article to code: its raw content (plain text or HTML), address and optional publication date (yyyy-mm-dd).
type Job struct {
	URL       string `json:"url,omitempty"`
	Content   []byte `json:"content"`
	Published string `json:"published,omitempty"`
}

// EnsureStream creates the work-queue stream (or updates it) holding jobs published on subject.
func EnsureStream(ctx context.Context, js jetstream.JetStream, stream, subject string) error {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      stream,
		Subjects:  []string{subject},
		Retention: jetstream.WorkQueuePolicy,
		Storage:   jetstream.FileStorage,
	})
	if err != nil {
		return fmt.Errorf("stream %s: %w", stream, err)
	}
	return nil
}

// Publish sends a job and waits for the stream to store it.
func Publish(ctx context.Context, js jetstream.JetStream, subject string, j Job) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	_, err = js.Publish(ctx, subject, b)
	return err
}

// Stats counts what a worker did.
type Stats struct {
	Coded, Skipped, Bad, Events int
}

// Worker takes jobs from a durable JetStream consumer and stores their events.
type Worker struct {
	JS       jetstream.JetStream
	Stream   string
	Consumer string        // durable consumer name, shared by all workers
	AckWait  time.Duration // how long a job may be in hand before it is redelivered (default 30 s)
	Batch    int           // jobs fetched at once (default 16)
	Store    concord.EventStore
	Coder    *events.Coder
	// AfterStore, when set, is called after a job's events are committed and before it is acknowledged (tests use it to stop a worker there).
	AfterStore func(n int)
	// Log, when set, receives one line per bad job.
	Log func(format string, args ...any)
}

// Run processes jobs until ctx is cancelled, or, with drain set, until the stream holds no pending job.
func (w *Worker) Run(ctx context.Context, drain bool) (Stats, error) {
	var st Stats
	ackWait := w.AckWait
	if ackWait == 0 {
		ackWait = 30 * time.Second
	}
	batch := w.Batch
	if batch == 0 {
		batch = 16
	}
	cons, err := w.JS.CreateOrUpdateConsumer(ctx, w.Stream, jetstream.ConsumerConfig{
		Durable:    w.Consumer,
		AckPolicy:  jetstream.AckExplicitPolicy,
		AckWait:    ackWait,
		MaxDeliver: -1,
	})
	if err != nil {
		return st, fmt.Errorf("consumer %s on %s: %w", w.Consumer, w.Stream, err)
	}
	for {
		if ctx.Err() != nil {
			return st, nil
		}
		msgs, err := cons.Fetch(batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return st, nil
			}
			return st, err
		}
		n := 0
		for m := range msgs.Messages() {
			n++
			if err := w.handle(ctx, m, &st); err != nil {
				// a store error: leave the job unacknowledged (it comes back) and stop
				m.Nak()
				return st, err
			}
		}
		if err := msgs.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && ctx.Err() == nil {
			return st, err
		}
		if drain && n == 0 {
			info, err := cons.Info(ctx)
			if err != nil {
				return st, err
			}
			if info.NumPending == 0 && info.NumAckPending == 0 {
				return st, nil
			}
		}
	}
}

func (w *Worker) handle(ctx context.Context, m jetstream.Msg, st *Stats) error {
	var j Job
	if err := json.Unmarshal(m.Data(), &j); err != nil || len(j.Content) == 0 {
		st.Bad++
		if w.Log != nil {
			w.Log("bad job (not a JSON job with content), dropped: %v", err)
		}
		return m.Term()
	}
	art, err := events.ReadArticle(bytes.NewReader(j.Content), j.URL)
	if err == nil && j.Published != "" {
		art.Published, err = time.Parse("2006-01-02", j.Published)
	}
	if err != nil {
		st.Bad++
		if w.Log != nil {
			w.Log("bad job %s, dropped: %v", j.URL, err)
		}
		return m.Term()
	}
	if ok, err := w.Store.HasArticle(ctx, art.ID); err != nil {
		return err
	} else if ok {
		st.Skipped++
		return m.Ack()
	}
	evs := w.Coder.Code(art)
	pub := ""
	if !art.Published.IsZero() {
		pub = art.Published.Format("2006-01-02")
	}
	res, err := w.Store.AddArticleEvents(ctx, concord.ArticleRef{ID: art.ID, URL: art.URL, Title: art.Title}, pub, evs)
	if err != nil {
		return err
	}
	if res.Repeated > 0 {
		st.Skipped++
	} else {
		st.Coded++
		st.Events += len(evs)
	}
	if w.AfterStore != nil {
		w.AfterStore(st.Coded + st.Skipped)
	}
	return m.DoubleAck(ctx)
}
