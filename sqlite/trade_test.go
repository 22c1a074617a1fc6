package sqlite

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/internal/tradegen"
	"github.com/concord-project/concord/trade"
)

func tradeFixture() *concord.TradeYear {
	return &concord.TradeYear{Classification: "HS17", Year: 2020, Source: "f.csv", Rows: 3, HasImports: true,
		Values: []concord.TradeValue{
			{State: "BRA", Product: "010121", Export: 50, Import: 0},
			{State: "CHN", Product: "010121", Export: 0, Import: 50},
			{State: "CHN", Product: "847130", Export: 20, Import: 0},
			{State: "BRA", Product: "847130", Export: 0, Import: 20},
		},
		Flows:    []concord.TradeFlow{{Exporter: "BRA", Importer: "CHN", Value: 50}, {Exporter: "CHN", Importer: "BRA", Value: 20}},
		Products: map[string]string{"010121": "Horses", "847130": "Computers"},
	}
}

func TestTradeRoundTripReplaceAndAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.TradeYear(ctx, "HS17", 2020); !errors.Is(err, concord.ErrNoTradeYear) {
		t.Fatalf("empty store: %v", err)
	}
	in := tradeFixture()
	st, err := db.ImportTrade(ctx, []*concord.TradeYear{in}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Years != 1 || st.Replaced != 0 || st.Values != 4 || st.Flows != 2 || st.Products != 2 {
		t.Errorf("stats %+v", st)
	}
	out, err := db.TradeYear(ctx, "HS17", 2020)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Values) != 4 || len(out.Flows) != 2 || out.Products["847130"] != "Computers" || !out.HasImports || out.Rows != 3 {
		t.Fatalf("read back %+v", out)
	}
	a, b := trade.NewTable(in), trade.NewTable(out)
	if a.World() != b.World() || a.Complementarity(0, 1) != b.Complementarity(0, 1) {
		t.Error("indices differ after the round trip")
	}
	infos, err := db.TradeYears(ctx)
	if err != nil || len(infos) != 1 || infos[0].States != 2 || infos[0].Products != 2 || infos[0].Exports != 70 {
		t.Fatalf("TradeYears: %+v %v", infos, err)
	}
	// importing again replaces, not adds
	st, err = db.ImportTrade(ctx, []*concord.TradeYear{in}, nil)
	if err != nil || st.Replaced != 1 {
		t.Fatalf("re-import: %+v %v", st, err)
	}
	if out, _ := db.TradeYear(ctx, "HS17", 2020); len(out.Values) != 4 || trade.NewTable(out).World() != 70 {
		t.Errorf("re-import doubled the data: %d values", len(out.Values))
	}
	// a bad year in a batch leaves the store as it was
	bad := tradeFixture()
	bad.Year = 2021
	bad.Values = append(bad.Values, concord.TradeValue{State: "USA", Product: "010121", Export: -1})
	changed := tradeFixture()
	changed.Values[0].Export = 999
	if _, err := db.ImportTrade(ctx, []*concord.TradeYear{changed, bad}, nil); err == nil {
		t.Fatal("a negative export was stored")
	}
	out, _ = db.TradeYear(ctx, "HS17", 2020)
	if trade.NewTable(out).World() != 70 {
		t.Error("a failed import changed the stored year")
	}
	if _, err := db.TradeYear(ctx, "HS17", 2021); !errors.Is(err, concord.ErrNoTradeYear) {
		t.Errorf("a failed import left year 2021: %v", err)
	}
}

func TestTradeRealExtractStoredIntact(t *testing.T) {
	path := testdata.File(t, "trade/baci_hs17_2020_exports_afg_zaf.csv.gz")
	ctx := context.Background()
	ys, err := trade.ReadFiles(ctx, trade.Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportTrade(ctx, ys, nil); err != nil {
		t.Fatal(err)
	}
	out, err := db.TradeYear(ctx, "HS17", 2020)
	if err != nil {
		t.Fatal(err)
	}
	a, b := trade.NewTable(ys[0]), trade.NewTable(out)
	if len(out.Values) != len(ys[0].Values) || len(out.Flows) != len(ys[0].Flows) || math.Abs(a.World()-b.World()) > 1e-9*a.World() {
		t.Errorf("stored %d values %d flows world %v; read %d %d %v", len(out.Values), len(out.Flows), b.World(),
			len(ys[0].Values), len(ys[0].Flows), a.World())
	}
}

// BenchmarkImportTradeYear measures the whole import of one generated BACI year
// of real size (10 million rows, 200 states, 5,000 products): read and store.
func BenchmarkImportTradeYear(b *testing.B) {
	p := filepath.Join(b.TempDir(), "BACI_HS17_Y2020_V202401.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := tradegen.WriteBACI(f, 1, 2020, 200, 5000, 10_000_000)
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	b.ResetTimer()
	var stored int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(filepath.Join(b.TempDir(), "t.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ys, err := trade.ReadFiles(ctx, trade.Options{}, p)
		if err != nil {
			b.Fatal(err)
		}
		st, err := db.ImportTrade(ctx, ys, nil)
		if err != nil {
			b.Fatal(err)
		}
		stored = st.Values + st.Flows
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(stored), "stored_rows")
}

// BenchmarkLoadTradeYear measures loading one stored year of real size.
func BenchmarkLoadTradeYear(b *testing.B) {
	p := filepath.Join(b.TempDir(), "BACI_HS17_Y2020_V202401.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tradegen.WriteBACI(f, 1, 2020, 200, 5000, 10_000_000); err != nil {
		b.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	ys, err := trade.ReadFiles(ctx, trade.Options{}, p)
	if err != nil {
		b.Fatal(err)
	}
	db, err := Open(filepath.Join(b.TempDir(), "t.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportTrade(ctx, ys, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.TradeYear(ctx, "HS17", 2020); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTradeMigrationFromRowsPerProduct opens a database holding trade in the
// layout of migration 0004 (one row per state and product): the upgrade drops
// it cleanly, and the year can be imported again.
func TestTradeMigrationFromRowsPerProduct(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// roll the schema back to version 5, as a database made before 0006
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var v4 string
	for _, m := range ms {
		if m.Version == 4 {
			v4 = m.SQL
		}
	}
	for _, q := range []string{`DROP TABLE trade_state_values`, `DROP TABLE trade_flows`, `DROP TABLE trade_products`, `DROP TABLE trade_years`,
		`ALTER TABLE event_mentions RENAME COLUMN start_off TO start`, `ALTER TABLE event_mentions RENAME COLUMN end_off TO "end"`, // undo 0008
		v4, `DELETE FROM schema_migrations WHERE version > 5`,
		`INSERT INTO trade_years VALUES ('HS17', 2020, 'f', 1, 1, 1, 1, 5, 'now')`,
		`INSERT INTO trade_values VALUES ('HS17', 2020, 'USA', '010121', 5, 0)`,
		`INSERT INTO trade_flows VALUES ('HS17', 2020, 'USA', 'BRA', 5)`} {
		if _, err := db.sql.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v < 6 {
		t.Errorf("schema version %d after the upgrade", v)
	}
	if ys, err := db.TradeYears(ctx); err != nil || len(ys) != 0 {
		t.Errorf("after the upgrade: %+v %v", ys, err)
	}
	if _, err := db.ImportTrade(ctx, []*concord.TradeYear{tradeFixture()}, nil); err != nil {
		t.Fatal(err)
	}
}
