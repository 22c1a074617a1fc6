package http

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/concord-project/concord/countries"
)

var fuzzSeeds = []string{
	"a=USA&b=ISR", "a=Iran&issue=me&from=2000&to=2019&by=year", "a=USA&b=ISR&from=2005&to=2001", "from=-1", "to=99999999999999999999",
	"issue=zz", "metric=kappa&top=3&min_votes=0", "important", "important=maybe", "a=%zz", "a=%ff", "a=Korea", "a=SUN&b=USA",
	"format=csv", "format=xml", "q=iran", "limit=2", "by=session", "colour=red", "a=USA&a=ISR", "search=nuclear", ";;&&==", "a=" + strings.Repeat("x", 300),
}

// FuzzParseQuery: the query parsers never panic, and every rejection is a 400
// or 404 *Error naming the parameter at fault (except a malformed query string).
func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	params := append(append([]param{pA, pB}, windowParams...), pBy, pMetric, pMinVotes, pTop, pLimit, pFormat)
	for i := range params {
		params[i].Required = false
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseQuery(raw, params, nil)
		check := func(err error) {
			t.Helper()
			if err == nil {
				return
			}
			var e *Error
			if !errors.As(err, &e) || (e.Status != 400 && e.Status != 404) || e.Message == "" {
				t.Fatalf("%q: error %#v is not a 400/404 *Error", raw, err)
			}
			if e.Param == "" && !strings.HasPrefix(e.Message, "malformed query") {
				t.Fatalf("%q: error %q names no parameter", raw, e.Message)
			}
		}
		check(err)
		if err != nil {
			return
		}
		w, err := q.window()
		check(err)
		if err == nil {
			if verr := w.Validate(); verr != nil {
				t.Fatalf("%q: accepted window %+v that align rejects: %v", raw, w, verr)
			}
		}
		_, err = q.metric()
		check(err)
		_, err = q.by()
		check(err)
		_, err = q.format()
		check(err)
		for _, p := range []param{pTop, pMinVotes, pLimit} {
			n, err := q.int(p, 0)
			check(err)
			if err == nil && n < 0 {
				t.Fatalf("%q: negative %s %d accepted", raw, p.Name, n)
			}
		}
		if q.get("a") != "" {
			code, err := q.state("a")
			check(err)
			if err == nil {
				if _, ok := countries.ByCode(code); !ok {
					t.Fatalf("%q: state %q resolved to unknown code %q", raw, q.get("a"), code)
				}
			}
		}
	})
}

// FuzzParseWith: the state list of the state page never panics and yields at most maxWith distinct known states.
func FuzzParseWith(f *testing.F) {
	for _, s := range []string{"USA, CHN", "USA CHN RUS", "Iran;Cuba", "United States", "Korea", "Atlantis", ",,,", "USA,USA", "a b c d e f g h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		codes, err := parseWith(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Param != "with" {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(codes) > maxWith {
			t.Fatalf("%q: %d states", s, len(codes))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if _, ok := countries.ByCode(c); !ok || seen[c] {
				t.Fatalf("%q: bad or repeated code %q in %v", s, c, codes)
			}
			seen[c] = true
		}
	})
}

// FuzzAPI: no query string makes any endpoint answer 500; errors are JSON with a message.
func FuzzAPI(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(uint8(i), s)
	}
	st := fixtureStore(f)
	s := NewServer(st)
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s.Registry = sampleRegistry(f)
	for _, add := range fixtureStores { // events, trade: every endpoint has its store
		add(f, s)
	}
	h := s.Handler()
	var paths []string
	for _, e := range s.endpoints {
		if e.Auth != "" {
			continue // needs credentials (401 without)
		}
		paths = append(paths, strings.Replace(e.Path, "{code}", "IRN", 1))
	}
	paths = append(paths, "/states/IRN", "/pairs/USA/IRN", "/state", "/pair", "/")
	f.Fuzz(func(t *testing.T, which uint8, raw string) {
		if strings.ContainsAny(raw, "# \t\r\n") || !utf8.ValidString(raw) {
			return // not a query string a client can send
		}
		p := paths[int(which)%len(paths)]
		req := httptest.NewRequest("GET", "http://x"+p, nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s?%s: %d %s", p, raw, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && strings.HasPrefix(p, "/api/") {
			var e Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Message == "" {
				t.Fatalf("%s?%s: %d body %s", p, raw, rec.Code, rec.Body)
			}
		}
		if rec.Code != nethttp.StatusOK && rec.Code != nethttp.StatusSeeOther && rec.Code != 400 && rec.Code != 404 {
			t.Fatalf("%s?%s: unexpected status %d", p, raw, rec.Code)
		}
	})
}
