// Package eventsql implements the event store (concord.EventStore) once, in
// SQL both SQLite and PostgreSQL accept, over database/sql. Package sqlite
// runs it on modernc.org/sqlite and package postgres on pgx/v5; queries are
// written with '?' placeholders and rewritten to $n for PostgreSQL. The tables
// come from each store's migrations (event_articles, events, event_mentions).
//
// Events are de-duplicated by concord.Event.Key: the same date, actors and
// CAMEO code reported by several articles is one event with one mention per
// article, so recording an article twice (a redelivered job) changes nothing.
package eventsql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/sqlq"
)

// Store is the event store over one database; it is safe for concurrent use.
type Store struct {
	db       *sql.DB
	postgres bool
	name     string // store name for errors: sqlite or postgres
}

var _ concord.EventStore = (*Store)(nil)

// New returns the event store over db; postgres selects $n placeholders.
func New(db *sql.DB, postgres bool) *Store {
	name := "sqlite"
	if postgres {
		name = "postgres"
	}
	return &Store{db: db, postgres: postgres, name: name}
}

// q rewrites '?' placeholders to $1, $2 … for PostgreSQL.
func (s *Store) q(query string) string {
	if !s.postgres {
		return query
	}
	return sqlq.Dollar(query)
}

// HasArticle reports whether the article with this content hash has been recorded.
func (s *Store) HasArticle(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT count(*) FROM event_articles WHERE id = ?`), id).Scan(&n)
	return n > 0, err
}

// AddArticleEvents records an article and its events in one transaction,
// merging events with the same [concord.Event.Key] into one with every
// article's evidence; an article already recorded is skipped.
func (s *Store) AddArticleEvents(ctx context.Context, art concord.ArticleRef, published string, evs []concord.Event) (concord.EventStats, error) {
	var st concord.EventStats
	if art.ID == "" {
		return st, fmt.Errorf("%s: article without an id", s.name)
	}
	for i, e := range evs {
		if e.QuadClass < 1 || e.QuadClass > 4 || e.Code == "" {
			return st, fmt.Errorf("%s: event %d of article %s: CAMEO code %q, quad class %d", s.name, i+1, art.ID, e.Code, e.QuadClass)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO event_articles (id, url, title, published, coded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		art.ID, art.URL, art.Title, published, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return st, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		st.Repeated = 1
		return st, tx.Commit()
	}
	st.Articles = 1
	for _, e := range evs {
		// Insert unless the key is known; with PostgreSQL a concurrent writer of
		// the same key makes this wait, then do nothing, and the SELECT finds its row.
		var id int64
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO events (key, date, source_state, source_name, source_role, target_state, target_name, target_role, cameo, root, quad_class, goldstein, place)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`),
			e.Key(), e.Date, e.Source.Key(), e.Source.Name, e.Source.Role, e.Target.Key(), e.Target.Name, e.Target.Role,
			e.Code, e.Root, e.QuadClass, e.Goldstein, e.Place).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM events WHERE key = ?`), e.Key()).Scan(&id); err != nil {
				return concord.EventStats{}, err
			}
			st.NewMentions++
		case err != nil:
			return concord.EventStats{}, err
		default:
			st.NewEvents++
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO event_mentions (event_id, article_id, sentence, start_off, end_off) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			id, art.ID, e.Evidence.Sentence, e.Evidence.Start, e.Evidence.End); err != nil {
			return concord.EventStats{}, err
		}
	}
	return st, tx.Commit()
}

// where returns the condition selecting the filter's events and its arguments.
func where(f concord.EventFilter) (string, []any) {
	w, args := "1=1", []any{}
	switch {
	case f.A != "" && f.B != "":
		w += ` AND ((e.source_state = ? AND e.target_state = ?) OR (e.source_state = ? AND e.target_state = ?))`
		args = append(args, f.A, f.B, f.B, f.A)
	case f.A != "":
		w += ` AND (e.source_state = ? OR e.target_state = ?)`
		args = append(args, f.A, f.A)
	}
	if !f.From.IsZero() {
		w += ` AND e.date >= ?`
		args = append(args, f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		w += ` AND e.date <> '' AND e.date <= ?`
		args = append(args, f.To.Format("2006-01-02"))
	}
	return w, args
}

// stateOf returns the state of a stored actor key; organisations (IGO:…) have none.
func stateOf(k string) string {
	if strings.HasPrefix(k, "IGO:") {
		return ""
	}
	return k
}

// Events returns the stored events the filter selects, by date, each with all its reports.
func (s *Store) Events(ctx context.Context, f concord.EventFilter) ([]concord.StoredEvent, error) {
	w, args := where(f)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT e.id, e.date, e.source_state, e.source_name, e.source_role, e.target_state, e.target_name, e.target_role,
		e.cameo, e.root, e.quad_class, e.goldstein, e.place, m.article_id, a.url, a.title, m.sentence, m.start_off, m.end_off
		FROM events e JOIN event_mentions m ON m.event_id = e.id JOIN event_articles a ON a.id = m.article_id
		WHERE `+w+` ORDER BY e.date, e.id, m.article_id, m.start_off`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.StoredEvent
	for rows.Next() {
		var e concord.StoredEvent
		var r concord.Report
		var ss, ts string
		if err := rows.Scan(&e.ID, &e.Date, &ss, &e.Source.Name, &e.Source.Role, &ts, &e.Target.Name, &e.Target.Role, &e.Code, &e.Root, &e.QuadClass, &e.Goldstein, &e.Place,
			&r.Article.ID, &r.Article.URL, &r.Article.Title, &r.Evidence.Sentence, &r.Evidence.Start, &r.Evidence.End); err != nil {
			return nil, err
		}
		e.Source.State, e.Target.State = stateOf(ss), stateOf(ts)
		if n := len(out); n > 0 && out[n-1].ID == e.ID {
			out[n-1].Reports = append(out[n-1].Reports, r)
			out[n-1].Mentions++
			continue
		}
		e.Evidence, e.Article = r.Evidence, r.Article
		e.Reports, e.Mentions = []concord.Report{r}, 1
		out = append(out, e)
	}
	return out, rows.Err()
}

// Timeline returns the monthly scores (event count, Goldstein sum, quad-class counts) of dated events between the filter's states.
func (s *Store) Timeline(ctx context.Context, f concord.EventFilter) ([]concord.MonthScore, error) {
	w, args := where(f)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT substr(e.date, 1, 7) AS month, count(*), sum(e.goldstein),
		sum(CASE WHEN e.quad_class = 1 THEN 1 ELSE 0 END), sum(CASE WHEN e.quad_class = 2 THEN 1 ELSE 0 END),
		sum(CASE WHEN e.quad_class = 3 THEN 1 ELSE 0 END), sum(CASE WHEN e.quad_class = 4 THEN 1 ELSE 0 END)
		FROM events e WHERE e.date <> '' AND `+w+` GROUP BY month ORDER BY month`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.MonthScore
	for rows.Next() {
		var m concord.MonthScore
		if err := rows.Scan(&m.Month, &m.Events, &m.Goldstein, &m.Quad[0], &m.Quad[1], &m.Quad[2], &m.Quad[3]); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Counts returns the number of articles, events and evidence mentions stored.
func (s *Store) Counts(ctx context.Context) (articles, events, mentions int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM event_articles), (SELECT count(*) FROM events), (SELECT count(*) FROM event_mentions)`).Scan(&articles, &events, &mentions)
	return articles, events, mentions, err
}
