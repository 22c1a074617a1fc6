// Package http serves concord over HTTP: a JSON API under /api/v1 with the
// parameters and fields of the command line, its OpenAPI 3 document at
// /api/openapi.json, a server-rendered web UI (html/template, charts drawn as
// SVG on the server, a little optional JavaScript), /healthz and Prometheus
// metrics at /metrics.
//
// Server wraps a concord.VoteStore. The vote matrix is loaded once and
// indexed for alignment (align.NewIndex); the store's counts are compared at
// most once per CheckInterval and the matrix is reloaded when they change, so
// an import made while the server runs shows up without a restart.
//
// Each capability is one file: its API endpoints (a list of endpoint values,
// which both route requests and generate the OpenAPI document) and its pages
// (a page value and a template in templates/). Besides the votes, the server
// shows what the optional stores hold: the agreements registry, coded events
// and trade (fields Registry, Events and Trade; NewServer fills them when the
// vote store provides them too, as sqlite.DB does). A page whose store is
// missing says so. Capabilities still being built have placeholder pages that
// say so; see pending.go.
//
// Safe defaults: the server listens on 127.0.0.1 unless told otherwise,
// reads (GET and HEAD) with small headers and no body, writes to the registry
// (POST, PUT, DELETE; auth.go) only from an authorised user with a bounded
// body, bounds the time of every request, and sends security headers with a Content-Security-Policy
// that forbids inline scripts and styles (the pages need neither).
package http

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	nethttp "net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/regsql"
)

// DefaultAddr is where the server listens unless told otherwise: localhost only.
const DefaultAddr = "127.0.0.1:8080"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is concord's HTTP server: API, web UI, health and metrics.
type Server struct {
	Addr           string        // listen address, DefaultAddr if empty
	Logger         *slog.Logger  // request and error log; slog.Default() if nil
	CheckInterval  time.Duration // how often the store's counts are compared to reload the matrix; ≤ 0 checks on every request
	RequestTimeout time.Duration // upper bound on the time one request may take (default 15 s)

	Registry concord.Registry   // agreements, commitments and users; nil if the server has none
	Events   concord.EventStore // events coded from news; nil if the server has none
	Trade    concord.TradeStore // trade flows; nil if the server has none

	// PrivateRegistry makes reading the registry need a login too (any role);
	// by default anyone may read it and only writes need one.
	PrivateRegistry bool
	// LoginLimits bound failed logins per user name and client address
	// (ratelimit.go); zero fields take DefaultLoginLimits.
	LoginLimits LoginLimits
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (clientip.go); a request from any other peer is its own client.
	TrustedProxies []netip.Prefix

	logins loginLimiter // counts of failed logins

	timelineRows int // steps of a pair's timeline per page of /agreements; 0: timelinePageSize

	store     concord.VoteStore
	cache     *matrixCache
	results   resultCache // results of the slower analyses, per matrix snapshot
	trade     tradeTables // years of trade laid out for the indices (api_trade.go)
	metrics   *metrics
	endpoints []endpoint
	pages     []page
	tmpl      map[string]*template.Template
	handler   nethttp.Handler

	ln  net.Listener
	srv *nethttp.Server
}

// NewServer returns a server over store; call Open to listen, or use Handler with a server of your own.
// If store is also an event store, a trade store or has a Registry method (as
// sqlite.DB does), the server uses it for those too; set the fields to change that.
func NewServer(store concord.VoteStore) *Server {
	s := &Server{Addr: DefaultAddr, CheckInterval: 5 * time.Second, RequestTimeout: 15 * time.Second, store: store}
	if es, ok := store.(concord.EventStore); ok {
		s.Events = es
	}
	if ts, ok := store.(concord.TradeStore); ok {
		s.Trade = ts
	}
	if rs, ok := store.(interface{ Registry() *regsql.Store }); ok {
		s.Registry = rs.Registry()
	}
	s.metrics = newMetrics()
	s.cache = &matrixCache{store: store, interval: func() time.Duration { return s.CheckInterval }, metrics: s.metrics}
	// One line per capability: its endpoints and its pages.
	s.endpoints = concat(s.stateEndpoints(), s.rollCallEndpoints(), s.alignEndpoints(), s.blocsEndpoints(), s.idealEndpoints(),
		s.agreementEndpoints(), s.eventEndpoints(), s.tradeEndpoints(), s.briefEndpoints())
	s.pages = concat(s.homePages(), s.statePages(), s.pairPages(), s.coalitionPages(), s.blocsPages(),
		s.agreementPages(), s.eventPages(), s.tradePages(), s.briefPages())
	s.pages = append(s.pages, pendingPages(s.pages)...)
	s.tmpl = mustTemplates(s.pages)
	s.handler = s.routes()
	return s
}

func concat[T any](lists ...[]T) []T {
	var out []T
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// Handler returns the server's whole handler (routes and middleware), for tests or another server.
func (s *Server) Handler() nethttp.Handler { return s.handler }

// knownMethods are the methods the server answers; others get 405 from the middleware.
var knownMethods = []string{nethttp.MethodGet, nethttp.MethodHead, nethttp.MethodPost, nethttp.MethodPut, nethttp.MethodDelete, nethttp.MethodPatch}

// routes builds the mux: API endpoints, pages and forms, static files, health
// and metrics. A path served with some methods answers the others 405 with
// Allow listing those it has.
func (s *Server) routes() nethttp.Handler {
	mux := nethttp.NewServeMux()
	allow := map[string][]string{}
	var order []string
	allowed := func(path, method string) {
		if allow[path] == nil {
			order = append(order, path)
		}
		allow[path] = append(allow[path], method)
	}
	api := map[string]bool{}
	for _, e := range s.endpoints {
		mux.Handle(e.method()+" "+e.Path, s.apiHandler(e))
		allowed(e.Path, e.method())
		api[e.Path] = true
	}
	for _, p := range s.pages {
		mux.Handle("GET "+p.Path, s.pageHandler(p))
		allowed(p.Path, nethttp.MethodGet)
	}
	for _, f := range concat(s.loginForms(), s.agreementForms()) {
		mux.Handle("POST "+f.Path, nethttp.HandlerFunc(f.handle))
		allowed(f.Path, nethttp.MethodPost)
	}
	for _, path := range order {
		methods := allow[path]
		if slices.Contains(methods, nethttp.MethodGet) {
			methods = append([]string{nethttp.MethodGet, nethttp.MethodHead}, slices.DeleteFunc(methods, func(m string) bool { return m == nethttp.MethodGet })...)
		}
		methods = slices.Compact(methods)
		list, isAPI := strings.Join(methods, ", "), api[path]
		notAllowed := nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
			w.Header().Set("Allow", list)
			e := &Error{Status: nethttp.StatusMethodNotAllowed, Message: "method " + r.Method + " not allowed here (allowed: " + list + ")"}
			if isAPI {
				writeError(w, r, e)
				return
			}
			s.renderError(w, r, e)
		})
		// One pattern per method the path lacks: a method-less pattern would
		// conflict with more specific paths such as /agreements/new.
		for _, m := range knownMethods {
			if !slices.Contains(methods, m) {
				mux.Handle(m+" "+path, notAllowed)
			}
		}
	}
	mux.Handle("GET /api/openapi.json", nethttp.HandlerFunc(s.serveOpenAPI))
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", nethttp.StripPrefix("/static/", cacheStatic(nethttp.FileServerFS(static))))
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("/api/", func(w nethttp.ResponseWriter, r *nethttp.Request) {
		writeError(w, r, &Error{Status: nethttp.StatusNotFound, Message: "no such API endpoint: " + r.URL.Path + " (see /api/openapi.json)"})
	})
	mux.HandleFunc("/", func(w nethttp.ResponseWriter, r *nethttp.Request) {
		s.renderError(w, r, &Error{Status: nethttp.StatusNotFound, Message: "No page at " + r.URL.Path + "."})
	})
	return s.middleware(mux)
}

// serveHealth answers 200 when the store answers, 503 when it does not.
func (s *Server) serveHealth(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	rcs, votes, err := s.store.Counts(ctx)
	if err != nil {
		s.logger().Error("health check", "err", err)
		writeJSON(w, nethttp.StatusServiceUnavailable, map[string]any{"status": "unavailable", "message": "the store does not answer"})
		return
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"status": "ok", "roll_calls": rcs, "votes": votes})
}

// Open listens on Addr and serves in the background until Close.
func (s *Server) Open() error {
	addr := s.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &nethttp.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      s.requestTimeout() + 5*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, nethttp.ErrServerClosed) {
			s.logger().Error("serving", "err", err)
		}
	}()
	return nil
}

// URL returns the base URL the server listens on, once Open has succeeded.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops accepting connections and waits, up to ctx's deadline, for the requests in flight to finish.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

func (s *Server) requestTimeout() time.Duration {
	if s.RequestTimeout > 0 {
		return s.RequestTimeout
	}
	return 15 * time.Second
}

// cacheStatic lets browsers keep the embedded static files for an hour.
func cacheStatic(h nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
