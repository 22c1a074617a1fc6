package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord/internal/pgtest"
)

// serve --registry: a registry made with the CLI (users, a token) is the one
// the server writes to through the API, on SQLite (the default, --db) and on
// PostgreSQL (--registry URL); the CLI then sees the agreement added.
func TestServeRegistry(t *testing.T) {
	for _, c := range []struct {
		name string
		reg  func(t *testing.T, db string) string // the registry's --db for the CLI; "" means --db itself
	}{
		{"sqlite-default", func(t *testing.T, db string) string { return "" }},
		{"sqlite-file", func(t *testing.T, db string) string { return filepath.Join(t.TempDir(), "registry.db") }},
		{"postgres", func(t *testing.T, db string) string { return pgtest.NewDatabase(t) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "votes.db")
			reg := c.reg(t, db)
			cliDB := db
			args := []string{"--db", db, "serve", "--addr", "127.0.0.1:0"}
			if reg != "" {
				cliDB = reg
				args = append(args, "--registry", reg)
			}
			token := addAdminWithToken(t, cliDB)
			base, logs, done := startServeArgs(t, args)
			defer stopBySignal(t, base, done)
			body := `{"id": "BRA-IND_2020M", "title": "Memorandum on Vaccine Research", "kind": "mou", "status": "signed", "parties": [{"state": "India"}, {"state": "Brazil"}]}`
			req, _ := http.NewRequest("POST", base+"/api/v1/agreements", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 201 {
				t.Fatalf("create through the API: %d\n%s", resp.StatusCode, logs)
			}
			req, _ = http.NewRequest("POST", base+"/api/v1/agreements", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
				t.Errorf("create without a token: %v %v", resp.StatusCode, err)
			}
			out, _, err := run(t, "--db", cliDB, "agreements", "list", "--party", "IND")
			if err != nil || !strings.Contains(out, "BRA-IND_2020M") {
				t.Errorf("the CLI does not see the agreement the server stored: %v\n%s", err, out)
			}
		})
	}
}

// addAdminWithToken adds the admin ada to the registry at db with the CLI
// (password "a long passphrase", also left in $CONCORD_PASSWORD) and returns
// an API token of hers.
func addAdminWithToken(t *testing.T, db string) string {
	t.Helper()
	t.Setenv("CONCORD_NEW_PASSWORD", "a long passphrase")
	if _, stderr, err := run(t, "--db", db, "users", "add", "ada", "--role", "admin"); err != nil {
		t.Fatalf("users add: %v %s", err, stderr)
	}
	t.Setenv("CONCORD_PASSWORD", "a long passphrase")
	token, stderr, err := run(t, "--db", db, "users", "token", "create", "ada", "--as", "ada")
	if err != nil {
		t.Fatalf("token: %v %s", err, stderr)
	}
	return strings.TrimSpace(token)
}

// startServeArgs runs concord with args (which include serve and its flags) as startServe does.
func startServeArgs(t *testing.T, args []string) (string, *lockedBuffer, chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	logs := &lockedBuffer{}
	cmd := newRootCmd(pw, logs)
	cmd.SetArgs(args)
	done := make(chan error, 1)
	go func() {
		err := cmd.ExecuteContext(context.Background())
		pw.Close()
		done <- err
	}()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		if sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case line := <-lines:
		i := strings.Index(line, "http://")
		if i < 0 {
			t.Fatalf("serve printed %q", line)
		}
		return line[i:], logs, done
	case err := <-done:
		t.Fatalf("serve stopped at once: %v\n%s", err, logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start\n%s", logs)
	}
	return "", nil, nil
}
