package regsql

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	concord "github.com/concord-project/concord"
)

// DeleteCommitment removes the commitment with this id if its stored version
// is version (concord.ErrConflict otherwise, concord.ErrNotFound when there is
// none). Like DeleteAgreement it needs concord.ActionDelete (admins), and the
// history keeps the record as it was before.
func (s *Store) DeleteCommitment(ctx context.Context, by concord.User, id int64, version int) error {
	if err := concord.Authorize(by, concord.ActionDelete); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.getCommitment(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != version {
			return fmt.Errorf("commitment %d: version %d was read, the stored one is %d: %w", id, version, old.Version, concord.ErrConflict)
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM commitments WHERE id = ? AND version = ?`), id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("commitment %d: %w", id, concord.ErrConflict)
		}
		return s.record(ctx, tx, by, s.now(), "commitment", strconv.FormatInt(id, 10), "delete", 0, old, nil)
	})
}
