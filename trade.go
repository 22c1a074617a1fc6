package concord

import "context"

// TradeValue is what one state exported and imported of one product in a
// year, in thousands of current US dollars.
type TradeValue struct {
	State   string  // state code
	Product string  // product code in the year's classification (HS 6 digits, SITC 4 digits)
	Export  float64 // exports of State in Product to the world
	Import  float64 // imports of State in Product from the world
}

// TradeFlow is the total value of goods one state exported to another in a
// year, in thousands of current US dollars.
type TradeFlow struct {
	Exporter string  // state code of the exporter
	Importer string  // state code of the importer
	Value    float64 // total over all products
}

// TradeYear is one year of trade in one product classification, kept as the
// margins concord's indices need: exports and imports by state and product,
// and bilateral totals by pair of states.
type TradeYear struct {
	Classification string            // "HS17", "HS92" …, "HS" (edition unknown) or "SITC2"
	Year           int               // calendar year (for averages, the last year averaged)
	Source         string            // the files it was read from
	Rows           int               // input rows read
	HasImports     bool              // imports and bilateral flows are known (bilateral data), not only exports
	Values         []TradeValue      // one per state and product with trade
	Flows          []TradeFlow       // one per pair of states with trade; empty without imports
	Products       map[string]string // product code → name, where the source names it
}

// TradeYearInfo describes one stored year of trade.
type TradeYearInfo struct {
	Classification string  `json:"classification"`
	Year           int     `json:"year"`
	Source         string  `json:"source"`
	Rows           int     `json:"rows"`
	HasImports     bool    `json:"has_imports"`
	States         int     `json:"states"`
	Products       int     `json:"products"`
	Exports        float64 `json:"exports"` // total exports, thousands of USD
	ImportedAt     string  `json:"imported_at"`
}

// TradeImportStats reports what a trade import changed.
type TradeImportStats struct {
	Years    int // years stored
	Replaced int // of which replaced a year already stored in the same classification
	Values   int // state × product rows stored
	Flows    int // bilateral rows stored
	Products int // product names stored or updated
}

// TradeStore keeps trade data by classification and year.
type TradeStore interface {
	// ImportTrade stores years in one transaction, all or nothing; a year
	// already stored in the same classification is replaced. progress, if
	// not nil, is called with the rows written so far and the total.
	ImportTrade(ctx context.Context, years []*TradeYear, progress func(done, total int)) (TradeImportStats, error)
	// TradeYears lists the stored years, by classification then year.
	TradeYears(ctx context.Context) ([]TradeYearInfo, error)
	// TradeYear loads one stored year with the names of its products, or
	// returns an error wrapping ErrNoTradeYear.
	TradeYear(ctx context.Context, classification string, year int) (*TradeYear, error)
}

// ErrNoTradeYear is wrapped by errors about a year of trade that is not stored.
var ErrNoTradeYear = tradeError("no such year of trade in the store")

type tradeError string

func (e tradeError) Error() string { return string(e) }
