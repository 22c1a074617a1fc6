package events

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord/internal/testdata"
)

func day(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }

func TestDateIn(t *testing.T) {
	ref := day("2024-01-31") // a Wednesday
	for _, c := range []struct {
		s, want string
		vague   bool
	}{
		{"On Monday, the United Kingdom announced sanctions.", "2024-01-29", false},
		{"The ministry yesterday summoned the ambassador.", "2024-01-30", false},
		{"He said on Wednesday that talks went well.", "2024-01-31", false},
		{"They met on December 4, 2023 in Tehran.", "2023-12-04", false},
		{"They met on December 28 in Tehran.", "2023-12-28", false}, // no year: the latest such day before ref
		{"They met on 5 January in Tehran.", "2024-01-05", false},
		{"Wagner spoke earlier this week.", "", true},
		{"He met Castro 22 years ago on a Monday.", "", true},
		{"Relations are good.", "", false},
	} {
		got, ok, vague := DateIn(c.s, ref)
		g := ""
		if ok {
			g = got.Format("2006-01-02")
		}
		if g != c.want || vague != c.vague {
			t.Errorf("DateIn(%q) = %q vague %v, want %q vague %v", c.s, g, vague, c.want, c.vague)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	text := "U.S. President George W. Bush met Mr. Putin. They talked!\nNew line here? \"Yes,\" he said."
	ss := SplitSentences(text)
	var got []string
	for _, s := range ss {
		got = append(got, s.Text)
		if text[s.Start:s.End] != s.Text {
			t.Errorf("offsets %d:%d do not give %q", s.Start, s.End, s.Text)
		}
	}
	want := []string{"U.S. President George W. Bush met Mr. Putin.", "They talked!", "New line here?", "\"Yes,\" he said."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences %q, want %q", got, want)
	}
}

// TestCodeOfficials: "Cuban President Miguel Díaz-Canel" is CUB, President, that name; a capital acting is its government.
func TestCodeOfficials(t *testing.T) {
	a := &Article{ID: "x", Published: day("2023-12-05"), Text: "TEHRAN, December 5 (RHC) -- Iranian President Ebrahim Raeisi received Cuban President Miguel Díaz-Canel in Tehran on Monday.\nHavana praised Tehran for its support."}
	evs := NewCoder().Code(a)
	var host, praise bool
	for _, e := range evs {
		if e.Code == "043" && e.Source.State == "IRN" && e.Source.Name == "Ebrahim Raeisi" && e.Source.Role == "President" &&
			e.Target.State == "CUB" && e.Target.Name == "Miguel Díaz-Canel" && e.Target.Role == "President" && e.Date == "2023-12-04" && e.Place == "Tehran, Iran" {
			host = true
			if e.QuadClass != 1 || e.Goldstein != 2.8 || e.Root != "04" {
				t.Errorf("host event quad %d Goldstein %v root %s, want 1, 2.8, 04", e.QuadClass, e.Goldstein, e.Root)
			}
			if got := a.Text[e.Evidence.Start:e.Evidence.End]; got != e.Evidence.Sentence {
				t.Errorf("evidence offsets give %q", got)
			}
		}
		if e.Root == "05" && e.Source.State == "CUB" && e.Target.State == "IRN" {
			praise = true
		}
	}
	if !host || !praise {
		t.Errorf("want IRN→CUB 043 on 2023-12-04 in Tehran and CUB→IRN praise, got %+v", evs)
	}
}

// TestLeaderDates: a leader maps to a state only while in office.
func TestLeaderDates(t *testing.T) {
	d := Builtin()
	if err := d.ReadLeaders(strings.NewReader("# leaders\nJohn Doe\tFRA\tPresident\t2020-01-01\t2020-12-31\n"), "leaders.tsv"); err != nil {
		t.Fatal(err)
	}
	c := &Coder{Dict: d, Codebook: DefaultCodebook()}
	code := func(pub string) int {
		a := &Article{Published: day(pub), Text: "John Doe criticised Germany on Monday."}
		n := 0
		for _, e := range c.Code(a) {
			if e.Source.State == "FRA" && e.Target.State == "DEU" && e.Code == "111" {
				n++
			}
		}
		return n
	}
	if code("2020-06-10") != 1 {
		t.Error("in office: want FRA→DEU 111")
	}
	if code("2021-06-10") != 0 {
		t.Error("out of office: the leader must not map to France")
	}
	for _, bad := range []string{"Jane\tXXQ\n", "Jane\tFRA\tPresident\t2020-13-01\n", "Jane\n", "Jane\tFRA\tPresident\t2021-01-01\t2020-01-01\n"} {
		err := d.ReadLeaders(strings.NewReader(bad), "bad.tsv")
		if err == nil || !strings.Contains(err.Error(), "bad.tsv:1") {
			t.Errorf("ReadLeaders(%q) = %v, want an error at bad.tsv:1", bad, err)
		}
	}
}

// TestCodebookMatchesGDELT: the built-in codebook is GDELT's, code for code.
func TestCodebookMatchesGDELT(t *testing.T) {
	cb, err := LoadCodebook(testdata.File(t, "events/gdelt/cameo_eventcodes_goldstein.csv"))
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultCodebook()
	if cb.Len() != 311 || def.Len() != 311 {
		t.Fatalf("codes: file %d, built-in %d, want 311", cb.Len(), def.Len())
	}
	for code, ci := range cb.codes {
		if b, _ := def.Lookup(code); b.Goldstein != ci.Goldstein || b.QuadClass() != QuadClass(code) {
			t.Errorf("%s: built-in %+v, file %+v", code, b, ci)
		}
	}
	for root := 1; root <= 20; root++ {
		r := []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"}[root-1]
		found := false
		for _, v := range builtinVerbs() {
			if v.Code[:2] == r {
				found = true
			}
		}
		if !found && r != "01" {
			t.Errorf("no built-in verb rule for CAMEO root %s", r)
		}
	}
	if _, err := ReadCodebook(strings.NewReader("cameo_code,goldstein\n043,abc\n"), "cb.csv"); err == nil || !strings.Contains(err.Error(), "cb.csv:2:2") {
		t.Errorf("bad weight: %v", err)
	}
}

// TestIranCubaSeed: the Radio Habana Cuba report must come out right: the Iranian leader hosts Cuba's president in Tehran on 4 December 2023.
func TestIranCubaSeed(t *testing.T) {
	f, err := os.Open(testdata.File(t, "events/articles/00-radiohc-iran-cuba.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := ReadArticle(f, "https://www.radiohc.cu/")
	if err != nil {
		t.Fatal(err)
	}
	var host, meet, visit bool
	for _, e := range NewCoder().Code(a) {
		if e.Date != "2023-12-04" || e.Place != "Tehran, Iran" {
			continue
		}
		switch {
		case e.Code == "043" && e.Source.State == "IRN" && e.Target.State == "CUB" && e.Target.Name == "Miguel Díaz-Canel":
			host = true
		case e.Root == "04" && e.Undirected() && e.Source.State == "IRN" && e.Target.State == "CUB":
			meet = true
		case e.Code == "042" && e.Source.State == "CUB" && e.Target.State == "IRN":
			visit = true
		}
	}
	if !host || !meet || !visit {
		t.Errorf("host %v meet %v visit %v: want all three on 2023-12-04 in Tehran", host, meet, visit)
	}
}

// TestPetrarchDictionaries loads the PETRARCH2 dictionaries and resolves a leader by its dates of office.
func TestPetrarchDictionaries(t *testing.T) {
	dir := testdata.File(t, "events/petrarch2")
	d := Builtin()
	if err := d.LoadPetrarchActors(filepath.Join(dir, "Phoenix.Countries.actors.txt.gz")); err != nil {
		t.Fatal(err)
	}
	if err := d.LoadPetrarchAgents(filepath.Join(dir, "Phoenix.agents.txt.gz")); err != nil {
		t.Fatal(err)
	}
	got := d.Lookup("Ayatollah Khamenei", day("2023-12-04"))
	if len(got) == 0 || got[0].State != "IRN" {
		t.Errorf("Ayatollah Khamenei in 2023: %+v, want IRN", got)
	}
	if got := d.Lookup("Ayatollah Khamenei", day("1980-01-01")); len(got) != 0 {
		for _, e := range got {
			if e.Code == "IRNGOV" {
				t.Errorf("Ayatollah Khamenei in 1980 (before office) resolved to %+v", e)
			}
		}
	}
	rules, err := func() ([]VerbRule, error) {
		f, err := openMaybeGzip(filepath.Join(dir, "CAMEO.2.0.txt.gz"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return ReadPetrarchVerbs(f, "CAMEO.2.0.txt.gz")
	}()
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 1000 {
		t.Errorf("%d verb rules from CAMEO.2.0, want over 1000", len(rules))
	}
}
