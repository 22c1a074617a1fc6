package http

import (
	"html/template"
	nethttp "net/http"
	"strings"

	"github.com/concord-project/concord/brief"
)

// briefPages are the web pages of concord brief: a form, and the brief of the states it names.
func (s *Server) briefPages() []page {
	return []page{{Path: "/brief", Template: "brief", Nav: "Brief", load: s.briefPage}}
}

// briefPageData is what the brief page shows.
type briefPageData struct {
	States   string // as asked, for the form
	From, To int    // as asked (0: default)
	Choices  []stateChoice
	Title    string
	Window   string        // the vote window used
	Body     template.HTML // the sections, rendered by package brief
	CSV      string        // the numbers behind the charts
	JSON     string        // the whole brief
}

func (d briefPageData) PageTitle() string {
	if d.Title == "" {
		return "Relationship brief"
	}
	return d.Title + ": relationship brief"
}

func (s *Server) briefPage(r *nethttp.Request) (any, error) {
	optional := pBriefStates
	optional.Required = false // without states the page is the form
	q, err := pageQuery(r, []param{optional, pBriefFrom, pBriefTo})
	if err != nil {
		return nil, err
	}
	d := briefPageData{States: q.get("states"), Choices: s.voterChoices(r)}
	if strings.TrimSpace(d.States) == "" {
		return d, nil // the form alone
	}
	b, err := s.buildBrief(r.Context(), q)
	if err != nil {
		return nil, err
	}
	d.From, d.To = b.From, b.To
	if !q.has("from") {
		d.From = 0
	}
	if !q.has("to") {
		d.To = 0
	}
	d.States = strings.Join(b.States, ",")
	d.Title = b.Title()
	d.Window = itoaOmit(b.From) + "–" + itoaOmit(b.To)
	from, to := "", ""
	if q.has("from") {
		from = q.get("from")
	}
	if q.has("to") {
		to = q.get("to")
	}
	d.CSV = apiURL("/api/v1/brief", "states", d.States, "from", from, "to", to, "format", "csv")
	d.JSON = apiURL("/api/v1/brief", "states", d.States, "from", from, "to", to)
	if d.Body, err = brief.Body(b, d.CSV); err != nil {
		return nil, err
	}
	return d, nil
}
