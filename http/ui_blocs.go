package http

import (
	"fmt"
	"html/template"
	"math"
	nethttp "net/http"
	"net/url"
	"strconv"

	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/report"
)

var coalitionPageParams = []param{{Name: "seeds", Type: "string"}, pIssue, pFrom, pTo, pImportant, pCoMetric, pRule, {Name: "build", Type: "integer", Max: 200}}

// coalitionMeasures are the rankings the coalition builder offers: the alignment metrics and ideal-point distance.
var coalitionMeasures = []option{{"agree", "agreement"}, {"s_score", "S-score"}, {"kappa", "kappa"}, {"coincidence", "coincidence"}, {"ideal", "ideal-point distance"}}

// option is a value of a select and its label.
type option struct{ Value, Label string }

// coalitionPages is the coalition builder: seeds and an issue in the address, suggested partners, cohesion and decisiveness.
func (s *Server) coalitionPages() []page {
	return []page{{Path: "/coalitions", Template: "coalitions", Nav: "Coalition builder", load: s.coalitionPage}}
}

type coalitionPageData struct {
	Choices              []stateChoice
	Seeds, Issue, Metric string
	From, To, Build      int
	Important            bool
	Metrics              []option
	ByIdeal              bool // candidates ranked by ideal-point distance
	Result               *blocs.CandidatesResult
	Chart                template.HTML
	CSV                  string
	Steps                *blocs.BuildResult
	StepsChart           template.HTML
	StepsCSV             string
}

func (d coalitionPageData) PageTitle() string { return "Coalition builder" }

func (s *Server) coalitionPage(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, coalitionPageParams)
	if err != nil {
		return nil, err
	}
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	m, rank, _, err := coalitionRanking(q)
	if err != nil {
		return nil, err
	}
	build, err := q.int(param{Name: "build", Max: 200}, 0)
	if err != nil {
		return nil, err
	}
	d := coalitionPageData{Choices: s.voterChoices(r), Seeds: q.get("seeds"), Issue: string(w.Issue), Metric: m.String(), From: w.From, To: w.To, Build: build, Important: w.Important,
		Metrics: coalitionMeasures, ByIdeal: rank == blocs.ByIdeal}
	if d.ByIdeal {
		d.Metric = "ideal"
	}
	if d.Seeds == "" {
		return d, nil
	}
	apiQ := url.Values{"seeds": {d.Seeds}}
	for k, v := range q.vals {
		if k != "seeds" && k != "build" && v[0] != "" {
			apiQ[k] = v
		}
	}
	cq, err := parseQuery(apiQ.Encode(), append(coalitionPageParams[:len(coalitionPageParams)-1:len(coalitionPageParams)-1], pCoTop), nil)
	if err != nil {
		return nil, err
	}
	v, err := s.handleCoalition(r.Context(), cq)
	if err != nil {
		return nil, err
	}
	res := v.(blocs.CandidatesResult)
	d.Result = &res
	var bars []bar
	if d.ByIdeal {
		far := 0.0
		for _, c := range res.Candidates {
			bars = append(bars, bar{Label: c.State + " " + report.StateName(c.State), Value: c.IdealDistance, Note: fmt.Sprintf("(cohesion %s)", trimFloat(c.Cohesion))})
			if !math.IsNaN(c.IdealDistance) {
				far = max(far, c.IdealDistance)
			}
		}
		d.Chart = barChart("candidates-chart", "Suggested partners by the distance of their ideal point to the seeds' mean (nearest first)",
			"Bar chart of the candidates' ideal-point distance to the seeds' mean, in standard deviations of the scale; shorter is nearer. The same numbers are in the table beside it.", bars, 0, niceCeil(far))
	} else {
		for _, c := range res.Candidates {
			bars = append(bars, bar{Label: c.State + " " + report.StateName(c.State), Value: c.Alignment, Note: fmt.Sprintf("(cohesion %s)", trimFloat(c.Cohesion))})
		}
		lo, hi := metricRange(m)
		d.Chart = barChart("candidates-chart", "Suggested partners by mean "+m.String()+" with the seeds",
			"Bar chart of the candidates' mean alignment with the seed states; the same numbers are in the table beside it.", bars, lo, hi)
	}
	apiQ.Set("format", "csv")
	d.CSV = "/api/v1/coalition?" + apiQ.Encode()
	if build > 0 {
		apiQ.Del("format")
		apiQ.Set("build", strconv.Itoa(build))
		bq, err := parseQuery(apiQ.Encode(), append(coalitionPageParams[:len(coalitionPageParams)-1:len(coalitionPageParams)-1], pBuild), nil)
		if err != nil {
			return nil, err
		}
		v, err := s.handleCoalitionBuild(r.Context(), bq)
		if err != nil {
			return nil, err
		}
		br := v.(blocs.BuildResult)
		d.Steps = &br
		se := series{Name: "cohesion"}
		for _, st := range br.Steps {
			se.Points = append(se.Points, point{X: float64(len(st.Members)), Y: st.Cohesion})
		}
		d.StepsChart = lineChart("steps-chart", "Cohesion of the coalition as it grows", "Line chart of the Agreement Index by number of members; the same numbers are in the table beside it.",
			"cohesion", []series{se}, 0, 1)
		apiQ.Set("format", "csv")
		d.StepsCSV = "/api/v1/coalition/build?" + apiQ.Encode()
	}
	return d, nil
}

var blocsPageParams = []param{pIssue, pImportant, {Name: "year", Type: "integer", Max: 9999}, {Name: "span", Type: "integer", Min: 1, Max: 20}, pBlocMetric}

// blocsPages is the blocs page: the blocs of a window of years ending in a chosen year, with core and swing states.
func (s *Server) blocsPages() []page {
	worldPaths() // project the map's shapes once, at startup
	return []page{{Path: "/blocs", Template: "blocs", Nav: "Blocs", load: s.blocsPage}}
}

type blocsPageData struct {
	Year, Span, First, Last int
	Issue, Metric           string
	Important               bool
	Window                  *blocsWindow
	Map                     template.HTML
	CSV                     string
}

type blocsWindow struct {
	From, To, RollCalls, States int
	Modularity                  float64
	Blocs                       []blocView
	Unaligned                   []string // states of the graph in no bloc (no positive-weight edge)
}

type blocView struct {
	ID, Name    string
	Core, Swing []string
}

func (d blocsPageData) PageTitle() string { return "Blocs" }

func (s *Server) blocsPage(r *nethttp.Request) (any, error) {
	q, err := pageQuery(r, blocsPageParams)
	if err != nil {
		return nil, err
	}
	ix, err := s.index(r.Context())
	if err != nil {
		return nil, err
	}
	m := ix.Matrix()
	d := blocsPageData{Metric: blocs.DefaultMetric.String()}
	for _, rc := range m.RollCalls {
		if y := rc.Year(); y != 0 {
			if d.First == 0 || y < d.First {
				d.First = y
			}
			d.Last = max(d.Last, y)
		}
	}
	if d.Year, err = q.int(param{Name: "year", Max: 9999}, d.Last); err != nil {
		return nil, err
	}
	if d.Year < d.First || d.Year > d.Last {
		return nil, badParam("year", fmt.Sprintf("want a year from %d to %d, got %d", d.First, d.Last, d.Year))
	}
	if d.Span, err = q.int(param{Name: "span", Min: 1, Max: 20}, 5); err != nil {
		return nil, err
	}
	apiQ := url.Values{"from": {strconv.Itoa(max(d.First, d.Year-d.Span+1))}, "to": {strconv.Itoa(d.Year)}}
	for _, k := range []string{"issue", "important", "metric"} {
		if v := q.get(k); v != "" {
			apiQ.Set(k, v)
		}
	}
	d.Issue, d.Metric = q.get("issue"), q.get("metric")
	if d.Metric == "" {
		d.Metric = blocs.DefaultMetric.String()
	}
	d.Important = q.get("important") != ""
	bq, err := parseQuery(apiQ.Encode(), s.endpointParams("/api/v1/blocs"), nil)
	if err != nil {
		return nil, err
	}
	v, err := s.handleBlocs(r.Context(), bq)
	if err != nil {
		return nil, err
	}
	res := v.(blocsResult)
	if len(res.Windows) > 0 {
		w := res.Windows[0]
		bw := &blocsWindow{From: w.From, To: w.To, RollCalls: w.RollCalls, States: w.States, Modularity: w.Modularity, Unaligned: w.Unaligned}
		for _, b := range w.Blocs {
			bw.Blocs = append(bw.Blocs, blocView{ID: b.ID, Name: b.Name, Core: b.Core(), Swing: b.Swing()})
		}
		d.Window = bw
		paths, err := worldPaths()
		if err != nil {
			return nil, err
		}
		d.Map = blocMap("bloc-map", fmt.Sprintf("Blocs %d–%d", w.From, w.To), paths, bw.Blocs)
	}
	apiQ.Set("format", "csv")
	d.CSV = "/api/v1/blocs?" + apiQ.Encode()
	return d, nil
}

// endpointParams returns the declared parameters of the endpoint at path.
func (s *Server) endpointParams(path string) []param {
	for _, e := range s.endpoints {
		if e.Path == path {
			return e.params()
		}
	}
	return nil
}

// niceCeil rounds x up to a round end of an axis: 1, 2, 2.5 or 5 times a power of ten (1 for x ≤ 0).
func niceCeil(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if x <= m*mag*(1+1e-12) {
			return m * mag
		}
	}
	return 10 * mag
}
