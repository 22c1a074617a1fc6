// Package pgtest gives each test a PostgreSQL database of its own: created
// with a random name on the server at $CONCORD_PG (default
// postgres://postgres@127.0.0.1:5432/postgres, trust authentication) and
// dropped when the test ends. Tests skip when the server cannot be reached,
// unless CONCORD_REQUIRE_POSTGRES=1, when they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ServerURL is the maintenance database URL of the test server.
func ServerURL() string {
	if u := os.Getenv("CONCORD_PG"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// NewDatabase creates a fresh database and returns its URL; it is dropped at the end of the test.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin := ServerURL()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		if os.Getenv("CONCORD_REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("PostgreSQL at %s: %v", admin, err)
		}
		tb.Skipf("PostgreSQL at %s not reachable (%v); set CONCORD_REQUIRE_POSTGRES=1 to fail instead", admin, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "concord_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("creating database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("dropping database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("dropping database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
