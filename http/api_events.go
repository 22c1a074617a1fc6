package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"strconv"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/events"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// The parameters of the event endpoints: days rather than the vote window's years.
var (
	pEventA     = param{Name: "a", Type: "string", Description: "a state: ISO or COW code, or name (events with this state on either side)", Example: "IRN"}
	pEventB     = param{Name: "b", Type: "string", Description: "the other state (needs a): events between a and b, either direction", Example: "CUB"}
	pEventFrom  = param{Name: "from", Type: "string", Description: "first day: yyyy, yyyy-mm or yyyy-mm-dd (inclusive)", Example: "2023"}
	pEventTo    = param{Name: "to", Type: "string", Description: "last day: yyyy, yyyy-mm or yyyy-mm-dd (inclusive; a year or month runs to its end)", Example: "2024-06"}
	pEventCode  = param{Name: "code", Type: "string", Description: "only this CAMEO event code (2 to 4 digits, e.g. 043 host a visit)", Example: "043"}
	pEventRoot  = param{Name: "root", Type: "string", Description: "only this CAMEO root, 01 to 20 (e.g. 04 consult, 11 disapprove)", Example: "04"}
	pEventLimit = param{Name: "limit", Type: "integer", Default: "0", Description: "at most this many events (0: all); total still counts every one"}
)

// errNoEvents is the answer of the event endpoints on a server without an event store.
var errNoEvents = &Error{Status: nethttp.StatusServiceUnavailable,
	Message: "this server has no event store: serve a SQLite store (concord serve --db FILE) and code articles into it with concord events code FILE --store"}

// eventErrors documents the statuses of the event endpoints beyond a bad parameter.
var eventErrors = map[int]string{404: "unknown state (a or b)", 503: "the server has no event store"}

// eventEndpoints are the endpoints of `concord events list` and `concord events timeline`.
func (s *Server) eventEndpoints() []endpoint {
	return []endpoint{{
		Path:    "/api/v1/events",
		Summary: "Diplomatic events coded from news, each with its evidence sentence and sources",
		Description: "Events coded from news articles in the CAMEO scheme (package events), de-duplicated: the same day, actors and code " +
			"reported by several articles is one event with a mention count and every report (article address and evidence sentence " +
			"with its byte offsets in the article's text). By date; events of an unknown day come first. 503 when the server has no event store.",
		Params:  []param{pEventA, pEventB, pEventFrom, pEventTo, pEventCode, pEventRoot, pEventLimit},
		Result:  "Events",
		Errors:  eventErrors,
		Example: "a=IRN&b=CUB&from=2023&to=2024-06&code=043&root=04",
		handle:  s.handleEvents,
	}, {
		Path:    "/api/v1/events/timeline",
		Summary: "A pair's monthly cooperation–conflict score from news events",
		Description: "For each month, the events between a and b (both directions): their number, the sum of their Goldstein " +
			"weights (−10 to +10 each; positive is cooperation) and the count in each quad class (verbal cooperation, material " +
			"cooperation, verbal conflict, material conflict), as `concord events timeline`. Events without a known day are left out. " +
			"503 when the server has no event store.",
		Params:  []param{pA, pB, pEventFrom, pEventTo},
		Result:  "EventTimeline",
		Errors:  eventErrors,
		Example: "a=IRN&b=CUB&from=2023&to=2024-06",
		handle:  s.handleEventTimeline,
	}}
}

// eventSchemas are the components/schemas of the event endpoints.
func eventSchemas() schema {
	actor := object(schema{
		"state": str("ISO alpha-3 code; empty for an international organisation"),
		"name":  str("person or organisation as the text spells it"),
		"role":  str("title or agent, e.g. President"),
		"code":  str("CAMEO actor code, e.g. IRNGOV"),
	}, "state")
	evidence := object(schema{
		"sentence": str("the sentence that supports the event"),
		"start":    integer("byte offset of the sentence in the article's text"),
		"end":      integer("byte offset just past the sentence"),
	}, "sentence", "start", "end")
	article := object(schema{
		"id":    str("content hash (hex SHA-256) of the article"),
		"url":   str("the article's address"),
		"title": str("the article's headline"),
	}, "id")
	return schema{
		"Event": object(schema{
			"id": integer("stored event id"), "date": str("yyyy-mm-dd; absent when the text does not give the day"),
			"source": actor, "target": actor,
			"cameo": str("CAMEO event code"), "root": str("CAMEO root, 01 to 20"), "label": str("CAMEO description of the code"),
			"quad_class": integer("1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
			"goldstein":  schema{"type": "number", "description": "Goldstein conflict–cooperation weight, −10 to +10"},
			"place":      str("where it happened, when known"),
			"evidence":   evidence, "article": article,
			"mentions": integer("evidence sentences across all articles"),
			"reports":  array(object(schema{"article": article, "evidence": evidence}, "article", "evidence")),
		}, "id", "source", "target", "cameo", "root", "label", "quad_class", "goldstein", "evidence", "article", "mentions", "reports"),
		"Events": object(schema{
			"a": str("state code, if given"), "b": str("state code, if given"), "from": str("first day, if given"), "to": str("last day, if given"),
			"code": str("CAMEO code, if given"), "root": str("CAMEO root, if given"),
			"total": integer("events the filter selects (before limit)"), "events": array(ref("Event")),
		}, "total", "events"),
		"EventTimeline": object(schema{
			"a": str("state code"), "b": str("state code"), "from": str("first day, if given"), "to": str("last day, if given"),
			"months": array(object(schema{
				"month": str("yyyy-mm"), "events": integer("events in the month"),
				"goldstein": schema{"type": "number", "description": "sum of the events' Goldstein weights"},
				"quad":      schema{"type": "array", "items": schema{"type": "integer"}, "description": "counts: verbal cooperation, material cooperation, verbal conflict, material conflict"},
			}, "month", "events", "goldstein", "quad")),
		}, "a", "b", "months"),
	}
}

// eventRange parses from and to as days; to must not be before from.
func (q *query) eventRange() (from, to time.Time, err error) {
	if s := q.get("from"); s != "" {
		if from, err = report.ParseDay(s, false); err != nil {
			return from, to, badParam("from", err.Error())
		}
	}
	if s := q.get("to"); s != "" {
		if to, err = report.ParseDay(s, true); err != nil {
			return from, to, badParam("to", err.Error())
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, badParam("to", fmt.Sprintf("%s is before from (%s)", to.Format("2006-01-02"), from.Format("2006-01-02")))
	}
	return from, to, nil
}

func dayOmit(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// eventCodebook gives the CAMEO descriptions of the event list.
var eventCodebook = events.DefaultCodebook()

// eventQuery is a parsed /api/v1/events request.
type eventQuery struct {
	f          concord.EventFilter
	code, root string
	limit      int
}

func (s *Server) parseEventQuery(q *query) (eventQuery, error) {
	var eq eventQuery
	var err error
	if q.get("a") != "" {
		if eq.f.A, err = q.state("a"); err != nil {
			return eq, err
		}
	}
	if q.get("b") != "" {
		if eq.f.A == "" {
			return eq, badParam("b", "needs a: give both states of the pair, or a alone")
		}
		if eq.f.B, err = q.state("b"); err != nil {
			return eq, err
		}
	}
	if eq.f.From, eq.f.To, err = q.eventRange(); err != nil {
		return eq, err
	}
	if eq.code = q.get("code"); eq.code != "" {
		if _, ok := eventCodebook.Lookup(eq.code); !ok {
			return eq, badParam("code", fmt.Sprintf("%q is not a CAMEO event code (2 to 4 digits, e.g. 043)", clip(eq.code)))
		}
	}
	if eq.root = q.get("root"); eq.root != "" {
		n, err := strconv.Atoi(eq.root)
		if err != nil || n < 1 || n > 20 || len(eq.root) > 2 {
			return eq, badParam("root", fmt.Sprintf("want a CAMEO root from 01 to 20, got %q", clip(eq.root)))
		}
		eq.root = fmt.Sprintf("%02d", n)
		if eq.code != "" && eq.code[:2] != eq.root {
			return eq, badParam("root", fmt.Sprintf("code %s is not in root %s", eq.code, eq.root))
		}
	}
	if eq.limit, err = q.int(pEventLimit, 0); err != nil {
		return eq, err
	}
	return eq, nil
}

// listEvents returns the stored events a request selects, with their total before the limit.
func (s *Server) listEvents(ctx context.Context, eq eventQuery) (report.EventList, error) {
	l := report.EventList{A: eq.f.A, B: eq.f.B, From: dayOmit(eq.f.From), To: dayOmit(eq.f.To), Code: eq.code, Root: eq.root, Events: []report.ListedEvent{}}
	evs, err := s.Events.Events(ctx, eq.f)
	if err != nil {
		return l, err
	}
	for _, e := range evs {
		if eq.code != "" && e.Code != eq.code || eq.root != "" && e.Root != eq.root {
			continue
		}
		l.Total++
		if eq.limit > 0 && len(l.Events) >= eq.limit {
			continue
		}
		ci, _ := eventCodebook.Lookup(e.Code)
		l.Events = append(l.Events, report.ListedEvent{StoredEvent: e, Label: ci.Description})
	}
	return l, nil
}

func (s *Server) handleEvents(ctx context.Context, q *query) (output.Tabler, error) {
	if s.Events == nil {
		return nil, errNoEvents
	}
	eq, err := s.parseEventQuery(q)
	if err != nil {
		return nil, err
	}
	return s.listEvents(ctx, eq)
}

// eventTimeline returns the pair's monthly scores.
func (s *Server) eventTimeline(ctx context.Context, f concord.EventFilter) (report.EventTimeline, error) {
	ms, err := s.Events.Timeline(ctx, f)
	if ms == nil {
		ms = []concord.MonthScore{}
	}
	return report.EventTimeline{A: f.A, B: f.B, From: dayOmit(f.From), To: dayOmit(f.To), Months: ms}, err
}

func (s *Server) handleEventTimeline(ctx context.Context, q *query) (output.Tabler, error) {
	if s.Events == nil {
		return nil, errNoEvents
	}
	var f concord.EventFilter
	var err error
	if f.A, err = q.state("a"); err != nil {
		return nil, err
	}
	if f.B, err = q.state("b"); err != nil {
		return nil, err
	}
	if f.A == f.B {
		return nil, badParam("b", "the same state as a: give two different states")
	}
	if f.From, f.To, err = q.eventRange(); err != nil {
		return nil, err
	}
	return s.eventTimeline(ctx, f)
}
