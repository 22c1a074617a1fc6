package http

import (
	"bytes"
	"context"
	nethttp "net/http"
	"path"
	"strings"

	"github.com/concord-project/concord/output"
)

// endpoint is one GET endpoint of the JSON API: its route, its declared
// parameters (checked on every request and listed in the OpenAPI
// document), the schema of its result and the function computing it.
type endpoint struct {
	Path        string // ServeMux pattern without the method, e.g. /api/v1/states/{code}
	Summary     string
	Description string
	Params      []param // query and path parameters; format is added to every endpoint
	Result      string  // name of the result's schema in components/schemas
	Example     string  // a query string that succeeds on the test data, for the OpenAPI example and the tests
	handle      func(ctx context.Context, q *query) (output.Tabler, error)
}

// params returns the endpoint's parameters with format added.
func (e endpoint) params() []param {
	return append(append([]param(nil), e.Params...), pFormat)
}

// apiHandler serves e: parses the query, computes the result and writes it in the format asked for.
func (s *Server) apiHandler(e endpoint) nethttp.Handler {
	params := e.params()
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		pv := map[string]string{}
		for _, p := range params {
			if p.In == "path" {
				pv[p.Name] = r.PathValue(p.Name)
			}
		}
		q, err := parseQuery(r.URL.RawQuery, params, pv)
		if err != nil {
			writeError(w, r, err)
			return
		}
		f, err := q.format()
		if err != nil {
			writeError(w, r, err)
			return
		}
		v, err := e.handle(r.Context(), q)
		if err != nil {
			if r.Context().Err() != nil && asError(err).Status == nethttp.StatusInternalServerError {
				err = &Error{Status: nethttp.StatusServiceUnavailable, Message: "the request took too long or was cancelled"}
			}
			writeError(w, r, err)
			return
		}
		if f == output.FormatJSON {
			writeJSON(w, nethttp.StatusOK, v)
			return
		}
		var buf bytes.Buffer
		if err := output.Write(&buf, f, v); err != nil {
			setErrorForLog(r, err)
			writeError(w, r, err)
			return
		}
		switch f {
		case output.FormatCSV:
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="`+csvName(r)+`"`)
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		w.Write(buf.Bytes())
	})
}

// csvName names a CSV download after the endpoint and its main parameters, e.g. align-IRN-CUB-year.csv.
func csvName(r *nethttp.Request) string {
	parts := []string{strings.ReplaceAll(strings.TrimPrefix(r.URL.Path, "/api/v1/"), "/", "-")}
	q := r.URL.Query()
	for _, k := range []string{"a", "b", "issue", "by", "from", "to"} {
		if v := q.Get(k); v != "" {
			parts = append(parts, v)
		}
	}
	name := strings.Join(parts, "-")
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
	if len(name) > 80 {
		name = name[:80]
	}
	return path.Base(name) + ".csv"
}
