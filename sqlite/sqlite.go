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
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
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

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. Their files are
// named NNNN_name.sql with consecutive versions from 1.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := filepath.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", n)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d", m.name, m.version, i+1)
		}
	}
	return ms, nil
}

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
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := db.apply(ctx, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// apply runs migration m unless it is recorded already; the check and the
// change share one write transaction, so concurrent openers apply it once.
func (db *DB) apply(ctx context.Context, m migration, known int) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var cur sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&cur); err != nil {
		return err
	}
	if int(cur.Int64) > known {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d); upgrade concord", cur.Int64, known)
	}
	if int(cur.Int64) >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("recording migration %s: %w", m.name, err)
	}
	return tx.Commit()
}
