package concord

import (
	"context"
	"strings"
	"time"
)

// EventActor is one side of a coded event: a state (ISO alpha-3 code, or "" for an international organisation), a person or organisation name, and a role.
type EventActor struct {
	State string `json:"state"`          // ISO alpha-3 code, or "" for an international organisation
	Name  string `json:"name,omitempty"` // person or organisation as the text spells it, or ""
	Role  string `json:"role,omitempty"` // title or agent, e.g. "President", "government", or ""
	Code  string `json:"code,omitempty"` // CAMEO actor code, e.g. "IRNGOV", when known
}

// Key is the actor as it enters de-duplication: the state code, or "IGO:" and the organisation's name.
func (a EventActor) Key() string {
	if a.State != "" {
		return a.State
	}
	return "IGO:" + strings.ToUpper(a.Name)
}

// Evidence is the sentence that supports an event, with its byte offsets in the article's text.
type Evidence struct {
	Sentence string `json:"sentence"`
	Start    int    `json:"start"` // byte offset of the sentence in the article text
	End      int    `json:"end"`   // byte offset just past the sentence
}

// ArticleRef names the article an event was coded from.
type ArticleRef struct {
	ID    string `json:"id"`              // content hash (hex SHA-256 of the text)
	URL   string `json:"url,omitempty"`   // the article's address, when known
	Title string `json:"title,omitempty"` // the article's headline, when known
}

// Event is one coded diplomatic event: who did what to whom, when and where, with its CAMEO code, quad class, Goldstein weight and evidence.
type Event struct {
	Date      string     `json:"date,omitempty"` // yyyy-mm-dd, or "" when the text does not give the day
	Source    EventActor `json:"source"`
	Target    EventActor `json:"target"`
	Code      string     `json:"cameo"`      // CAMEO event code, 2–4 digits with leading zero, e.g. "043"
	Root      string     `json:"root"`       // CAMEO root, "01" to "20"
	QuadClass int        `json:"quad_class"` // 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
	Goldstein float64    `json:"goldstein"`  // Goldstein conflict–cooperation weight, −10 to +10
	Place     string     `json:"place,omitempty"`
	Evidence  Evidence   `json:"evidence"`
	Article   ArticleRef `json:"article"`
}

// Undirected reports whether the event's code is symmetric (consult, meet, sign a formal agreement), so that its actors are unordered.
func (e Event) Undirected() bool {
	switch e.Code {
	case "040", "044", "046", "057":
		return true
	}
	return false
}

// Key is the de-duplication key: the same date, actor states and CAMEO code make one event, whichever article reports it; symmetric codes sort their actors.
func (e Event) Key() string {
	s, t := e.Source.Key(), e.Target.Key()
	if e.Undirected() && t < s {
		s, t = t, s
	}
	return e.Date + "|" + s + "|" + t + "|" + e.Code
}

// StoredEvent is a de-duplicated event with every article that reported it.
type StoredEvent struct {
	Event
	ID       int64    `json:"id"`
	Mentions int      `json:"mentions"` // number of evidence sentences across all articles
	Reports  []Report `json:"reports"`
}

// Report is one article's evidence for a stored event.
type Report struct {
	Article  ArticleRef `json:"article"`
	Evidence Evidence   `json:"evidence"`
}

// EventFilter selects stored events: both states when set (either direction), and an inclusive date range.
type EventFilter struct {
	A, B     string    // state codes; empty matches any
	From, To time.Time // zero means unbounded
}

// MonthScore is one month of a pair's relations: the number of events, their Goldstein sum and the count in each quad class.
type MonthScore struct {
	Month     string  `json:"month"` // yyyy-mm
	Events    int     `json:"events"`
	Goldstein float64 `json:"goldstein"`
	Quad      [4]int  `json:"quad"` // verbal cooperation, material cooperation, verbal conflict, material conflict
}

// EventStats says what adding a batch of events did.
type EventStats struct {
	Articles    int // articles recorded for the first time
	Repeated    int // articles already recorded (skipped)
	NewEvents   int // events not seen before
	NewMentions int // evidence added to events already stored
}

// EventStore keeps coded events, de-duplicated by [Event.Key], and answers pair timelines.
type EventStore interface {
	// AddArticleEvents records one article and its events in one transaction; an article already recorded (same ID) is skipped.
	AddArticleEvents(ctx context.Context, art ArticleRef, published string, evs []Event) (EventStats, error)
	// HasArticle reports whether the article with this content hash has been recorded.
	HasArticle(ctx context.Context, id string) (bool, error)
	// Events returns the stored events the filter selects, by date.
	Events(ctx context.Context, f EventFilter) ([]StoredEvent, error)
	// Timeline returns the monthly scores of the events between states a and b (both directions) in the filter's date range.
	Timeline(ctx context.Context, f EventFilter) ([]MonthScore, error)
}
