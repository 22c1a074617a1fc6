package http

import (
	"bytes"
	"context"
	nethttp "net/http"
	"path"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
)

// endpoint is one endpoint of the JSON API: its method and route, its
// declared parameters (checked on every request and listed in the OpenAPI
// document), its request body, who may call it, the schema of its result and
// the function computing it.
type endpoint struct {
	Method      string // GET when empty; POST, PUT or DELETE for writes
	Path        string // ServeMux pattern without the method, e.g. /api/v1/states/{code}
	Summary     string
	Description string
	Params      []param // query and path parameters; format is added to every GET endpoint
	Body        string  // name of the JSON request body's schema in components/schemas; "" for none
	Result      string  // name of the result's schema in components/schemas; "" for none (204)
	Example     string  // a query string that succeeds on the test data, for the OpenAPI example and the tests
	Status      int     // status of success: 200 when 0
	// Registry marks an endpoint of the agreements registry: 503 without one, and
	// reading needs a login when the server's PrivateRegistry is set.
	Registry bool
	// Auth is the action the caller must be authorised for ([concord.Authorize]);
	// "" lets anyone call (reads). The user is in the request's context (userFrom).
	Auth concord.Action
	// Errors documents the error statuses beyond those every endpoint may answer.
	Errors map[int]string
	handle func(ctx context.Context, q *query) (output.Tabler, error)
	// serve, when set, is called instead of handle and writes the response itself (writes, ETags).
	serve func(w nethttp.ResponseWriter, r *nethttp.Request, q *query) error
}

// method returns the endpoint's HTTP method, GET by default.
func (e endpoint) method() string {
	if e.Method == "" {
		return nethttp.MethodGet
	}
	return e.Method
}

// params returns the endpoint's parameters with format added to GET endpoints.
func (e endpoint) params() []param {
	ps := append([]param(nil), e.Params...)
	if e.method() == nethttp.MethodGet {
		ps = append(ps, pFormat)
	}
	return ps
}

// access returns the action a caller must be authorised for, "" for none.
func (s *Server) access(e endpoint) concord.Action {
	if e.Auth != "" {
		return e.Auth
	}
	if e.Registry && s.PrivateRegistry {
		return concord.ActionRead
	}
	return ""
}

// apiHandler serves e: parses the query, computes the result and writes it in the format asked for.
func (s *Server) apiHandler(e endpoint) nethttp.Handler {
	params := e.params()
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if e.Registry && s.Registry == nil {
			writeError(w, r, errNoRegistry)
			return
		}
		if action := s.access(e); action != "" {
			u, err := s.authorize(r, action, r.Header.Get(csrfHeader))
			if err != nil {
				writeAuthError(w, r, err)
				return
			}
			r = r.WithContext(withUser(r.Context(), u))
		} else if e.Registry && r.Header.Get("Authorization") != "" {
			if _, err := s.principal(r); err != nil { // credentials sent are checked even where none are needed
				writeAuthError(w, r, err)
				return
			}
		}
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
		if e.serve != nil {
			if err := e.serve(w, r, q); err != nil {
				writeAuthError(w, r, err)
			}
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
		s.writeResult(w, r, f, nethttp.StatusOK, v)
	})
}

// writeResult writes v with status in format f (JSON, CSV download or text table).
func (s *Server) writeResult(w nethttp.ResponseWriter, r *nethttp.Request, f output.Format, status int, v output.Tabler) {
	if f == output.FormatJSON {
		writeJSON(w, status, v)
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
	w.WriteHeader(status)
	w.Write(buf.Bytes())
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
