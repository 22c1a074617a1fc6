package main

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/report"
)

// eventsDB copies the imported vote record and codes two development articles
// into the copy: Iran and Cuba (December 2023), China and Honduras (March 2023).
func eventsDB(t *testing.T) string {
	t.Helper()
	src := importedReal(t)
	db := filepath.Join(t.TempDir(), "votes-events.db")
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
	dir := testdata.File(t, "events/articles")
	for _, f := range []string{"00-radiohc-iran-cuba.txt", "06-peoplesdaily-china-honduras-relations.txt"} {
		if _, _, err := run(t, "--db", db, "events", "code", filepath.Join(dir, f), "--store"); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// timelineTotal is the pair's score as `events timeline` reports it, over the given year (0: all).
func timelineTotal(t *testing.T, db, a, b string, year int) report.EventScore {
	t.Helper()
	args := []string{"--db", db, "--format", "json", "events", "timeline", a, b}
	out, _, err := run(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	var tl report.EventTimeline
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatal(err)
	}
	var s report.EventScore
	for _, m := range tl.Months {
		if year != 0 && !strings.HasPrefix(m.Month, itoa(year)) {
			continue
		}
		s.Events += m.Events
		s.Goldstein += m.Goldstein
	}
	return s
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// align --events puts the pair's event score beside each row, the same as the timeline's; without it the output is unchanged.
func TestAlignEvents(t *testing.T) {
	db := eventsDB(t)
	total := timelineTotal(t, db, "IRN", "CUB", 0)
	if total.Events == 0 || total.Goldstein <= 0 {
		t.Fatalf("the Radio Habana Cuba article gave no cooperative events: %+v", total)
	}
	out, _, err := run(t, "--db", db, "--format", "json", "align", "IRN", "CUB", "--events")
	if err != nil {
		t.Fatal(err)
	}
	var r report.Align
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Events) != 1 || r.Events[0].Period != "all" || r.Events[0].Events != total.Events || math.Abs(r.Events[0].Goldstein-total.Goldstein) > 1e-9 {
		t.Errorf("align --events: %+v, want the timeline's %d events, Goldstein %v", r.Events, total.Events, total.Goldstein)
	}
	// by year: the events fall in 2023 only
	out, _, err = run(t, "--db", db, "--format", "json", "align", "IRN", "CUB", "--by", "year", "--from", "2015", "--events")
	if err != nil {
		t.Fatal(err)
	}
	r = report.Align{}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Events) != len(r.Rows) || len(r.Rows) == 0 {
		t.Fatalf("%d scores for %d rows", len(r.Events), len(r.Rows))
	}
	for i, e := range r.Events {
		want := 0
		if r.Rows[i].Period == "2023" {
			want = total.Events
		}
		if e.Period != r.Rows[i].Period || e.Events != want {
			t.Errorf("row %s: score %+v, want %d events", r.Rows[i].Period, e, want)
		}
	}
	// the table shows the columns
	out, _, err = run(t, "--db", db, "align", "IRN", "CUB", "--events")
	if err != nil || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "goldstein") {
		t.Errorf("table: %v\n%s", err, out)
	}
	// without --events: no events key
	out, _, err = run(t, "--db", db, "--format", "json", "align", "IRN", "CUB")
	if err != nil || strings.Contains(out, `"events"`) {
		t.Errorf("align without --events: %v %s", err, out)
	}
}

// partners --events gives each partner its event score with A, the same as the pair's timeline.
func TestPartnersEvents(t *testing.T) {
	db := eventsDB(t)
	out, _, err := run(t, "--db", db, "--format", "json", "partners", "IRN", "--events")
	if err != nil {
		t.Fatal(err)
	}
	var r report.Partners
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Events) != len(r.Rows) || len(r.Rows) < 100 {
		t.Fatalf("%d scores for %d partners", len(r.Events), len(r.Rows))
	}
	withEvents := 0
	for i, e := range r.Events {
		if e.B != r.Rows[i].State || e.A != "IRN" {
			t.Errorf("score %d is of %s–%s, beside partner %s", i, e.A, e.B, r.Rows[i].State)
		}
		if e.Events == 0 && e.B != "CUB" {
			continue
		}
		withEvents++
		if want := timelineTotal(t, db, "IRN", e.B, 0); e.Events != want.Events || math.Abs(e.Goldstein-want.Goldstein) > 1e-9 {
			t.Errorf("partner %s: %+v, want the timeline's %d events, Goldstein %v", e.B, e, want.Events, want.Goldstein)
		}
	}
	if withEvents < 2 { // Cuba, and the United States Khamenei criticised
		t.Errorf("%d partners with events, want Cuba and the United States at least", withEvents)
	}
	out, _, err = run(t, "--db", db, "partners", "CHN", "--events", "--top", "5")
	if err != nil || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "events") {
		t.Errorf("table: %v\n%s", err, out)
	}
}
