package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	concord "github.com/concord-project/concord"
)

var _ concord.ResultCache = (*DB)(nil)

// VotesVersion returns the id of the last import that changed the votes (0 before any).
func (db *DB) VotesVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.sql.QueryRowContext(ctx,
		`SELECT max(id) FROM import_log WHERE roll_calls_added + roll_calls_updated + votes_added > 0`).Scan(&v)
	return v.Int64, err
}

// LoadResult reads the result stored under kind and key if it was computed on votes version version.
func (db *DB) LoadResult(ctx context.Context, kind, key string, version int64, v any) (bool, error) {
	var body []byte
	err := db.sql.QueryRowContext(ctx, `SELECT body FROM results WHERE kind = ? AND key = ? AND votes_version = ?`,
		kind, key, version).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return false, err
	}
	return true, nil
}

// SaveResult stores v as JSON under kind and key for votes version version, and drops results of older versions.
func (db *DB) SaveResult(ctx context.Context, kind, key string, version int64, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM results WHERE votes_version <> ?`, version); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO results (kind, key, votes_version, computed_at, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, key) DO UPDATE SET votes_version = excluded.votes_version,
		computed_at = excluded.computed_at, body = excluded.body`,
		kind, key, version, time.Now().UTC().Format(time.RFC3339), body); err != nil {
		return err
	}
	return tx.Commit()
}
