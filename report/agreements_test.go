package report

import (
	"testing"

	concord "github.com/concord-project/concord"
)

func TestAgreementTable(t *testing.T) {
	a := concord.Agreement{ID: "X1", Title: "Science", Version: 3, Fields: []string{"science", "health"},
		Parties: []concord.Party{{State: "CUB", Signature: "2020-01-02"}, {State: "EU", NonState: true}}}
	cs := []concord.Commitment{{ID: 7, Text: "Open a lab", Responsible: "CUB", Due: "2021-01-01", Status: "done", Progress: 100}}
	tab := AgreementTable(a, cs)
	last := func(k int) []any { return tab.Rows[len(tab.Rows)-k] }
	if len(tab.Columns) != 6 || tab.Rows[0][1] != "X1" || tab.Rows[3][1] != "science health" {
		t.Fatalf("facts: %v %v", tab.Columns, tab.Rows[:4])
	}
	if r := last(3); r[0] != "party" || r[1] != "CUB" || r[2] != "2020-01-02" {
		t.Errorf("first party: %v", r)
	}
	if r := last(2); r[1] != "EU (not a state)" {
		t.Errorf("second party: %v", r)
	}
	if r := last(1); r[0] != "commitment 7" || r[1] != "Open a lab — CUB, due 2021-01-01, done 100%" {
		t.Errorf("commitment: %v", r)
	}
	if n := len(AgreementTable(a, nil).Rows); n != len(tab.Rows)-1 {
		t.Errorf("without commitments: %d rows, want %d", n, len(tab.Rows)-1)
	}
}
