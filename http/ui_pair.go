package http

import (
	"fmt"
	"html/template"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
)

// maxSplitRows bounds the splits listed on the pair page; the CSV has them all.
const maxSplitRows = 100

var pairPageParams = []param{{Name: "a", In: "path", Type: "string"}, {Name: "b", In: "path", Type: "string"}, pIssue, pFrom, pTo, pImportant}

// pairPages are the pair page and the form target that leads to it.
func (s *Server) pairPages() []page {
	return []page{{
		Path: "/pair", Template: "pair", Nav: "Pairs", NavPath: "/pair",
		load: s.pairRedirect,
	}, {
		Path: "/pairs/{a}/{b}", Template: "pair",
		load: s.pairPage,
	}}
}

// pairRedirect sends the picker's form (?a=…&b=…) to the pair's page, keeping the other parameters.
func (s *Server) pairRedirect(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, append([]param{{Name: "a", Type: "string"}, {Name: "b", Type: "string"}}, pairPageParams[2:]...))
	if err != nil {
		return nil, err
	}
	if q.get("a") == "" && q.get("b") == "" {
		return pairPageData{Choices: s.voterChoices(r)}, nil
	}
	a, err := q.state("a")
	if err != nil {
		return nil, err
	}
	b, err := q.state("b")
	if err != nil {
		return nil, err
	}
	rest := url.Values{}
	for k, v := range q.vals {
		if k != "a" && k != "b" && strings.TrimSpace(v[0]) != "" {
			rest[k] = v
		}
	}
	target := "/pairs/" + url.PathEscape(a) + "/" + url.PathEscape(b)
	if len(rest) > 0 {
		target += "?" + rest.Encode()
	}
	return nil, redirect(target)
}

// pairPageData is what the pair page shows.
type pairPageData struct {
	A, B      concord.State
	Choices   []stateChoice
	Issue     string
	IssueName string
	From, To  int
	Important bool

	Years     []align.Row
	YearChart template.HTML
	YearCSV   string

	Issues     []report.IssueRow
	IssueChart template.HTML
	IssuesCSV  string

	Splits      []report.Split
	SplitsTotal int
	SplitsCSV   string
}

func (d pairPageData) PageTitle() string {
	if d.A.Code == "" {
		return "Pairs"
	}
	return d.A.Name + " and " + d.B.Name
}

func (s *Server) pairPage(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, pairPageParams)
	if err != nil {
		return nil, err
	}
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	ix, c, err := s.voters(r.Context(), q, "a", "b")
	if err != nil {
		return nil, err
	}
	a, b := c[0], c[1]
	sa, _ := countries.ByCode(a)
	sb, _ := countries.ByCode(b)
	d := pairPageData{A: sa, B: sb, Choices: s.voterChoices(r), Issue: string(w.Issue), IssueName: w.Issue.Name(), From: w.From, To: w.To, Important: w.Important}
	from, to, imp := itoaOmit(w.From), itoaOmit(w.To), boolOmit(w.Important)
	on := "all roll calls"
	if w.Issue != "" {
		on = w.Issue.Name()
	}

	// Agreement per year.
	rows, err := ix.Pair(a, b, w, align.Year)
	if err != nil {
		return nil, err
	}
	d.Years = rows
	ss := []series{{Name: "agree"}, {Name: "coincidence"}}
	for _, row := range rows {
		y, err := strconv.Atoi(row.Period)
		if err != nil {
			continue
		}
		ss[0].Points = append(ss[0].Points, point{float64(y), row.Agree})
		ss[1].Points = append(ss[1].Points, point{float64(y), row.Coincidence})
	}
	d.YearChart = lineChart("year-chart", fmt.Sprintf("Agreement of %s and %s per year, on %s", sa.Name, sb.Name, on),
		"Line chart of agreement and coincidence per year; the same numbers are in the table beside it.", "share", ss, 0, 1)
	d.YearCSV = apiURL("/api/v1/align", "a", a, "b", b, "issue", string(w.Issue), "from", from, "to", to, "important", imp, "by", "year", "format", "csv")

	// Agreement per issue.
	wi := w
	var bars []bar
	for _, is := range concord.Issues {
		wi.Issue = is
		rs, err := ix.Pair(a, b, wi, align.All)
		if err != nil {
			return nil, err
		}
		d.Issues = append(d.Issues, report.IssueRow{Issue: is, Name: is.Name(), Row: rs[0]})
		bars = append(bars, bar{Label: is.Name(), Value: rs[0].Agree, Note: fmt.Sprintf("(%d votes)", rs[0].Votes)})
	}
	d.IssueChart = barChart("issue-chart", fmt.Sprintf("Agreement of %s and %s on each issue", sa.Name, sb.Name),
		"Bar chart of agreement per issue; the same numbers are in the table beside it.", bars, 0, 1)
	d.IssuesCSV = apiURL("/api/v1/align/issues", "a", a, "b", b, "from", from, "to", to, "important", imp, "format", "csv")

	// Roll calls on which they split.
	m := ix.Matrix()
	ia, _ := m.StateIndex(a)
	ib, _ := m.StateIndex(b)
	d.Splits, d.SplitsTotal = report.FindSplits(m, ia, ib, w.Filter(), maxSplitRows)
	d.SplitsCSV = apiURL("/api/v1/splits", "a", a, "b", b, "issue", string(w.Issue), "from", from, "to", to, "important", imp, "format", "csv")
	return d, nil
}

// resolutionURL links a resolution code to the UN's document system.
func resolutionURL(res string) template.URL {
	if !strings.HasPrefix(res, "A/") {
		return "" // only General Assembly document symbols have a stable address
	}
	parts := strings.Split(res, "/")
	for i, x := range parts {
		parts[i] = url.PathEscape(x)
	}
	return template.URL("https://undocs.org/en/" + strings.Join(parts, "/"))
}
