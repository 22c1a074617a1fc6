package report

import (
	"context"
	"fmt"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
)

// EventTimeline is a pair's monthly cooperation–conflict score from coded news
// events (`concord events timeline A B`, GET /api/v1/events/timeline): per
// month, the number of events between A and B (both directions), the sum of
// their Goldstein weights and the count in each quad class. Events without a
// known day are left out.
type EventTimeline struct {
	A      string               `json:"a"`
	B      string               `json:"b"`
	From   string               `json:"from,omitempty"` // first day, yyyy-mm-dd, if given
	To     string               `json:"to,omitempty"`   // last day, if given
	Months []concord.MonthScore `json:"months"`
}

// Table lists one row per month.
func (t EventTimeline) Table() output.Table {
	tb := output.Table{Columns: []string{"month", "events", "goldstein", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict"}}
	for _, m := range t.Months {
		tb.Rows = append(tb.Rows, []any{m.Month, m.Events, m.Goldstein, m.Quad[0], m.Quad[1], m.Quad[2], m.Quad[3]})
	}
	return tb
}

// Total sums the months: events, Goldstein weights and quad-class counts.
func (t EventTimeline) Total() EventScore {
	s := EventScore{A: t.A, B: t.B, From: t.From, To: t.To}
	for _, m := range t.Months {
		s.Events += m.Events
		s.Goldstein += m.Goldstein
		for i := range s.Quad {
			s.Quad[i] += m.Quad[i]
		}
	}
	return s
}

// EventScore is a pair's cooperation–conflict score over a period: the number
// of dated events between them, the sum of their Goldstein weights (positive:
// cooperation, negative: conflict) and the count in each quad class.
type EventScore struct {
	Period    string  `json:"period,omitempty"` // the period of the alignment row it stands beside ("all", a year), if any
	A         string  `json:"a"`
	B         string  `json:"b"`
	From      string  `json:"from,omitempty"`
	To        string  `json:"to,omitempty"`
	Events    int     `json:"events"`
	Goldstein float64 `json:"goldstein"`
	Quad      [4]int  `json:"quad"` // verbal cooperation, material cooperation, verbal conflict, material conflict
}

// String says the score in one line, e.g. "12 events, Goldstein +18.4 (coop 9, conflict 3)".
func (s EventScore) String() string {
	if s.Events == 0 {
		return "no events stored"
	}
	return fmt.Sprintf("%d events, Goldstein %+.1f (cooperation %d, conflict %d)", s.Events, s.Goldstein, s.Quad[0]+s.Quad[1], s.Quad[2]+s.Quad[3])
}

// PairEventScore sums the stored events between a and b whose day is in
// [from, to] (zero: unbounded), as `align --events` and `partners --events` show.
func PairEventScore(ctx context.Context, st concord.EventStore, a, b string, from, to time.Time) (EventScore, error) {
	ms, err := st.Timeline(ctx, concord.EventFilter{A: a, B: b, From: from, To: to})
	if err != nil {
		return EventScore{}, err
	}
	t := EventTimeline{A: a, B: b, Months: ms}
	if !from.IsZero() {
		t.From = from.Format("2006-01-02")
	}
	if !to.IsZero() {
		t.To = to.Format("2006-01-02")
	}
	return t.Total(), nil
}

// YearRange turns the vote window's years (0: unbounded) into the days of the event filter: 1 January of from to 31 December of to.
func YearRange(from, to int) (time.Time, time.Time) {
	var f, t time.Time
	if from != 0 {
		f = time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to != 0 {
		t = time.Date(to, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return f, t
}

// ParseDay reads a day bound written yyyy, yyyy-mm or yyyy-mm-dd; end makes a
// year or month its last day, so that "--to 2024" includes 31 December.
func ParseDay(s string, end bool) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			if end {
				switch layout {
				case "2006-01":
					t = t.AddDate(0, 1, -1)
				case "2006":
					t = t.AddDate(1, 0, -1)
				}
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want yyyy, yyyy-mm or yyyy-mm-dd", s)
}

// EventList is stored events with their evidence (GET /api/v1/events): Total
// counts every event the filter selects, Events holds at most the limit.
type EventList struct {
	A      string        `json:"a,omitempty"`
	B      string        `json:"b,omitempty"`
	From   string        `json:"from,omitempty"`
	To     string        `json:"to,omitempty"`
	Code   string        `json:"code,omitempty"`
	Root   string        `json:"root,omitempty"`
	Total  int           `json:"total"`
	Events []ListedEvent `json:"events"`
}

// ListedEvent is a stored event with the CAMEO description of its code.
type ListedEvent struct {
	concord.StoredEvent
	Label string `json:"label"` // CAMEO description of the code, e.g. "Host a visit"
}

// Table lists one row per event with its first evidence and address.
func (l EventList) Table() output.Table {
	t := output.Table{Columns: []string{"id", "date", "source", "target", "cameo", "label", "quad_class", "goldstein", "mentions", "place", "evidence", "start", "end", "address"}}
	for _, e := range l.Events {
		t.Rows = append(t.Rows, []any{e.ID, e.Date, ActorLabel(e.Source), ActorLabel(e.Target), e.Code, e.Label, e.QuadClass, e.Goldstein, e.Mentions, e.Place,
			e.Evidence.Sentence, e.Evidence.Start, e.Evidence.End, e.Article.URL})
	}
	return t
}

// ActorLabel writes an event's actor: state code, and the person's name when known ("CUB Miguel Díaz-Canel"), or the organisation's name.
func ActorLabel(a concord.EventActor) string {
	switch {
	case a.State == "":
		return a.Name
	case a.Name != "":
		return a.State + " " + a.Name
	}
	return a.State
}

// EventScoresOf sums the stored dated events between a and every other state
// whose day is in [from, to], by that state (`partners --events`).
func EventScoresOf(ctx context.Context, st concord.EventStore, a string, from, to time.Time) (map[string]EventScore, error) {
	evs, err := st.Events(ctx, concord.EventFilter{A: a, From: from, To: to})
	if err != nil {
		return nil, err
	}
	out := map[string]EventScore{}
	for _, e := range evs {
		if e.Date == "" {
			continue // as the timeline: only events of a known day
		}
		other := e.Target.State
		if other == a {
			other = e.Source.State
		}
		if other == "" || other == a {
			continue
		}
		s := out[other]
		s.A, s.B = a, other
		s.Events++
		s.Goldstein += e.Goldstein
		if e.QuadClass >= 1 && e.QuadClass <= 4 {
			s.Quad[e.QuadClass-1]++
		}
		out[other] = s
	}
	return out, nil
}

// addEventColumns adds the event count and Goldstein sum beside each row of an alignment table when scores are given (one per row).
func addEventColumns(t *output.Table, scores []EventScore) {
	if len(scores) != len(t.Rows) || len(scores) == 0 {
		return
	}
	t.Columns = append(t.Columns, "events", "goldstein")
	for i := range t.Rows {
		t.Rows[i] = append(t.Rows[i], scores[i].Events, scores[i].Goldstein)
	}
}
