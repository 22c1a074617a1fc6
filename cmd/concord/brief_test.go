package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/brief"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/internal/tradegen"
	"github.com/concord-project/concord/report"
)

// briefDB is a database holding every source, filled by concord's own
// commands: the UN votes (a copy of the package's imported record), the GGO
// agreements with commitments added under one Iran–Cuba agreement, the
// events coded from the development articles, the SITC exports table and a
// generated bilateral year of trade. It lives beside the imported record
// (removed by TestMain), or at $CONCORD_BRIEF_DB when set, for a person to
// serve and look at.
var briefDBOnce struct {
	once sync.Once
	path string
	err  error
}

func briefDB(t *testing.T) string {
	t.Helper()
	votes := importedReal(t)
	data := testdata.Dir(t)
	briefDBOnce.once.Do(func() { briefDBOnce.path, briefDBOnce.err = fillBriefDB(votes, data) })
	if briefDBOnce.err != nil {
		t.Fatal(briefDBOnce.err)
	}
	return briefDBOnce.path
}

// runOK runs concord and returns its output, or an error naming the command.
func runOK(args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := newRootCmd(&out, &errb)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		return "", fmt.Errorf("concord %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

func fillBriefDB(votes, data string) (string, error) {
	db := filepath.Join(filepath.Dir(votes), "brief.db")
	if p := os.Getenv("CONCORD_BRIEF_DB"); p != "" {
		db = p
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(db + suffix)
	}
	src, err := os.Open(votes)
	if err != nil {
		return "", err
	}
	dst, err := os.Create(db)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(dst, src)
	src.Close()
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if _, err := runOK("--db", db, "agreements", "import", filepath.Join(data, "agreements", "ggo_agreements.csv.gz"), filepath.Join(data, "agreements", "ggo_parties.csv.gz")); err != nil {
		return "", err
	}
	out, err := runOK("--db", db, "agreements", "list", "--party", "IRN", "--party", "CUB", "--format", "json")
	if err != nil {
		return "", err
	}
	var shared []concord.Agreement
	if err := json.Unmarshal([]byte(out), &shared); err != nil || len(shared) == 0 {
		return "", fmt.Errorf("no shared agreement of Iran and Cuba (%v)", err)
	}
	a := shared[0]
	for _, x := range shared {
		if x.NParties <= a.NParties {
			a = x
		}
	}
	for _, c := range [][]string{
		{"--text", "exchange of information", "--due", "2020-01-31", "--status", "done", "--progress", "100"},
		{"--text", "joint report", "--due", "2024-12-31", "--status", "in-progress", "--progress", "40", "--responsible", "IRN"},
		{"--text", "ratification of the annex", "--due", "2099-01-01", "--responsible", "CUB"},
		{"--text", "dropped plan", "--status", "cancelled"},
	} {
		if _, err := runOK(append([]string{"--db", db, "commitments", "add", "--agreement", a.ID}, c...)...); err != nil {
			return "", err
		}
	}
	var gold map[string]struct {
		URL       string `json:"source_url"`
		Published string `json:"published"`
	}
	raw, err := os.ReadFile(filepath.Join(data, "events", "articles", "gold.json"))
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		return "", err
	}
	names := make([]string, 0, len(gold))
	for n := range gold {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		g := gold[n]
		if _, err := runOK("--db", db, "events", "code", filepath.Join(data, "events", "articles", n), "--url", g.URL, "--published", g.Published, "--store"); err != nil {
			return "", err
		}
	}
	gen := filepath.Join(filepath.Dir(votes), "BACI_HS17_Y2021_V000000.csv")
	f, err := os.Create(gen)
	if err != nil {
		return "", err
	}
	if _, err := tradegen.WriteBACI(f, 7, 2021, 1000, 600, 250000); err != nil {
		return "", err
	}
	f.Close()
	defer os.Remove(gen)
	if _, err := runOK("--db", db, "trade", "import", filepath.Join(data, "trade", "sitc2_4digit_exports_avg_1998_2000.csv.gz"), gen); err != nil {
		return "", err
	}
	return db, nil
}

// jsonOf runs concord with --format json and decodes its output into v.
func jsonOf(t *testing.T, v any, args ...string) {
	t.Helper()
	out := mustRun(t, append(args, "--format", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("concord %s: %v\n%.300s", strings.Join(args, " "), err, out)
	}
}

// sameJSON compares two values as JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s: the brief says\n %.300s\nthe command says\n %.300s", what, g, w)
	}
}

// TestBriefMatchesTheCommands builds briefs with `concord brief --format json`
// and checks every section against the command that computes it.
func TestBriefMatchesTheCommands(t *testing.T) {
	db := briefDB(t)
	for _, states := range [][]string{{"IRN", "CUB"}, {"USA", "ISR"}, {"CHN", "USA"}, {"RUS", "FIN", "SWE"}} {
		var b brief.Brief
		var raw struct {
			Coalition struct{ Partners []any }
		}
		jsonOf(t, &b, append([]string{"--db", db, "brief"}, states...)...)
		jsonOf(t, &raw, append([]string{"--db", db, "brief"}, states...)...)
		al := b.Alignment
		from, to := fmt.Sprint(al.From), fmt.Sprint(al.To)
		for _, p := range al.Pairs {
			var all, years report.Align
			jsonOf(t, &all, "--db", db, "align", p.A, p.B, "--from", from, "--to", to)
			sameJSON(t, p.A+"-"+p.B+" alignment", p.Overall, all.Rows[0])
			jsonOf(t, &years, "--db", db, "align", p.A, p.B, "--from", from, "--to", to, "--by", "year")
			sameJSON(t, p.A+"-"+p.B+" alignment per year", p.Years, years.Rows)
			var onMe report.Align
			jsonOf(t, &onMe, "--db", db, "align", p.A, p.B, "--from", from, "--to", to, "--issue", "me")
			sameJSON(t, p.A+"-"+p.B+" alignment on the Middle East", p.Issues[0].Row, onMe.Rows[0])
		}
		// Positions: `concord ideal --by year` and `concord blocs --window 1 --bootstrap 0`.
		var points []struct {
			Country string  `json:"country"`
			Year    int     `json:"year"`
			Ideal   float64 `json:"ideal"`
		}
		jsonOf(t, &points, "--db", db, "ideal", "--by", "year", "--from", from, "--to", to, "--states", strings.Join(states, ","))
		k := 0
		for _, tr := range b.Positions.Trajectories {
			for _, p := range tr.Points {
				q := points[k]
				if q.Country != tr.State || q.Year != p.Year || math.Abs(q.Ideal-p.Ideal) > 1e-6 {
					t.Fatalf("%s %d: ideal %v in the brief, %+v from concord ideal", tr.State, p.Year, p.Ideal, q)
				}
				k++
			}
		}
		if k != len(points) || k == 0 {
			t.Errorf("%v: %d ideal points in the brief, concord ideal gives %d", states, k, len(points))
		}
		var bl blocs.Result
		jsonOf(t, &bl, "--db", db, "blocs", "--window", "1", "--bootstrap", "0", "--from", from, "--to", to)
		for i, w := range bl.Windows {
			in := map[string]string{}
			for _, x := range w.Blocs {
				for _, m := range x.Members {
					in[m.State] = x.Name
				}
			}
			for _, s := range states {
				if got := b.Positions.Blocs.Years[i].Of(s); got != in[s] {
					t.Errorf("%v %d: %s in bloc %q, concord blocs says %q", states, w.From, s, got, in[s])
				}
			}
		}
		// Agreements: `concord agreements list`, `rates`, `commitments overdue`.
		partyArgs := []string{}
		for _, s := range states {
			partyArgs = append(partyArgs, "--party", s)
		}
		var as []concord.Agreement
		jsonOf(t, &as, append([]string{"--db", db, "agreements", "list"}, partyArgs...)...)
		if b.Agreements.Total != len(as) || b.Agreements.Total == 0 {
			t.Errorf("%v: %d agreements, concord agreements list gives %d", states, b.Agreements.Total, len(as))
		}
		var rates []concord.Rate
		jsonOf(t, &rates, append([]string{"--db", db, "agreements", "rates", "--by", "field"}, partyArgs...)...)
		sameJSON(t, strings.Join(states, "-")+" rates", b.Agreements.Rates, rates)
		var od struct {
			Commitments []concord.Commitment `json:"commitments"`
		}
		jsonOf(t, &od, append([]string{"--db", db, "commitments", "overdue"}, partyArgs...)...)
		if len(b.Agreements.Overdue) != len(od.Commitments) {
			t.Errorf("%v: %d overdue, concord commitments overdue gives %d", states, len(b.Agreements.Overdue), len(od.Commitments))
		}
		// Events: `concord events list` and `concord events timeline`, pair by pair.
		total, months := 0, map[string]int{}
		for _, p := range al.Pairs {
			var evs []concord.StoredEvent
			jsonOf(t, &evs, "--db", db, "events", "list", p.A, p.B)
			total += len(evs)
			var tl struct {
				Months []concord.MonthScore `json:"months"`
			}
			jsonOf(t, &tl, "--db", db, "events", "timeline", p.A, p.B)
			for _, m := range tl.Months {
				months[m.Month] += m.Events
			}
		}
		if b.Events.Total != total || len(b.Events.Months) != len(months) {
			t.Errorf("%v: %d events in %d months, the commands give %d in %d", states, b.Events.Total, len(b.Events.Months), total, len(months))
		}
		for _, m := range b.Events.Months {
			if months[m.Month] != m.Events {
				t.Errorf("%v %s: %d events, concord events timeline gives %d", states, m.Month, m.Events, months[m.Month])
			}
		}
		// Economy: `concord trade complement`.
		for _, p := range b.Economy.Pairs {
			var tc report.TradeComplement
			jsonOf(t, &tc, "--db", db, "trade", "complement", p.A, p.B, "--by", "section", "--top", fmt.Sprint(brief.MaxFields))
			if tc.Year != b.Economy.Year || tc.Classification != b.Economy.Classification {
				t.Fatalf("%s-%s: brief on %s %d, concord trade on %s %d", p.A, p.B, b.Economy.Classification, b.Economy.Year, tc.Classification, tc.Year)
			}
			if float64(p.TCAB) != tc.Pair.TCAB || float64(p.TCBA) != tc.Pair.TCBA || float64(p.Sim) != tc.Pair.Similarity || float64(p.ExpAB) != tc.Pair.ExportsAB {
				t.Errorf("%s-%s: brief %+v, concord trade complement %+v", p.A, p.B, p, tc.Pair)
			}
			sameJSON(t, p.A+"-"+p.B+" fields", p.FieldsAB, tc.AToB.Sections)
			sameJSON(t, p.B+"-"+p.A+" fields", p.FieldsBA, tc.BToA.Sections)
		}
		// Coalition: `concord coalition`.
		if len(states) > 2 {
			var co struct {
				Cohesion     float64
				Decisiveness struct{ Changed, Judged, Prevailed int }
				Candidates   []any
			}
			jsonOf(t, &co, append(append([]string{"--db", db, "coalition"}, states...), "--from", from, "--to", to, "--top", "0")...)
			c := b.Coalition
			if math.Abs(float64(c.Cohesion)-co.Cohesion) > 1e-12 || c.Decisiveness.Changed != co.Decisiveness.Changed || c.Decisiveness.Judged != co.Decisiveness.Judged ||
				c.Decisiveness.Prevailed != co.Decisiveness.Prevailed || c.Decisiveness.Judged == 0 {
				t.Errorf("%v: cohesion %v, decisiveness %+v; concord coalition %v, %+v", states, c.Cohesion, c.Decisiveness, co.Cohesion, co.Decisiveness)
			}
			// The command's candidates, less the states that no longer exist, first ten.
			var live []any
			for _, x := range co.Candidates {
				if st, _ := countries.ByCode(x.(map[string]any)["state"].(string)); !st.Historical && len(live) < brief.MaxPartners {
					live = append(live, x)
				}
			}
			sameJSON(t, "partners", raw.Coalition.Partners, live)
		} else if b.Coalition.Missing == "" {
			t.Errorf("%v: a pair's coalition section does not say why it is empty", states)
		}
	}
}

func TestBriefFormatsAndErrors(t *testing.T) {
	db := briefDB(t)
	dir := filepath.Join("..", "..", "testout", "brief")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	md := mustRun(t, "--db", db, "brief", "Iran", "Cuba")
	for _, want := range []string{"# Iran and Cuba: relationship brief", "## Alignment", "## Coalition", "> **Missing:** A coalition"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, c := range []struct{ format, states, magic string }{
		{"html", "IRN CUB", "<!DOCTYPE html>"}, {"pdf", "IRN CUB", "%PDF-"}, {"html", "USA ISR", "<!DOCTYPE html>"}, {"pdf", "USA ISR", "%PDF-"},
	} {
		file := filepath.Join(dir, "cli-"+strings.ToLower(strings.ReplaceAll(c.states, " ", "-"))+"."+c.format)
		_, stderr, err := run(t, append(append([]string{"--db", db, "brief"}, strings.Fields(c.states)...), "--format", c.format, "-o", file)...)
		if err != nil || !strings.Contains(stderr, "wrote "+file) {
			t.Fatalf("%s %s: %v %s", c.states, c.format, err, stderr)
		}
		b, _ := os.ReadFile(file)
		if !bytes.HasPrefix(b, []byte(c.magic)) {
			t.Errorf("%s is not %s", file, c.format)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"brief", "IRN"}, "requires at least 2 arg"},
		{[]string{"brief", "IRN", "Atlantis"}, "Atlantis"},
		{[]string{"brief", "IRN", "CUB", "--format", "docx"}, `--format: unknown format "docx"`},
		{[]string{"brief", "IRN", "CUB", "--format", "pdf"}, "-o FILE.pdf"},
		{[]string{"brief", "IRN", "CUB", "--from", "2010", "--to", "2000"}, "from 2010, to 2000"},
		{[]string{"brief", "IRN", "CUB", "IRN"}, "IRN is named twice"},
	} {
		_, _, err := run(t, append([]string{"--db", db}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("concord %s: %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
	// The trade store holds the exports-only SITC year too; asked for 2000, the brief reads it and says TC needs imports.
	var b brief.Brief
	jsonOf(t, &b, "--db", db, "brief", "IRN", "CUB", "--to", "2000")
	if b.Economy.Classification != "SITC2" || b.Economy.Bilateral || !strings.Contains(strings.Join(b.Economy.Notes, " "), "exports only") {
		t.Errorf("economy up to 2000: %+v", b.Economy.Section)
	}
}
