package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/merge"
)

// Rows per multi-row INSERT; 3 parameters per vote row stay far below
// SQLite's limit of 32766 parameters per statement.
const (
	voteBatch     = 500
	rollCallBatch = 100
)

// ImportVotes merges ds into the store in one transaction, with the rules of
// package internal/merge: nothing is written unless all of ds is accepted.
// progress, if not nil, is called with the number of ds.Votes handled so far
// (written or found already stored) and len(ds.Votes).
func (db *DB) ImportVotes(ctx context.Context, ds *concord.Dataset, progress func(done, total int)) (concord.ImportStats, error) {
	if ds == nil {
		return concord.ImportStats{}, errors.New("sqlite: import: nil dataset")
	}
	tx, err := db.sql.BeginTx(ctx, nil) // BEGIN IMMEDIATE: see Open
	if err != nil {
		return concord.ImportStats{}, fmt.Errorf("sqlite: import: %w", err)
	}
	defer tx.Rollback()
	st, err := importTx(ctx, tx, ds, progress)
	if err != nil {
		return concord.ImportStats{}, err
	}
	if err := tx.Commit(); err != nil {
		return concord.ImportStats{}, fmt.Errorf("sqlite: import: commit: %w", err)
	}
	return st, nil
}

func importTx(ctx context.Context, tx *sql.Tx, ds *concord.Dataset, progress func(done, total int)) (concord.ImportStats, error) {
	src := &txSource{tx: tx}
	defer src.close()
	plan, err := merge.Prepare(ctx, ds, src)
	if err != nil {
		return concord.ImportStats{}, err
	}
	if err := writeRollCalls(ctx, tx, plan); err != nil {
		return concord.ImportStats{}, fmt.Errorf("sqlite: import: %w", err)
	}
	if err := writeVotes(ctx, tx, ds, plan, progress); err != nil {
		return concord.ImportStats{}, fmt.Errorf("sqlite: import: %w", err)
	}
	st := plan.Stats
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_log
		(imported_at, summary, roll_calls_added, roll_calls_updated, votes_added, votes_unchanged, warnings)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		time.Now().UTC().Format(time.RFC3339), merge.Summary(ds, st),
		st.RollCallsAdded, st.RollCallsUpdated, st.VotesAdded, st.VotesUnchanged, len(st.Warnings)); err != nil {
		return concord.ImportStats{}, fmt.Errorf("sqlite: import: logging: %w", err)
	}
	return st, nil
}

// txSource shows Prepare the store as the import transaction sees it.
type txSource struct {
	tx    *sql.Tx
	votes *sql.Stmt
}

func (s *txSource) close() {
	if s.votes != nil {
		s.votes.Close()
	}
}

func (s *txSource) RollCalls(ctx context.Context, rcids []int) (map[int]concord.RollCall, error) {
	out := make(map[int]concord.RollCall, len(rcids))
	if len(rcids) == 0 {
		return out, nil
	}
	want := make(map[int]bool, len(rcids))
	for _, r := range rcids {
		want[r] = true
	}
	// The store holds thousands of roll calls at most: reading them all is
	// cheaper than thousands of lookups.
	all, err := loadRollCalls(ctx, s.tx, "")
	if err != nil {
		return nil, err
	}
	for _, rc := range all {
		if want[rc.RCID] {
			out[rc.RCID] = rc
		}
	}
	return out, nil
}

func (s *txSource) Votes(ctx context.Context, rcid int, fn func(state string, v concord.Vote)) error {
	if s.votes == nil {
		st, err := s.tx.PrepareContext(ctx, `SELECT `+packedVotes+` FROM votes WHERE rcid = ?`)
		if err != nil {
			return err
		}
		s.votes = st
	}
	var packed sql.NullString
	if err := s.votes.QueryRowContext(ctx, rcid).Scan(&packed); err != nil {
		return fmt.Errorf("sqlite: reading the votes on roll call %d: %w", rcid, err)
	}
	return unpackVotes([]byte(packed.String), func(state []byte, v concord.Vote) { fn(string(state), v) })
}

// multiInsert returns an INSERT of n rows of the columns cols.
func multiInsert(table string, cols []string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// batcher writes rows with a prepared multi-row INSERT of size rows,
// and a statement of the exact size for the remainder.
type batcher struct {
	ctx   context.Context
	tx    *sql.Tx
	table string
	cols  []string
	size  int
	full  *sql.Stmt
	args  []any
}

func (b *batcher) add(vals ...any) error {
	b.args = append(b.args, vals...)
	if len(b.args) == b.size*len(b.cols) {
		if b.full == nil {
			st, err := b.tx.PrepareContext(b.ctx, multiInsert(b.table, b.cols, b.size))
			if err != nil {
				return err
			}
			b.full = st
		}
		if _, err := b.full.ExecContext(b.ctx, b.args...); err != nil {
			return fmt.Errorf("inserting into %s: %w", b.table, err)
		}
		b.args = b.args[:0]
	}
	return nil
}

func (b *batcher) flush() error {
	if len(b.args) > 0 {
		n := len(b.args) / len(b.cols)
		if _, err := b.tx.ExecContext(b.ctx, multiInsert(b.table, b.cols, n), b.args...); err != nil {
			return fmt.Errorf("inserting into %s: %w", b.table, err)
		}
		b.args = b.args[:0]
	}
	return nil
}

func (b *batcher) close() {
	if b.full != nil {
		b.full.Close()
	}
}

func newBatcher(ctx context.Context, tx *sql.Tx, table string, size int, cols ...string) *batcher {
	return &batcher{ctx: ctx, tx: tx, table: table, cols: cols, size: size, args: make([]any, 0, size*len(cols))}
}

func writeRollCalls(ctx context.Context, tx *sql.Tx, plan *merge.Plan) error {
	rcs := newBatcher(ctx, tx, "roll_calls", rollCallBatch,
		"rcid", "session", "date", "resolution", "important", "amend", "para", "short", "descr")
	defer rcs.close()
	iss := newBatcher(ctx, tx, "roll_call_issues", rollCallBatch, "rcid", "issue")
	defer iss.close()
	for _, rc := range plan.Insert {
		if err := rcs.add(rollCallArgs(rc)...); err != nil {
			return err
		}
	}
	if err := rcs.flush(); err != nil {
		return err
	}
	for _, u := range plan.Update {
		a := rollCallArgs(u.RollCall)
		if _, err := tx.ExecContext(ctx, `UPDATE roll_calls SET session = ?, date = ?, resolution = ?,
			important = ?, amend = ?, para = ?, short = ?, descr = ? WHERE rcid = ?`, append(a[1:], a[0])...); err != nil {
			return fmt.Errorf("updating roll call %d: %w", u.RollCall.RCID, err)
		}
	}
	for _, rc := range plan.Insert {
		for _, i := range rc.Issues {
			if err := iss.add(rc.RCID, string(i)); err != nil {
				return err
			}
		}
	}
	for _, u := range plan.Update {
		for _, i := range u.AddIssues {
			if err := iss.add(u.RollCall.RCID, string(i)); err != nil {
				return err
			}
		}
	}
	return iss.flush()
}

// rollCallArgs returns the column values of rc in the order of the roll_calls table.
func rollCallArgs(rc concord.RollCall) []any {
	return []any{rc.RCID, nullInt(rc.Session), nullDate(rc.Date), nullStr(rc.Resolution),
		nullFlag(rc.Important), nullFlag(rc.Amend), nullFlag(rc.Para), nullStr(rc.Short), nullStr(rc.Descr)}
}

func writeVotes(ctx context.Context, tx *sql.Tx, ds *concord.Dataset, plan *merge.Plan, progress func(done, total int)) error {
	total := len(ds.Votes)
	if progress != nil {
		progress(0, total)
	}
	votes := newBatcher(ctx, tx, "votes", voteBatch, "rcid", "state", "vote")
	defer votes.close()
	pending := 0
	for i, idx := range plan.Order {
		if plan.New[i] {
			v := ds.Votes[idx]
			if err := votes.add(int64(v.RCID), v.State, int64(v.Vote)); err != nil {
				return err
			}
			pending++
			if pending == voteBatch {
				pending = 0
				if progress != nil {
					progress(i+1, total)
				}
			}
		}
	}
	if err := votes.flush(); err != nil {
		return err
	}
	if progress != nil {
		progress(total, total)
	}
	return nil
}

func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return int64(v)
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.DateOnly)
}

func nullFlag(f concord.Flag) any {
	switch f {
	case concord.FlagTrue:
		return int64(1)
	case concord.FlagFalse:
		return int64(0)
	}
	return nil
}
