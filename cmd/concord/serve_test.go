package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the server's log writes and the test's reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs `concord serve` in-process on a free loopback port and returns its URL,
// its log and a channel that receives the command's result when it stops.
func startServe(t *testing.T, args ...string) (string, *lockedBuffer, chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	logs := &lockedBuffer{}
	cmd := newRootCmd(pw, logs)
	cmd.SetArgs(append(args, "serve", "--addr", "127.0.0.1:0"))
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

func getJSON(t *testing.T, url string) (int, any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return resp.StatusCode, v
}

// stopBySignal sends SIGTERM to the test process (serve has registered for it) and waits for a clean stop.
func stopBySignal(t *testing.T, base string, done chan error) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still answering after shutdown")
	}
}

// serve answers on an empty store, logs every request, and stops cleanly on SIGTERM.
func TestServeEmptyStoreAndShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.db")
	base, logs, done := startServe(t, "--db", db)
	code, v := getJSON(t, base+"/healthz")
	if code != 200 || v.(map[string]any)["votes"] != 0.0 {
		t.Errorf("healthz: %d %v", code, v)
	}
	code, v = getJSON(t, base+"/api/v1/partners?a=USA")
	if code != 503 || !strings.Contains(v.(map[string]any)["message"].(string), "concord import unga") {
		t.Errorf("partners on an empty store: %d %v", code, v)
	}
	stopBySignal(t, base, done)
	for _, want := range []string{`msg=request method=GET path=/healthz`, `route="GET /api/v1/partners" status=503`, "shutting down"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestServeBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if _, _, err := run(t, "--db", db, "serve", "--log", "xml"); err == nil || !strings.Contains(err.Error(), "--log") {
		t.Errorf("--log xml: %v", err)
	}
	if _, _, err := run(t, "--db", db, "serve", "--addr", "256.0.0.1:bad"); err == nil || !strings.Contains(err.Error(), "listening on") {
		t.Errorf("bad --addr: %v", err)
	}
}

// The API answers with the same JSON as the command line, for the same parameters.
func TestServeSameAsCLI(t *testing.T) {
	db := importedReal(t)
	base, _, done := startServe(t, "--db", db)
	defer stopBySignal(t, base, done)
	cases := []struct {
		cli []string
		api string
	}{
		{[]string{"align", "IRN", "CUB", "--issue", "me", "--from", "2000", "--to", "2019"}, "/api/v1/align?a=IRN&b=CUB&issue=me&from=2000&to=2019"},
		{[]string{"align", "Iran", "Cuba", "--by", "year", "--important"}, "/api/v1/align?a=Iran&b=Cuba&by=year&important=true"},
		{[]string{"align", "USA", "ISR", "--by", "session", "--from", "1990"}, "/api/v1/align?a=USA&b=ISR&by=session&from=1990"},
		{[]string{"partners", "IRN", "--issue", "me", "--from", "2000", "--top", "15"}, "/api/v1/partners?a=IRN&issue=me&from=2000&top=15"},
		{[]string{"partners", "Cuba", "--metric", "kappa", "--min-votes", "100"}, "/api/v1/partners?a=Cuba&metric=kappa&min_votes=100"},
		{[]string{"rollcalls", "--issue", "nu", "--from", "2019", "--to", "2019"}, "/api/v1/rollcalls?issue=nu&from=2019&to=2019"},
		{[]string{"rollcalls", "--search", "Golan"}, "/api/v1/rollcalls?search=Golan"},
		{[]string{"countries", "iran"}, "/api/v1/states?q=iran"},
	}
	for _, c := range cases {
		out, _, err := run(t, append([]string{"--db", db, "--format", "json"}, c.cli...)...)
		if err != nil {
			t.Fatalf("concord %v: %v", c.cli, err)
		}
		var want any
		if err := json.Unmarshal([]byte(out), &want); err != nil {
			t.Fatal(err)
		}
		code, got := getJSON(t, base+c.api)
		if code != 200 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%d) differs from concord %s", c.api, code, strings.Join(c.cli, " "))
		}
	}
}
