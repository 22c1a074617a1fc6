package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concord-project/concord/internal/pgtest"
)

// serve keeps registry reads (--registry-cache, on by default) on SQLite and
// PostgreSQL: a change made behind the change log (raw SQL, which moves no
// revision) is not seen while the cache holds the list, and is seen at once
// with --registry-cache 0; a recorded write by another process (the CLI) is
// seen at once either way.
func TestServeRegistryCache(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, cacheOn := range []bool{true, false} {
			name := backend + "/cache-default"
			if !cacheOn {
				name = backend + "/cache-0"
			}
			t.Run(name, func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "votes.db")
				args := []string{"--db", db, "serve", "--addr", "127.0.0.1:0"}
				cliDB, driver, dsn := db, "sqlite", db
				if backend == "postgres" {
					url := pgtest.NewDatabase(t)
					cliDB, driver, dsn = url, "pgx", url
					args = append(args, "--registry", url)
				}
				if !cacheOn {
					args = append(args, "--registry-cache", "0")
				}
				t.Setenv("CONCORD_TOKEN", addAdminWithToken(t, cliDB))
				if _, stderr, err := run(t, "--db", cliDB, "agreements", "add", "--id", "BRA-IND_2020M", "--title", "Memorandum on Vaccine Research",
					"--kind", "mou", "--party", "IND", "--party", "BRA", "--signed", "2020-01-25"); err != nil {
					t.Fatalf("agreements add: %v %s", err, stderr)
				}
				base, logs, done := startServeArgs(t, args)
				defer stopBySignal(t, base, done)
				type row struct{ Title, Status string }
				read := func() row {
					t.Helper()
					resp, err := http.Get(base + "/api/v1/agreements?party=IND")
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					var v struct{ Agreements []row }
					if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 || len(v.Agreements) != 1 {
						t.Fatalf("list: %d %v %+v\n%s", resp.StatusCode, err, v, logs)
					}
					return v.Agreements[0]
				}
				if got := read().Title; got != "Memorandum on Vaccine Research" {
					t.Fatalf("first read: %q", got)
				}

				raw, err := sql.Open(driver, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				if _, err := raw.Exec(`UPDATE agreements SET title = 'Changed behind the log' WHERE id = 'BRA-IND_2020M'`); err != nil {
					t.Fatal(err)
				}
				want := "Changed behind the log"
				if cacheOn {
					want = "Memorandum on Vaccine Research" // kept: the registry's revision has not moved
				}
				if got := read().Title; got != want {
					t.Errorf("after a change the log does not record, with the cache %v: %q, want %q", cacheOn, got, want)
				}

				if _, stderr, err := run(t, "--db", cliDB, "agreements", "set", "BRA-IND_2020M", "--status", "in-force"); err != nil {
					t.Fatalf("agreements set: %v %s", err, stderr)
				}
				if got := read(); got != (row{"Changed behind the log", "in-force"}) {
					t.Errorf("after the CLI's recorded change, with the cache %v: %+v, want the stored title and status in-force", cacheOn, got)
				}
			})
		}
	}
}

// --trusted-proxy: the request log names the client a trusted proxy forwards;
// without the flag X-Forwarded-For changes nothing.
func TestServeTrustedProxy(t *testing.T) {
	db := filepath.Join(t.TempDir(), "votes.db")
	for _, c := range []struct {
		flags []string
		want  string
	}{
		{nil, "client=127.0.0.1"},
		{[]string{"--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "127.0.0.1"}, "client=203.0.113.7"},
	} {
		base, logs, done := startServeArgs(t, append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, c.flags...))
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		stopBySignal(t, base, done)
		if l := logs.String(); !strings.Contains(l, c.want) || (c.flags == nil && strings.Contains(l, "203.0.113.7")) {
			t.Errorf("%v: the log lacks %q (or has the untrusted header's address):\n%s", c.flags, c.want, l)
		}
	}
}

func TestServeBadCacheAndProxyFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--registry-cache", "-1"}, []string{"--registry-cache", "-1"}},
		{[]string{"--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "proxy.example.org"}, []string{"--trusted-proxy", "proxy.example.org"}},
		{[]string{"--trusted-proxy", "10.0.0.0/33"}, []string{"--trusted-proxy", "10.0.0.0/33"}},
	} {
		// A bad --addr makes serve fail rather than run if the flags were let through.
		_, _, err := run(t, append([]string{"--db", db, "serve", "--addr", "256.0.0.1:bad"}, c.args...)...)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %v, want an error naming %q", c.args, err, w)
			}
		}
	}
}
