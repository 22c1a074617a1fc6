// Package migrate brings a SQL database's schema up to date from numbered
// migration files, the one implementation the SQLite and PostgreSQL stores share.
//
// Migrations are files named NNNN_name.sql with consecutive versions from 1.
// Each is applied in a transaction of its own, together with its row in the
// table schema_migrations (version, name, applied_at); the check of the
// current version is made in the same transaction, so concurrent openers
// apply each migration once. A database recorded at a version newer than the
// program knows is refused.
package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int    // 1, 2, …
	Name    string // file name without .sql, e.g. 0001_init
	SQL     string // statements to run
}

// Load returns the migrations matching pattern in fsys (e.g. "migrations/*.sql") in version order.
func Load(fsys fs.FS, pattern string) ([]Migration, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(base, ".sql"), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d", m.Name, m.Version, i+1)
		}
	}
	return ms, nil
}

// DB is what Apply needs of a database: *sql.DB and *sql.Conn both provide it.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Apply applies, each in its own transaction, the migrations of ms not yet
// recorded in schema_migrations, creating that table if needed. record is the
// dialect's statement inserting (version, name, applied_at), e.g.
// "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)".
func Apply(ctx context.Context, db DB, ms []Migration, record string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := apply(ctx, db, m, len(ms), record); err != nil {
			return err
		}
	}
	return nil
}

// apply runs m unless it is recorded already; the check and the change share one transaction.
func apply(ctx context.Context, db DB, m Migration, known int, record string) error {
	tx, err := db.BeginTx(ctx, nil)
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
	if int(cur.Int64) >= m.Version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, record, m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("recording migration %s: %w", m.Name, err)
	}
	return tx.Commit()
}
