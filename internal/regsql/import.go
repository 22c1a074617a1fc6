package regsql

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	concord "github.com/concord-project/concord"
)

// commitmentKey is what makes an imported commitment the same as a stored one.
type commitmentKey struct{ agreement, text, responsible, due string }

// importCommitments adds the commitments of cs (validated, in tx) that are
// not stored yet, with a creation record each, and returns how many it added.
// It does in a few statements what adding them one by one would: a
// commitment with the same agreement, text, responsible and due date as a
// stored one, or as one before it in cs, is skipped; the first whose
// agreement does not exist fails the import (exists tells, for the
// agreements as they are in tx); ids are taken in the order of cs, as one
// INSERT after the other would take them, and the creation records follow
// in that order.
func (s *Store) importCommitments(ctx context.Context, tx querier, by concord.User, now time.Time, cs []concord.Commitment, exists func(id string) bool) (int, error) {
	if len(cs) == 0 {
		return 0, nil
	}
	stored, err := s.commitmentKeys(ctx, tx, cs)
	if err != nil {
		return 0, err
	}
	var added []concord.Commitment
	for _, c := range cs {
		k := commitmentKey{c.AgreementID, c.Text, c.Responsible, c.Due}
		if stored[k] { // imported before: re-importing an export adds nothing twice
			continue
		}
		if !exists(c.AgreementID) {
			return 0, fmt.Errorf("commitment: agreement %s: %w", c.AgreementID, concord.ErrNotFound)
		}
		stored[k] = true
		added = append(added, c)
	}
	if len(added) == 0 {
		return 0, nil
	}
	ids, err := s.commitmentIDs(ctx, tx, len(added))
	if err != nil {
		return 0, err
	}
	rows := make([][]any, len(added))
	changes := make([][]any, len(added))
	for i := range added {
		c := &added[i]
		c.ID, c.Version, c.Created, c.Updated = ids[i], 1, now, now
		rows[i] = []any{c.ID, c.AgreementID, c.Text, c.Responsible, c.Due, string(c.Status), c.Progress, jsonList(c.Evidence), c.Notes, c.Version, ts(now), ts(now)}
		after, err := json.Marshal(*c)
		if err != nil {
			return 0, err
		}
		changes[i] = []any{"commitment", strconv.FormatInt(c.ID, 10), "create", 1, by.Name, ts(now), "", string(after), c.AgreementID}
	}
	if err := s.insertRows(ctx, tx, "commitments", "id, agreement_id, text, responsible, due, status, progress, evidence, notes, version, created_at, updated_at", rows); err != nil {
		return 0, err
	}
	if err := s.insertRows(ctx, tx, "changes", changeCols, changes); err != nil {
		return 0, err
	}
	return len(added), nil
}

// commitmentKeys returns the keys of the stored commitments of the agreements that cs name.
func (s *Store) commitmentKeys(ctx context.Context, tx querier, cs []concord.Commitment) (map[commitmentKey]bool, error) {
	keys := make(map[commitmentKey]bool, len(cs))
	var ids []string
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.AgreementID] {
			seen[c.AgreementID] = true
			ids = append(ids, c.AgreementID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT agreement_id, text, responsible, due FROM commitments WHERE agreement_id IN (`+placeholders(len(chunk))+`)`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k commitmentKey
			if err := rows.Scan(&k.agreement, &k.text, &k.responsible, &k.due); err != nil {
				rows.Close()
				return nil, err
			}
			keys[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// commitmentIDs returns n new commitment ids in increasing order, the ids n
// INSERTs without one would get: on PostgreSQL the next n values of the
// column's sequence, on SQLite the n after the larger of the largest id and
// the AUTOINCREMENT sequence (which inserting them advances; the
// transaction is the only writer).
func (s *Store) commitmentIDs(ctx context.Context, tx querier, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if !s.postgres {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT MAX(id) FROM commitments), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'commitments'), 0))`).Scan(&last); err != nil {
			return nil, err
		}
		for i := range n {
			ids = append(ids, last+1+int64(i))
		}
		return ids, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('commitments', 'id')) FROM generate_series(1, $1)`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != n {
		return nil, fmt.Errorf("commitment ids: got %d of the sequence, want %d", len(ids), n)
	}
	slices.Sort(ids)
	return ids, nil
}
