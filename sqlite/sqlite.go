// Package sqlite is concord's default embedded store: a concord.VoteStore in
// one SQLite file, through the pure-Go driver modernc.org/sqlite.
//
// Open creates or opens a database (WAL journal, foreign keys on, a busy
// timeout) and applies the schema migrations it lacks; DB.ImportVotes merges a
// dataset in one transaction with the rules of package internal/merge;
// DB.RollCalls, DB.Counts and DB.Matrix read it back; DB.Imports lists the
// import log. A process killed during an import leaves the database as it was
// before the import began.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/migrate"
	_ "modernc.org/sqlite" // registers driver "sqlite"
)

// BusyTimeout is how long a statement waits for another connection's lock.
const BusyTimeout = 10 * time.Second

// DB is a concord store in one SQLite database file; it is safe for concurrent use.
type DB struct {
	sql  *sql.DB
	path string
}

var _ concord.VoteStore = (*DB)(nil)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations returns the embedded migrations in version order.
func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFS, "migrations/*.sql") }

// Open opens the database at path, creating it and its parent directories if
// needed, and brings its schema up to date.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: creating the directory of %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("_txlock", "immediate") // writers take the lock up front: no upgrade deadlocks
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)") // in WAL mode: durable against crashes of the process, atomic always
	q.Add("_pragma", "cache_size(-65536)")  // 64 MiB page cache per connection
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(4)
	sdb.SetMaxIdleConns(4)
	db := &DB{sql: sdb, path: abs}
	if err := db.migrate(context.Background()); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// SchemaVersion returns the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// migrate applies, each in its own transaction, the migrations not yet recorded
// in schema_migrations. It refuses a database written by a newer concord.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return migrate.Apply(ctx, db.sql, ms, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`)
}
