-- The agreement each change was made under: its own id for an agreement's
-- changes, the commitment's agreement for a commitment's ('' for users and
-- tokens). An agreement's history (regsql.Store.AgreementHistory) selects on
-- it, so the changes of deleted commitments, and of a deleted agreement's
-- commitments, stay in it. Existing rows are filled in from the records kept
-- with each change (a commitment's agreement is its "agreement" field, and
-- it never changes). The table is rebuilt rather than altered so that the
-- migration also runs on a database that has the column already (SQLite
-- has no ADD COLUMN IF NOT EXISTS): the column is derived again, the same.
--
-- Commitments get AUTOINCREMENT ids: an INTEGER PRIMARY KEY alone gives the
-- next row the largest id plus one, so the id of the last commitment, once
-- deleted, went to the next one created, whose history then began with the
-- deleted one's. The sequence starts after every commitment id ever
-- recorded in the history, deleted ones included.
CREATE TABLE changes_0011 (
    id           INTEGER PRIMARY KEY,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    action       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    who          TEXT NOT NULL,
    at           TEXT NOT NULL,
    before_json  TEXT NOT NULL DEFAULT '',
    after_json   TEXT NOT NULL DEFAULT '',
    agreement_id TEXT NOT NULL DEFAULT ''
);
INSERT INTO changes_0011 (id, entity, entity_id, action, version, who, at, before_json, after_json, agreement_id)
SELECT id, entity, entity_id, action, version, who, at, before_json, after_json,
       CASE
           WHEN entity = 'agreement' THEN entity_id
           WHEN entity = 'commitment' AND json_valid(CASE WHEN after_json <> '' THEN after_json ELSE before_json END)
               THEN COALESCE(json_extract(CASE WHEN after_json <> '' THEN after_json ELSE before_json END, '$.agreement'), '')
           ELSE ''
       END
FROM changes ORDER BY id;
DROP TABLE changes;
ALTER TABLE changes_0011 RENAME TO changes;
CREATE INDEX changes_entity ON changes (entity, entity_id, id);
CREATE INDEX changes_agreement ON changes (agreement_id, id);

CREATE TABLE commitments_0011 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO commitments_0011 (id, agreement_id, text, responsible, due, status, progress, evidence, notes, version, created_at, updated_at)
SELECT id, agreement_id, text, responsible, due, status, progress, evidence, notes, version, created_at, updated_at FROM commitments ORDER BY id;
DROP TABLE commitments;
ALTER TABLE commitments_0011 RENAME TO commitments;
CREATE INDEX commitments_due ON commitments (due, id);
CREATE INDEX commitments_agreement_due ON commitments (agreement_id, due, id);
CREATE INDEX commitments_responsible_due ON commitments (agreement_id, responsible, due, id);
INSERT INTO sqlite_sequence (name, seq) SELECT 'commitments', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'commitments');
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(CAST(entity_id AS INTEGER)) FROM changes WHERE entity = 'commitment'), 0))
    WHERE name = 'commitments';
ANALYZE commitments;
ANALYZE changes;
