-- Trade values move from one row per state and product (a million rows a BACI
-- year: slow to write and to read back) to one row per state holding all its
-- products, encoded by package sqlite (trade.go: a count, then per product its
-- code, exports and imports). Trade imported under migration 0004 is dropped:
-- import it again.
DROP TABLE trade_values;
DELETE FROM trade_flows;
DELETE FROM trade_years;

CREATE TABLE trade_state_values (
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    state          TEXT NOT NULL CHECK (state <> ''),
    products       INTEGER NOT NULL,  -- number of products encoded in body
    body           BLOB NOT NULL,
    PRIMARY KEY (classification, year, state),
    FOREIGN KEY (classification, year) REFERENCES trade_years (classification, year)
) WITHOUT ROWID;
