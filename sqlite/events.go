package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	concord "github.com/concord-project/concord"
)

var _ concord.EventStore = (*DB)(nil)

// HasArticle reports whether the article with this content hash has been recorded.
func (db *DB) HasArticle(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM event_articles WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}

// AddArticleEvents records an article and its events in one transaction,
// merging events with the same [concord.Event.Key] into one with every
// article's evidence; an article already recorded is skipped.
func (db *DB) AddArticleEvents(ctx context.Context, art concord.ArticleRef, published string, evs []concord.Event) (concord.EventStats, error) {
	var st concord.EventStats
	if art.ID == "" {
		return st, fmt.Errorf("sqlite: article without an id")
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO event_articles (id, url, title, published, coded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		art.ID, art.URL, art.Title, published, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return st, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		st.Repeated = 1
		return st, tx.Commit()
	}
	st.Articles = 1
	for i, e := range evs {
		if e.QuadClass < 1 || e.QuadClass > 4 || e.Code == "" {
			return concord.EventStats{}, fmt.Errorf("sqlite: event %d of article %s: CAMEO code %q, quad class %d", i+1, art.ID, e.Code, e.QuadClass)
		}
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM events WHERE key = ?`, e.Key()).Scan(&id)
		switch {
		case err == sql.ErrNoRows:
			r, err := tx.ExecContext(ctx, `INSERT INTO events (key, date, source_state, source_name, source_role, target_state, target_name, target_role, cameo, root, quad_class, goldstein, place)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Key(), e.Date, e.Source.Key(), e.Source.Name, e.Source.Role, e.Target.Key(), e.Target.Name, e.Target.Role,
				e.Code, e.Root, e.QuadClass, e.Goldstein, e.Place)
			if err != nil {
				return concord.EventStats{}, err
			}
			id, _ = r.LastInsertId()
			st.NewEvents++
		case err != nil:
			return concord.EventStats{}, err
		default:
			st.NewMentions++
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_mentions (event_id, article_id, sentence, start, end) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			id, art.ID, e.Evidence.Sentence, e.Evidence.Start, e.Evidence.End); err != nil {
			return concord.EventStats{}, err
		}
	}
	return st, tx.Commit()
}

func eventWhere(f concord.EventFilter) (string, []any) {
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

func unkey(k string) concord.EventActor {
	if len(k) > 4 && k[:4] == "IGO:" {
		return concord.EventActor{}
	}
	return concord.EventActor{State: k}
}

// Events returns the stored events the filter selects, by date, each with all its reports.
func (db *DB) Events(ctx context.Context, f concord.EventFilter) ([]concord.StoredEvent, error) {
	w, args := eventWhere(f)
	rows, err := db.sql.QueryContext(ctx, `SELECT e.id, e.date, e.source_state, e.source_name, e.source_role, e.target_state, e.target_name, e.target_role,
		e.cameo, e.root, e.quad_class, e.goldstein, e.place, m.article_id, a.url, a.title, m.sentence, m.start, m.end
		FROM events e JOIN event_mentions m ON m.event_id = e.id JOIN event_articles a ON a.id = m.article_id
		WHERE `+w+` ORDER BY e.date, e.id, m.article_id, m.start`, args...)
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
		e.Source.State, e.Target.State = unkey(ss).State, unkey(ts).State
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
func (db *DB) Timeline(ctx context.Context, f concord.EventFilter) ([]concord.MonthScore, error) {
	w, args := eventWhere(f)
	rows, err := db.sql.QueryContext(ctx, `SELECT substr(e.date, 1, 7) AS month, count(*), sum(e.goldstein),
		sum(e.quad_class = 1), sum(e.quad_class = 2), sum(e.quad_class = 3), sum(e.quad_class = 4)
		FROM events e WHERE e.date <> '' AND `+w+` GROUP BY month ORDER BY month`, args...)
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
