package http

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	nethttp "net/http"
	"net/url"
	"slices"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/report"
)

// page is one page of the web UI: a route, a template in templates/ and the function that gathers its data.
type page struct {
	Path     string // ServeMux pattern without the method
	Template string // file name in templates/, without .html
	Nav      string // label in the navigation bar; "" leaves the page out of it
	NavPath  string // where the navigation link points (Path when empty)
	load     func(r *nethttp.Request) (any, error)
}

// navItem is one link of the navigation bar.
type navItem struct {
	Label, Path string
	Current     bool
}

// view is what every template gets: the page's own data in Data.
type view struct {
	Title  string
	Nav    []navItem
	Data   any
	Error  *Error
	Issues []issueOption
}

// issueOption is one choice of the issue menus.
type issueOption struct {
	Code, Name string
}

func issueOptions() []issueOption {
	opts := make([]issueOption, len(concord.Issues))
	for i, is := range concord.Issues {
		opts[i] = issueOption{string(is), is.Name()}
	}
	return opts
}

var funcs = template.FuncMap{
	"num": func(f float64) string { return trimFloat(f) },
	"pct": func(f float64) string {
		if math.IsNaN(f) {
			return ""
		}
		return fmt.Sprintf("%.1f%%", f*100)
	},
	"name":   report.StateName,
	"lower":  strings.ToLower,
	"eq":     func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
	"resURL": resolutionURL,
	"inc":    func(i int) int { return i + 1 },
	"add":    func(a, b int) int { return a + b },
	"metricValue": func(p align.Partner, m string) string {
		mm, err := align.ParseMetric(m)
		if err != nil {
			return ""
		}
		return trimFloat(p.Value(mm))
	},
}

// mustTemplates parses layout.html with each page's template (and error.html).
func mustTemplates(pages []page) map[string]*template.Template {
	out := map[string]*template.Template{}
	names := []string{"error"}
	for _, p := range pages {
		names = append(names, p.Template)
	}
	for _, n := range names {
		if out[n] != nil {
			continue
		}
		out[n] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+n+".html"))
	}
	return out
}

func (s *Server) nav(current string) []navItem {
	var items []navItem
	for _, p := range s.pages {
		if p.Nav == "" {
			continue
		}
		path := p.NavPath
		if path == "" {
			path = p.Path
		}
		items = append(items, navItem{Label: p.Nav, Path: path, Current: path == current})
	}
	return items
}

// pageHandler renders p, or an error page with the error's status.
func (s *Server) pageHandler(p page) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		data, err := p.load(r)
		if err != nil {
			if red, ok := err.(redirect); ok {
				nethttp.Redirect(w, r, string(red), nethttp.StatusSeeOther)
				return
			}
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, p.Template, nethttp.StatusOK, data)
	})
}

// titled lets a page's data give the page title.
type titled interface{ PageTitle() string }

func (s *Server) render(w nethttp.ResponseWriter, r *nethttp.Request, name string, status int, data any) {
	v := view{Nav: s.nav(r.URL.Path), Data: data, Issues: issueOptions(), Title: "concord"}
	if t, ok := data.(titled); ok {
		v.Title = t.PageTitle() + " · concord"
	}
	if e, ok := data.(*Error); ok {
		v.Error = e
		v.Title = "Error · concord"
	}
	var buf bytes.Buffer
	if err := s.tmpl[name].Execute(&buf, v); err != nil {
		setErrorForLog(r, err)
		nethttp.Error(w, "internal error rendering the page", nethttp.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderError shows err as a page with its status (500 for errors that are not *Error).
func (s *Server) renderError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	e := asError(err)
	if e.Status >= 500 {
		setErrorForLog(r, err)
	}
	s.render(w, r, "error", e.Status, e)
}

// redirect is returned by a page's load to send the browser elsewhere (303).
type redirect string

func (redirect) Error() string { return "redirect" }

// pageQuery parses a page's query string like an API request's.
func pageQuery(r *nethttp.Request, params []param) (*query, error) {
	pv := map[string]string{}
	for _, p := range params {
		if p.In == "path" {
			pv[p.Name] = r.PathValue(p.Name)
		}
	}
	return parseQuery(r.URL.RawQuery, params, pv)
}

// apiURL builds a link to an API endpoint with the given parameters (empty values left out).
func apiURL(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" && kv[i+1] != "0" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// stateChoice is one state of the pickers.
type stateChoice struct{ Code, Name string }

// voterChoices lists the states that have votes by name, for the pickers' datalist and the list of states.
func (s *Server) voterChoices(r *nethttp.Request) []stateChoice {
	ix, err := s.index(r.Context())
	if err != nil {
		return nil
	}
	var out []stateChoice
	for _, c := range ix.States() {
		out = append(out, stateChoice{c, report.StateName(c)})
	}
	slices.SortStableFunc(out, func(a, b stateChoice) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// homePages is the start page.
func (s *Server) homePages() []page {
	return []page{{
		Path: "/{$}", Template: "home", Nav: "Home", NavPath: "/",
		load: func(r *nethttp.Request) (any, error) {
			if _, err := pageQuery(r, nil); err != nil {
				return nil, err
			}
			snap, err := s.cache.get(r.Context())
			if err != nil {
				return nil, err
			}
			m := snap.ix.Matrix()
			d := homeData{States: s.voterChoices(r), RollCalls: len(m.RollCalls), Votes: snap.votes, Voters: len(m.States)}
			if n := len(m.RollCalls); n > 0 {
				d.First, d.Last = m.RollCalls[0].Year(), m.RollCalls[n-1].Year()
				for _, rc := range m.RollCalls {
					if y := rc.Year(); y != 0 && (d.First == 0 || y < d.First) {
						d.First = y
					}
				}
			}
			return d, nil
		},
	}}
}

type homeData struct {
	States                   []stateChoice
	RollCalls, Votes, Voters int
	First, Last              int
}
