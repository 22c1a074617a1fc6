-- Trade data (package trade): one row per stored classification and year,
-- exports and imports by state and product, and bilateral totals. Values are
-- thousands of current US dollars. Importing a year again replaces it.
CREATE TABLE trade_years (
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    source         TEXT NOT NULL,
    rows           INTEGER NOT NULL,
    has_imports    INTEGER NOT NULL CHECK (has_imports IN (0, 1)),
    states         INTEGER NOT NULL,
    products       INTEGER NOT NULL,
    exports        REAL NOT NULL,
    imported_at    TEXT NOT NULL,
    PRIMARY KEY (classification, year)
) WITHOUT ROWID;

CREATE TABLE trade_values (
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    state          TEXT NOT NULL CHECK (state <> ''),
    product        TEXT NOT NULL CHECK (product <> ''),
    export         REAL NOT NULL CHECK (export >= 0),
    import         REAL NOT NULL CHECK (import >= 0),
    PRIMARY KEY (classification, year, state, product),
    FOREIGN KEY (classification, year) REFERENCES trade_years (classification, year)
) WITHOUT ROWID;

CREATE TABLE trade_flows (
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    exporter       TEXT NOT NULL,
    importer       TEXT NOT NULL,
    value          REAL NOT NULL CHECK (value >= 0),
    PRIMARY KEY (classification, year, exporter, importer),
    FOREIGN KEY (classification, year) REFERENCES trade_years (classification, year)
) WITHOUT ROWID;

-- Product names by classification, kept across years.
CREATE TABLE trade_products (
    classification TEXT NOT NULL,
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    PRIMARY KEY (classification, code)
) WITHOUT ROWID;
