package http

import (
	"context"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"time"
)

// contentSecurityPolicy allows only the server's own scripts, styles and
// images; the pages use no inline script or style attribute.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// requestInfo travels with a request so that handlers can hand an error to the log line.
type requestInfo struct{ err error }

type infoKey struct{}

// setErrorForLog records err to be logged with the request.
func setErrorForLog(r *nethttp.Request, err error) {
	if ri, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		ri.err = err
	}
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	nethttp.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = nethttp.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }

// Request body limits: reads carry (almost) no body; writes carry one JSON
// record or one form (an agreement with a few hundred parties is ~60 KB).
const (
	maxQueryBody = 1 << 10 // GET, HEAD, DELETE
	maxBody      = 1 << 20 // POST, PUT
)

// middleware wraps every request: security headers, body limits (each route
// answers methods it lacks with 405; see routes),
// a time limit, panic recovery, a structured log line and metrics.
func (s *Server) middleware(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		sw := &statusWriter{ResponseWriter: w}
		ri := &requestInfo{}
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), infoKey{}, ri), s.requestTimeout())
		defer cancel()
		r = r.WithContext(ctx)
		limit := int64(maxQueryBody)
		if r.Method == nethttp.MethodPost || r.Method == nethttp.MethodPut {
			limit = maxBody
		}
		r.Body = nethttp.MaxBytesReader(sw, r.Body, limit)

		func() {
			defer func() {
				if p := recover(); p != nil {
					if p == nethttp.ErrAbortHandler {
						panic(p)
					}
					ri.err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
					if sw.status == 0 {
						writeJSON(sw, nethttp.StatusInternalServerError, &Error{Message: "internal error"})
					}
				}
			}()
			if !slices.Contains(knownMethods, r.Method) {
				h.Set("Allow", "GET, HEAD, POST, PUT, DELETE")
				writeError(sw, r, &Error{Status: nethttp.StatusMethodNotAllowed, Message: "method " + r.Method + " not allowed"})
				return
			}
			next.ServeHTTP(sw, r)
		}()

		if sw.status == 0 {
			sw.status = nethttp.StatusOK
		}
		d := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, r.Method, sw.status, d)
		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("query", r.URL.RawQuery),
			slog.String("route", route), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Float64("ms", float64(d.Microseconds())/1000), slog.String("remote", r.RemoteAddr),
			slog.String("client", s.clientAddr(r)),
		}
		level := slog.LevelInfo
		if ri.err != nil {
			attrs = append(attrs, slog.String("err", ri.err.Error()))
		}
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.logger().LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// itoa is strconv.Itoa, short.
func itoa(n int) string { return strconv.Itoa(n) }
