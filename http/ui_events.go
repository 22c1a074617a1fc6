package http

import (
	"fmt"
	"html"
	"html/template"
	"math"
	nethttp "net/http"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
)

// maxEventRows bounds the events listed on the events page; the CSV has them all.
const maxEventRows = 200

var eventPageParams = []param{{Name: "a", Type: "string"}, {Name: "b", Type: "string"}, pEventFrom, pEventTo}

// eventPages are the pair-timeline page of news events.
func (s *Server) eventPages() []page {
	return []page{{Path: "/events", Template: "events", Nav: "Events", load: s.eventsPage}}
}

// eventsPageData is what the events page shows.
type eventsPageData struct {
	A, B     concord.State
	From, To string // as given
	Choices  []stateChoice
	NoStore  bool // the server has no event store

	Months      []concord.MonthScore
	Chart       template.HTML
	TimelineCSV string
	Score       report.EventScore

	Events    []report.ListedEvent
	Total     int
	EventsCSV string
	EventsAPI string
}

func (d eventsPageData) PageTitle() string {
	if d.A.Code == "" {
		return "News events"
	}
	return "News events: " + d.A.Name + " and " + d.B.Name
}

func (s *Server) eventsPage(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, eventPageParams)
	if err != nil {
		return nil, err
	}
	d := eventsPageData{From: q.get("from"), To: q.get("to"), NoStore: s.Events == nil, Choices: s.eventChoices(r)}
	if q.get("a") == "" && q.get("b") == "" {
		return d, nil
	}
	var f concord.EventFilter
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
	d.A, _ = countries.ByCode(f.A)
	d.B, _ = countries.ByCode(f.B)
	if d.NoStore {
		return d, nil
	}
	tl, err := s.eventTimeline(r.Context(), f)
	if err != nil {
		return nil, err
	}
	d.Months, d.Score = tl.Months, tl.Total()
	d.Chart = monthChart("event-chart", fmt.Sprintf("Cooperation and conflict between %s and %s per month", d.A.Name, d.B.Name),
		"Column chart of the monthly sum of Goldstein weights of the news events between the two states: above zero cooperation, below zero conflict; the same numbers are in the table beside it.",
		tl.Months)
	from, to := dayOmit(f.From), dayOmit(f.To)
	d.TimelineCSV = apiURL("/api/v1/events/timeline", "a", f.A, "b", f.B, "from", from, "to", to, "format", "csv")
	l, err := s.listEvents(r.Context(), eventQuery{f: f, limit: maxEventRows})
	if err != nil {
		return nil, err
	}
	// newest first on the page
	for i, j := 0, len(l.Events)-1; i < j; i, j = i+1, j-1 {
		l.Events[i], l.Events[j] = l.Events[j], l.Events[i]
	}
	d.Events, d.Total = l.Events, l.Total
	d.EventsCSV = apiURL("/api/v1/events", "a", f.A, "b", f.B, "from", from, "to", to, "format", "csv")
	d.EventsAPI = apiURL("/api/v1/events", "a", f.A, "b", f.B, "from", from, "to", to)
	return d, nil
}

// eventChoices lists the states for the pickers: those with votes, else every state.
func (s *Server) eventChoices(r *nethttp.Request) []stateChoice {
	if cs := s.voterChoices(r); len(cs) > 0 {
		return cs
	}
	var out []stateChoice
	for _, st := range countries.All() {
		out = append(out, stateChoice{st.Code, st.Name})
	}
	return out
}

// monthChart draws one column per month from the first to the last month
// given: the Goldstein sum, upwards (blue) for cooperation and downwards
// (vermilion, hatched by a darker outline) for conflict, with a zero line.
func monthChart(id, title, desc string, ms []concord.MonthScore) template.HTML {
	const w, h, ml, mr, mt, mb = 720.0, 300.0, 52.0, 16.0, 16.0, 44.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	if len(ms) == 0 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" class="empty">No dated events between them in this period.</text></svg>`, w/2, h/2)
		return template.HTML(b.String())
	}
	// every month from the first to the last, empty ones included
	index := func(m string) int {
		var y, mo int
		fmt.Sscanf(m, "%d-%d", &y, &mo)
		return y*12 + mo - 1
	}
	first, last := index(ms[0].Month), index(ms[len(ms)-1].Month)
	byMonth := map[int]concord.MonthScore{}
	lo, hi := 0.0, 0.0
	for _, m := range ms {
		byMonth[index(m.Month)] = m
		lo, hi = math.Min(lo, m.Goldstein), math.Max(hi, m.Goldstein)
	}
	if hi == lo {
		hi = lo + 1
	}
	span := (hi - lo) * 0.08
	hi += span
	if lo < 0 {
		lo -= span
	}
	n := last - first + 1
	slot := (w - ml - mr) / float64(n)
	py := func(v float64) float64 { return mt + (hi-v)/(hi-lo)*(h-mt-mb) }
	for _, v := range niceTicks(lo, hi) { // round values: 0, 5, 10 …
		fmt.Fprintf(&b, `<line class="grid" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/>`, ml, w-mr, py(v), py(v))
		fmt.Fprintf(&b, `<text class="tick" x="%g" y="%.1f" text-anchor="end" dy="0.32em">%s</text>`, ml-6, py(v), trimFloat(v))
	}
	fmt.Fprintf(&b, `<text class="axis-label" transform="translate(12 %g) rotate(-90)" text-anchor="middle">Goldstein sum</text>`, mt+(h-mt-mb)/2)
	labelEvery := int(math.Ceil(float64(n) / 12))
	for k := 0; k < n; k++ {
		x := ml + float64(k)*slot
		mi := first + k
		label := fmt.Sprintf("%04d-%02d", mi/12, mi%12+1)
		if k%labelEvery == 0 {
			fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%g" text-anchor="middle">%s</text>`, x+slot/2, h-mb+16, label)
		}
		m, ok := byMonth[mi]
		if !ok || m.Goldstein == 0 && m.Events == 0 {
			continue
		}
		y0, y1 := math.Min(py(0), py(m.Goldstein)), math.Max(py(0), py(m.Goldstein))
		col, stroke := palette[0], palette[0]
		if m.Goldstein < 0 {
			col, stroke = palette[1], "#8a3a00"
		}
		bw := math.Min(48, math.Max(2, slot*0.7))
		fmt.Fprintf(&b, `<rect class="month" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="%s"><title>%s: %d events, Goldstein %s (cooperation %d, conflict %d)</title></rect>`,
			x+(slot-bw)/2, y0, bw, math.Max(y1-y0, 1), col, stroke, label, m.Events, trimFloat(m.Goldstein), m.Quad[0]+m.Quad[1], m.Quad[2]+m.Quad[3])
	}
	fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#333"/>`, ml, w-mr, py(0), py(0))
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="12" height="12" fill="%s"/><text class="legend" x="%g" y="%g" dy="0.32em">cooperation (sum above 0)</text>`, ml, h-18, palette[0], ml+18, h-12)
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="12" height="12" fill="%s" stroke="#8a3a00"/><text class="legend" x="%g" y="%g" dy="0.32em">conflict (sum below 0)</text>`, ml+230, h-18, palette[1], ml+248, h-12)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
