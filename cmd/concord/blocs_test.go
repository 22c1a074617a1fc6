package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestBlocsCommand2015to2019_USAAndCubaInDifferentBlocsSwedenCore(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "blocs", "--from", "2015", "--to", "2019", "--bootstrap", "5", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Windows []struct {
			From, To  int
			Stability *float64
			Blocs     []struct {
				ID, Name string
				Members  []struct {
					State string
					Core  bool
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(res.Windows) != 1 || res.Windows[0].From != 2015 || res.Windows[0].To != 2019 || res.Windows[0].Stability != nil {
		t.Fatalf("windows: %+v", res.Windows)
	}
	where := map[string]string{}
	core := map[string]bool{}
	for _, b := range res.Windows[0].Blocs {
		for _, m := range b.Members {
			where[m.State] = b.ID
			core[m.State] = m.Core
		}
	}
	if where["USA"] == "" || where["USA"] == where["CUB"] || where["USA"] != where["GBR"] {
		t.Errorf("USA in %q, GBR in %q, CUB in %q", where["USA"], where["GBR"], where["CUB"])
	}
	if !core["SWE"] {
		t.Error("Sweden is not a core member")
	}
}

func TestBlocsCommandSlidingWindowsTable(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "blocs", "--from", "2000", "--to", "2009", "--window", "5", "--step", "5", "--bootstrap", "0")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "from") || !strings.Contains(lines[0], "swing") {
		t.Errorf("header %q", lines[0])
	}
	var starts []string
	for _, l := range lines[1:] {
		if f := strings.Fields(l); !slices.Contains(starts, f[0]) {
			starts = append(starts, f[0])
		}
	}
	if !slices.Equal(starts, []string{"2000", "2005"}) {
		t.Errorf("window starts %v, want 2000 and 2005\n%s", starts, out)
	}
}

func TestBlocsAndCoalitionCommandsRejectBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"blocs", "--resolution", "-1"}, "--resolution"},
		{[]string{"blocs", "--window", "-2"}, "--window"},
		{[]string{"blocs", "--core", "1.5"}, "--core"},
		{[]string{"blocs", "--metric", "nope"}, "--metric"},
		{[]string{"blocs", "--from", "2010", "--to", "2000"}, "--from"},
		{[]string{"coalition", "FRA", "--rule", "unanimity"}, "--rule"},
		{[]string{"coalition", "FRA", "--rank-by", "ideal"}, "--ideal"},
		{[]string{"coalition", "Atlantis"}, "Atlantis"},
		{[]string{"coalition", "FRA", "DEU", "ITA", "--build", "2"}, "--build"},
		{[]string{"coalition"}, "arg"},
	} {
		_, _, err := run(t, append([]string{"--db", t.TempDir() + "/x.db"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one naming %s", tc.args, err, tc.want)
		}
	}
}

func TestCoalitionCommand2005to2019_NordicSeedsDrawEuropeansAndBuildReportsEachStep(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "coalition", "Sweden", "NOR", "--from", "2005", "--to", "2019", "--top", "5", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Seeds        []string
		Cohesion     float64
		Decisiveness struct {
			RollCalls int `json:"roll_calls"`
			Judged    int
			Unjudged  []struct {
				RCID   int
				Reason string
			}
		}
		Candidates []struct {
			State     string
			Alignment float64
			Cohesion  float64
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !slices.Equal(res.Seeds, []string{"SWE", "NOR"}) || len(res.Candidates) != 5 || res.Cohesion < 0.9 {
		t.Fatalf("seeds %v, %d candidates, cohesion %v", res.Seeds, len(res.Candidates), res.Cohesion)
	}
	for _, c := range res.Candidates {
		if !slices.Contains([]string{"DNK", "FIN", "ISL", "NLD", "DEU", "BEL", "LUX", "AUT", "IRL", "EST", "LVA", "LTU", "SVN", "LIE", "MCO", "AND", "SMR", "CZE", "SVK", "PRT", "ESP", "ITA", "FRA", "GBR", "CHE", "HRV", "BGR", "ROU", "POL", "HUN", "GRC", "CYP", "MLT"}, c.State) {
			t.Errorf("candidate %s (%.3f) is not European", c.State, c.Alignment)
		}
	}
	d := res.Decisiveness
	if d.RollCalls == 0 || d.Judged+len(d.Unjudged) != d.RollCalls {
		t.Errorf("decisiveness: %d judged + %d unjudged of %d", d.Judged, len(d.Unjudged), d.RollCalls)
	}

	out, _, err = run(t, "--db", db, "coalition", "SWE", "NOR", "--from", "2005", "--to", "2019", "--build", "4", "--rule", "two-thirds", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Steps []struct {
			Step         int
			Added        string
			Members      []string
			Decisiveness struct{ Rule string }
		}
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(b.Steps) != 3 || b.Steps[0].Added != "" || len(b.Steps[2].Members) != 4 || b.Steps[2].Decisiveness.Rule != "two-thirds" {
		t.Errorf("build steps: %+v", b.Steps)
	}
	out, _, err = run(t, "--db", db, "coalition", "SWE", "NOR", "--from", "2005", "--build", "3")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[0], "prevailed") {
		t.Errorf("build table:\n%s", out)
	}
}

func TestCoalitionCommandWithIdealPointsRanksByDistance(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "coalition", "NOR", "SWE", "--from", "2018", "--to", "2019", "--ideal", "--rank-by", "ideal", "--top", "10", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Candidates []struct {
			State         string
			IdealDistance *float64 `json:"ideal_distance"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(res.Candidates) != 10 {
		t.Fatalf("%d candidates", len(res.Candidates))
	}
	prev := -1.0
	for _, c := range res.Candidates {
		if c.IdealDistance == nil || *c.IdealDistance < prev {
			t.Fatalf("%s: ideal distance %v after %v; want present and ascending", c.State, c.IdealDistance, prev)
		}
		prev = *c.IdealDistance
	}
	if prev > 0.5 {
		t.Errorf("the tenth nearest state is %.2f sd from Norway and Sweden", prev)
	}
}

// TestBlocsCommand2015to2019_KappaByDefaultPutsRussiaApartFromTheUSA checks
// the default metric: kappa, under which Russia sits apart from the USA, the
// EU and Japan in 2015–2019 (raw agreement put it with them); --metric agree
// stays available.
func TestBlocsCommand2015to2019_KappaByDefaultPutsRussiaApartFromTheUSA(t *testing.T) {
	db := importedReal(t)
	for _, tc := range []struct {
		args   []string
		metric string
	}{{nil, "kappa"}, {[]string{"--metric", "agree"}, "agree"}} {
		out, _, err := run(t, append([]string{"--db", db, "blocs", "--from", "2015", "--to", "2019", "--bootstrap", "0", "--format", "json"}, tc.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Metric  string
			Windows []struct {
				Blocs []struct {
					ID      string
					Members []struct{ State string }
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Windows) != 1 {
			t.Fatalf("%v\n%s", err, out)
		}
		if res.Metric != tc.metric {
			t.Errorf("%v: metric %q, want %q", tc.args, res.Metric, tc.metric)
		}
		if tc.metric != "kappa" {
			continue
		}
		where := map[string]string{}
		for _, b := range res.Windows[0].Blocs {
			for _, m := range b.Members {
				where[m.State] = b.ID
			}
		}
		if w := where["USA"]; w == "" || where["RUS"] == w || where["CHN"] != where["RUS"] || where["FRA"] != w || where["JPN"] != w {
			t.Errorf("USA in %q, FRA %q, JPN %q; RUS in %q, CHN %q: want RUS with China apart from the USA, France and Japan",
				w, where["FRA"], where["JPN"], where["RUS"], where["CHN"])
		}
	}
	out, _, err := run(t, "blocs", "--help")
	i := strings.Index(out, "--metric string")
	if err != nil || i < 0 || !strings.HasSuffix(strings.SplitN(out[i:], "\n", 2)[0], `(default "kappa")`) {
		t.Errorf("help does not give kappa as --metric's default: %v\n%s", err, out)
	}
}

// TestBlocsCommand2010to2012_KiribatiIsUnalignedNotABlocOfOne checks that a
// state with kappa ≤ 0 with everyone (Kiribati, which attends rarely and
// votes the same way when it does) is listed as unaligned, in the CSV's last
// column and in the JSON, and not as a bloc of one.
func TestBlocsCommand2010to2012_KiribatiIsUnalignedNotABlocOfOne(t *testing.T) {
	db := importedReal(t)
	out, _, err := run(t, "--db", db, "blocs", "--from", "2010", "--to", "2012", "--window", "1", "--bootstrap", "0", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	head := strings.Split(lines[0], ",")
	if head[len(head)-1] != "unaligned" {
		t.Fatalf("CSV header %q, want unaligned last", lines[0])
	}
	years := map[string]bool{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != len(head) {
			t.Fatalf("CSV row %q: %d fields, header has %d", l, len(f), len(head))
		}
		years[f[0]] = true
		if !slices.Contains(strings.Fields(f[len(f)-1]), "KIR") {
			t.Errorf("%s bloc %s: unaligned %q lacks KIR", f[0], f[2], f[len(f)-1])
		}
		if f[4] == "1" || slices.Contains(strings.Fields(f[7]+" "+f[8]), "KIR") {
			t.Errorf("%s: bloc %s %s of %s states, core %q swing %q: KIR or a bloc of one", f[0], f[2], f[3], f[4], f[7], f[8])
		}
	}
	if len(years) != 3 {
		t.Errorf("years %v, want 2010, 2011 and 2012", years)
	}
	out, _, err = run(t, "--db", db, "blocs", "--from", "2011", "--to", "2011", "--bootstrap", "0", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Windows []struct {
			States    int
			Blocs     []struct{ Members []struct{ State string } }
			Unaligned []string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Windows) != 1 {
		t.Fatalf("%v\n%.300s", err, out)
	}
	w := res.Windows[0]
	placed := 0
	for _, b := range w.Blocs {
		placed += len(b.Members)
	}
	if !slices.Equal(w.Unaligned, []string{"KIR"}) || placed+len(w.Unaligned) != w.States {
		t.Errorf("2011: unaligned %v, %d in blocs of %d states; want [KIR] and every other state in a bloc", w.Unaligned, placed, w.States)
	}
}
