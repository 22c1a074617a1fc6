package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
)

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const rollCallCols = `rcid, session, date, resolution, important, amend, para, short, descr`

// loadRollCalls reads the roll calls selected by where (an SQL condition on
// roll_calls, or "") with their issues, sorted by date (undated first) then RCID.
func loadRollCalls(ctx context.Context, q querier, where string, args ...any) ([]concord.RollCall, error) {
	cond := ""
	if where != "" {
		cond = " WHERE " + where
	}
	rows, err := q.QueryContext(ctx, `SELECT `+rollCallCols+` FROM roll_calls`+cond+
		` ORDER BY CASE WHEN date IS NULL THEN 0 ELSE 1 END, date, rcid`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading roll calls: %w", err)
	}
	defer rows.Close()
	var out []concord.RollCall
	idx := map[int]int{}
	for rows.Next() {
		var (
			rc                      concord.RollCall
			session                 sql.NullInt64
			date, res, short, descr sql.NullString
			imp, amend, para        sql.NullInt64
		)
		if err := rows.Scan(&rc.RCID, &session, &date, &res, &imp, &amend, &para, &short, &descr); err != nil {
			return nil, fmt.Errorf("sqlite: reading roll calls: %w", err)
		}
		rc.Session = int(session.Int64)
		if date.Valid {
			d, err := time.Parse(time.DateOnly, date.String)
			if err != nil {
				return nil, fmt.Errorf("sqlite: roll call %d: bad stored date: %w", rc.RCID, err)
			}
			rc.Date = d
		}
		rc.Resolution, rc.Short, rc.Descr = res.String, short.String, descr.String
		rc.Important, rc.Amend, rc.Para = flagOf(imp), flagOf(amend), flagOf(para)
		idx[rc.RCID] = len(out)
		out = append(out, rc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading roll calls: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	irows, err := q.QueryContext(ctx, `SELECT rcid, issue FROM roll_call_issues`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading issues: %w", err)
	}
	defer irows.Close()
	for irows.Next() {
		var rcid int
		var issue string
		if err := irows.Scan(&rcid, &issue); err != nil {
			return nil, fmt.Errorf("sqlite: reading issues: %w", err)
		}
		if i, ok := idx[rcid]; ok {
			out[i].Issues = append(out[i].Issues, concord.Issue(issue))
		}
	}
	if err := irows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading issues: %w", err)
	}
	order := map[concord.Issue]int{}
	for k, i := range concord.Issues {
		order[i] = k
	}
	for i := range out {
		if len(out[i].Issues) > 1 {
			slices.SortFunc(out[i].Issues, func(a, b concord.Issue) int { return order[a] - order[b] })
		}
	}
	return out, nil
}

func flagOf(n sql.NullInt64) concord.Flag {
	if !n.Valid {
		return concord.FlagUnknown
	}
	return concord.FlagOf(n.Int64 != 0)
}

// RollCalls returns the roll calls that pass f, sorted by date (undated
// first) then RCID. Years, issue and importance are selected in SQL; every
// row is then checked with f.Match, so the result is exactly f's.
func (db *DB) RollCalls(ctx context.Context, f concord.RollCallFilter) ([]concord.RollCall, error) {
	var conds []string
	var args []any
	// Dates are yyyy-mm-dd text: compare as text only for four-digit years.
	if f.From != 0 {
		conds = append(conds, "date IS NOT NULL")
		if f.From > 0 && f.From <= 9999 {
			conds = append(conds, "date >= ?")
			args = append(args, fmt.Sprintf("%04d-01-01", f.From))
		}
	}
	if f.To != 0 {
		conds = append(conds, "date IS NOT NULL")
		if f.To > 0 && f.To < 9999 {
			conds = append(conds, "date < ?")
			args = append(args, fmt.Sprintf("%04d-01-01", f.To+1))
		}
	}
	if f.Issue != "" {
		conds = append(conds, "rcid IN (SELECT rcid FROM roll_call_issues WHERE issue = ?)")
		args = append(args, string(f.Issue))
	}
	if f.Important {
		conds = append(conds, "important = 1")
	}
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	all, err := loadRollCalls(ctx, tx, strings.Join(conds, " AND "), args...)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, rc := range all {
		if f.Match(rc) {
			out = append(out, rc)
		}
	}
	return out, nil
}

// Counts returns the number of roll calls and votes stored.
func (db *DB) Counts(ctx context.Context) (rollCalls, votes int, err error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM roll_calls`).Scan(&rollCalls); err != nil {
		return 0, 0, fmt.Errorf("sqlite: counting roll calls: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM votes`).Scan(&votes); err != nil {
		return 0, 0, fmt.Errorf("sqlite: counting votes: %w", err)
	}
	return rollCalls, votes, nil
}

// Matrix loads every roll call and vote, from one snapshot, into a
// concord.Matrix. The matrix is kept in the store (matrix_snapshot) for the
// last import, and read back from there while no import follows.
func (db *DB) Matrix(ctx context.Context) (*concord.Matrix, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM import_log`).Scan(&last); err != nil {
		return nil, fmt.Errorf("sqlite: reading the import log: %w", err)
	}
	var blob []byte
	switch err := tx.QueryRowContext(ctx, `SELECT data FROM matrix_snapshot WHERE import_id = ?`, last).Scan(&blob); {
	case err == nil:
		if m, err := decodeMatrix(blob); err == nil {
			return m, nil
		} // a snapshot that does not decode is built again and replaced
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("sqlite: reading the matrix snapshot: %w", err)
	}
	m, err := buildMatrix(ctx, tx)
	if err != nil {
		return nil, err
	}
	tx.Rollback()
	db.saveMatrix(ctx, last, m) // best effort: a store opened read-only still answers
	return m, nil
}

// matrixSnapshot is what matrix_snapshot holds.
type matrixSnapshot struct {
	States    []string
	RollCalls []concord.RollCall
	Votes     []concord.Vote
}

func decodeMatrix(blob []byte) (*concord.Matrix, error) {
	var s matrixSnapshot
	if err := gob.NewDecoder(bytes.NewReader(blob)).Decode(&s); err != nil {
		return nil, err
	}
	return concord.MatrixOf(s.States, s.RollCalls, s.Votes)
}

// saveMatrix keeps m as the matrix of import last, unless another import has
// come since, and drops older snapshots.
func (db *DB) saveMatrix(ctx context.Context, last int64, m *concord.Matrix) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(matrixSnapshot{m.States, m.RollCalls, m.Votes}); err != nil {
		return err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var now int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM import_log`).Scan(&now); err != nil || now != last {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM matrix_snapshot`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO matrix_snapshot (import_id, data) VALUES (?, ?)`, last, buf.Bytes()); err != nil {
		return err
	}
	return tx.Commit()
}

// buildMatrix reads every roll call and vote of tx into a Matrix.
func buildMatrix(ctx context.Context, tx *sql.Tx) (*concord.Matrix, error) {
	rcs, err := loadRollCalls(ctx, tx, "")
	if err != nil {
		return nil, err
	}
	// One row per roll call, its votes packed as vote digit + state code,
	// separated by RS: SQLite concatenates far faster than the driver
	// hands over rows one by one.
	rows, err := tx.QueryContext(ctx, `SELECT rcid, `+packedVotes+` FROM votes GROUP BY rcid`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading votes: %w", err)
	}
	defer rows.Close()
	b := concord.NewMatrixBuilder(rcs)
	intern := map[string]string{}
	var packed sql.RawBytes
	for rows.Next() {
		var rcid int
		if err := rows.Scan(&rcid, &packed); err != nil {
			return nil, fmt.Errorf("sqlite: reading votes: %w", err)
		}
		err := unpackVotes(packed, func(state []byte, v concord.Vote) {
			s, ok := intern[string(state)]
			if !ok {
				s = string(state)
				intern[s] = s
			}
			b.Set(s, rcid, v)
		})
		if err != nil {
			return nil, fmt.Errorf("sqlite: votes on roll call %d: %w", rcid, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading votes: %w", err)
	}
	return b.Matrix(), nil
}

// packedVotes aggregates the votes of a group into one text: for each vote its
// digit then its state code, separated by the ASCII record separator (state
// codes hold no control characters: see merge.ValidState).
const packedVotes = `group_concat(vote || state, char(30))`

// unpackVotes calls fn for every vote packed by packedVotes.
func unpackVotes(p []byte, fn func(state []byte, v concord.Vote)) error {
	for len(p) > 0 {
		e := p
		if i := bytes.IndexByte(p, 30); i >= 0 {
			e, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		if len(e) < 2 || e[0] < '0' || e[0] > '9' {
			return fmt.Errorf("malformed packed vote %q", e)
		}
		fn(e[1:], concord.Vote(e[0]-'0'))
	}
	return nil
}

// ImportRecord is one entry of the import log: a successful import.
type ImportRecord struct {
	ID               int
	ImportedAt       time.Time // UTC, to the second
	Summary          string    // files read and counts, in one line
	RollCallsAdded   int
	RollCallsUpdated int
	VotesAdded       int
	VotesUnchanged   int
	Warnings         int // number of warnings
}

// Imports returns the import log, oldest first.
func (db *DB) Imports(ctx context.Context) ([]ImportRecord, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, imported_at, summary, roll_calls_added, roll_calls_updated,
		votes_added, votes_unchanged, warnings FROM import_log ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading the import log: %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		var at string
		if err := rows.Scan(&r.ID, &at, &r.Summary, &r.RollCallsAdded, &r.RollCallsUpdated,
			&r.VotesAdded, &r.VotesUnchanged, &r.Warnings); err != nil {
			return nil, fmt.Errorf("sqlite: reading the import log: %w", err)
		}
		if r.ImportedAt, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("sqlite: import log entry %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
