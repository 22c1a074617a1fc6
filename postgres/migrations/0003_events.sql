-- Coded diplomatic events (package events), as in the SQLite store: the same
-- date, actor states and CAMEO code reported by several articles is one event.
-- IF NOT EXISTS adopts the tables that `concord events worker` created before
-- they became a migration.
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
);
