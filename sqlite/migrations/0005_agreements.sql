-- Registry of agreements, their parties and commitments, users and API
-- tokens, and the history of every change (package internal/regsql).
-- Dates are text in the registry's notation (YYYY, YYYY-MM or YYYY-MM-DD,
-- optionally ending in '?' or '~'); timestamps are RFC 3339 UTC text.
CREATE TABLE agreements (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    fields      TEXT NOT NULL DEFAULT '',   -- comma-separated copy of agreement_fields
    subject     TEXT NOT NULL DEFAULT '',
    signed      TEXT NOT NULL DEFAULT '',
    signed_year INTEGER NOT NULL DEFAULT 0,
    force_date  TEXT NOT NULL DEFAULT '',
    end_date    TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    sources     TEXT NOT NULL DEFAULT '[]', -- JSON array
    summary     TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '[]', -- JSON array
    n_parties   INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX agreements_signed ON agreements (signed, id);
CREATE INDEX agreements_year ON agreements (signed_year);
CREATE INDEX agreements_kind ON agreements (kind);

CREATE TABLE agreement_fields (
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    field        TEXT NOT NULL,
    PRIMARY KEY (agreement_id, field)
);
CREATE INDEX agreement_fields_field ON agreement_fields (field, agreement_id);

CREATE TABLE agreement_parties (
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    party        TEXT NOT NULL,              -- state code, or the source's name of a non-state party
    non_state    INTEGER NOT NULL DEFAULT 0,
    signature    TEXT NOT NULL DEFAULT '',
    ratification TEXT NOT NULL DEFAULT '',
    force_date   TEXT NOT NULL DEFAULT '',
    withdrawal   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (agreement_id, party)
);
CREATE INDEX agreement_parties_party ON agreement_parties (party, agreement_id);

CREATE TABLE commitments (
    id           INTEGER PRIMARY KEY,
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    responsible  TEXT NOT NULL DEFAULT '',
    due          TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    progress     INTEGER NOT NULL DEFAULT 0,
    evidence     TEXT NOT NULL DEFAULT '[]', -- JSON array
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX commitments_agreement ON commitments (agreement_id);
CREATE INDEX commitments_due ON commitments (due, id);

CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    who         TEXT NOT NULL,
    at          TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX changes_entity ON changes (entity, entity_id, id);

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    hash       TEXT PRIMARY KEY,             -- hex SHA-256 of the secret; the secret is never stored
    id         TEXT NOT NULL,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);
