package output

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

type result struct {
	A    string    `json:"a"`
	Rows []float64 `json:"rows"`
}

func (r result) Table() Table {
	t := Table{Columns: []string{"a", "x"}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{r.A, x})
	}
	return t
}

func TestWriteFormats(t *testing.T) {
	r := result{A: "IRN", Rows: []float64{0.123456789, math.NaN()}}
	var b bytes.Buffer
	if err := Write(&b, FormatCSV, r); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "a,x\nIRN,0.123456789\nIRN,\n"; got != want {
		t.Errorf("csv = %q, want %q", got, want)
	}
	b.Reset()
	if err := Write(&b, FormatTable, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "IRN  0.123") || strings.TrimSpace(lines[2]) != "IRN" {
		t.Errorf("table = %q", b.String())
	}
	b.Reset()
	r.Rows = r.Rows[:1]
	if err := Write(&b, FormatJSON, r); err != nil {
		t.Fatal(err)
	}
	var back result
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.A != "IRN" || back.Rows[0] != 0.123456789 {
		t.Errorf("json round trip = %+v, %v", back, err)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"table", "CSV", " json "} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("ParseFormat(xml) error = %v, want one naming xml", err)
	}
}
