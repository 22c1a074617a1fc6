package sqlite

import (
	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/regsql"
)

// Registry returns the agreements registry kept in this database: a
// concord.AgreementStore and concord.UserStore (tables of migration 0005,
// SQL shared with package postgres in internal/regsql).
func (db *DB) Registry() *regsql.Store { return regsql.New(db.sql, false) }

var _ concord.Registry = (*regsql.Store)(nil)
