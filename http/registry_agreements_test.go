package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/pgtest"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/postgres"
	"github.com/concord-project/concord/sqlite"
)

// The registry's tests run against every store: SQLite always, PostgreSQL
// when a server answers (pgtest; CONCORD_REQUIRE_POSTGRES=1 makes it required).

// regBackend opens an empty registry.
type regBackend struct {
	name string
	open func(t testing.TB) concord.Registry
}

var regBackends = []regBackend{
	{"sqlite", func(t testing.TB) concord.Registry {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "registry.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db.Registry()
	}},
	{"postgres", func(t testing.TB) concord.Registry {
		url := pgtest.NewDatabase(t)
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}},
}

// Users of the HTTP tests: one per role, and a disabled editor.
var regUsers = []struct {
	name string
	role concord.Role
}{{"ada", concord.RoleAdmin}, {"eve", concord.RoleEditor}, {"ed", concord.RoleEditor}, {"vic", concord.RoleViewer}, {"dan", concord.RoleEditor}}

const regPassword = "correct horse battery"

// regEnv is a test server over a seeded registry, with an API token per user.
type regEnv struct {
	s      *Server
	ts     *httptest.Server
	reg    concord.Registry
	tokens map[string]string
}

// sampleCommitments are the seeded commitments, ids 1–4 in this order.
func sampleCommitments() []concord.Commitment {
	return []concord.Commitment{
		{AgreementID: "DEU-FRA_2001A", Text: "Exchange 50 researchers a year", Responsible: "DEU", Due: "2005-12-31", Status: concord.CommitmentDone, Progress: 100},
		{AgreementID: "DEU-FRA_2001A", Text: "Open a joint laboratory", Responsible: "FRA", Due: "2010-06-30", Status: concord.CommitmentInProgress, Progress: 40},
		{AgreementID: "KYOTO_1997P", Text: "Cut emissions by 8%", Responsible: "DEU", Due: "2012-12-31", Status: concord.CommitmentNotStarted},
		{AgreementID: "CAN-USA_2010M", Text: "Publish border statistics", Status: concord.CommitmentCancelled},
	}
}

// seedRegistry fills reg with the sample agreements and commitments and the users; it returns a token per user.
func seedRegistry(t testing.TB, reg concord.Registry) map[string]string {
	t.Helper()
	ctx := context.Background()
	admin := concord.User{}
	tokens := map[string]string{}
	for _, u := range regUsers {
		created, err := reg.CreateUser(ctx, admin, u.name, u.role, regPassword)
		if err != nil {
			t.Fatalf("user %s: %v", u.name, err)
		}
		if admin.Name == "" {
			admin = created
		}
		secret, _, err := reg.CreateToken(ctx, admin, u.name, "test")
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.name] = secret
	}
	if err := reg.SetDisabled(ctx, admin, "dan", true); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportAgreements(ctx, admin, storetest.SampleAgreements(), sampleCommitments()); err != nil {
		t.Fatal(err)
	}
	return tokens
}

// newRegEnv serves the fixture votes and a seeded registry of backend b.
func newRegEnv(t testing.TB, b regBackend) *regEnv {
	t.Helper()
	reg := b.open(t)
	tokens := seedRegistry(t, reg)
	s, ts := newTestServer(t, fixtureStore(t))
	s.Registry = reg
	return &regEnv{s: s, ts: ts, reg: reg, tokens: tokens}
}

// eachStore runs fn against a seeded registry on every backend.
func eachStore(t *testing.T, fn func(t *testing.T, e *regEnv)) {
	for _, b := range regBackends {
		t.Run(b.name, func(t *testing.T) { fn(t, newRegEnv(t, b)) })
	}
}

// sampleRegistry is a seeded SQLite registry, for tests of the whole server.
func sampleRegistry(t testing.TB) concord.Registry {
	reg := regBackends[0].open(t)
	seedRegistry(t, reg)
	return reg
}

// req is one request of a test.
type req struct {
	method, path string
	body         any               // marshalled to JSON unless a string or []byte
	token        string            // API token (Authorization: Bearer)
	header       map[string]string // more headers
	cookies      []*nethttp.Cookie
}

// resp is what came back.
type resp struct {
	code   int
	header nethttp.Header
	body   []byte
}

func (r resp) err() Error {
	var e Error
	json.Unmarshal(r.body, &e)
	return e
}

func (e *regEnv) do(t testing.TB, q req) resp {
	t.Helper()
	var body io.Reader
	switch b := q.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	r, err := nethttp.NewRequest(q.method, e.ts.URL+q.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if q.token != "" {
		r.Header.Set("Authorization", "Bearer "+q.token)
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	for _, c := range q.cookies {
		r.AddCookie(c)
	}
	client := *e.ts.Client()
	client.CheckRedirect = func(*nethttp.Request, []*nethttp.Request) error { return errUseLast }
	res, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, b}
}

// login posts the login form and returns the session cookie and its CSRF token.
func (e *regEnv) login(t testing.TB, name string) (*nethttp.Cookie, string) {
	t.Helper()
	form := url.Values{"name": {name}, "password": {regPassword}, "next": {"/agreements"}}
	r, _ := nethttp.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := *e.ts.Client()
	client.CheckRedirect = func(*nethttp.Request, []*nethttp.Request) error { return errUseLast }
	res, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != nethttp.StatusSeeOther || res.Header.Get("Location") != "/agreements" {
		t.Fatalf("login %s: %d, Location %q", name, res.StatusCode, res.Header.Get("Location"))
	}
	var c *nethttp.Cookie
	for _, x := range res.Cookies() {
		if x.Name == sessionCookie {
			c = x
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != nethttp.SameSiteLaxMode {
		t.Fatalf("login %s: session cookie %+v", name, c)
	}
	me := e.do(t, req{method: "GET", path: "/api/v1/me", cookies: []*nethttp.Cookie{c}})
	var m meResult
	if err := json.Unmarshal(me.body, &m); err != nil || m.Name != name || m.CSRF == "" {
		t.Fatalf("me after login: %d %s", me.code, me.body)
	}
	return c, m.CSRF
}

func decodeAs[T any](t testing.TB, r resp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return v
}

func agreementIDs(as []concord.Agreement) string {
	var ids []string
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return strings.Join(ids, " ")
}
