package http

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/output"
)

// param declares one query or path parameter of an endpoint. The same
// declaration checks requests (unknown parameters are rejected) and
// describes the parameter in the OpenAPI document.
type param struct {
	Name        string
	In          string // "query" (default) or "path"
	Type        string // "string", "integer" or "boolean"
	Description string
	Enum        []string
	Default     string
	Required    bool
	Min, Max    int // bounds of an integer (Max 0: none)
	Example     string
	Repeated    bool // may be given more than once (an array in the OpenAPI document)
}

// The parameters shared by the analyses, with the names and meaning of the CLI's flags.
var (
	pFrom      = param{Name: "from", Type: "integer", Max: 9999, Description: "first calendar year of vote dates (inclusive)", Example: "2000"}
	pTo        = param{Name: "to", Type: "integer", Max: 9999, Description: "last calendar year of vote dates (inclusive)", Example: "2019"}
	pIssue     = param{Name: "issue", Type: "string", Enum: issueCodes(), Description: "only roll calls on this issue: me (Palestinian conflict), nu (nuclear weapons), di (arms control), hr (human rights), co (colonialism), ec (economic development); the English name is accepted too", Example: "me"}
	pImportant = param{Name: "important", Type: "boolean", Description: "only votes the US State Department classified as important"}
	pFormat    = param{Name: "format", Type: "string", Enum: []string{"json", "csv", "table"}, Default: "json", Description: "json, csv (a download with a header row) or table (aligned text)"}
	pA         = param{Name: "a", Type: "string", Required: true, Description: "a state: ISO or COW code, or name", Example: "IRN"}
	pB         = param{Name: "b", Type: "string", Required: true, Description: "the other state: ISO or COW code, or name", Example: "CUB"}
	pBy        = param{Name: "by", Type: "string", Enum: []string{"all", "year", "session"}, Default: "all", Description: "one row for the whole window (all), per calendar year (year) or per UN session (session)"}
	pMetric    = param{Name: "metric", Type: "string", Enum: []string{"agree", "s_score", "kappa", "coincidence"}, Default: "agree", Description: "rank by agree, s_score, kappa or coincidence"}
	pMinVotes  = param{Name: "min_votes", Type: "integer", Default: "1", Description: "leave out states with fewer common votes"}
	pTop       = param{Name: "top", Type: "integer", Default: "0", Description: "only the first N (0: all)"}
	pSearch    = param{Name: "search", Type: "string", Description: "only roll calls whose resolution code or description contains this text (case-insensitive)"}
	pLimit     = param{Name: "limit", Type: "integer", Default: "0", Description: "at most this many rows (0: all); total still counts every one"}
)

// windowParams are the parameters of every vote analysis (the CLI's --from, --to, --issue, --important).
var windowParams = []param{pFrom, pTo, pIssue, pImportant}

func issueCodes() []string {
	s := make([]string, len(concord.Issues))
	for i, x := range concord.Issues {
		s[i] = string(x)
	}
	return s
}

// maxParamLen bounds the length of any one parameter value.
const maxParamLen = 200

// maxRepeats bounds how often a repeated parameter may be given.
const maxRepeats = 20

// query holds the checked parameters of one request.
type query struct {
	vals url.Values
	path map[string]string
}

// parseQuery parses a raw query string against the declared parameters:
// each may appear once, with at most maxParamLen bytes of valid UTF-8, and
// parameters not declared are rejected. pathVals holds the path parameters.
func parseQuery(raw string, params []param, pathVals map[string]string) (*query, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, badParam("", "malformed query string: "+err.Error())
	}
	known := map[string]bool{}
	repeated := map[string]bool{}
	for _, p := range params {
		if p.In != "path" {
			known[p.Name] = true
			repeated[p.Name] = p.Repeated
		}
	}
	for name, vs := range vals {
		if name == "" {
			return nil, badParam("", "malformed query string: a value without a parameter name")
		}
		if !known[name] {
			return nil, badParam(name, fmt.Sprintf("unknown parameter %q (this endpoint takes %s)", clip(name), paramList(params)))
		}
		if len(vs) > 1 && (!repeated[name] || len(vs) > maxRepeats) {
			if repeated[name] {
				return nil, badParam(name, fmt.Sprintf("given more than %d times", maxRepeats))
			}
			return nil, badParam(name, "given more than once")
		}
		for _, v := range vs {
			if len(v) > maxParamLen || !utf8.ValidString(v) {
				return nil, badParam(name, fmt.Sprintf("must be valid UTF-8 of at most %d bytes", maxParamLen))
			}
		}
	}
	for _, p := range params {
		if p.Required && p.In != "path" && strings.TrimSpace(vals.Get(p.Name)) == "" {
			return nil, badParam(p.Name, "required")
		}
	}
	return &query{vals: vals, path: pathVals}, nil
}

func paramList(params []param) string {
	var names []string
	for _, p := range params {
		if p.In != "path" {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return "no parameters"
	}
	return strings.Join(names, ", ")
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// get returns the value of a query or path parameter, trimmed.
func (q *query) get(name string) string {
	if v, ok := q.path[name]; ok {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(q.vals.Get(name))
}

// all returns every value of a repeated query parameter, trimmed, empty ones left out.
func (q *query) all(name string) []string {
	var out []string
	for _, v := range q.vals[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// has reports whether the parameter was given.
func (q *query) has(name string) bool {
	_, ok := q.vals[name]
	return ok
}

// int parses an integer parameter in [min, max] (max 0: unbounded), def when absent or empty.
func (q *query) int(p param, def int) (int, error) {
	s := q.get(p.Name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badParam(p.Name, fmt.Sprintf("want a whole number, got %q", clip(s)))
	}
	if n < p.Min {
		return 0, badParam(p.Name, fmt.Sprintf("must be at least %d, got %d", p.Min, n))
	}
	if p.Max > 0 && n > p.Max {
		return 0, badParam(p.Name, fmt.Sprintf("must be at most %d, got %d", p.Max, n))
	}
	return n, nil
}

// bool parses a boolean parameter: true/false, 1/0, yes/no, on/off; present but empty means true.
func (q *query) bool(p param) (bool, error) {
	if !q.has(p.Name) {
		return false, nil
	}
	switch strings.ToLower(q.get(p.Name)) {
	case "", "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, badParam(p.Name, fmt.Sprintf("want true or false, got %q", clip(q.get(p.Name))))
}

// window parses from, to, issue and important as the CLI's window flags do.
func (q *query) window() (align.Window, error) {
	var w align.Window
	var err error
	if w.From, err = q.int(pFrom, 0); err != nil {
		return w, err
	}
	if w.To, err = q.int(pTo, 0); err != nil {
		return w, err
	}
	if w.From != 0 && w.To != 0 && w.From > w.To {
		return w, badParam("from", fmt.Sprintf("from %d is after to %d", w.From, w.To))
	}
	if s := q.get("issue"); s != "" {
		i, err := concord.ParseIssue(s)
		if err != nil {
			return w, badParam("issue", err.Error())
		}
		w.Issue = i
	}
	if w.Important, err = q.bool(pImportant); err != nil {
		return w, err
	}
	return w, nil
}

// state resolves a state parameter (any code or name) to its code: 404 when unknown, 400 when ambiguous or empty.
func (q *query) state(name string) (string, error) {
	s := q.get(name)
	if s == "" {
		return "", badParam(name, "required: a state code or name")
	}
	st, err := countries.Lookup(s)
	if err != nil {
		return "", stateError(name, err)
	}
	return st.Code, nil
}

// metric parses the metric parameter.
func (q *query) metric() (align.Metric, error) {
	m, err := align.ParseMetric(q.get("metric"))
	if q.get("metric") == "" {
		return align.Agree, nil
	}
	if err != nil {
		return 0, badParam("metric", err.Error())
	}
	return m, nil
}

// by parses the by parameter.
func (q *query) by() (align.By, error) {
	b, err := align.ParseBy(q.get("by"))
	if err != nil {
		return 0, badParam("by", err.Error())
	}
	return b, nil
}

// format parses the format parameter (json unless given).
func (q *query) format() (output.Format, error) {
	s := q.get("format")
	if s == "" {
		return output.FormatJSON, nil
	}
	f, err := output.ParseFormat(s)
	if err != nil {
		return "", badParam("format", err.Error())
	}
	return f, nil
}
