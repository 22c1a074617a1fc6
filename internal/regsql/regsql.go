// Package regsql implements the agreements registry (concord.AgreementStore
// and concord.UserStore) once, in SQL both SQLite and PostgreSQL accept,
// over database/sql. Package sqlite runs it on modernc.org/sqlite and
// package postgres on pgx/v5 (its database/sql driver); queries are written
// with '?' placeholders and rewritten to $n for PostgreSQL.
//
// Every write runs in one transaction that also appends a row to the changes
// table (who, when, the record's JSON before and after) and goes through
// concord.Authorize. Updates are optimistic: "UPDATE … WHERE id = ? AND
// version = ?" changes nothing when another writer got there first, and the
// caller gets concord.ErrConflict.
package regsql

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/sqlq"
)

// Store is the registry over one database; it is safe for concurrent use.
type Store struct {
	db       *sql.DB
	postgres bool
	// Now returns the current time; tests may replace it.
	Now   func() time.Time
	cache atomic.Pointer[resultCache] // nil: reads are not cached (EnableCache)
}

// New returns the registry over db, whose schema must already hold the
// registry's tables; postgres selects $n placeholders.
func New(db *sql.DB, postgres bool) *Store {
	return &Store{db: db, postgres: postgres, Now: time.Now}
}

var (
	_ concord.AgreementStore = (*Store)(nil)
	_ concord.UserStore      = (*Store)(nil)
)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q rewrites '?' placeholders to $1, $2 … for PostgreSQL.
func (s *Store) q(query string) string {
	if !s.postgres {
		return query
	}
	return sqlq.Dollar(query)
}

// writeLock is the key of the PostgreSQL advisory lock that every write
// transaction takes first (SQLite has one writer at a time anyway): writers
// commit one after the other, so the ids of the changes they record grow in
// the order the changes become visible, and the last id is a revision of the
// registry (Revision).
const writeLock = 0x7265676973747279 // "registry"

// tx runs fn in a transaction and commits it if fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writeLock)); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) now() time.Time { return s.Now().UTC() }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func jsonList(xs []string) string {
	if xs == nil {
		xs = []string{}
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

func parseList(s string) []string {
	var xs []string
	json.Unmarshal([]byte(s), &xs)
	if len(xs) == 0 {
		return nil
	}
	return xs
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isUnique(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint") || strings.Contains(m, "duplicate key") || strings.Contains(m, "SQLSTATE 23505")
}

// record appends one change to the history.
func (s *Store) record(ctx context.Context, tx querier, by concord.User, at time.Time, entity, id, action string, version int, before, after any) error {
	enc := func(v any) string {
		if v == nil {
			return ""
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO changes (entity, entity_id, action, version, who, at, before_json, after_json, agreement_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		entity, id, action, version, by.Name, ts(at), enc(before), enc(after), agreementOf(entity, id, before, after))
	return err
}

// agreementOf returns the agreement a change is made under: the record's own
// id for an agreement, its agreement for a commitment, "" for anything else.
func agreementOf(entity, id string, before, after any) string {
	if entity == "agreement" {
		return id
	}
	for _, v := range []any{after, before} {
		switch r := v.(type) {
		case concord.Commitment:
			return r.AgreementID
		case *concord.Commitment:
			if r != nil {
				return r.AgreementID
			}
		}
	}
	return ""
}

// History returns the changes of one record (entity "" and id "" for all), oldest first.
func (s *Store) History(ctx context.Context, entity, id string) ([]concord.Change, error) {
	query := `SELECT id, entity, entity_id, action, version, who, at, before_json, after_json FROM changes`
	var args []any
	if entity != "" {
		query += ` WHERE entity = ? AND entity_id = ?`
		args = append(args, entity, id)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+` ORDER BY id`), args...)
	if err != nil {
		return nil, err
	}
	return scanChanges(rows)
}

// AgreementHistory returns every change made under the agreement with this
// id, oldest first: the agreement's own and those of its commitments,
// including commitments deleted since and the deletion of the agreement
// itself (with its commitments). An agreement that was deleted keeps its
// history; an id never used has none (no error).
func (s *Store) AgreementHistory(ctx context.Context, id string) ([]concord.Change, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, entity, entity_id, action, version, who, at, before_json, after_json FROM changes WHERE agreement_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, err
	}
	return scanChanges(rows)
}

func scanChanges(rows *sql.Rows) ([]concord.Change, error) {
	defer rows.Close()
	var cs []concord.Change
	for rows.Next() {
		var c concord.Change
		var at string
		if err := rows.Scan(&c.ID, &c.Entity, &c.EntityID, &c.Action, &c.Version, &c.Who, &at, &c.Before, &c.After); err != nil {
			return nil, err
		}
		c.At = parseTS(at)
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// ---- agreements ----

const agreementCols = `id, title, kind, fields, subject, signed, force_date, end_date, place, status, sources, summary, tags, n_parties, version, created_at, updated_at`

func scanAgreement(sc interface{ Scan(...any) error }) (concord.Agreement, error) {
	var a concord.Agreement
	var fields, sources, tags, created, updated string
	err := sc.Scan(&a.ID, &a.Title, &a.Kind, &fields, &a.Subject, &a.Signed, &a.Force, &a.End, &a.Place, &a.Status,
		&sources, &a.Summary, &tags, &a.NParties, &a.Version, &created, &updated)
	if err != nil {
		return a, err
	}
	a.Fields = []string{}
	if fields != "" {
		a.Fields = strings.Split(fields, ",")
	}
	a.Sources, a.Tags = parseList(sources), parseList(tags)
	a.Created, a.Updated = parseTS(created), parseTS(updated)
	return a, nil
}

// getAgreement reads one agreement with its parties, or concord.ErrNotFound.
func (s *Store) getAgreement(ctx context.Context, db querier, id string) (concord.Agreement, error) {
	a, err := scanAgreement(db.QueryRowContext(ctx, s.q(`SELECT `+agreementCols+` FROM agreements WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("agreement %s: %w", id, concord.ErrNotFound)
	}
	if err != nil {
		return a, err
	}
	ps, err := s.parties(ctx, db, []string{id})
	if err != nil {
		return a, err
	}
	a.Parties = ps[id]
	if a.Parties == nil {
		a.Parties = []concord.Party{}
	}
	return a, nil
}

// Agreement returns one agreement with its parties, or concord.ErrNotFound.
func (s *Store) Agreement(ctx context.Context, id string) (concord.Agreement, error) {
	return s.getAgreement(ctx, s.db, id) // a lookup by key: as cheap as asking for the revision (not cached)
}

// parties loads the parties of the agreements with these ids.
func (s *Store) parties(ctx context.Context, db querier, ids []string) (map[string][]concord.Party, error) {
	out := make(map[string][]concord.Party, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.QueryContext(ctx, s.q(`SELECT agreement_id, party, non_state, signature, ratification, force_date, withdrawal
			FROM agreement_parties WHERE agreement_id IN (`+placeholders(len(chunk))+`) ORDER BY agreement_id, party`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var p concord.Party
			var ns int
			if err := rows.Scan(&id, &p.State, &ns, &p.Signature, &p.Ratification, &p.Force, &p.Withdrawal); err != nil {
				rows.Close()
				return nil, err
			}
			p.NonState = ns != 0
			out[id] = append(out[id], p)
		}
		rows.Close()
		for _, ps := range out {
			sortParties(ps)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sortParties orders parties as concord.Agreement.Normalize does (byte order), whatever the database's collation.
func sortParties(ps []concord.Party) {
	slices.SortFunc(ps, func(x, y concord.Party) int { return strings.Compare(x.State, y.State) })
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// idSet returns a query of the ids of the agreements to which all of parties
// are (state) parties and, when field is set, that are in field: an
// INTERSECT of index lookups, so that the rows of agreements or commitments
// are then read by key rather than by scanning them (both SQLite and
// PostgreSQL evaluate it once). It returns "" when there is nothing to intersect.
func idSet(parties []string, field string) (string, []any) {
	var sets []string
	var args []any
	for _, p := range parties {
		sets = append(sets, `SELECT agreement_id FROM agreement_parties WHERE party = ? AND non_state = 0`)
		args = append(args, p)
	}
	if field != "" {
		sets = append(sets, `SELECT agreement_id FROM agreement_fields WHERE field = ?`)
		args = append(args, field)
	}
	return strings.Join(sets, " INTERSECT "), args
}

// agreementFrom builds the FROM and WHERE clauses of an agreement filter over alias a.
func (s *Store) agreementFrom(f concord.AgreementFilter) (string, []any) {
	var conds []string
	from, args := " FROM agreements a", []any(nil)
	switch {
	case !s.postgres && len(f.Parties) > 0:
		// SQLite walks the index on (signed, id), in the list's order, and keeps
		// the agreements in the set of the parties': a page stops after its last
		// row and reads no other row of agreements, instead of reading and
		// sorting all of the pair's (689 for FRA and DEU). The field, when given,
		// is looked up per agreement kept: its set may hold most agreements.
		ids, idArgs := idSet(f.Parties, "")
		from = " FROM agreements a INDEXED BY agreements_signed"
		conds = append(conds, `a.id IN (`+ids+`)`)
		args = idArgs
		if f.Field != "" {
			conds = append(conds, `EXISTS (SELECT 1 FROM agreement_fields fl WHERE fl.agreement_id = a.id AND fl.field = ?)`)
			args = append(args, f.Field)
		}
	case !s.postgres && f.Field != "":
		ids, idArgs := idSet(nil, f.Field)
		from = " FROM agreements a INDEXED BY agreements_signed"
		conds = append(conds, `a.id IN (`+ids+`)`)
		args = idArgs
	case len(f.Parties) > 0:
		// PostgreSQL reads the id set first, looks each agreement up by its key
		// and sorts those: it cannot tell how many agreements states share
		// (walking the index in order costs much more for a pair sharing few),
		// and with the generic plan of a prepared statement it would otherwise
		// hash all the agreements of a period (5 ms for USA, CAN, environment,
		// 1990–2020). The set of a party is at most a thousand agreements.
		ids, idArgs := idSet(f.Parties, f.Field)
		from = " FROM (" + ids + ") ids CROSS JOIN LATERAL (SELECT * FROM agreements a WHERE a.id = ids.agreement_id OFFSET 0) a"
		args = idArgs
	case f.Field != "":
		ids, idArgs := idSet(nil, f.Field)
		from = " FROM (" + ids + ") ids CROSS JOIN agreements a"
		conds = append(conds, `a.id = ids.agreement_id`)
		args = idArgs
	}
	if f.Kind != "" {
		conds = append(conds, `a.kind = ?`)
		args = append(args, string(f.Kind))
	}
	if f.Status != "" {
		conds = append(conds, `a.status = ?`)
		args = append(args, string(f.Status))
	}
	walk := strings.Contains(from, "INDEXED BY agreements_signed")
	if f.From != 0 {
		conds = append(conds, `a.signed_year >= ?`)
		args = append(args, f.From)
		if walk && f.From >= 1 && f.From <= 9999 {
			// The same condition on the signing date (its first four characters
			// are the year), for SQLite to start its walk of the index there.
			conds = append(conds, `a.signed >= ?`)
			args = append(args, fmt.Sprintf("%04d", f.From))
		}
	}
	if f.To != 0 {
		conds = append(conds, `a.signed_year BETWEEN 1 AND ?`)
		args = append(args, f.To)
		if walk && f.To >= 1 && f.To < 9999 {
			conds = append(conds, `a.signed < ?`) // and to end it
			args = append(args, fmt.Sprintf("%04d", f.To+1))
		}
	}
	if f.Search != "" {
		conds = append(conds, `(LOWER(a.title) LIKE ? OR LOWER(a.id) LIKE ?)`)
		pat := "%" + strings.ToLower(f.Search) + "%"
		args = append(args, pat, pat)
	}
	if len(conds) == 0 {
		return from, args
	}
	return from + " WHERE " + strings.Join(conds, " AND "), args
}

func limitClause(limit, offset int) string {
	if limit <= 0 && offset <= 0 {
		return ""
	}
	if limit <= 0 {
		limit = math.MaxInt32
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(offset, 0))
}

// Agreements returns the agreements that pass f, by signing date then ID.
func (s *Store) Agreements(ctx context.Context, f concord.AgreementFilter) ([]concord.Agreement, error) {
	v, err := cached(ctx, s, fmt.Sprintf("agreements\x00%#v", f), func() ([]concord.Agreement, error) { return s.agreements(ctx, f) })
	return slices.Clone(v), err
}

func (s *Store) agreements(ctx context.Context, f concord.AgreementFilter) ([]concord.Agreement, error) {
	from, args := s.agreementFrom(f)
	cols := strings.ReplaceAll(", "+agreementCols, ", ", ", a.")[2:]
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+cols+from+` ORDER BY a.signed, a.id`+limitClause(f.Limit, f.Offset)), args...)
	if err != nil {
		return nil, err
	}
	var as []concord.Agreement
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		as = append(as, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if f.WithParties && len(as) > 0 {
		var ps map[string][]concord.Party
		if len(args) == 0 && f.Limit == 0 && f.Offset == 0 {
			ps, err = s.allParties(ctx)
		} else {
			ids := make([]string, len(as))
			for i, a := range as {
				ids[i] = a.ID
			}
			ps, err = s.parties(ctx, s.db, ids)
		}
		if err != nil {
			return nil, err
		}
		for i := range as {
			as[i].Parties = ps[as[i].ID]
		}
	}
	return as, nil
}

func (s *Store) allParties(ctx context.Context) (map[string][]concord.Party, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT agreement_id, party, non_state, signature, ratification, force_date, withdrawal FROM agreement_parties ORDER BY agreement_id, party`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]concord.Party{}
	for rows.Next() {
		var id string
		var p concord.Party
		var ns int
		if err := rows.Scan(&id, &p.State, &ns, &p.Signature, &p.Ratification, &p.Force, &p.Withdrawal); err != nil {
			return nil, err
		}
		p.NonState = ns != 0
		out[id] = append(out[id], p)
	}
	for _, ps := range out {
		sortParties(ps)
	}
	return out, rows.Err()
}

// CountAgreements returns the number of agreements and party rows stored.
func (s *Store) CountAgreements(ctx context.Context) (agreements, parties int, err error) {
	if err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM agreements`).Scan(&agreements); err != nil {
		return
	}
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM agreement_parties`).Scan(&parties)
	return
}

// insertAgreement writes a new agreement row, its fields and parties.
func (s *Store) insertAgreement(ctx context.Context, tx querier, a concord.Agreement) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO agreements (`+agreementCols+`, signed_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.Title, string(a.Kind), strings.Join(a.Fields, ","), a.Subject, a.Signed, a.Force, a.End, a.Place, string(a.Status),
		jsonList(a.Sources), a.Summary, jsonList(a.Tags), len(a.Parties), a.Version, ts(a.Created), ts(a.Updated), a.Year())
	if isUnique(err) {
		return fmt.Errorf("agreement %s: %w", a.ID, concord.ErrExists)
	}
	if err != nil {
		return err
	}
	return s.insertChildren(ctx, tx, a)
}

// insertChildren writes the field and party rows of a, in batches.
func (s *Store) insertChildren(ctx context.Context, tx querier, a concord.Agreement) error {
	for _, f := range a.Fields {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO agreement_fields (agreement_id, field) VALUES (?, ?)`), a.ID, f); err != nil {
			return err
		}
	}
	const batch = 400
	for start := 0; start < len(a.Parties); start += batch {
		ps := a.Parties[start:min(start+batch, len(a.Parties))]
		args := make([]any, 0, 7*len(ps))
		vals := make([]string, len(ps))
		for i, p := range ps {
			vals[i] = "(?, ?, ?, ?, ?, ?, ?)"
			args = append(args, a.ID, p.State, b2i(p.NonState), p.Signature, p.Ratification, p.Force, p.Withdrawal)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO agreement_parties (agreement_id, party, non_state, signature, ratification, force_date, withdrawal) VALUES `+strings.Join(vals, ", ")), args...); err != nil {
			return err
		}
	}
	return nil
}

// replaceAgreement overwrites the stored agreement whose version is want with a (whose Version is already the new one).
func (s *Store) replaceAgreement(ctx context.Context, tx querier, a concord.Agreement, want int) error {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE agreements SET title = ?, kind = ?, fields = ?, subject = ?, signed = ?, signed_year = ?, force_date = ?, end_date = ?,
		place = ?, status = ?, sources = ?, summary = ?, tags = ?, n_parties = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`),
		a.Title, string(a.Kind), strings.Join(a.Fields, ","), a.Subject, a.Signed, a.Year(), a.Force, a.End, a.Place, string(a.Status),
		jsonList(a.Sources), a.Summary, jsonList(a.Tags), len(a.Parties), a.Version, ts(a.Updated), a.ID, want)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("agreement %s (version %d): %w", a.ID, want, concord.ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM agreement_fields WHERE agreement_id = ?`), a.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM agreement_parties WHERE agreement_id = ?`), a.ID); err != nil {
		return err
	}
	return s.insertChildren(ctx, tx, a)
}

// sameContent reports whether two agreements hold the same data, whatever their versions and timestamps.
func sameContent(a, b concord.Agreement) bool {
	for _, x := range []*concord.Agreement{&a, &b} {
		x.Version, x.NParties = 0, len(x.Parties)
		if len(x.Parties) == 0 {
			x.Parties = nil
		}
		if len(x.Fields) == 0 {
			x.Fields = nil
		}
		if len(x.Sources) == 0 {
			x.Sources = nil
		}
		if len(x.Tags) == 0 {
			x.Tags = nil
		}
	}
	a.Created, b.Created, a.Updated, b.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func prepare(a *concord.Agreement) error {
	a.Normalize()
	if a.Fields == nil {
		a.Fields = []string{}
	}
	if a.Parties == nil {
		a.Parties = []concord.Party{}
	}
	return a.Validate()
}

// CreateAgreement adds a new agreement; its ID must be unused (concord.ErrExists).
func (s *Store) CreateAgreement(ctx context.Context, by concord.User, a concord.Agreement) (concord.Agreement, error) {
	if err := concord.Authorize(by, concord.ActionWrite); err != nil {
		return a, err
	}
	if err := prepare(&a); err != nil {
		return a, err
	}
	now := s.now()
	a.Version, a.Created, a.Updated = 1, now, now
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.insertAgreement(ctx, tx, a); err != nil {
			return err
		}
		return s.record(ctx, tx, by, now, "agreement", a.ID, "create", a.Version, nil, a)
	})
	return a, err
}

// UpdateAgreement replaces the agreement with a.ID if its stored version is a.Version.
func (s *Store) UpdateAgreement(ctx context.Context, by concord.User, a concord.Agreement) (concord.Agreement, error) {
	if err := concord.Authorize(by, concord.ActionWrite); err != nil {
		return a, err
	}
	if err := prepare(&a); err != nil {
		return a, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.getAgreement(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if old.Version != a.Version {
			return fmt.Errorf("agreement %s: version %d was read, the stored one is %d: %w", a.ID, a.Version, old.Version, concord.ErrConflict)
		}
		a.Created, a.Updated, a.Version = old.Created, s.now(), old.Version+1
		if err := s.replaceAgreement(ctx, tx, a, old.Version); err != nil {
			return err
		}
		return s.record(ctx, tx, by, a.Updated, "agreement", a.ID, "update", a.Version, old, a)
	})
	return a, err
}

// DeleteAgreement removes an agreement and its commitments if its stored version is version.
func (s *Store) DeleteAgreement(ctx context.Context, by concord.User, id string, version int) error {
	if err := concord.Authorize(by, concord.ActionDelete); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.getAgreement(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != version {
			return fmt.Errorf("agreement %s: version %d was read, the stored one is %d: %w", id, version, old.Version, concord.ErrConflict)
		}
		cs, err := s.commitments(ctx, tx, concord.CommitmentFilter{AgreementID: id})
		if err != nil {
			return err
		}
		now := s.now()
		for _, c := range cs {
			if err := s.record(ctx, tx, by, now, "commitment", strconv.FormatInt(c.ID, 10), "delete", 0, c, nil); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM agreements WHERE id = ? AND version = ?`), id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("agreement %s: %w", id, concord.ErrConflict)
		}
		return s.record(ctx, tx, by, now, "agreement", id, "delete", 0, old, nil)
	})
}

// ImportAgreements adds or replaces agreements (by ID) and adds commitments in one transaction: all or nothing.
func (s *Store) ImportAgreements(ctx context.Context, by concord.User, as []concord.Agreement, cs []concord.Commitment) (concord.AgreementImportStats, error) {
	var st concord.AgreementImportStats
	if err := concord.Authorize(by, concord.ActionWrite); err != nil {
		return st, err
	}
	seen := make(map[string]bool, len(as))
	for i := range as {
		if err := prepare(&as[i]); err != nil {
			return st, fmt.Errorf("record %d: %w", i+1, err)
		}
		if seen[as[i].ID] {
			return st, fmt.Errorf("record %d: agreement %s appears twice", i+1, as[i].ID)
		}
		seen[as[i].ID] = true
	}
	for i := range cs {
		cs[i].ID = 0
		if err := cs[i].Validate(); err != nil {
			return st, fmt.Errorf("commitment %d: %w", i+1, err)
		}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		existing, err := s.versions(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		var added []concord.Agreement
		for _, a := range as {
			st.Parties += len(a.Parties)
			v, ok := existing[a.ID]
			if !ok {
				a.Version, a.Created, a.Updated = 1, now, now
				added = append(added, a)
				st.Added++
				continue
			}
			old, err := s.getAgreement(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			if sameContent(old, a) {
				st.Unchanged++
				continue
			}
			a.Version, a.Created, a.Updated = v+1, old.Created, now
			if err := s.replaceAgreement(ctx, tx, a, v); err != nil {
				return err
			}
			if err := s.record(ctx, tx, by, now, "agreement", a.ID, "update", a.Version, old, a); err != nil {
				return err
			}
			st.Updated++
		}
		if err := s.bulkInsert(ctx, tx, by, now, added); err != nil {
			return err
		}
		exists := func(id string) bool { _, ok := existing[id]; return ok || seen[id] }
		n, err := s.importCommitments(ctx, tx, by, now, cs, exists)
		st.Commitments = n
		if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return concord.AgreementImportStats{}, err
	}
	if s.postgres && st.Added+st.Updated+st.Commitments > 1000 {
		// A bulk load: refresh the planner's statistics and the visibility map (for index-only
		// scans) now rather than when autovacuum gets to it.
		s.db.ExecContext(ctx, `VACUUM (ANALYZE) agreements, agreement_fields, agreement_parties, commitments`)
	}
	return st, nil
}

// bulkInsert writes new agreements, their fields, parties and creation records with multi-row INSERTs.
func (s *Store) bulkInsert(ctx context.Context, tx querier, by concord.User, now time.Time, as []concord.Agreement) error {
	var ag, fs, ps, ch [][]any
	for _, a := range as {
		ag = append(ag, []any{a.ID, a.Title, string(a.Kind), strings.Join(a.Fields, ","), a.Subject, a.Signed, a.Force, a.End, a.Place, string(a.Status),
			jsonList(a.Sources), a.Summary, jsonList(a.Tags), len(a.Parties), a.Version, ts(a.Created), ts(a.Updated), a.Year()})
		for _, f := range a.Fields {
			fs = append(fs, []any{a.ID, f})
		}
		for _, p := range a.Parties {
			ps = append(ps, []any{a.ID, p.State, b2i(p.NonState), p.Signature, p.Ratification, p.Force, p.Withdrawal})
		}
		after, _ := json.Marshal(a)
		ch = append(ch, []any{"agreement", a.ID, "create", 1, by.Name, ts(now), "", string(after), a.ID})
	}
	for _, t := range []struct {
		table string
		cols  string
		rows  [][]any
	}{
		{"agreements", agreementCols + ", signed_year", ag},
		{"agreement_fields", "agreement_id, field", fs},
		{"agreement_parties", "agreement_id, party, non_state, signature, ratification, force_date, withdrawal", ps},
		{"changes", changeCols, ch},
	} {
		if err := s.insertRows(ctx, tx, t.table, t.cols, t.rows); err != nil {
			return err
		}
	}
	return nil
}

// changeCols are the columns of a change row as bulk inserts write them.
const changeCols = "entity, entity_id, action, version, who, at, before_json, after_json, agreement_id"

// insertRows writes rows (each a value per column of cols) into table with multi-row INSERTs.
func (s *Store) insertRows(ctx context.Context, tx querier, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if s.postgres {
		return s.insertColumns(ctx, tx, table, cols, rows)
	}
	n := len(rows[0])
	tuple := "(" + placeholders(n) + ")"
	per := 30000 / n // under SQLite's limit of 32,766 parameters per statement
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, n*len(batch))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := `INSERT INTO ` + table + ` (` + cols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(tuple+", ", len(batch)), ", ")
		if _, err := tx.ExecContext(ctx, s.q(q), args...); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%s: %w", table, concord.ErrExists)
			}
			return err
		}
	}
	return nil
}

// insertColumns is insertRows on PostgreSQL: each column is sent as one
// array and the rows are put together by unnest, in their order, so that a
// statement needs a parameter per column rather than per value (and is
// parsed and planned once whatever the number of rows). Values are strings
// or integers.
func (s *Store) insertColumns(ctx context.Context, tx querier, table, cols string, rows [][]any) error {
	const per = 20000 // rows per statement, to bound the size of one message
	n := len(rows[0])
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args := make([]any, n)
		params := make([]string, n)
		for j := range n {
			switch rows[0][j].(type) {
			case string:
				col := make([]string, len(batch))
				for i, r := range batch {
					v, ok := r[j].(string)
					if !ok {
						return fmt.Errorf("insert into %s: row %d, column %d: %T in a column of strings", table, start+i+1, j+1, r[j])
					}
					col[i] = v
				}
				args[j], params[j] = col, fmt.Sprintf("$%d::text[]", j+1)
			case int, int64:
				col := make([]int64, len(batch))
				for i, r := range batch {
					switch v := r[j].(type) {
					case int:
						col[i] = int64(v)
					case int64:
						col[i] = v
					default:
						return fmt.Errorf("insert into %s: row %d, column %d: %T in a column of integers", table, start+i+1, j+1, r[j])
					}
				}
				args[j], params[j] = col, fmt.Sprintf("$%d::bigint[]", j+1)
			default:
				return fmt.Errorf("insert into %s: column %d: unsupported value %T", table, j+1, rows[0][j])
			}
		}
		q := `INSERT INTO ` + table + ` (` + cols + `) SELECT * FROM unnest(` + strings.Join(params, ", ") + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%s: %w", table, concord.ErrExists)
			}
			return err
		}
	}
	return nil
}

func (s *Store) versions(ctx context.Context, db querier) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, version FROM agreements`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var id string
		var v int
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		m[id] = v
	}
	return m, rows.Err()
}

// ---- commitments ----

const commitmentCols = `c.id, c.agreement_id, c.text, c.responsible, c.due, c.status, c.progress, c.evidence, c.notes, c.version, c.created_at, c.updated_at`

func scanCommitment(sc interface{ Scan(...any) error }) (concord.Commitment, error) {
	var c concord.Commitment
	var ev, created, updated string
	err := sc.Scan(&c.ID, &c.AgreementID, &c.Text, &c.Responsible, &c.Due, &c.Status, &c.Progress, &ev, &c.Notes, &c.Version, &created, &updated)
	c.Evidence = parseList(ev)
	c.Created, c.Updated = parseTS(created), parseTS(updated)
	return c, err
}

func (s *Store) getCommitment(ctx context.Context, db querier, id int64) (concord.Commitment, error) {
	c, err := scanCommitment(db.QueryRowContext(ctx, s.q(`SELECT `+commitmentCols+` FROM commitments c WHERE c.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("commitment %d: %w", id, concord.ErrNotFound)
	}
	return c, err
}

// Commitment returns one commitment, or concord.ErrNotFound.
func (s *Store) Commitment(ctx context.Context, id int64) (concord.Commitment, error) {
	return s.getCommitment(ctx, s.db, id)
}

// Commitments returns the commitments that pass f, by due date (undated last) then ID.
func (s *Store) Commitments(ctx context.Context, f concord.CommitmentFilter) ([]concord.Commitment, error) {
	v, err := cached(ctx, s, fmt.Sprintf("commitments\x00%#v", f), func() ([]concord.Commitment, error) { return s.commitments(ctx, s.db, f) })
	return slices.Clone(v), err
}

func (s *Store) commitments(ctx context.Context, db querier, f concord.CommitmentFilter) ([]concord.Commitment, error) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) { conds = append(conds, cond); args = append(args, a...) }
	if f.AgreementID != "" {
		add(`c.agreement_id = ?`, f.AgreementID)
	}
	if f.Responsible != "" {
		add(`c.responsible = ?`, f.Responsible)
	}
	if f.Status != "" {
		add(`c.status = ?`, string(f.Status))
	}
	if f.DueFrom != "" {
		add(`c.due >= ?`, f.DueFrom)
	}
	if f.DueTo != "" {
		add(`c.due <> '' AND c.due <= ?`, f.DueTo)
	}
	if f.OverdueOn != "" {
		add(`c.status NOT IN ('done', 'cancelled') AND c.due <> '' AND c.due < ?`, f.OverdueOn)
	}
	from := " FROM commitments c"
	if ids, idArgs := idSet(f.Parties, f.Field); ids != "" {
		// The agreements' ids first, then their commitments by the index on agreement_id.
		if s.postgres {
			// OFFSET 0 keeps the subquery apart, so that PostgreSQL looks the commitments up
			// per agreement in the index rather than hashing the whole table (3-4x faster here);
			// when only a page of ids is wanted and nothing else is filtered, from the index alone.
			cols := "*"
			if len(conds) == 0 && f.Limit > 0 {
				cols = "c.id, c.due"
			}
			from = " FROM (" + ids + ") ids CROSS JOIN LATERAL (SELECT " + cols + " FROM commitments c WHERE c.agreement_id = ids.agreement_id OFFSET 0) c"
		} else {
			from = " FROM (" + ids + ") ids CROSS JOIN commitments c"
			conds = append([]string{`c.agreement_id = ids.agreement_id`}, conds...)
		}
		args = append(idArgs, args...)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	order := ` ORDER BY CASE WHEN c.due = '' THEN 1 ELSE 0 END, c.due, c.id`
	if f.DueTo != "" || f.OverdueOn != "" { // every row has a due date: the index on (due, id) gives the order
		order = ` ORDER BY c.due, c.id`
	}
	query := `SELECT ` + commitmentCols + from + where + order + limitClause(f.Limit, f.Offset)
	if from != " FROM commitments c" && f.Limit > 0 {
		// Order and cut the page on the index (agreement_id, due, id), then read only its rows.
		query = `SELECT ` + commitmentCols + ` FROM commitments c WHERE c.id IN (SELECT c.id` + from + where + order + limitClause(f.Limit, f.Offset) + `)` + order
	}
	rows, err := db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []concord.Commitment
	for rows.Next() {
		c, err := scanCommitment(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func (s *Store) insertCommitment(ctx context.Context, tx querier, by concord.User, c concord.Commitment, now time.Time) (concord.Commitment, error) {
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM agreements WHERE id = ?`), c.AgreementID).Scan(&n); err != nil {
		return c, err
	}
	if n == 0 {
		return c, fmt.Errorf("commitment: agreement %s: %w", c.AgreementID, concord.ErrNotFound)
	}
	c.Version, c.Created, c.Updated = 1, now, now
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO commitments (agreement_id, text, responsible, due, status, progress, evidence, notes, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		c.AgreementID, c.Text, c.Responsible, c.Due, string(c.Status), c.Progress, jsonList(c.Evidence), c.Notes, c.Version, ts(now), ts(now)).Scan(&c.ID)
	if err != nil {
		return c, err
	}
	return c, s.record(ctx, tx, by, now, "commitment", strconv.FormatInt(c.ID, 10), "create", 1, nil, c)
}

// CreateCommitment adds a commitment to an existing agreement and returns it with its ID.
func (s *Store) CreateCommitment(ctx context.Context, by concord.User, c concord.Commitment) (concord.Commitment, error) {
	if err := concord.Authorize(by, concord.ActionWrite); err != nil {
		return c, err
	}
	if c.Status == "" {
		c.Status = concord.CommitmentNotStarted
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = s.insertCommitment(ctx, tx, by, c, s.now())
		return err
	})
	return c, err
}

// UpdateCommitment replaces the commitment with c.ID if its stored version is c.Version.
func (s *Store) UpdateCommitment(ctx context.Context, by concord.User, c concord.Commitment) (concord.Commitment, error) {
	if err := concord.Authorize(by, concord.ActionWrite); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.getCommitment(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if old.Version != c.Version {
			return fmt.Errorf("commitment %d: version %d was read, the stored one is %d: %w", c.ID, c.Version, old.Version, concord.ErrConflict)
		}
		if old.AgreementID != c.AgreementID {
			return fmt.Errorf("commitment %d: cannot move from agreement %s to %s", c.ID, old.AgreementID, c.AgreementID)
		}
		c.Created, c.Updated, c.Version = old.Created, s.now(), old.Version+1
		res, err := tx.ExecContext(ctx, s.q(`UPDATE commitments SET text = ?, responsible = ?, due = ?, status = ?, progress = ?, evidence = ?, notes = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`), c.Text, c.Responsible, c.Due, string(c.Status), c.Progress, jsonList(c.Evidence), c.Notes, c.Version, ts(c.Updated), c.ID, old.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("commitment %d: %w", c.ID, concord.ErrConflict)
		}
		return s.record(ctx, tx, by, c.Updated, "commitment", strconv.FormatInt(c.ID, 10), "update", c.Version, old, c)
	})
	return c, err
}

// ---- reports ----

// Rates returns implementation rates grouped by, over the commitments that pass f; overdue counted on day asOf.
// By pair needs one or two states in f.Parties: with two, the rate of that pair; with one, of each pair it forms with a partner.
func (s *Store) Rates(ctx context.Context, by concord.RateBy, f concord.CommitmentFilter, asOf string) ([]concord.Rate, error) {
	if by == concord.RateByPair && (len(f.Parties) < 1 || len(f.Parties) > 2) {
		return nil, fmt.Errorf("rates by pair: give one or two states (got %d)", len(f.Parties))
	}
	cs, err := s.Commitments(ctx, f)
	if err != nil {
		return nil, err
	}
	keys := map[string][]string{} // agreement id -> group keys
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.AgreementID] = true
	}
	idList := make([]string, 0, len(ids))
	for id := range ids {
		idList = append(idList, id)
	}
	slices.Sort(idList)
	switch by {
	case concord.RateByAgreement:
		for _, id := range idList {
			keys[id] = []string{id}
		}
	case concord.RateByField:
		fs, err := s.fieldsOf(ctx, idList)
		if err != nil {
			return nil, err
		}
		for _, id := range idList {
			keys[id] = fs[id]
			if len(fs[id]) == 0 {
				keys[id] = []string{"(none)"}
			}
		}
	case concord.RateByPair:
		ps, err := s.parties(ctx, s.db, idList)
		if err != nil {
			return nil, err
		}
		for _, id := range idList {
			if len(f.Parties) == 2 {
				keys[id] = []string{pairKey(f.Parties[0], f.Parties[1])}
				continue
			}
			for _, p := range ps[id] {
				if !p.NonState && p.State != f.Parties[0] {
					keys[id] = append(keys[id], pairKey(f.Parties[0], p.State))
				}
			}
		}
	default:
		return nil, fmt.Errorf("rates: unknown grouping %q (want agreement, pair or field)", by)
	}
	groups := map[string]*concord.Rate{}
	for _, c := range cs {
		for _, k := range keys[c.AgreementID] {
			r := groups[k]
			if r == nil {
				r = &concord.Rate{Key: k}
				groups[k] = r
			}
			r.Total++
			switch {
			case c.Status == concord.CommitmentDone:
				r.Done++
			case c.Status == concord.CommitmentCancelled:
				r.Cancelled++
			case c.OverdueOn(asOf):
				r.Overdue++
			}
		}
	}
	out := make([]concord.Rate, 0, len(groups))
	for _, r := range groups {
		r.Rate = math.NaN()
		if n := r.Total - r.Cancelled; n > 0 {
			r.Rate = float64(r.Done) / float64(n)
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b concord.Rate) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// fieldsOf returns the fields of the agreements with these ids, a few hundred ids per query.
func (s *Store) fieldsOf(ctx context.Context, ids []string) (map[string][]string, error) {
	out := make(map[string][]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT agreement_id, field FROM agreement_fields WHERE agreement_id IN (`+placeholders(len(chunk))+`) ORDER BY agreement_id, field`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, f string
			if err := rows.Scan(&id, &f); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "-" + b
}

// Timeline returns the dated steps of the agreements both states are party to, by date.
func (s *Store) Timeline(ctx context.Context, a, b string) ([]concord.TimelineEntry, error) {
	tl, _, err := s.TimelinePage(ctx, a, b, 0, 0)
	return tl, err
}

// timelineStep is one step of a timeline before its title and text are looked up.
type timelineStep struct {
	date  string
	ag    int32  // index of its agreement in the shared ones
	seq   int8   // order within the agreement on one date: the agreement's steps, then each party's, then commitments
	state string // the state that took the step, "" for the agreement as a whole or a commitment of all parties
	event string // the event, "" for a commitment due
	cid   int64  // the commitment, for commitments due
}

// Orders of the steps of one agreement on one date, as Timeline lists them:
// the agreement's (signed, in force, ended), then each of the two states' (in
// byte order: signed, ratified, in force, withdrew), then its commitments due.
const (
	seqSigned = iota
	seqForce
	seqEnded
	seqParty     // + 4 for the second state, + 0–3 for its event
	seqCommitted = seqParty + 8
)

// TimelinePage returns the steps of Timeline(a, b) from offset on, at most
// limit of them (all when limit ≤ 0), and the number of steps in all. The
// steps are put in order on narrow rows (dates and keys, read from covering
// indexes: one row per shared agreement with both states' dates, and the keys
// of the commitments due); titles are taken from those rows and the texts of
// commitments read for the page only.
func (s *Store) TimelinePage(ctx context.Context, a, b string, limit, offset int) ([]concord.TimelineEntry, int, error) {
	type page struct {
		steps []concord.TimelineEntry
		total int
	}
	v, err := cached(ctx, s, fmt.Sprintf("timeline\x00%s\x00%s\x00%d\x00%d", a, b, limit, offset), func() (page, error) {
		steps, total, err := s.timelinePage(ctx, a, b, limit, offset)
		return page{steps, total}, err
	})
	return slices.Clone(v.steps), v.total, err
}

func (s *Store) timelinePage(ctx context.Context, a, b string, limit, offset int) ([]concord.TimelineEntry, int, error) {
	first, second := a, b
	if second < first {
		first, second = second, first
	}
	// One row per agreement both are (state) parties to: its title, its dates
	// and the two states' (in one column, '|' between them: a date never holds
	// one, and a column less is much less work per row for the drivers), and
	// its dated commitments of either state or of all parties (id, due date and
	// responsible, ' ' between them and ',' between commitments), looked up in
	// the index on (agreement_id, responsible, due, id). Their texts are read
	// below, for the page only.
	all := limit <= 0
	dates := `g.signed || '|' || g.force_date || '|' || g.end_date || '|' || p.signature || '|' || p.ratification || '|' || p.force_date || '|' || p.withdrawal
			|| '|' || q.signature || '|' || q.ratification || '|' || q.force_date || '|' || q.withdrawal`
	due := `c.id || ' ' || c.due || ' ' || c.responsible`
	// SQLite looks the second state up in the covering index rather than by the primary key and then the row.
	other, agreements, agg := `agreement_parties q INDEXED BY agreement_parties_dates`, `agreements g`, `group_concat(`+due+`, ',')`
	if s.postgres {
		other, agg = `agreement_parties q`, `string_agg(`+due+`, ',')`
		// Each agreement looked up by its key: PostgreSQL would otherwise read the whole table to hash it.
		agreements = `LATERAL (SELECT g.id, g.title, g.signed, g.force_date, g.end_date FROM agreements g WHERE g.id = p.agreement_id OFFSET 0) g`
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT g.id, g.title, `+dates+`,
			(SELECT `+agg+` FROM commitments c WHERE c.agreement_id = p.agreement_id AND c.responsible IN ('', ?, ?) AND c.due <> '')
		FROM agreement_parties p CROSS JOIN `+other+` CROSS JOIN `+agreements+`
		WHERE p.party = ? AND p.non_state = 0 AND q.party = ? AND q.non_state = 0 AND q.agreement_id = p.agreement_id AND g.id = p.agreement_id`),
		first, second, first, second)
	if err != nil {
		return nil, 0, err
	}
	type shared struct{ id, title string }
	var ags []shared
	var steps []timelineStep
	var cids []any
	for rows.Next() {
		var ag shared
		var joined string
		var dues sql.NullString
		if err := rows.Scan(&ag.id, &ag.title, &joined, &dues); err != nil {
			rows.Close()
			return nil, 0, err
		}
		var d [11]string
		if n := splitInto(d[:], joined, "|"); n != len(d) {
			rows.Close()
			return nil, 0, fmt.Errorf("timeline: agreement %s: %d dates where 11 were read", ag.id, n)
		}
		i := int32(len(ags))
		ags = append(ags, ag)
		add := func(date string, seq int8, state, event string) {
			if date != "" {
				steps = append(steps, timelineStep{date: date, ag: i, seq: seq, state: state, event: event})
			}
		}
		signed, force, end := d[0], d[1], d[2]
		add(signed, seqSigned, "", "signed")
		add(force, seqForce, "", "in-force")
		add(end, seqEnded, "", "ended")
		for k, state := range []string{first, second} {
			pd := d[3+4*k : 7+4*k]
			base := int8(seqParty + 4*k)
			if pd[0] != signed {
				add(pd[0], base, state, "signed")
			}
			add(pd[1], base+1, state, "ratified")
			if pd[2] != force {
				add(pd[2], base+2, state, "in-force")
			}
			if pd[3] != end {
				add(pd[3], base+3, state, "withdrew")
			}
		}
		for rest := dues.String; rest != ""; {
			var one string
			one, rest, _ = strings.Cut(rest, ",")
			var f [3]string
			splitInto(f[:], one, " ")
			id, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil || f[1] == "" {
				rows.Close()
				return nil, 0, fmt.Errorf("timeline: agreement %s: commitment %q unreadable", ag.id, one)
			}
			steps = append(steps, timelineStep{date: f[1], ag: i, seq: seqCommitted, state: f[2], cid: id})
			cids = append(cids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(ags) == 0 {
		return nil, 0, nil
	}
	texts := map[int64]string{}
	agIDs := make([]string, len(ags))
	for i, ag := range ags {
		agIDs[i] = ag.id
	}
	sortSteps(steps, agIDs)
	total := len(steps)
	page := steps[min(max(offset, 0), total):]
	if !all && len(page) > limit {
		page = page[:limit]
	}
	if !all {
		cids = cids[:0]
		for _, st := range page {
			if st.seq == seqCommitted {
				cids = append(cids, st.cid)
			}
		}
	}
	for start := 0; start < len(cids); start += 500 {
		if chunk := cids[start:min(start+500, len(cids))]; len(chunk) > 0 {
			trows, err := s.db.QueryContext(ctx, s.q(`SELECT id, text FROM commitments WHERE id IN (`+placeholders(len(chunk))+`)`), chunk...)
			if err != nil {
				return nil, 0, err
			}
			for trows.Next() {
				var id int64
				var text string
				if err := trows.Scan(&id, &text); err != nil {
					trows.Close()
					return nil, 0, err
				}
				texts[id] = text
			}
			trows.Close()
			if err := trows.Err(); err != nil {
				return nil, 0, err
			}
		}
	}
	out := make([]concord.TimelineEntry, len(page))
	for i, st := range page {
		ag := ags[st.ag]
		ev := st.event
		if st.seq == seqCommitted {
			ev = "commitment-due: " + texts[st.cid]
		}
		out[i] = concord.TimelineEntry{Date: st.date, AgreementID: ag.id, Title: ag.title, State: st.state, Event: ev}
	}
	return out, total, nil
}

// sortSteps orders steps by date, then the id of their agreement (ids holds
// them by index), then their order within the agreement and the commitment's
// id. Dates and ids are ranked first (there are far fewer of them than
// steps), so that the steps are sorted on integers.
func sortSteps(steps []timelineStep, ids []string) {
	dateRank := make(map[string]uint64, len(steps)/2)
	var dates []string
	for _, st := range steps {
		if _, ok := dateRank[st.date]; !ok {
			dateRank[st.date] = 0
			dates = append(dates, st.date)
		}
	}
	slices.Sort(dates)
	for r, d := range dates {
		dateRank[d] = uint64(r)
	}
	byID := make([]int32, len(ids))
	for i := range byID {
		byID[i] = int32(i)
	}
	slices.SortFunc(byID, func(x, y int32) int { return strings.Compare(ids[x], ids[y]) })
	idRank := make([]uint64, len(ids))
	for r, i := range byID {
		idRank[i] = uint64(r)
	}
	type keyed struct {
		key uint64 // date rank (< 2^32), agreement rank (< 2^24), order within the agreement (< 2^8)
		cid int64
		i   int32
	}
	keys := make([]keyed, len(steps))
	for i, st := range steps {
		keys[i] = keyed{dateRank[st.date]<<32 | idRank[st.ag]<<8 | uint64(st.seq), st.cid, int32(i)}
	}
	slices.SortFunc(keys, func(x, y keyed) int {
		if c := cmp.Compare(x.key, y.key); c != 0 {
			return c
		}
		return cmp.Compare(x.cid, y.cid)
	})
	sorted := make([]timelineStep, len(steps))
	for i, k := range keys {
		sorted[i] = steps[k.i]
	}
	copy(steps, sorted)
}

// ---- cache ----

// Revision returns the registry's revision: the id of the last change
// recorded. Every write records its changes in its own transaction, and
// writers commit one at a time (SQLite's lock; on PostgreSQL the advisory
// lock every write transaction takes first), so the revision grows whenever
// a write becomes visible, whichever process or server made it.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var rev int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM changes`).Scan(&rev)
	return rev, err
}

// EnableCache makes the store keep the results of its list reads
// (Agreements, Commitments, Timeline, TimelinePage) for the current revision,
// at most n of them and CacheBytes in all (one, any, makes room for a new
// one; a result larger than CacheBytes/8 is not kept); n ≤ 0 turns the cache
// off. A read then asks for the revision first (one indexed query) and
// answers from the cache while it has not moved: the results are those of a
// read made since the last write committed, by any process sharing the
// database.
func (s *Store) EnableCache(n int) {
	if n <= 0 {
		s.cache.Store(nil)
		return
	}
	s.cache.Store(&resultCache{max: n, maxBytes: CacheBytes, m: map[string]cacheEntry{}})
}

// CacheBytes bounds the memory that the results kept by EnableCache take, as
// counted by approxSize.
const CacheBytes = 64 << 20

// resultCache holds results of reads made at one revision of the registry.
type resultCache struct {
	mu       sync.Mutex
	max      int // results
	maxBytes int // their approxSize in all
	bytes    int
	rev      int64
	m        map[string]cacheEntry
}

type cacheEntry struct {
	v    any
	size int
}

// cached returns the result of compute under key, from the store's cache when
// it holds one computed at the current revision. The revision is read before
// compute runs, so a result is kept under a revision it is at least as recent
// as; results of an older revision than the cache's are not kept.
func cached[T any](ctx context.Context, s *Store, key string, compute func() (T, error)) (T, error) {
	c := s.cache.Load()
	if c == nil {
		return compute()
	}
	rev, err := s.Revision(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	c.mu.Lock()
	if e, ok := c.m[key]; ok && c.rev == rev {
		c.mu.Unlock()
		return e.v.(T), nil
	}
	c.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	size := len(key) + approxSize(reflect.ValueOf(v))
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev > c.rev {
		c.rev = rev
		clear(c.m)
		c.bytes = 0
	}
	if rev != c.rev || size > c.maxBytes/8 {
		return v, nil
	}
	if old, ok := c.m[key]; ok {
		c.bytes -= old.size
		delete(c.m, key)
	}
	for k, e := range c.m { // make room by dropping results, any (map order is random)
		if len(c.m) < c.max && c.bytes+size <= c.maxBytes {
			break
		}
		c.bytes -= e.size
		delete(c.m, k)
	}
	c.m[key] = cacheEntry{v, size}
	c.bytes += size
	return v, nil
}

// approxSize is the memory v takes: its own size and what its slices and
// strings refer to (a string or slice shared by several values is counted
// each time). Pointers are not followed: what the results hold through them
// (a time's location) is shared.
func approxSize(v reflect.Value) int {
	return int(v.Type().Size()) + approxRefs(v)
}

// approxRefs is the memory v refers to, beyond its own size.
func approxRefs(v reflect.Value) int {
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Slice:
		n := v.Cap() * int(v.Type().Elem().Size())
		for i := range v.Len() {
			n += approxRefs(v.Index(i))
		}
		return n
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += approxRefs(v.Field(i))
		}
		return n
	}
	return 0
}

// splitInto splits s at sep into dst and returns the number of parts found
// (more than len(dst) counts, and the last part holds the rest).
func splitInto(dst []string, s, sep string) int {
	n := 0
	for {
		part, rest, found := strings.Cut(s, sep)
		if n < len(dst) {
			dst[n] = part
		}
		n++
		if !found {
			return n
		}
		s = rest
	}
}
