// Package output writes command results as an aligned text table, CSV or
// JSON, the same way for every command of concord's CLI (and for the CSV
// downloads of its web UI).
//
// A result is any value that can describe itself as a Table; JSON output is
// the value itself marshalled with encoding/json, so commands control their
// JSON shape with struct tags while tables and CSV share one code path.
package output

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Format is an output format: table, csv or json.
type Format string

// The formats every analysis command accepts.
const (
	FormatTable Format = "table"
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
)

// ParseFormat parses a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatTable, FormatCSV, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want table, csv or json)", s)
}

// Table is a result seen as columns and rows of cells. Cells may be strings,
// integers, floats (NaN prints as an empty cell), or anything with a String method.
type Table struct {
	Columns []string
	Rows    [][]any
}

// Tabler is a result that can be shown as a Table.
type Tabler interface {
	Table() Table
}

// Write writes v to w in format f: JSON marshals v itself; table and CSV use v.Table().
func Write(w io.Writer, f Format, v Tabler) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case FormatCSV:
		return WriteCSV(w, v.Table())
	case FormatTable, "":
		return WriteText(w, v.Table())
	}
	return fmt.Errorf("unknown format %q", f)
}

// WriteCSV writes t as RFC 4180 CSV with a header row; floats keep full precision.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = cell(row[i], -1)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes t as an aligned plain-text table; floats are rounded to 3 decimals.
func WriteText(w io.Writer, t Table) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.Columns, "\t"))
	for _, row := range t.Rows {
		parts := make([]string, len(row))
		for i, c := range row {
			parts[i] = cell(c, 3)
		}
		fmt.Fprintln(tw, strings.Join(parts, "\t"))
	}
	return tw.Flush()
}

// cell formats one value; prec is the number of decimals for floats, -1 for the shortest exact form.
func cell(v any, prec int) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return Float(x, prec)
	case float32:
		return Float(float64(x), prec)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Float formats f with prec decimals (-1: shortest exact), NaN and infinities as "".
func Float(f float64, prec int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', prec, 64)
}
