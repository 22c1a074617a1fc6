-- Computed analyses (ideal points, blocs …) kept until the votes change:
-- votes_version is the id of the last import when the result was computed.
CREATE TABLE results (
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL,
    votes_version INTEGER NOT NULL,
    computed_at   TEXT NOT NULL,
    body          BLOB NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
