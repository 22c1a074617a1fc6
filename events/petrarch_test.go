package events

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord/internal/testdata"
)

// TestPetrarchUnitSentences codes PETRARCH2's unit-test sentences with the
// small PETR.Validate.* dictionaries (fictional states) and reports the share
// coded as expected: every expected (source, target, code) triple found and,
// for no-event sentences, nothing coded. Source and target compare as full
// CAMEO actor codes ("DAGGOV") and, more leniently, by their first three
// letters; codes compare in full and by root.
func TestPetrarchUnitSentences(t *testing.T) {
	dir := testdata.File(t, "events/petrarch2")
	d := NewDictionary()
	if err := d.LoadPetrarchActors(filepath.Join(dir, "PETR.Validate.actors.txt")); err != nil {
		t.Fatal(err)
	}
	if err := d.LoadPetrarchAgents(filepath.Join(dir, "PETR.Validate.agents.txt")); err != nil {
		t.Fatal(err)
	}
	if err := d.LoadPetrarchVerbs(filepath.Join(dir, "PETR.Validate.verbs.txt")); err != nil {
		t.Fatal(err)
	}
	c := &Coder{Dict: d, Codebook: DefaultCodebook()}
	f, err := os.Open(filepath.Join(dir, "petr_unittest_sentences.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var n, exact, lenient, noEvent, noEventOK int
	for _, r := range recs[1:] {
		n++
		pub, _ := time.Parse("20060102", r[1])
		evs := c.Code(&Article{Published: pub, Text: r[3]})
		if r[5] == "1" {
			noEvent++
			if len(evs) == 0 {
				noEventOK++
				exact++
				lenient++
			}
			continue
		}
		allExact, allLenient := true, true
		for _, want := range strings.Split(r[4], ";") {
			p := strings.Split(want, "|")
			if len(p) != 3 {
				continue
			}
			fe, fl := false, false
			for _, e := range evs {
				if e.Source.Code == p[0] && e.Target.Code == p[1] && e.Code == p[2] {
					fe = true
				}
				if len(p[0]) >= 3 && len(p[1]) >= 3 && len(p[2]) >= 2 && strings.HasPrefix(e.Source.Code, p[0][:3]) && strings.HasPrefix(e.Target.Code, p[1][:3]) && e.Root == p[2][:2] {
					fl = true
				}
			}
			allExact = allExact && fe
			allLenient = allLenient && fl
		}
		if allExact {
			exact++
		}
		if allLenient {
			lenient++
		}
	}
	t.Logf("PETRARCH2 unit-test sentences: %d; coded exactly as expected %d (%.1f%%); same states and root %d (%.1f%%); no-event sentences left uncoded %d of %d",
		n, exact, 100*float64(exact)/float64(n), lenient, 100*float64(lenient)/float64(n), noEventOK, noEvent)
	// floors: the share reached on 2026-11-29 (61 and 91 of 284). One sentence
	// (62 and 92 before) expects a militant group coded as an actor, which
	// concord leaves out by design (events between states and IGOs only).
	if exact < 61 || lenient < 91 {
		t.Errorf("coded as expected: %d exactly, %d leniently; the floors are 61 and 91", exact, lenient)
	}
}
