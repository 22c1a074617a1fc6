package http

import (
	"context"
	"errors"
	"log/slog"
	"math"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
)

// How callers prove who they are. Scripts send an API token
// (Authorization: Bearer <secret>, made with `concord users token`);
// browsers log in at /login and get a session cookie, and every write they
// make must carry the session's CSRF token (the X-CSRF-Token header, or the
// csrf field of a form). The token and session secrets are checked by the
// registry (concord.UserStore TokenUser and SessionUser), which stores only
// their hashes; what a user may do is decided by concord.Authorize. Failed
// logins are limited per name and per client address (ratelimit.go).
const (
	sessionCookie = "concord_session" // name of the session cookie
	csrfHeader    = "X-CSRF-Token"    // header carrying the CSRF token of a session's API write
	csrfField     = "csrf"            // form field carrying it
	sessionTTL    = 12 * time.Hour    // how long a login lasts
)

// principal is who a request comes from: an anonymous caller (User.Name
// empty), a user with an API token, or a user with a session.
type principal struct {
	User   concord.User
	Via    string // "token", "session" or "" (anonymous)
	CSRF   string // the session's CSRF token
	secret string // the session's secret (to end it at logout)
}

type userKey struct{}

// withUser returns ctx carrying the authenticated user of a request.
func withUser(ctx context.Context, u concord.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// userFrom returns the user withUser stored, the zero User if none.
func userFrom(ctx context.Context) concord.User {
	u, _ := ctx.Value(userKey{}).(concord.User)
	return u
}

// errNoRegistry is the answer of registry endpoints on a server without one.
var errNoRegistry = &Error{Status: nethttp.StatusServiceUnavailable,
	Message: "no agreements registry is configured: start the server with --db FILE (SQLite) or --registry postgres://…"}

// principal finds who sent r. A bad or revoked API token is an error (401);
// a session cookie that is unknown or expired counts as no login.
func (s *Server) principal(r *nethttp.Request) (principal, error) {
	if s.Registry == nil {
		return principal{}, nil
	}
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(strings.TrimSpace(h), " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return principal{}, &Error{Status: nethttp.StatusUnauthorized, Param: "Authorization",
				Message: "want \"Authorization: Bearer <token>\" with an API token (concord users token create NAME)"}
		}
		u, err := s.Registry.TokenUser(r.Context(), secret)
		if errors.Is(err, concord.ErrUnauthorized) {
			return principal{}, &Error{Status: nethttp.StatusUnauthorized, Param: "Authorization",
				Message: "unknown or revoked API token, or its user is disabled"}
		}
		if err != nil {
			return principal{}, err
		}
		return principal{User: u, Via: "token"}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return principal{}, nil
	}
	u, csrf, err := s.Registry.SessionUser(r.Context(), c.Value)
	if errors.Is(err, concord.ErrUnauthorized) {
		return principal{}, nil
	}
	if err != nil {
		return principal{}, err
	}
	return principal{User: u, Via: "session", CSRF: csrf, secret: c.Value}, nil
}

// unsafeMethod reports whether a request may change something.
func unsafeMethod(m string) bool {
	return m != nethttp.MethodGet && m != nethttp.MethodHead && m != nethttp.MethodOptions
}

// authorize returns the user behind r if concord.Authorize lets them perform
// action. A write made with a session cookie must come from this site and
// carry the session's CSRF token csrf (403 otherwise); API tokens need no
// CSRF token, as browsers never send them by themselves.
func (s *Server) authorize(r *nethttp.Request, action concord.Action, csrf string) (concord.User, error) {
	p, err := s.principal(r)
	if err != nil {
		return concord.User{}, err
	}
	if p.Via == "session" && unsafeMethod(r.Method) {
		if err := sameOrigin(r); err != nil {
			return concord.User{}, err
		}
		if !concord.CheckCSRF(p.CSRF, csrf) {
			what := "wrong"
			if csrf == "" {
				what = "missing"
			}
			return concord.User{}, &Error{Status: nethttp.StatusForbidden, Param: csrfHeader,
				Message: "CSRF token " + what + ": a write with a session cookie must send the session's token (X-CSRF-Token header or csrf form field); reload the page and try again"}
		}
	}
	if err := concord.Authorize(p.User, action); err != nil {
		return concord.User{}, authError(err)
	}
	return p.User, nil
}

// sameOrigin rejects a write that a browser says comes from another site (Origin or Sec-Fetch-Site).
func sameOrigin(r *nethttp.Request) error {
	if sfs := r.Header.Get("Sec-Fetch-Site"); sfs == "cross-site" || sfs == "same-site" {
		return &Error{Status: nethttp.StatusForbidden, Message: "a write from another site is refused"}
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return &Error{Status: nethttp.StatusForbidden, Message: "a write from another origin (" + clip(o) + ") is refused"}
		}
	}
	return nil
}

// authError turns the registry's ErrUnauthorized and ErrForbidden into 401 and 403.
func authError(err error) error {
	switch {
	case errors.Is(err, concord.ErrUnauthorized):
		return &Error{Status: nethttp.StatusUnauthorized,
			Message: "authentication needed: send \"Authorization: Bearer <token>\" (an API token) or log in at /login"}
	case errors.Is(err, concord.ErrForbidden):
		return &Error{Status: nethttp.StatusForbidden, Message: err.Error()}
	}
	return err
}

// writeAuthError writes err, with a WWW-Authenticate challenge on a 401.
func writeAuthError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	if asError(err).Status == nethttp.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="concord"`)
	}
	writeError(w, r, err)
}

// formPost is a handler of a POST form of the web UI.
type formPost struct {
	Path   string // ServeMux pattern without the method
	handle func(w nethttp.ResponseWriter, r *nethttp.Request)
}

// loginData is what login.html shows.
type loginData struct {
	Configured bool   // a registry is configured
	Next       string // where to go after logging in
	Name       string // the name typed
	Message    string // why the login failed
	User       concord.User
	CSRF       string
}

// PageTitle is the page's title.
func (loginData) PageTitle() string { return "Log in" }

// localPath returns next if it is a path on this site, else "/agreements".
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/agreements"
	}
	return next
}

// loginPages are the login page and, as forms, the login and logout posts.
func (s *Server) loginPages() []page {
	return []page{{
		Path: "/login", Template: "login",
		load: func(r *nethttp.Request) (any, error) {
			q, err := pageQuery(r, []param{{Name: "next", Type: "string"}})
			if err != nil {
				return nil, err
			}
			d := loginData{Configured: s.Registry != nil, Next: localPath(q.get("next"))}
			if p, err := s.principal(r); err == nil {
				d.User, d.CSRF = p.User, p.CSRF
			}
			return d, nil
		},
	}}
}

// loginForms handle POST /login (name, password, next) and POST /logout (csrf).
func (s *Server) loginForms() []formPost {
	return []formPost{{Path: "/login", handle: s.postLogin}, {Path: "/logout", handle: s.postLogout}}
}

func (s *Server) postLogin(w nethttp.ResponseWriter, r *nethttp.Request) {
	if s.Registry == nil {
		s.renderError(w, r, errNoRegistry)
		return
	}
	if err := sameOrigin(r); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, badParam("", "malformed form: "+err.Error()))
		return
	}
	name, password := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password")
	d := loginData{Configured: true, Next: localPath(r.PostForm.Get("next")), Name: name}
	client := s.clientAddr(r)
	attempt, wait, ok := s.logins.begin(s.LoginLimits, name, client, s.logins.now())
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		d.Message = "Too many failed logins for this name or from this address: try again in " + waitText(wait) + "."
		s.render(w, r, "login", nethttp.StatusTooManyRequests, d)
		return
	}
	u, err := s.Registry.Authenticate(r.Context(), name, password)
	if errors.Is(err, concord.ErrUnauthorized) || name == "" {
		if len(attempt.locks) > 0 {
			s.logger().Warn("login: too many failed attempts; refusing more for a while",
				slog.String("name", clip(name)), slog.String("remote", r.RemoteAddr), slog.String("client", client), slog.Any("locked", attempt.locks),
				slog.Duration("cooldown", s.LoginLimits.orDefault().Cooldown))
		}
		d.Message = "Wrong name or password (or the account is disabled)."
		s.render(w, r, "login", nethttp.StatusUnauthorized, d)
		return
	}
	if err != nil {
		attempt.undecided()
		s.renderError(w, r, err)
		return
	}
	attempt.succeeded()
	if old, err := r.Cookie(sessionCookie); err == nil {
		s.Registry.DeleteSession(r.Context(), old.Value)
	}
	secret, _, err := s.Registry.CreateSession(r.Context(), u.Name, sessionTTL)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	nethttp.SetCookie(w, &nethttp.Cookie{Name: sessionCookie, Value: secret, Path: "/", MaxAge: int(sessionTTL.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: nethttp.SameSiteLaxMode})
	nethttp.Redirect(w, r, d.Next, nethttp.StatusSeeOther)
}

// waitText says how long to wait in words: "42 seconds", "15 minutes".
func waitText(d time.Duration) string {
	n, unit := int(math.Ceil(d.Seconds())), "second"
	if d > time.Minute {
		n, unit = int(math.Ceil(d.Minutes())), "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}

func (s *Server) postLogout(w nethttp.ResponseWriter, r *nethttp.Request) {
	if s.Registry == nil {
		s.renderError(w, r, errNoRegistry)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, badParam("", "malformed form: "+err.Error()))
		return
	}
	p, err := s.principal(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if p.Via == "session" {
		if err := sameOrigin(r); err != nil {
			s.renderError(w, r, err)
			return
		}
		if !concord.CheckCSRF(p.CSRF, r.PostForm.Get(csrfField)) {
			s.renderError(w, r, &Error{Status: nethttp.StatusForbidden, Message: "CSRF token missing or wrong: reload the page and log out again"})
			return
		}
		if err := s.Registry.DeleteSession(r.Context(), p.secret); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	nethttp.SetCookie(w, &nethttp.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: nethttp.SameSiteLaxMode})
	nethttp.Redirect(w, r, "/login?next=%2Fagreements", nethttp.StatusSeeOther)
}

// formUser authorises a POST form of the web UI: a session (or token) whose
// CSRF token matches the form's csrf field, with a role allowed action.
func (s *Server) formUser(r *nethttp.Request, action concord.Action) (concord.User, error) {
	if err := r.ParseForm(); err != nil {
		return concord.User{}, badParam("", "malformed form: "+err.Error())
	}
	return s.authorize(r, action, r.PostForm.Get(csrfField))
}

// whoData is the login state the registry's pages show.
type whoData struct {
	User concord.User
	CSRF string
}

// CanWrite reports whether the user may edit.
func (w whoData) CanWrite() bool { return concord.Authorize(w.User, concord.ActionWrite) == nil }

// CanDelete reports whether the user may delete.
func (w whoData) CanDelete() bool { return concord.Authorize(w.User, concord.ActionDelete) == nil }

// who returns the login state of r for a page (anonymous if anything fails).
func (s *Server) who(r *nethttp.Request) whoData {
	p, err := s.principal(r)
	if err != nil {
		return whoData{}
	}
	return whoData{User: p.User, CSRF: p.CSRF}
}

// loginRedirect sends a browser that is not logged in to the login page, then back to back.
func loginRedirect(back string) redirect {
	return redirect("/login?next=" + url.QueryEscape(back))
}
