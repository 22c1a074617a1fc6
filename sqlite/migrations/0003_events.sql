-- Coded diplomatic events (package events), de-duplicated by key: the same
-- date, actor states and CAMEO code reported by several articles is one event.
CREATE TABLE event_articles (
    id        TEXT PRIMARY KEY,             -- hex SHA-256 of the article's content
    url       TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    coded_at  TEXT NOT NULL
);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    date         TEXT NOT NULL DEFAULT '' CHECK (date = '' OR length(date) = 10),
    source_state TEXT NOT NULL,
    source_name  TEXT NOT NULL DEFAULT '',
    source_role  TEXT NOT NULL DEFAULT '',
    target_state TEXT NOT NULL,
    target_name  TEXT NOT NULL DEFAULT '',
    target_role  TEXT NOT NULL DEFAULT '',
    cameo        TEXT NOT NULL,
    root         TEXT NOT NULL,
    quad_class   INTEGER NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    goldstein    REAL NOT NULL,
    place        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_pair ON events (source_state, target_state, date);

-- One row per evidence sentence; the primary key makes re-adding an article a no-op.
CREATE TABLE event_mentions (
    event_id   INTEGER NOT NULL REFERENCES events (id),
    article_id TEXT NOT NULL REFERENCES event_articles (id),
    sentence   TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    PRIMARY KEY (event_id, article_id, start)
) WITHOUT ROWID;
