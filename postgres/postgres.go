// Package postgres is concord's store for a shared server: the agreements
// registry (concord.AgreementStore and concord.UserStore) in a PostgreSQL
// database, through pgx/v5's database/sql driver.
//
// Open connects and applies the versioned migrations in migrations/NNNN_name.sql
// it lacks, each in its own transaction under a PostgreSQL advisory lock, so
// several servers starting at once apply each migration once. The queries are
// those of package internal/regsql, shared with package sqlite.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"

	"github.com/concord-project/concord/internal/migrate"
	"github.com/concord-project/concord/internal/regsql"
)

// DB is the registry in one PostgreSQL database; it is safe for concurrent use.
type DB struct {
	*regsql.Store
	sql *sql.DB
}

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations returns the embedded migrations in version order.
func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFS, "migrations/*.sql") }

// Open connects to the database at url (postgres://user@host:port/dbname?…)
// and brings its schema up to date.
func Open(ctx context.Context, url string) (*DB, error) {
	sdb, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	sdb.SetMaxOpenConns(16)
	sdb.SetMaxIdleConns(16)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("postgres: connecting to %s: %w", Redact(url), err)
	}
	db := &DB{Store: regsql.New(sdb, true), sql: sdb}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("postgres: %s: %w", Redact(url), err)
	}
	return db, nil
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.sql.Close() }

// SchemaVersion returns the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// migrateLock is the advisory-lock key that serialises migrations.
const migrateLock = 0x636f6e636f7264 // "concord"

func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrateLock)
	return migrate.Apply(ctx, conn, ms, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`)
}

// Redact returns url with any password replaced by "xxxxx", for messages.
func Redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return url
	}
	user, _, hasPw := strings.Cut(rest[:at], ":")
	if !hasPw {
		return url
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}
