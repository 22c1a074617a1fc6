package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

func ev(date, s, t, code string, quad int, g float64) concord.Event {
	return concord.Event{Date: date, Source: concord.EventActor{State: s}, Target: concord.EventActor{State: t}, Code: code, Root: code[:2], QuadClass: quad, Goldstein: g,
		Evidence: concord.Evidence{Sentence: s + " " + code + " " + t, Start: 0, End: 10}}
}

// TestEventsDedup: the same date, actors and code from two articles is one event with two mentions; re-adding an article changes nothing.
func TestEventsDedup(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "ev.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a1 := concord.ArticleRef{ID: "a1", URL: "http://one"}
	a2 := concord.ArticleRef{ID: "a2", URL: "http://two"}
	st, err := db.AddArticleEvents(ctx, a1, "2023-12-05", []concord.Event{ev("2023-12-04", "IRN", "CUB", "040", 1, 1), ev("2023-12-04", "IRN", "USA", "111", 3, -2)})
	if err != nil || st.NewEvents != 2 {
		t.Fatalf("first article: %+v %v", st, err)
	}
	// the meeting reported the other way round (undirected) and a new event
	st, err = db.AddArticleEvents(ctx, a2, "2023-12-06", []concord.Event{ev("2023-12-04", "CUB", "IRN", "040", 1, 1), ev("2024-01-10", "CUB", "IRN", "051", 1, 3.4)})
	if err != nil || st.NewEvents != 1 || st.NewMentions != 1 {
		t.Fatalf("second article: %+v %v", st, err)
	}
	st, err = db.AddArticleEvents(ctx, a2, "2023-12-06", []concord.Event{ev("2023-12-04", "CUB", "IRN", "040", 1, 1)})
	if err != nil || st.Repeated != 1 || st.NewEvents+st.NewMentions != 0 {
		t.Fatalf("repeated article: %+v %v", st, err)
	}
	if ok, _ := db.HasArticle(ctx, "a2"); !ok {
		t.Error("HasArticle(a2) = false")
	}
	evs, err := db.Events(ctx, concord.EventFilter{A: "CUB", B: "IRN"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Code != "040" || evs[0].Mentions != 2 || len(evs[0].Reports) != 2 || evs[0].Reports[1].Article.URL != "http://two" {
		t.Fatalf("events %+v", evs)
	}
	tl, err := db.Timeline(ctx, concord.EventFilter{A: "IRN", B: "CUB", From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 2 || tl[0].Month != "2023-12" || tl[0].Events != 1 || tl[0].Goldstein != 1 || tl[1].Month != "2024-01" || tl[1].Goldstein != 3.4 || tl[1].Quad[0] != 1 {
		t.Errorf("timeline %+v", tl)
	}
	if _, err := db.AddArticleEvents(ctx, concord.ArticleRef{ID: "bad"}, "", []concord.Event{{Code: "040"}}); err == nil {
		t.Error("an event without a quad class was accepted")
	}
	if ok, _ := db.HasArticle(ctx, "bad"); ok {
		t.Error("a failed article was recorded (not all-or-nothing)")
	}
}
