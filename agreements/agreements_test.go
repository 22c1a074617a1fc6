package agreements

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
	"github.com/concord-project/concord/internal/testdata"
)

func ggoFiles(t testing.TB) []string {
	return []string{testdata.File(t, "agreements/ggo_agreements.csv.gz"), testdata.File(t, "agreements/ggo_parties.csv.gz")}
}

func TestReadGGO(t *testing.T) {
	files := ggoFiles(t)
	// Parties first: the order of the files does not matter.
	reg, st, err := Read(files[1], files[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", st)
	// The release's documented sizes (data/agreements/README.md).
	if st.Agreements != 4532 || len(reg.Agreements) != 4532 || st.PartyRows != 98320 {
		t.Fatalf("read %d agreements and %d membership rows, want 4,532 and 98,320", st.Agreements, st.PartyRows)
	}
	if st.Parties+st.Merged+st.Orphans != st.PartyRows {
		t.Fatalf("parties %d + merged %d + orphans %d != rows %d: rows lost", st.Parties, st.Merged, st.Orphans, st.PartyRows)
	}
	// Source typos repaired or dropped, each reported: 1964-XX-16 and the ranges are valid notation.
	want := map[string]bool{`"1976-06-31" read as "1976-06"`: false, `"2010-XX-XX-" read as "2010-XX-XX"`: false, `"0014-022005" read as ""`: false, `"2020-99-99" read as "2020"`: false}
	for _, w := range st.Warnings {
		if !strings.Contains(w, "ggo_") || !strings.Contains(w, "malformed date") {
			t.Errorf("warning %q", w)
		}
		for k := range want {
			want[k] = want[k] || strings.Contains(w, k)
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no warning %s in %q", k, st.Warnings)
		}
	}
	if st.RenamedIDs != 4532-4301 { // 4,301 distinct treatyIDs
		t.Errorf("%d IDs renamed, want 231", st.RenamedIDs)
	}
	by := map[string]concord.Agreement{}
	kinds := map[concord.AgreementKind]int{}
	fields := map[string]int{}
	for _, a := range reg.Agreements {
		by[a.ID] = a
		kinds[a.Kind]++
		for _, f := range a.Fields {
			fields[f]++
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	// Counts documented in the README: TypeAgree and TypeDomain.
	if kinds[concord.KindAgreement] < 3123 || kinds[concord.KindAmendment] != 645 || kinds[concord.KindProtocol] != 506 || kinds[concord.KindMoU] != 48 ||
		kinds[concord.KindResolution] != 38 || kinds[concord.KindExtension] != 2 {
		t.Errorf("kinds %v", kinds)
	}
	if fields["environment"] != 3683 || fields["trade"] != 623 || fields["health"] != 162 || fields["labour"] != 6 {
		t.Errorf("fields %v (Trade+Environment counts in both)", fields)
	}
	a := by["ESP-GBR_1351A"]
	if a.Title != "Treaty Between England And Castile" || a.Signed != "1351-08-01" || a.Status != concord.StatusTerminated || len(a.Parties) != 2 ||
		a.Parties[0].State != "ESP" || a.Parties[1].State != "GBR" || a.Parties[0].Withdrawal != "1371-07-31" || !reflect.DeepEqual(a.Fields, []string{"security"}) {
		t.Errorf("ESP-GBR_1351A read as %+v", a)
	}
	p1, p2 := by["BAD-CHE_1884P"], by["BAD-CHE_1884P~2"]
	if p1.Kind != concord.KindAgreement || p2.Kind != concord.KindProtocol || len(p2.Parties) == 0 {
		t.Errorf("the two instruments of BAD-CHE_1884P: %+v / %+v", p1, p2)
	}
	var ec, rom bool
	for _, a := range reg.Agreements {
		for _, p := range a.Parties {
			ec = ec || (p.State == "EC" && p.NonState)
			rom = rom || p.State == "ROM"
		}
	}
	if !ec || rom {
		t.Errorf("EC kept as a non-state party: %v; ROM left unresolved: %v", ec, rom)
	}
}

func TestResolveParty(t *testing.T) {
	for _, d := range []string{"1964-XX-16", "1981-09..1981-10", "2011-01-01~", "1998?", "2008-06"} {
		if err := concord.CheckDate(d); err != nil {
			t.Errorf("CheckDate(%q): %v", d, err)
		}
	}
	for _, d := range []string{"2010-XX-XX-", "0014-022005", "2001-02-30", "1981-10..1981-09", "31/12/2001"} {
		if err := concord.CheckDate(d); err == nil {
			t.Errorf("CheckDate(%q) accepted", d)
		}
	}
	for in, want := range map[string]concord.Party{
		"FRA":                           {State: "FRA"},
		"ROM":                           {State: "ROU"},
		"GDR":                           {State: "DDR"},
		"Kosovo":                        {State: "KOS"},
		"EC":                            {State: "EC", NonState: true}, // not Ecuador
		"IO-IAEA":                       {State: "IO-IAEA", NonState: true},
		"Bayern":                        {State: "Bayern", NonState: true},
		"PRU":                           {State: "PRU", NonState: true},
		"WHO World Health Organization": {State: "WHO World Health Organization", NonState: true},
	} {
		if got := ResolveParty(in); got != want {
			t.Errorf("ResolveParty(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func write(t *testing.T, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInput(t *testing.T) {
	const ggoHead = `"treatyID","Title","Begin","End","Signature","Force","Term","Grounds","TypeDomain","TypeAgree","TypeAmbit","TypeGeo","TypeSubject","Location"` + "\n"
	for _, c := range []struct{ name, content, want string }{
		{"a.csv", ggoHead + `"X_1","T","2001-01-01",,,,,,"Sport","Agreement",,,,` + "\n", "a.csv:2:29: TypeDomain: unknown field \"Sport\""},
		{"a.csv", ggoHead + `"X_1","T","2001-01-01",,,,,,"Trade","Pact",,,,` + "\n", "a.csv:2:37: TypeAgree: unknown instrument type \"Pact\""},
		{"a.csv", ggoHead + `"X_1","T","2001",,,,,,"Trade","Agreement",,,,` + "\n" + `"X_2","T2,"2001"` + "\n", "a.csv:3:"},
		{"p.csv", `"stateID","treatyID","Title"` + "\n" + `"FRA","X_1","T"` + "\n", "needs its agreements file"},
		{"x.csv", "a,b\n1,2\n", "x.csv:1: unknown file"},
		{"r.csv", strings.Join(CSVHeader, ",") + "\nA1,T,mou,trade,,2001,,,,signed,,,,XXX,,,,,\n", "r.csv:2:35: party: unknown state \"XXX\""},
		{"r.csv", strings.Join(CSVHeader, ",") + "\nA1,T,mou,trade,,2001,,,,signed,,,,FRA,,,,,\nA1,T2,mou,trade,,2001,,,,signed,,,,DEU,,,,,\n", "r.csv:3:1: id: agreement A1: this row's agreement columns differ"},
		{"r.json", `{"agreements": [{"id": "A", "title": "T", "kind": "mou", "status": "signed", "parties": [{"state": 5}]}]}`, "r.json:1:101: json: cannot unmarshal number"},
		{"r.json", `{"agreements": [{"id": "A", "title": "T", "kind": "pact", "status": "signed"}]}`, "unknown kind \"pact\""},
	} {
		_, _, err := Read(write(t, c.name, c.content))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: error %v, want one containing %q", c.name, c.content, err, c.want)
		}
	}
}

// TestRoundTrip writes the sample registry as CSV and JSON and reads it back unchanged.
func TestRoundTrip(t *testing.T) {
	as := storetest.SampleAgreements()
	for i := range as {
		as[i].Normalize()
	}
	cs := []concord.Commitment{{AgreementID: "KYOTO_1997P", Text: "Cut", Due: "2012-12-31", Status: concord.CommitmentDone, Progress: 100, Evidence: []string{"https://unfccc.int"}}}
	var cb, jb bytes.Buffer
	if err := WriteCSV(&cb, as); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jb, &Registry{Agreements: as, Commitments: cs}); err != nil {
		t.Fatal(err)
	}
	rc, _, err := Read(write(t, "r.csv", cb.String()))
	if err != nil {
		t.Fatal(err)
	}
	rj, st, err := Read(write(t, "r.json", jb.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rc.Agreements, as) {
		t.Errorf("CSV round trip:\n got %+v\nwant %+v", rc.Agreements, as)
	}
	if !reflect.DeepEqual(rj.Agreements, as) || !reflect.DeepEqual(rj.Commitments, cs) || st.Commitments != 1 {
		t.Errorf("JSON round trip:\n got %+v %+v\nwant %+v %+v", rj.Agreements, rj.Commitments, as, cs)
	}
}

func BenchmarkReadGGO(b *testing.B) {
	files := ggoFiles(b)
	for b.Loop() {
		if _, _, err := Read(files...); err != nil {
			b.Fatal(err)
		}
	}
}
