-- Roll calls, their issue tags and the votes cast on them.
-- Dates are ISO yyyy-mm-dd text; flags are NULL (unknown), 0 (false) or 1 (true).
CREATE TABLE roll_calls (
    rcid       INTEGER PRIMARY KEY,
    session    INTEGER,
    date       TEXT CHECK (date IS NULL OR length(date) = 10),
    resolution TEXT,
    important  INTEGER CHECK (important IN (0, 1)),
    amend      INTEGER CHECK (amend IN (0, 1)),
    para       INTEGER CHECK (para IN (0, 1)),
    short      TEXT,
    descr      TEXT
);

CREATE TABLE roll_call_issues (
    rcid  INTEGER NOT NULL REFERENCES roll_calls (rcid),
    issue TEXT NOT NULL,
    PRIMARY KEY (rcid, issue)
) WITHOUT ROWID;

-- vote holds concord.Vote: 1 yes, 2 abstain, 3 no, 8 absent, 9 non-member.
CREATE TABLE votes (
    rcid  INTEGER NOT NULL REFERENCES roll_calls (rcid),
    state TEXT NOT NULL CHECK (state <> ''),
    vote  INTEGER NOT NULL CHECK (vote IN (1, 2, 3, 8, 9)),
    PRIMARY KEY (rcid, state)
) WITHOUT ROWID;

-- One row per successful import.
CREATE TABLE import_log (
    id                 INTEGER PRIMARY KEY,
    imported_at        TEXT NOT NULL,
    summary            TEXT NOT NULL,
    roll_calls_added   INTEGER NOT NULL,
    roll_calls_updated INTEGER NOT NULL,
    votes_added        INTEGER NOT NULL,
    votes_unchanged    INTEGER NOT NULL,
    warnings           INTEGER NOT NULL
);
