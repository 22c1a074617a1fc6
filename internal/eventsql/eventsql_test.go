package eventsql_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/pgtest"
	"github.com/concord-project/concord/postgres"
	"github.com/concord-project/concord/sqlite"
)

// store is what the test needs of an event store.
type store interface {
	concord.EventStore
	Counts(ctx context.Context) (articles, events, mentions int, err error)
}

// TestStores runs the same cases on SQLite and, when it is reachable, PostgreSQL.
func TestStores(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "e.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testStore(t, sqliteCounts{db})
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testStore(t, db.EventStore())
	})
}

type sqliteCounts struct{ *sqlite.DB }

func (s sqliteCounts) Counts(ctx context.Context) (int, int, int, error) { return s.EventCounts(ctx) }

func ev(date, src, tgt, code string, quad int, g float64, sentence string) concord.Event {
	return concord.Event{Date: date, Source: concord.EventActor{State: src}, Target: concord.EventActor{State: tgt},
		Code: code, Root: code[:2], QuadClass: quad, Goldstein: g, Evidence: concord.Evidence{Sentence: sentence, Start: 0, End: len(sentence)}}
}

func testStore(t *testing.T, s store) {
	ctx := context.Background()
	a1 := concord.ArticleRef{ID: "a1", URL: "https://example.org/1", Title: "One"}
	a2 := concord.ArticleRef{ID: "a2", URL: "https://example.org/2", Title: "Two"}
	meet := ev("2024-01-08", "IRN", "CUB", "040", 1, 1, "Iran's minister met his Cuban counterpart.")
	sign := ev("2024-01-09", "CUB", "IRN", "057", 2, 8, "Cuba and Iran signed an agreement.")
	crit := ev("2024-02-01", "IRN", "USA", "111", 3, -2, "Iran criticised the United States.")
	st, err := s.AddArticleEvents(ctx, a1, "2024-01-10", []concord.Event{meet, sign, crit})
	if err != nil || st.Articles != 1 || st.NewEvents != 3 {
		t.Fatalf("first article: %+v %v", st, err)
	}
	// The same article again changes nothing.
	if st, err := s.AddArticleEvents(ctx, a1, "2024-01-10", []concord.Event{meet}); err != nil || st.Repeated != 1 || st.NewEvents+st.NewMentions != 0 {
		t.Fatalf("repeated article: %+v %v", st, err)
	}
	// Another article reporting the meeting adds a mention, not an event.
	meet2 := meet
	meet2.Evidence = concord.Evidence{Sentence: "They met in Havana.", Start: 10, End: 29}
	if st, err := s.AddArticleEvents(ctx, a2, "", []concord.Event{meet2}); err != nil || st.NewEvents != 0 || st.NewMentions != 1 {
		t.Fatalf("second report: %+v %v", st, err)
	}
	if ok, err := s.HasArticle(ctx, "a2"); err != nil || !ok {
		t.Errorf("HasArticle(a2) = %v, %v", ok, err)
	}
	if ok, err := s.HasArticle(ctx, "zz"); err != nil || ok {
		t.Errorf("HasArticle(zz) = %v, %v", ok, err)
	}
	// A bad event rolls the whole article back.
	if _, err := s.AddArticleEvents(ctx, concord.ArticleRef{ID: "a3"}, "", []concord.Event{meet, {Date: "2024-03-01", Code: ""}}); err == nil {
		t.Error("an event without a code was stored")
	}
	if ok, _ := s.HasArticle(ctx, "a3"); ok {
		t.Error("the article with a bad event was recorded")
	}
	if a, e, m, err := s.Counts(ctx); err != nil || a != 2 || e != 3 || m != 4 {
		t.Errorf("counts %d articles, %d events, %d mentions (%v); want 2, 3, 4", a, e, m, err)
	}

	evs, err := s.Events(ctx, concord.EventFilter{A: "CUB", B: "IRN"})
	if err != nil || len(evs) != 2 {
		t.Fatalf("events CUB–IRN: %d, %v; want 2", len(evs), err)
	}
	if evs[0].Code != "040" || evs[0].Mentions != 2 || len(evs[0].Reports) != 2 || evs[0].Reports[1].Article.URL != "https://example.org/2" {
		t.Errorf("meeting: %+v", evs[0])
	}
	if evs[1].Code != "057" || evs[1].Source.State != "CUB" || evs[1].Evidence.Sentence != sign.Evidence.Sentence {
		t.Errorf("signing: %+v", evs[1])
	}
	from, _ := time.Parse("2006-01-02", "2024-01-09")
	if evs, err := s.Events(ctx, concord.EventFilter{A: "IRN", From: from}); err != nil || len(evs) != 2 {
		t.Errorf("events of IRN from 2024-01-09: %d, %v; want 2", len(evs), err)
	}

	tl, err := s.Timeline(ctx, concord.EventFilter{A: "IRN", B: "CUB"})
	if err != nil || len(tl) != 1 {
		t.Fatalf("timeline: %+v %v", tl, err)
	}
	if m := tl[0]; m.Month != "2024-01" || m.Events != 2 || m.Goldstein != 9 || m.Quad != [4]int{1, 1, 0, 0} {
		t.Errorf("January: %+v", m)
	}
}
