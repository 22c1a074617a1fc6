package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	concord "github.com/concord-project/concord"
)

// PG is a [concord.EventStore] in PostgreSQL, safe for concurrent use by many
// workers: articles are unique by content hash and events by key, so writing
// the same article twice (a redelivered job) changes nothing.
type PG struct {
	pool *pgxpool.Pool
}

var _ concord.EventStore = (*PG)(nil)

const pgSchema = `
CREATE TABLE IF NOT EXISTS event_articles (
    id        TEXT PRIMARY KEY,
    url       TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    coded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS events (
    id           BIGSERIAL PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    date         TEXT NOT NULL DEFAULT '',
    source_state TEXT NOT NULL,
    source_name  TEXT NOT NULL DEFAULT '',
    source_role  TEXT NOT NULL DEFAULT '',
    target_state TEXT NOT NULL,
    target_name  TEXT NOT NULL DEFAULT '',
    target_role  TEXT NOT NULL DEFAULT '',
    cameo        TEXT NOT NULL,
    root         TEXT NOT NULL,
    quad_class   INTEGER NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    goldstein    DOUBLE PRECISION NOT NULL,
    place        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS events_pair ON events (source_state, target_state, date);
CREATE TABLE IF NOT EXISTS event_mentions (
    event_id   BIGINT NOT NULL REFERENCES events (id),
    article_id TEXT NOT NULL REFERENCES event_articles (id),
    sentence   TEXT NOT NULL,
    start_off  INTEGER NOT NULL,
    end_off    INTEGER NOT NULL,
    PRIMARY KEY (event_id, article_id, start_off)
);`

// OpenPG connects to PostgreSQL (a pgx connection string) and creates the event tables if missing.
func OpenPG(ctx context.Context, dsn string) (*PG, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, err := pool.Exec(ctx, `SELECT pg_advisory_lock(727001); `+pgSchema+`; SELECT pg_advisory_unlock(727001)`); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: creating the event tables: %w", err)
	}
	return &PG{pool: pool}, nil
}

// Close closes the connections.
func (s *PG) Close() { s.pool.Close() }

// HasArticle reports whether the article with this content hash has been recorded.
func (s *PG) HasArticle(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM event_articles WHERE id = $1)`, id).Scan(&ok)
	return ok, err
}

// AddArticleEvents records an article and its events in one transaction; an article already recorded is skipped.
func (s *PG) AddArticleEvents(ctx context.Context, art concord.ArticleRef, published string, evs []concord.Event) (concord.EventStats, error) {
	var st concord.EventStats
	if art.ID == "" {
		return st, errors.New("postgres: article without an id")
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return st, err
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `INSERT INTO event_articles (id, url, title, published) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
		art.ID, art.URL, art.Title, published)
	if err != nil {
		return st, err
	}
	if tag.RowsAffected() == 0 {
		st.Repeated = 1
		return st, tx.Commit(ctx)
	}
	st.Articles = 1
	for i, e := range evs {
		if e.QuadClass < 1 || e.QuadClass > 4 || e.Code == "" {
			return concord.EventStats{}, fmt.Errorf("postgres: event %d of article %s: CAMEO code %q, quad class %d", i+1, art.ID, e.Code, e.QuadClass)
		}
		var id int64
		var inserted bool
		err := tx.QueryRow(ctx, `INSERT INTO events (key, date, source_state, source_name, source_role, target_state, target_name, target_role, cameo, root, quad_class, goldstein, place)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id, (xmax = 0)`,
			e.Key(), e.Date, e.Source.Key(), e.Source.Name, e.Source.Role, e.Target.Key(), e.Target.Name, e.Target.Role,
			e.Code, e.Root, e.QuadClass, e.Goldstein, e.Place).Scan(&id, &inserted)
		if err != nil {
			return concord.EventStats{}, err
		}
		if inserted {
			st.NewEvents++
		} else {
			st.NewMentions++
		}
		if _, err := tx.Exec(ctx, `INSERT INTO event_mentions (event_id, article_id, sentence, start_off, end_off) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			id, art.ID, e.Evidence.Sentence, e.Evidence.Start, e.Evidence.End); err != nil {
			return concord.EventStats{}, err
		}
	}
	return st, tx.Commit(ctx)
}

func pgWhere(f concord.EventFilter) (string, []any) {
	w, args := "TRUE", []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case f.A != "" && f.B != "":
		a, b := arg(f.A), arg(f.B)
		w += ` AND ((e.source_state = ` + a + ` AND e.target_state = ` + b + `) OR (e.source_state = ` + b + ` AND e.target_state = ` + a + `))`
	case f.A != "":
		a := arg(f.A)
		w += ` AND (e.source_state = ` + a + ` OR e.target_state = ` + a + `)`
	}
	if !f.From.IsZero() {
		w += ` AND e.date >= ` + arg(f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		w += ` AND e.date <> '' AND e.date <= ` + arg(f.To.Format("2006-01-02"))
	}
	return w, args
}

// Events returns the stored events the filter selects, by date, each with all its reports.
func (s *PG) Events(ctx context.Context, f concord.EventFilter) ([]concord.StoredEvent, error) {
	w, args := pgWhere(f)
	rows, err := s.pool.Query(ctx, `SELECT e.id, e.date, e.source_state, e.source_name, e.source_role, e.target_state, e.target_name, e.target_role,
		e.cameo, e.root, e.quad_class, e.goldstein, e.place, m.article_id, a.url, a.title, m.sentence, m.start_off, m.end_off
		FROM events e JOIN event_mentions m ON m.event_id = e.id JOIN event_articles a ON a.id = m.article_id
		WHERE `+w+` ORDER BY e.date, e.id, m.article_id, m.start_off`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.StoredEvent
	for rows.Next() {
		var e concord.StoredEvent
		var r concord.Report
		if err := rows.Scan(&e.ID, &e.Date, &e.Source.State, &e.Source.Name, &e.Source.Role, &e.Target.State, &e.Target.Name, &e.Target.Role, &e.Code, &e.Root, &e.QuadClass, &e.Goldstein, &e.Place,
			&r.Article.ID, &r.Article.URL, &r.Article.Title, &r.Evidence.Sentence, &r.Evidence.Start, &r.Evidence.End); err != nil {
			return nil, err
		}
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

// Timeline returns the monthly scores of dated events between the filter's states.
func (s *PG) Timeline(ctx context.Context, f concord.EventFilter) ([]concord.MonthScore, error) {
	w, args := pgWhere(f)
	rows, err := s.pool.Query(ctx, `SELECT substr(e.date, 1, 7) AS month, count(*), sum(e.goldstein),
		count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2), count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4)
		FROM events e WHERE e.date <> '' AND `+w+` GROUP BY month ORDER BY month`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.MonthScore
	for rows.Next() {
		var m concord.MonthScore
		var q [4]int64
		var n int64
		if err := rows.Scan(&m.Month, &n, &m.Goldstein, &q[0], &q[1], &q[2], &q[3]); err != nil {
			return nil, err
		}
		m.Events = int(n)
		for i := range q {
			m.Quad[i] = int(q[i])
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Counts returns the number of articles, events and evidence mentions stored.
func (s *PG) Counts(ctx context.Context) (articles, events, mentions int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM event_articles), (SELECT count(*) FROM events), (SELECT count(*) FROM event_mentions)`).Scan(&articles, &events, &mentions)
	return
}

var _ = pgx.ErrNoRows
var _ = time.Second
