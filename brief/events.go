package brief

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/events"
)

// Events are the latest coded events between the states and their monthly score.
type Events struct {
	Section
	Total  int                  `json:"total"`  // events between the states (every pair, both directions) in the range
	Kinds  EventKinds           `json:"kinds"`  // events per kind
	Latest []EventItem          `json:"latest"` // the latest MaxEvents, newest first
	Months []concord.MonthScore `json:"months"` // monthly score, summed over pairs, by month
}

// EventKinds counts events by kind.
type EventKinds struct {
	Meeting   int `json:"meeting"`
	Signing   int `json:"signing"`
	Praise    int `json:"praise"`
	Criticism int `json:"criticism"`
	OtherCoop int `json:"other_cooperation"`
	Conflict  int `json:"other_conflict"`
}

// field returns the counter of a kind.
func (k *EventKinds) field(kind string) *int {
	switch kind {
	case KindMeeting:
		return &k.Meeting
	case KindSigning:
		return &k.Signing
	case KindPraise:
		return &k.Praise
	case KindCriticism:
		return &k.Criticism
	case KindCoop:
		return &k.OtherCoop
	}
	return &k.Conflict
}

// Count returns the number of events of a kind (one of the Kind constants).
func (k EventKinds) Count(kind string) int { return *k.field(kind) }

// Total returns the number of events of every kind.
func (k EventKinds) Total() int {
	return k.Meeting + k.Signing + k.Praise + k.Criticism + k.OtherCoop + k.Conflict
}

// EventItem is one event with its sources.
type EventItem struct {
	Date        string               `json:"date"`
	Source      string               `json:"source"` // state code, or the organisation's name
	Target      string               `json:"target"`
	Kind        string               `json:"kind"`
	Code        string               `json:"cameo"`
	Description string               `json:"description"` // CAMEO description of the code
	Goldstein   float64              `json:"goldstein"`
	Evidence    string               `json:"evidence"` // the sentence that supports it, without emphasis marks
	Articles    []concord.ArticleRef `json:"articles"` // every article that reports it
}

// The kinds of event a brief names.
const (
	KindMeeting   = "meeting"
	KindSigning   = "signing"
	KindPraise    = "praise"
	KindCriticism = "criticism"
	KindCoop      = "other cooperation"
	KindConflict  = "other conflict"
)

// EventKind names the kind of a CAMEO code: meetings and visits (04x), signing a
// formal agreement (057), praise (051), criticism and disapproval (11x),
// else other cooperation or conflict by quad class.
func EventKind(code string) string {
	switch {
	case strings.HasPrefix(code, "04"):
		return KindMeeting
	case code == "057":
		return KindSigning
	case strings.HasPrefix(code, "051"):
		return KindPraise
	case strings.HasPrefix(code, "11"):
		return KindCriticism
	}
	if q := events.QuadClass(code); q >= 3 {
		return KindConflict
	}
	return KindCoop
}

var codebook = events.DefaultCodebook()

func actorName(a concord.EventActor) string {
	if a.State != "" {
		return a.State
	}
	return a.Name
}

func buildEvents(ctx context.Context, src Sources, b *Brief, from, to int) (Events, error) {
	ev := Events{Section: Section{Source: "events coded from news articles (CAMEO codes, Goldstein weights; concord events)"},
		Latest: []EventItem{}, Months: []concord.MonthScore{}}
	if src.Events == nil {
		ev.Missing = "No event store is configured, so no meetings, signings, praise or criticism are known here."
		return ev, nil
	}
	var f concord.EventFilter
	if from != 0 {
		f.From = time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to != 0 {
		f.To = time.Date(to, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	if from != 0 || to != 0 {
		ev.Notes = append(ev.Notes, "only events in "+yearsText(from, to))
	}
	var all []concord.StoredEvent
	months := map[string]*concord.MonthScore{}
	for _, p := range pairs(b.States) {
		f.A, f.B = p[0], p[1]
		es, err := src.Events.Events(ctx, f)
		if err != nil {
			return ev, err
		}
		all = append(all, es...)
		ms, err := src.Events.Timeline(ctx, f)
		if err != nil {
			return ev, err
		}
		for _, m := range ms {
			s := months[m.Month]
			if s == nil {
				s = &concord.MonthScore{Month: m.Month}
				months[m.Month] = s
			}
			s.Events += m.Events
			s.Goldstein += m.Goldstein
			for q := range s.Quad {
				s.Quad[q] += m.Quad[q]
			}
		}
	}
	for _, m := range months {
		ev.Months = append(ev.Months, *m)
	}
	slices.SortFunc(ev.Months, func(x, y concord.MonthScore) int { return strings.Compare(x.Month, y.Month) })
	// Newest first; undated events last.
	slices.SortStableFunc(all, func(x, y concord.StoredEvent) int {
		if c := strings.Compare(y.Date, x.Date); c != 0 {
			return c
		}
		return int(x.ID - y.ID)
	})
	ev.Total = len(all)
	for _, e := range all {
		*ev.Kinds.field(EventKind(e.Code))++
		if e.Date > ev.AsOf {
			ev.AsOf = e.Date
		}
		if len(ev.Latest) >= MaxEvents {
			continue
		}
		it := EventItem{Date: e.Date, Source: actorName(e.Source), Target: actorName(e.Target), Kind: EventKind(e.Code), Code: e.Code,
			Goldstein: e.Goldstein, Evidence: plainText(e.Evidence.Sentence), Articles: []concord.ArticleRef{}}
		if ci, ok := codebook.Lookup(e.Code); ok {
			it.Description = ci.Description
		}
		seen := map[string]bool{}
		for _, r := range e.Reports {
			if !seen[r.Article.ID] {
				seen[r.Article.ID] = true
				it.Articles = append(it.Articles, r.Article)
			}
		}
		if len(it.Articles) == 0 && e.Article.ID != "" {
			it.Articles = append(it.Articles, e.Article)
		}
		ev.Latest = append(ev.Latest, it)
	}
	if ev.Total == 0 {
		ev.Missing = fmt.Sprintf("No coded event between %s is stored%s; code news articles with `concord events ingest`.",
			andList(b.States), map[bool]string{true: " for " + yearsText(from, to), false: ""}[from != 0 || to != 0])
	} else {
		ev.Notes = append(ev.Notes, "monthly score: the sum of the Goldstein weights of the month's dated events (positive: cooperation, negative: conflict)")
	}
	return ev, nil
}
