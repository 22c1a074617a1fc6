package http

import (
	"fmt"
	"html/template"
	"math"
	nethttp "net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
)

// maxWith bounds how many states the agreement-over-time chart compares.
const maxWith = 6

var pWith = param{Name: "with", Type: "string", Description: "states to compare over time, separated by commas or spaces (at most 6)"}

// statePageParams are the parameters of the state page.
var statePageParams = []param{{Name: "code", In: "path", Type: "string"}, pIssue, pFrom, pTo, pImportant, pMetric, pWith}

// statePages are the state page and the form target that leads to it.
func (s *Server) statePages() []page {
	return []page{{
		Path: "/state", Template: "state", Nav: "States", NavPath: "/state",
		load: s.stateRedirect,
	}, {
		Path: "/states/{code}", Template: "state",
		load: s.statePage,
	}}
}

// stateRedirect sends the picker's form (?state=…) to the state's page, keeping the other parameters.
func (s *Server) stateRedirect(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, append([]param{{Name: "state", Type: "string"}}, statePageParams[1:]...))
	if err != nil {
		return nil, err
	}
	if q.get("state") == "" {
		return statePageData{Choices: s.voterChoices(r), Metric: "agree"}, nil
	}
	code, err := q.state("state")
	if err != nil {
		return nil, err
	}
	rest := url.Values{}
	for k, v := range q.vals {
		if k != "state" && strings.TrimSpace(v[0]) != "" {
			rest[k] = v
		}
	}
	target := "/states/" + url.PathEscape(code)
	if len(rest) > 0 {
		target += "?" + rest.Encode()
	}
	return nil, redirect(target)
}

// parseWith splits the with parameter into state codes.
func parseWith(s string) ([]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
	var codes []string
	seen := map[string]bool{}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		st, err := countries.Lookup(f)
		if err != nil {
			// a space-separated list of codes: try each word
			words := strings.Fields(f)
			if len(words) < 2 {
				return nil, stateError("with", err)
			}
			for _, w := range words {
				st, err := countries.Lookup(w)
				if err != nil {
					return nil, stateError("with", err)
				}
				if !seen[st.Code] {
					seen[st.Code] = true
					codes = append(codes, st.Code)
				}
			}
			continue
		}
		if !seen[st.Code] {
			seen[st.Code] = true
			codes = append(codes, st.Code)
		}
	}
	if len(codes) > maxWith {
		return nil, badParam("with", fmt.Sprintf("at most %d states, got %d", maxWith, len(codes)))
	}
	return codes, nil
}

// statePageData is what the state page shows.
type statePageData struct {
	State   concord.State
	Choices []stateChoice

	Issue, IssueName, Metric, With string
	From, To                       int
	Important                      bool
	Metrics                        []string

	Partners      []align.Partner
	PartnersChart template.HTML
	PartnersCSV   string

	ByIssue []issuePartners

	WithCodes []string
	WithError string
	TimeChart template.HTML
	TimeRows  []timeRow
	TimeCSV   []link
	Undefined bool // some values of the metric are undefined (shown empty)

	IdealFrom, IdealTo int
	IdealChart         template.HTML
	IdealRows          []idealRow
	IdealCSV           string
	IdealError         string
}

func (d statePageData) PageTitle() string {
	if d.State.Code == "" {
		return "States"
	}
	return d.State.Name
}

type issuePartners struct {
	Issue, Name string
	Rows        []align.Partner
	CSV         string
}

type timeRow struct {
	Year   string
	Values []float64
}

type link struct{ Label, URL string }

// metricRange is the range of values a metric takes.
func metricRange(m align.Metric) (float64, float64) {
	if m == align.SScore || m == align.Kappa {
		return -1, 1
	}
	return 0, 1
}

func (s *Server) statePage(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, statePageParams)
	if err != nil {
		return nil, err
	}
	code, err := q.state("code")
	if err != nil {
		return nil, err
	}
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	metric, err := q.metric()
	if err != nil {
		return nil, err
	}
	ix, err := s.index(r.Context())
	if err != nil {
		return nil, err
	}
	if err := hasVotes(ix, "code", code); err != nil {
		return nil, err
	}
	st, _ := countries.ByCode(code)
	d := statePageData{State: st, Choices: s.voterChoices(r), Issue: string(w.Issue), IssueName: w.Issue.Name(), Metric: metric.String(),
		From: w.From, To: w.To, Important: w.Important, With: q.get("with")}
	for _, m := range align.Metrics {
		d.Metrics = append(d.Metrics, m.String())
	}
	from, to, imp := itoaOmit(w.From), itoaOmit(w.To), boolOmit(w.Important)

	// Partners on the chosen issue (or all roll calls).
	ps, err := ix.Partners(code, w, metric, 1)
	if err != nil {
		return nil, err
	}
	if len(ps) > 15 {
		ps = ps[:15]
	}
	d.Partners = ps
	lo, hi := metricRange(metric)
	var bars []bar
	for _, p := range ps {
		bars = append(bars, bar{Label: p.State + " " + report.StateName(p.State), Value: p.Value(metric), Note: fmt.Sprintf("(%d votes)", p.Votes)})
	}
	on := "all roll calls"
	if w.Issue != "" {
		on = w.Issue.Name()
	}
	d.PartnersChart = barChart("partners-chart", fmt.Sprintf("%s's closest partners on %s, by %s", st.Name, on, metric),
		"Bar chart of the 15 states that vote most like "+st.Name+"; the same numbers are in the table beside it.", bars, lo, hi)
	d.PartnersCSV = apiURL("/api/v1/partners", "a", code, "issue", string(w.Issue), "from", from, "to", to, "important", imp, "metric", metric.String(), "top", "15", "format", "csv")

	// Closest partners on each issue.
	for _, is := range concord.Issues {
		wi := w
		wi.Issue = is
		ps, err := ix.Partners(code, wi, metric, 10)
		if err != nil {
			return nil, err
		}
		if len(ps) > 5 {
			ps = ps[:5]
		}
		d.ByIssue = append(d.ByIssue, issuePartners{Issue: string(is), Name: is.Name(), Rows: ps,
			CSV: apiURL("/api/v1/partners", "a", code, "issue", string(is), "from", from, "to", to, "important", imp, "metric", metric.String(), "min_votes", "10", "top", "5", "format", "csv")})
	}

	// Agreement over time with chosen states (default: the three closest partners).
	with, err := parseWith(q.get("with"))
	if err != nil {
		d.WithError = err.Error()
	}
	if q.get("with") == "" {
		for i := 0; i < len(d.Partners) && i < 3; i++ {
			with = append(with, d.Partners[i].State)
		}
	}
	var kept []string
	for _, c := range with {
		if c == code {
			continue
		}
		if err := hasVotes(ix, "with", c); err != nil {
			d.WithError = err.Error()
			continue
		}
		kept = append(kept, c)
	}
	d.WithCodes = kept
	if d.With == "" {
		d.With = strings.Join(kept, ", ")
	}
	years := map[string][]float64{}
	var order []string
	var ss []series
	for k, c := range kept {
		rows, err := ix.Pair(code, c, w, align.Year)
		if err != nil {
			return nil, err
		}
		se := series{Name: c + " " + report.StateName(c)}
		for _, row := range rows {
			y, err := strconv.Atoi(row.Period)
			if err != nil {
				continue // undated roll calls
			}
			v := row.Value(metric)
			if math.IsNaN(v) {
				d.Undefined = true
			}
			se.Points = append(se.Points, point{X: float64(y), Y: v})
			if _, ok := years[row.Period]; !ok {
				years[row.Period] = fill(len(kept))
				order = append(order, row.Period)
			}
			years[row.Period][k] = v
		}
		ss = append(ss, se)
		d.TimeCSV = append(d.TimeCSV, link{Label: c, URL: apiURL("/api/v1/align", "a", code, "b", c, "issue", string(w.Issue), "from", from, "to", to, "important", imp, "by", "year", "format", "csv")})
	}
	sort.Strings(order)
	for _, y := range order {
		d.TimeRows = append(d.TimeRows, timeRow{Year: y, Values: years[y]})
	}
	if len(kept) > 0 {
		d.TimeChart = lineChart("time-chart", fmt.Sprintf("%s of %s with %s per year, on %s", metric, st.Name, strings.Join(kept, ", "), on),
			"Line chart, one line per state; the same numbers are in the table beside it.", metric.String(), ss, lo, hi)
	}
	s.stateIdeal(&d, ix, w, code, st.Name)
	return d, nil
}

func fill(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

func itoaOmit(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func boolOmit(b bool) string {
	if b {
		return "true"
	}
	return ""
}
