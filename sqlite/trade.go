package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
)

var _ concord.TradeStore = (*DB)(nil)

// tradeBatch is the number of rows written by one INSERT statement.
const tradeBatch = 500

// ImportTrade stores years of trade in one transaction, all or nothing,
// replacing a year already stored in the same classification; product names
// are added or updated.
func (db *DB) ImportTrade(ctx context.Context, years []*concord.TradeYear, progress func(done, total int)) (concord.TradeImportStats, error) {
	var st concord.TradeImportStats
	total := 0
	for _, y := range years {
		if y.Classification == "" || y.Year == 0 {
			return st, fmt.Errorf("trade year with no classification or year (%q %d)", y.Classification, y.Year)
		}
		total += len(y.Values) + len(y.Flows)
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	done := 0
	now := time.Now().UTC().Format(time.RFC3339)
	for _, y := range years {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM trade_years WHERE classification = ? AND year = ?`,
			y.Classification, y.Year).Scan(&n); err != nil {
			return st, err
		}
		if n > 0 {
			st.Replaced++
			for _, t := range []string{"trade_state_values", "trade_flows", "trade_years"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE classification = ? AND year = ?`, y.Classification, y.Year); err != nil {
					return st, err
				}
			}
		}
		states, products := map[string]bool{}, map[string]bool{}
		var exports float64
		for _, v := range y.Values {
			states[v.State] = true
			products[v.Product] = true
			exports += v.Export
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO trade_years (classification, year, source, rows, has_imports, states, products, exports, imported_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, y.Classification, y.Year, y.Source, y.Rows, y.HasImports,
			len(states), len(products), exports, now); err != nil {
			return st, err
		}
		groups, err := encodeStates(y)
		if err != nil {
			return st, fmt.Errorf("%s %d: %w", y.Classification, y.Year, err)
		}
		written := 0
		err = insertBatches(ctx, tx, "trade_state_values (classification, year, state, products, body)", 5, len(groups),
			func(i int, args []any) []any {
				g := groups[i]
				return append(args, y.Classification, y.Year, g.state, g.n, g.body)
			}, func(n int) {
				for _, g := range groups[written : written+n] {
					done += g.n
				}
				written += n
				report(progress, done, total)
			})
		if err != nil {
			return st, fmt.Errorf("storing %s %d: %w", y.Classification, y.Year, err)
		}
		err = insertBatches(ctx, tx, "trade_flows (classification, year, exporter, importer, value)", 5, len(y.Flows),
			func(i int, args []any) []any {
				f := y.Flows[i]
				return append(args, y.Classification, y.Year, f.Exporter, f.Importer, f.Value)
			}, func(n int) { done += n; report(progress, done, total) })
		if err != nil {
			return st, fmt.Errorf("storing %s %d: %w", y.Classification, y.Year, err)
		}
		codes := make([]string, 0, len(y.Products))
		for c := range y.Products {
			codes = append(codes, c)
		}
		err = insertBatches(ctx, tx, "trade_products (classification, code, name)", 3, len(codes),
			func(i int, args []any) []any {
				return append(args, y.Classification, codes[i], y.Products[codes[i]])
			}, nil, " ON CONFLICT (classification, code) DO UPDATE SET name = excluded.name")
		if err != nil {
			return st, err
		}
		st.Years++
		st.Values += len(y.Values)
		st.Flows += len(y.Flows)
		st.Products += len(codes)
	}
	return st, tx.Commit()
}

func report(progress func(done, total int), done, total int) {
	if progress != nil {
		progress(done, total)
	}
}

// insertBatches inserts n rows of cols columns into table with multi-row
// INSERT statements of up to tradeBatch rows.
func insertBatches(ctx context.Context, tx *sql.Tx, table string, cols, n int, row func(i int, args []any) []any,
	written func(int), suffix ...string) error {
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	args := make([]any, 0, tradeBatch*cols)
	for start := 0; start < n; start += tradeBatch {
		end := min(start+tradeBatch, n)
		stmt := stmts[end-start]
		if stmt == nil {
			ph := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
			q := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(ph+",", end-start), ",") + strings.Join(suffix, "")
			var err error
			if stmt, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			stmts[end-start] = stmt
		}
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
		if written != nil {
			written(end - start)
		}
	}
	return nil
}

// TradeYears lists the stored years of trade, by classification then year.
func (db *DB) TradeYears(ctx context.Context) ([]concord.TradeYearInfo, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT classification, year, source, rows, has_imports, states, products, exports, imported_at
		FROM trade_years ORDER BY classification, year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.TradeYearInfo
	for rows.Next() {
		var y concord.TradeYearInfo
		if err := rows.Scan(&y.Classification, &y.Year, &y.Source, &y.Rows, &y.HasImports, &y.States, &y.Products,
			&y.Exports, &y.ImportedAt); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// TradeYear loads one stored year of trade with the names of its classification's products.
func (db *DB) TradeYear(ctx context.Context, classification string, year int) (*concord.TradeYear, error) {
	y := &concord.TradeYear{Classification: classification, Year: year, Products: map[string]string{}}
	var nvalues int
	err := db.sql.QueryRowContext(ctx, `SELECT source, rows, has_imports, states * products FROM trade_years WHERE classification = ? AND year = ?`,
		classification, year).Scan(&y.Source, &y.Rows, &y.HasImports, &nvalues)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %d: %w", classification, year, concord.ErrNoTradeYear)
	}
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT state, products, body FROM trade_state_values
		WHERE classification = ? AND year = ? ORDER BY state`, classification, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	y.Values = make([]concord.TradeValue, 0, min(nvalues, 1<<20))
	intern := map[string]string{}
	var s, p []byte
	for rows.Next() {
		var n int
		if err := rows.Scan(&s, &n, &p); err != nil {
			return nil, err
		}
		state := internString(intern, s)
		if y.Values, err = decodeState(y.Values, state, n, p, intern); err != nil {
			return nil, fmt.Errorf("%s %d %s: %w", classification, year, state, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	frows, err := db.sql.QueryContext(ctx, `SELECT exporter, importer, value FROM trade_flows
		WHERE classification = ? AND year = ? ORDER BY exporter, importer`, classification, year)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var f concord.TradeFlow
		if err := frows.Scan(&s, &p, &f.Value); err != nil {
			return nil, err
		}
		f.Exporter, f.Importer = internString(intern, s), internString(intern, p)
		y.Flows = append(y.Flows, f)
	}
	if err := frows.Err(); err != nil {
		return nil, err
	}
	prows, err := db.sql.QueryContext(ctx, `SELECT code, name FROM trade_products WHERE classification = ?`, classification)
	if err != nil {
		return nil, err
	}
	defer prows.Close()
	for prows.Next() {
		var c, n string
		if err := prows.Scan(&c, &n); err != nil {
			return nil, err
		}
		y.Products[c] = n
	}
	return y, prows.Err()
}

func internString(m map[string]string, b []byte) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	m[s] = s
	return s
}

// stateValues is the encoded products of one state.
type stateValues struct {
	state string
	n     int
	body  []byte
}

// encodeStates groups a year's values by state and encodes each group: per
// product, the code's length (uvarint) and bytes, then exports and imports as
// little-endian IEEE 754 doubles. Values must be finite and not negative.
func encodeStates(y *concord.TradeYear) ([]stateValues, error) {
	ix := map[string]int{}
	var out []stateValues
	for _, v := range y.Values {
		if !(v.Export >= 0) || !(v.Import >= 0) || math.IsInf(v.Export, 0) || math.IsInf(v.Import, 0) {
			return nil, fmt.Errorf("state %s product %s: exports %v, imports %v: want finite values, not negative", v.State, v.Product, v.Export, v.Import)
		}
		if v.State == "" || v.Product == "" {
			return nil, fmt.Errorf("a value with no state or product (%q, %q)", v.State, v.Product)
		}
		i, ok := ix[v.State]
		if !ok {
			i = len(out)
			ix[v.State] = i
			out = append(out, stateValues{state: v.State})
		}
		g := &out[i]
		g.body = binary.AppendUvarint(g.body, uint64(len(v.Product)))
		g.body = append(g.body, v.Product...)
		g.body = binary.LittleEndian.AppendUint64(g.body, math.Float64bits(v.Export))
		g.body = binary.LittleEndian.AppendUint64(g.body, math.Float64bits(v.Import))
		g.n++
	}
	return out, nil
}

// decodeState appends the n values encoded in body to vs.
func decodeState(vs []concord.TradeValue, state string, n int, body []byte, intern map[string]string) ([]concord.TradeValue, error) {
	for k := 0; k < n; k++ {
		l, w := binary.Uvarint(body)
		if w <= 0 || uint64(len(body)-w) < l+16 {
			return vs, fmt.Errorf("corrupt trade values at product %d of %d", k+1, n)
		}
		body = body[w:]
		code := internString(intern, body[:l])
		body = body[l:]
		e := math.Float64frombits(binary.LittleEndian.Uint64(body))
		m := math.Float64frombits(binary.LittleEndian.Uint64(body[8:]))
		body = body[16:]
		vs = append(vs, concord.TradeValue{State: state, Product: code, Export: e, Import: m})
	}
	if len(body) != 0 {
		return vs, fmt.Errorf("corrupt trade values: %d bytes after %d products", len(body), n)
	}
	return vs, nil
}
