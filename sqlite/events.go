package sqlite

import (
	"context"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/eventsql"
)

var _ concord.EventStore = (*DB)(nil)

// events returns the event store (internal/eventsql) over this database.
func (db *DB) events() *eventsql.Store { return eventsql.New(db.sql, false) }

// HasArticle reports whether the article with this content hash has been recorded.
func (db *DB) HasArticle(ctx context.Context, id string) (bool, error) {
	return db.events().HasArticle(ctx, id)
}

// AddArticleEvents records an article and its events in one transaction,
// merging events with the same [concord.Event.Key] into one with every
// article's evidence; an article already recorded is skipped.
func (db *DB) AddArticleEvents(ctx context.Context, art concord.ArticleRef, published string, evs []concord.Event) (concord.EventStats, error) {
	return db.events().AddArticleEvents(ctx, art, published, evs)
}

// Events returns the stored events the filter selects, by date, each with all its reports.
func (db *DB) Events(ctx context.Context, f concord.EventFilter) ([]concord.StoredEvent, error) {
	return db.events().Events(ctx, f)
}

// Timeline returns the monthly scores (event count, Goldstein sum, quad-class counts) of dated events between the filter's states.
func (db *DB) Timeline(ctx context.Context, f concord.EventFilter) ([]concord.MonthScore, error) {
	return db.events().Timeline(ctx, f)
}

// EventCounts returns the number of articles, events and evidence mentions stored.
func (db *DB) EventCounts(ctx context.Context) (articles, events, mentions int, err error) {
	return db.events().Counts(ctx)
}
