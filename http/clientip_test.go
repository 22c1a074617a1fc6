package http

import (
	"bytes"
	"encoding/json"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func mustPrefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var ps []netip.Prefix
	for _, s := range ss {
		p, err := ParseTrustedProxy(s)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// The client's address: the peer's unless the peer is a trusted proxy; then
// the right-most forwarded address that is not a trusted proxy's. What an
// untrusted peer writes in X-Forwarded-For changes nothing.
func TestClientAddr(t *testing.T) {
	trusted := []string{"10.0.0.0/8", "fd00::/8", "192.0.2.53"}
	for _, c := range []struct {
		name    string
		trusted []string
		peer    string
		xff     []string // one X-Forwarded-For header per element
		want    string
	}{
		{"no proxy trusted: the header is ignored", nil, "198.51.100.9:4000", []string{"203.0.113.7"}, "198.51.100.9"},
		{"untrusted peer spoofing a trusted range", trusted, "198.51.100.9:4000", []string{"10.0.0.1"}, "198.51.100.9"},
		{"untrusted peer spoofing another client", trusted, "198.51.100.9:4000", []string{"203.0.113.7, 10.0.0.3"}, "198.51.100.9"},
		{"trusted peer, no header", trusted, "10.0.0.2:4000", nil, "10.0.0.2"},
		{"trusted peer forwarding", trusted, "10.0.0.2:4000", []string{"203.0.113.7"}, "203.0.113.7"},
		{"client's made-up entry left of the proxy's", trusted, "10.0.0.2:4000", []string{"1.2.3.4, 203.0.113.7"}, "203.0.113.7"},
		{"client claims a trusted address", trusted, "10.0.0.2:4000", []string{"10.9.9.9, 203.0.113.7"}, "203.0.113.7"},
		{"two trusted proxies", trusted, "10.0.0.2:4000", []string{"6.6.6.6, 203.0.113.7, 10.0.0.5"}, "203.0.113.7"},
		{"headers in order", trusted, "10.0.0.2:4000", []string{"6.6.6.6", "203.0.113.7, 10.0.0.5"}, "203.0.113.7"},
		{"a single trusted address", trusted, "192.0.2.53:4000", []string{"203.0.113.7"}, "203.0.113.7"},
		{"its neighbour is not trusted", trusted, "192.0.2.54:4000", []string{"203.0.113.7"}, "192.0.2.54"},
		{"all hops trusted: the farthest", trusted, "10.0.0.2:4000", []string{"10.0.0.7, 10.0.0.5"}, "10.0.0.7"},
		{"garbage from the proxy: the proxy", trusted, "10.0.0.2:4000", []string{"203.0.113.7, unknown"}, "10.0.0.2"},
		{"garbage after a trusted hop: that hop", trusted, "10.0.0.2:4000", []string{"junk, 10.0.0.5"}, "10.0.0.5"},
		{"garbage left of the client is ignored", trusted, "10.0.0.2:4000", []string{"<script>, 203.0.113.7"}, "203.0.113.7"},
		{"IPv6 proxy and client with a port", trusted, "[fd00::1]:443", []string{"[2001:db8::7]:5555"}, "2001:db8::7"},
		{"IPv4 client with a port", trusted, "[fd00::1]:443", []string{" 203.0.113.7:80 "}, "203.0.113.7"},
		{"IPv4-mapped peer in an IPv4 range", trusted, "[::ffff:10.0.0.2]:80", []string{"203.0.113.7"}, "203.0.113.7"},
		{"IPv4-mapped client", trusted, "10.0.0.2:80", []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{TrustedProxies: mustPrefixes(t, c.trusted...)}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.peer
			for _, h := range c.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			if got := s.clientAddr(r); got != c.want {
				t.Errorf("peer %s, X-Forwarded-For %q: client %s, want %s", c.peer, c.xff, got, c.want)
			}
		})
	}
}

func TestParseTrustedProxy(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8": "10.0.0.0/8", "10.1.2.3/8": "10.0.0.0/8", " 192.0.2.1 ": "192.0.2.1/32",
		"fd00::/8": "fd00::/8", "2001:db8::1": "2001:db8::1/128", "::ffff:192.0.2.1": "192.0.2.1/32",
	} {
		if p, err := ParseTrustedProxy(in); err != nil || p.String() != want {
			t.Errorf("%q: %v %v, want %s", in, p, err, want)
		}
	}
	for _, in := range []string{"", "proxy.example.org", "10.0.0.0/33", "10.0.0/8", "fe80::1%eth0", "10.0.0.0/"} {
		if p, err := ParseTrustedProxy(in); err == nil {
			t.Errorf("%q: %v, want an error", in, p)
		} else if !strings.Contains(err.Error(), strings.TrimSpace(in)) {
			t.Errorf("%q: the error %q does not name it", in, err)
		}
	}
}

// The login limiter counts the client's address: behind a trusted proxy each
// forwarded client on its own; from an untrusted peer, X-Forwarded-For does
// not let one address pass for many. The request log names the client.
func TestLoginLimitBehindProxy(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	var logs bytes.Buffer
	e.s.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	e.s.LoginLimits = LoginLimits{PerName: -1, PerAddr: 2}
	h := e.s.Handler()
	login := func(peer string, xff ...string) int {
		t.Helper()
		form := url.Values{"name": {"eve"}, "password": {"wrong"}}
		r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = peer
		for _, x := range xff {
			r.Header.Add("X-Forwarded-For", x)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}

	// An untrusted peer sends a new X-Forwarded-For each time: still one address.
	for i, xff := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		want := nethttp.StatusUnauthorized
		if i == 2 {
			want = nethttp.StatusTooManyRequests
		}
		if code := login("198.51.100.9:1000", xff); code != want {
			t.Fatalf("untrusted peer, attempt %d forwarding %s: %d, want %d", i+1, xff, code, want)
		}
	}
	var line struct{ Remote, Client string }
	last := logs.Bytes()[bytes.LastIndexByte(bytes.TrimSpace(logs.Bytes()), '\n')+1:]
	if err := json.Unmarshal(last, &line); err != nil || line.Remote != "198.51.100.9:1000" || line.Client != "198.51.100.9" {
		t.Errorf("log of the spoofed request: %s (%v), want remote 198.51.100.9:1000 and client 198.51.100.9", last, err)
	}

	// Behind a trusted proxy, clients are counted apart; a client cannot shed
	// its count by sending an X-Forwarded-For of its own.
	e.s.TrustedProxies = mustPrefixes(t, "10.0.0.0/8")
	proxy := "10.0.0.2:5000"
	for i := range 2 {
		if code := login(proxy, "203.0.113.7"); code != nethttp.StatusUnauthorized {
			t.Fatalf("client 203.0.113.7 through the proxy, attempt %d: %d, want 401", i+1, code)
		}
	}
	if code := login(proxy, "6.6.6.6, 203.0.113.7"); code != nethttp.StatusTooManyRequests {
		t.Errorf("client 203.0.113.7 through the proxy, claiming to be 6.6.6.6: %d, want 429", code)
	}
	if code := login(proxy, "203.0.113.8"); code != nethttp.StatusUnauthorized {
		t.Errorf("another client through the same proxy: %d, want 401 (not locked by its neighbour)", code)
	}
	last = logs.Bytes()[bytes.LastIndexByte(bytes.TrimSpace(logs.Bytes()), '\n')+1:]
	if err := json.Unmarshal(last, &line); err != nil || line.Remote != proxy || line.Client != "203.0.113.8" {
		t.Errorf("log of the forwarded request: %s (%v), want remote %s and client 203.0.113.8", last, err, proxy)
	}
	// The proxy itself (no header) is one more client.
	if code := login(proxy); code != nethttp.StatusUnauthorized {
		t.Errorf("the proxy itself: %d, want 401", code)
	}
}
