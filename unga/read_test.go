package unga

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

// gz compresses s.
func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// write puts content into dir/name and returns the path.
func write(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// col is the 1-based byte column where field i of a CSV line without quotes starts.
func col(line string, i int) int {
	c := 1
	for k := 0; k < i; k++ {
		c += strings.IndexByte(line[c-1:], ',') + 1
	}
	return c
}

// voteOf finds the vote of state on rcid in ds.
func voteOf(ds *concord.Dataset, rcid int, state string) (concord.VoteRecord, bool) {
	for _, v := range ds.Votes {
		if v.RCID == rcid && v.State == state {
			return v, true
		}
	}
	return concord.VoteRecord{}, false
}

func rollCall(ds *concord.Dataset, rcid int) (concord.RollCall, bool) {
	for _, rc := range ds.RollCalls {
		if rc.RCID == rcid {
			return rc, true
		}
	}
	return concord.RollCall{}, false
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	fixtureVotes = `rcid,country,country_code,vote
3,United States,US,yes
3,Canada,CA,no
3,Federal Republic of Germany,,abstain
1500,Federal Republic of Germany,,no
1500,German Democratic Republic,DD,yes
2000,Federal Republic of Germany,,yes
2000,Namibia,NA,abstain
2000,Yemen Arab Republic,,no
2000,Zanzibar,,yes
`
	fixtureRollCalls = `rcid,session,importantvote,date,unres,amend,para,short,descr
3,1,0,1946-01-01,R/1/66,1,0,"AMENDMENTS, RULES OF PROCEDURE","TO ADOPT A CUBAN AMENDMENT, ""SAID"" \MEMBERS\\"
1500,44,,1989-12-06,R/44/1,,,,Something
2000,45,1,1990-12-03,A/RES/45/2,,,  Trailing space  ,
`
	fixtureIssues = `rcid,short_name,issue
3,co,Colonialism
3,hr,Human rights
2000,me,Palestinian conflict
2000,me,Palestinian conflict
`
)

func TestReadThreeTableRelease(t *testing.T) {
	dir := t.TempDir()
	ds, err := ReadFiles(context.Background(),
		write(t, dir, "votes.csv.gz", gz(fixtureVotes)),
		write(t, dir, "roll_calls.csv", []byte(fixtureRollCalls)),
		write(t, dir, "issues.csv", []byte(fixtureIssues)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.RollCalls) != 3 || len(ds.Votes) != 9 {
		t.Fatalf("%d roll calls, %d votes; want 3 and 9", len(ds.RollCalls), len(ds.Votes))
	}
	rc, _ := rollCall(ds, 3)
	want := concord.RollCall{RCID: 3, Session: 1, Date: day("1946-01-01"), Resolution: "R/1/66", Important: concord.FlagFalse,
		Amend: concord.FlagTrue, Para: concord.FlagFalse, Short: "AMENDMENTS, RULES OF PROCEDURE",
		Descr: `TO ADOPT A CUBAN AMENDMENT, "SAID" \MEMBERS\\`, Issues: []concord.Issue{concord.IssueHumanRights, concord.IssueColonialism}}
	if fmt.Sprint(rc) != fmt.Sprint(want) {
		t.Errorf("roll call 3 =\n%+v\nwant\n%+v", rc, want)
	}
	rc, _ = rollCall(ds, 1500)
	if rc.Important != concord.FlagUnknown || rc.Amend != concord.FlagUnknown || rc.Issues != nil {
		t.Errorf("roll call 1500: empty flags must stay unknown and untagged: %+v", rc)
	}
	rc, _ = rollCall(ds, 2000)
	if rc.Short != "Trailing space" || rc.Important != concord.FlagTrue || len(rc.Issues) != 1 || rc.Issues[0] != concord.IssueMiddleEast {
		t.Errorf("roll call 2000: %+v", rc)
	}
	if p := ds.RollCallPos[2000]; filepath.Base(p.File) != "roll_calls.csv" || p.Line != 4 || p.Column != 1 {
		t.Errorf("RollCallPos[2000] = %v, want roll_calls.csv:4:1", p)
	}
	for _, c := range []struct {
		rcid  int
		state string
		vote  concord.Vote
	}{
		{3, "USA", concord.Yes}, {3, "CAN", concord.No},
		{3, "GFR", concord.Abstain},    // before reunification: the Federal Republic
		{1500, "GFR", concord.No},      // 1989: still the Federal Republic
		{1500, "DDR", concord.Yes},     // former ISO code DD
		{2000, "DEU", concord.Yes},     // session 45, dated after 3 October 1990: Germany
		{2000, "NAM", concord.Abstain}, // ISO code "NA" is Namibia, not missing
		{2000, "YAR", concord.No},      // empty code: by name
		{2000, "ZAN", concord.Yes},
	} {
		v, ok := voteOf(ds, c.rcid, c.state)
		if !ok || v.Vote != c.vote {
			t.Errorf("vote of %s on %d = %v (found %v), want %v", c.state, c.rcid, v.Vote, ok, c.vote)
		}
	}
	v, _ := voteOf(ds, 2000, "NAM")
	if filepath.Base(v.Pos.File) != "votes.csv.gz" || v.Pos.Line != 8 || v.Pos.Column != col("2000,Namibia,NA,abstain", 3) {
		t.Errorf("Namibia's vote read at %v, want votes.csv.gz:8:%d", v.Pos, col("2000,Namibia,NA,abstain", 3))
	}
	for i := 1; i < len(ds.Votes); i++ {
		a, b := ds.Votes[i-1], ds.Votes[i]
		if a.RCID > b.RCID || a.RCID == b.RCID && a.State >= b.State {
			t.Fatalf("votes not sorted by rcid then state at %d: %v, %v", i, a, b)
		}
	}
	if len(ds.Warnings) != 0 {
		t.Errorf("warnings %q, want none", ds.Warnings)
	}
}

const (
	fixtureComplete = `rcid,session,vote,ccode,member,importantvote,date,unres,me,nu,di,hr,co,ec,year
10,30,1,2,1,1,1975-11-10,R/30/1,1,0,0,0,0,0,1975
10,30,8,20,1,1,1975-11-10,R/30/1,1,0,0,0,0,0,1975
10,30,9,31,,1,1975-11-10,R/30/1,1,0,0,0,0,0,1975
11,59,3,20,1,,,,,,,,,,2004
11,59,2,255,1,,,,,,,,,,2004
12,45,1,2,1,0,11/3/1990,R/45/7,0,0,1,0,0,0,1990
`
	mergeRollCalls = `rcid,session,importantvote,date,unres,amend,para,short,descr
10,30,,1975-11-10,R/30/1,0,0,SHORT,Long
11,60,0,2006-05-08,R/60/260,,,,
12,45,0,1990-11-05,R/45/7,,,,
`
	mergeVotes = `rcid,country,country_code,vote
10,United States,US,yes
11,Canada,CA,no
12,United States,US,yes
`
	mergeIssues = `rcid,short_name,issue
10,hr,Human rights
12,di,Arms control and disarmament
`
)

func TestReadCompleteVotes(t *testing.T) {
	ds, err := Read(strings.NewReader(fixtureComplete), "complete.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.RollCalls) != 3 || len(ds.Votes) != 6 {
		t.Fatalf("%d roll calls, %d votes; want 3 and 6", len(ds.RollCalls), len(ds.Votes))
	}
	for _, c := range []struct {
		rcid  int
		state string
		vote  concord.Vote
	}{
		{10, "USA", concord.Yes}, {10, "CAN", concord.Absent}, {10, "BHS", concord.NonMember},
		{11, "CAN", concord.No}, {11, "DEU", concord.Abstain}, {12, "USA", concord.Yes},
	} {
		if v, ok := voteOf(ds, c.rcid, c.state); !ok || v.Vote != c.vote {
			t.Errorf("vote of %s on %d = %v (found %v), want %v", c.state, c.rcid, v.Vote, ok, c.vote)
		}
	}
	rc, _ := rollCall(ds, 10)
	if rc.Session != 30 || !rc.Date.Equal(day("1975-11-10")) || rc.Resolution != "R/30/1" || rc.Important != concord.FlagTrue ||
		rc.Amend != concord.FlagUnknown || len(rc.Issues) != 1 || rc.Issues[0] != concord.IssueMiddleEast {
		t.Errorf("roll call 10: %+v", rc)
	}
	rc, _ = rollCall(ds, 11)
	if rc.Session != 59 || !rc.Date.IsZero() || rc.Important != concord.FlagUnknown || rc.Issues != nil {
		t.Errorf("roll call 11 (no date, no flags): %+v", rc)
	}
	rc, _ = rollCall(ds, 12)
	if !rc.Date.Equal(day("1990-11-03")) || rc.Year() != 1990 {
		t.Errorf("roll call 12: date %v from m/d/yyyy, want 1990-11-03", rc.Date)
	}
}

func TestReadMergesReleases(t *testing.T) {
	dir := t.TempDir()
	ds, err := ReadFiles(context.Background(),
		write(t, dir, "votes.csv", []byte(mergeVotes)),
		write(t, dir, "roll_calls.csv", []byte(mergeRollCalls)),
		write(t, dir, "issues.csv", []byte(mergeIssues)),
		write(t, dir, "complete.csv.gz", gz(fixtureComplete)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.RollCalls) != 3 {
		t.Fatalf("%d roll calls, want one per rcid (3)", len(ds.RollCalls))
	}
	// The votes both files hold collapse: 3 from votes.csv, 6 from the complete file, 3 shared.
	if len(ds.Votes) != 6 {
		t.Errorf("%d votes, want 6", len(ds.Votes))
	}
	if v, _ := voteOf(ds, 10, "USA"); filepath.Base(v.Pos.File) != "votes.csv" {
		t.Errorf("a collapsed duplicate keeps the position read first; got %v", v.Pos)
	}
	rc, _ := rollCall(ds, 10)
	if rc.Important != concord.FlagTrue || rc.Short != "SHORT" || fmt.Sprint(rc.Issues) != "[me hr]" {
		t.Errorf("roll call 10 merged: important %v (want filled from the complete file), short %q, issues %v (want [me hr])",
			rc.Important, rc.Short, rc.Issues)
	}
	rc, _ = rollCall(ds, 11)
	if rc.Session != 60 || !rc.Date.Equal(day("2006-05-08")) || rc.Resolution != "R/60/260" {
		t.Errorf("roll call 11 keeps the first file's fields: %+v", rc)
	}
	if len(ds.Warnings) != 2 {
		t.Fatalf("warnings %q, want 2 (session of 11, date of 12)", ds.Warnings)
	}
	w := ds.Warnings[0] + "\n" + ds.Warnings[1]
	for _, s := range []string{`rcid 11: session "59" at `, `complete.csv.gz:5:1 differs from "60" at `, `roll_calls.csv:3:1; kept "60"`,
		`rcid 12: date "1990-11-03" at`} {
		if !strings.Contains(w, s) {
			t.Errorf("warnings %q lack %q", ds.Warnings, s)
		}
	}
	if ds.RollCallPos[10].File != filepath.Join(dir, "roll_calls.csv") {
		t.Errorf("RollCallPos[10] = %v, want the roll-calls file, read first", ds.RollCallPos[10])
	}
}

func TestReadUNDLSample(t *testing.T) {
	ds, err := ReadFiles(context.Background(), filepath.Join("testdata", "undl_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.RollCalls) != 3 || len(ds.Votes) != 18 {
		t.Fatalf("%d roll calls, %d votes; want 3 and 18", len(ds.RollCalls), len(ds.Votes))
	}
	rc, ok := rollCall(ds, UNDLRCIDBase+4025240)
	if !ok {
		t.Fatalf("no roll call with rcid %d", UNDLRCIDBase+4025240)
	}
	if rc.Session != 78 || rc.Resolution != "A/RES/ES-10/21" || !rc.Date.Equal(day("2023-10-27")) ||
		!strings.HasPrefix(rc.Descr, "Protection of civilians") || !strings.HasPrefix(rc.Short, "Illegal Israeli actions") ||
		rc.Important != concord.FlagUnknown || rc.Para != concord.FlagFalse || rc.Amend != concord.FlagFalse || rc.Issues != nil {
		t.Errorf("roll call of record 4025240 (ES-10, 2023 → session 78): %+v", rc)
	}
	rc, _ = rollCall(ds, UNDLRCIDBase+228374)
	if rc.Session != 40 || rc.Descr != `Situation in the Middle East, "A" : resolution / adopted by the General Assembly` {
		t.Errorf("roll call of record 228374: %+v", rc)
	}
	counts := map[concord.Vote]int{}
	for _, v := range ds.Votes {
		counts[v.Vote]++
	}
	if counts[concord.Yes] != 9 || counts[concord.No] != 4 || counts[concord.Abstain] != 2 || counts[concord.Absent] != 3 {
		t.Errorf("vote counts %v, want 9 yes, 4 no, 2 abstain, 3 absent (X, NV and empty)", counts)
	}
	for _, c := range []struct {
		rcid  int
		state string
		vote  concord.Vote
	}{
		{4025240, "HUN", concord.Absent}, {4025240, "BRA", concord.Absent}, {4025240, "BEN", concord.Absent},
		{4025240, "TUR", concord.Yes}, {4025240, "NAM", concord.Yes},
		{228374, "RUS", concord.Yes}, // the Soviet Union's seat, by name (no ms_code)
		{228374, "DDR", concord.Yes}, {228374, "GFR", concord.Abstain},
		{228374, "YAR", concord.Yes}, // YEM before 22 May 1990 is the Yemen Arab Republic's seat
		{630001, "TWN", concord.No},  // CHN before 25 October 1971 is the Republic of China's seat
		{4025240, "DEU", concord.Abstain},
	} {
		if v, ok := voteOf(ds, UNDLRCIDBase+c.rcid, c.state); !ok || v.Vote != c.vote {
			t.Errorf("vote of %s on record %d = %v (found %v), want %v", c.state, c.rcid, v.Vote, ok, c.vote)
		}
	}
}

func TestReadDetectsGzipByContent(t *testing.T) {
	dir := t.TempDir()
	// gzip data under a plain name and plain data under a .gz name.
	ds, err := ReadFiles(context.Background(),
		write(t, dir, "roll_calls.csv", gz(fixtureRollCalls)),
		write(t, dir, "votes.csv.gz", []byte(fixtureVotes)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.RollCalls) != 3 || len(ds.Votes) != 9 {
		t.Errorf("%d roll calls, %d votes; want 3 and 9", len(ds.RollCalls), len(ds.Votes))
	}
}

func TestDetectFormat(t *testing.T) {
	for header, want := range map[string]Format{
		"rcid,country,country_code,vote":                                                 FormatVotes,
		"rcid,session,importantvote,date,unres,amend,para,short,descr":                   FormatRollCalls,
		"rcid,short_name,issue":                                                          FormatIssues,
		"rcid,session,vote,ccode,member,importantvote,date,unres,me,nu,di,hr,co,ec,year": FormatComplete,
		// Voeten's newer Dataverse layout (UNVotes-1.csv)
		"rcid,ccode,member,vote,Country,Countryname,year,session,abstain,yes,no,importantvote,date,unres,amend,para,short,descr,me,nu,di,hr,co,ec,resid": FormatComplete,
		"\uFEFFundl_id,ms_code,ms_name,ms_vote,date,session,resolution":                                                                                  FormatUNDL,
		"a,b,c": FormatUnknown,
	} {
		if got := DetectFormat(strings.Split(header, ",")); got != want {
			t.Errorf("DetectFormat(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestReadNewerVoetenLayout(t *testing.T) {
	const in = `rcid,ccode,member,vote,Country,Countryname,year,session,abstain,yes,no,importantvote,date,unres,amend,para,short,descr,me,nu,di,hr,co,ec,resid
3,2,1,1,USA,United States of America,1946,1,4,29,18,0,1946-01-01,R/1/66,1,0,"AMENDMENTS, RULES OF PROCEDURE",TO ADOPT A CUBAN AMENDMENT,0,0,0,0,0,0,1001
3,20,1,3,CAN,Canada,1946,1,4,29,18,0,1946-01-01,R/1/66,1,0,"AMENDMENTS, RULES OF PROCEDURE",TO ADOPT A CUBAN AMENDMENT,0,0,0,0,0,0,1001
`
	ds, err := Read(strings.NewReader(in), "UNVotes-1.csv")
	if err != nil {
		t.Fatal(err)
	}
	rc := ds.RollCalls[0]
	if len(ds.RollCalls) != 1 || rc.Amend != concord.FlagTrue || rc.Short != "AMENDMENTS, RULES OF PROCEDURE" || rc.Descr != "TO ADOPT A CUBAN AMENDMENT" {
		t.Errorf("roll call %+v", rc)
	}
	if v, ok := voteOf(ds, 3, "CAN"); !ok || v.Vote != concord.No {
		t.Errorf("Canada's vote %v %v, want no", v.Vote, ok)
	}
}

func TestReadCancelled(t *testing.T) {
	var b strings.Builder
	b.WriteString("rcid,session,importantvote,date,unres,amend,para,short,descr\n")
	for i := 1; i <= 3*checkEvery; i++ {
		fmt.Fprintf(&b, "%d,1,0,1946-01-01,R/1/1,0,0,s,d\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b2 := NewBatch()
	if err := b2.Add(ctx, strings.NewReader(b.String()), "big.csv"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := b2.Dataset(); !errors.Is(err, context.Canceled) {
		t.Errorf("Dataset after a failed Add: err = %v, want the Add's error", err)
	}
}

// badCase is an input that must be rejected with an *InputError at a position.
type badCase struct {
	name  string
	files [][2]string // file name, content (gzip when the name ends in .gz)
	file  string      // base name of the file the error names
	line  int
	col   int // 0: not checked
	msg   []string
}

func runBad(t *testing.T, cases []badCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for _, f := range c.files {
				content := []byte(f[1])
				if strings.HasSuffix(f[0], ".gz") {
					content = gz(f[1])
				}
				paths = append(paths, write(t, dir, f[0], content))
			}
			_, err := ReadFiles(context.Background(), paths...)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want an *InputError", err, err)
			}
			if filepath.Base(ie.Pos.File) != c.file || ie.Pos.Line != c.line || (c.col != 0 && ie.Pos.Column != c.col) {
				t.Errorf("error at %v, want %s:%d:%d\n%v", ie.Pos, c.file, c.line, c.col, err)
			}
			for _, m := range c.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q lacks %q", err, m)
				}
			}
		})
	}
}

const rcHeader = "rcid,session,importantvote,date,unres,amend,para,short,descr\n"

func TestReadRejectsBadInput(t *testing.T) {
	rc := [2]string{"roll_calls.csv", rcHeader + "3,1,0,1946-01-01,R/1/66,0,0,s,d\n"}
	runBad(t, []badCase{
		{name: "bad vote", files: [][2]string{rc, {"votes.csv", "rcid,country,country_code,vote\n3,Canada,CA,no\n3,United States,US,maybe\n"}},
			file: "votes.csv", line: 3, col: col("3,United States,US,maybe", 3), msg: []string{`column vote: bad vote "maybe"`}},
		{name: "unknown country with suggestions", files: [][2]string{rc, {"votes.csv", "rcid,country,country_code,vote\n3,Canadda,,yes\n"}},
			file: "votes.csv", line: 2, col: 3, msg: []string{`column country: unknown country "Canadda"`, "Canada"}},
		{name: "unknown ISO code", files: [][2]string{rc, {"votes.csv", "rcid,country,country_code,vote\n3,Atlantis,QQ,yes\n"}},
			file: "votes.csv", line: 2, col: col("3,Atlantis,QQ,yes", 2), msg: []string{`country_code "QQ"`}},
		{name: "name and code disagree", files: [][2]string{rc, {"votes.csv", "rcid,country,country_code,vote\n3,France,DE,yes\n"}},
			file: "votes.csv", line: 2, msg: []string{`"France" is France (FRA) but its code "DE" is Germany (DEU)`}},
		{name: "malformed rcid", files: [][2]string{{"roll_calls.csv", rcHeader + "3x,1,0,1946-01-01,R/1/66,0,0,s,d\n"}},
			file: "roll_calls.csv", line: 2, col: 1, msg: []string{`column rcid: malformed number "3x"`}},
		{name: "rcid out of range", files: [][2]string{{"roll_calls.csv", rcHeader + "0,1,0,1946-01-01,R/1/66,0,0,s,d\n"}},
			file: "roll_calls.csv", line: 2, col: 1, msg: []string{`column rcid: rcid 0 out of range`}},
		{name: "malformed session", files: [][2]string{{"roll_calls.csv", rcHeader + "3,one,0,1946-01-01,R/1/66,0,0,s,d\n"}},
			file: "roll_calls.csv", line: 2, col: 3, msg: []string{`column session: malformed number "one"`}},
		{name: "malformed date", files: [][2]string{{"roll_calls.csv", rcHeader + "3,1,0,1946-13-01,R/1/66,0,0,s,d\n"}},
			file: "roll_calls.csv", line: 2, col: 7, msg: []string{`column date: malformed date "1946-13-01"`}},
		{name: "malformed flag", files: [][2]string{{"roll_calls.csv", rcHeader + "3,1,yes,1946-01-01,R/1/66,0,0,s,d\n"}},
			file: "roll_calls.csv", line: 2, col: 5, msg: []string{`column importantvote: malformed flag "yes"`}},
		{name: "missing required column", files: [][2]string{{"roll_calls.csv", "rcid,session,importantvote,unres,short,descr\n3,1,0,R/1/66,s,d\n"}},
			file: "roll_calls.csv", line: 1, msg: []string{`missing required column "date"`}},
		{name: "missing vote column", files: [][2]string{{"votes.csv", "rcid,country,country_code\n3,Canada,CA\n"}},
			file: "votes.csv", line: 1, msg: []string{`missing required column "vote"`}},
		{name: "unrecognised header", files: [][2]string{{"x.csv", "foo,bar\n1,2\n"}},
			file: "x.csv", line: 1, msg: []string{`unrecognised header "foo,bar"`}},
		{name: "empty file", files: [][2]string{{"empty.csv.gz", ""}},
			file: "empty.csv.gz", line: 1, msg: []string{"empty file"}},
		{name: "wrong number of fields", files: [][2]string{{"roll_calls.csv", rcHeader + "3,1,0,1946-01-01,R/1/66,0,0,s,d\n4,1,0\n"}},
			file: "roll_calls.csv", line: 3, msg: []string{"row has 3 fields but the header has 9"}},
		{name: "bad quoting", files: [][2]string{{"roll_calls.csv", rcHeader + "3,1,0,1946-01-01,R/1/66,0,0,s\"x,d\n"}},
			file: "roll_calls.csv", line: 2, msg: []string{"malformed CSV"}},
		{name: "complete: bad vote code", files: [][2]string{{"complete.csv", "rcid,session,vote,ccode,date\n3,1,1,2,1946-01-01\n3,1,4,20,1946-01-01\n"}},
			file: "complete.csv", line: 3, col: 5, msg: []string{`column vote: bad vote code "4"`, "8 absent or 9 not a member"}},
		{name: "complete: unknown COW code", files: [][2]string{{"complete.csv", "rcid,session,vote,ccode,date\n3,1,1,999,1946-01-01\n"}},
			file: "complete.csv", line: 2, col: 7, msg: []string{"column ccode: unknown Correlates of War country code 999"}},
		{name: "UNDL: bad vote", files: [][2]string{{"undl.csv", "undl_id,ms_code,ms_name,ms_vote,date,session\n7,USA,UNITED STATES,Q,2020-01-01,74\n"}},
			file: "undl.csv", line: 2, col: col("7,USA,UNITED STATES,Q", 3), msg: []string{`column ms_vote: bad vote "Q"`}},
		{name: "UNDL: bad session", files: [][2]string{{"undl.csv", "undl_id,ms_code,ms_name,ms_vote,date,session\n7,USA,UNITED STATES,Y,2020-01-01,seventy\n"}},
			file: "undl.csv", line: 2, msg: []string{`column session: malformed session "seventy"`}},
		{name: "UNDL: unknown member state", files: [][2]string{{"undl.csv", "undl_id,ms_code,ms_name,ms_vote,date,session\n7,XXQ,ATLANTIS,Y,2020-01-01,74\n"}},
			file: "undl.csv", line: 2, col: 3, msg: []string{`unknown member state "ATLANTIS" (ms_code "XXQ")`}},
		{name: "issues: unknown code", files: [][2]string{rc, {"issues.csv", "rcid,short_name,issue\n3,zz,Zebras\n"}},
			file: "issues.csv", line: 2, col: 3, msg: []string{`column short_name: unknown issue code "zz"`}},
		{name: "issues: name does not match code", files: [][2]string{rc, {"issues.csv", "rcid,short_name,issue\n3,me,Human rights\n"}},
			file: "issues.csv", line: 2, msg: []string{`column issue: issue "Human rights" does not match short_name "me"`}},
		{name: "vote without roll call", files: [][2]string{rc, {"votes.csv.gz", "rcid,country,country_code,vote\n3,Canada,CA,no\n77,Canada,CA,no\n"}},
			file: "votes.csv.gz", line: 3, msg: []string{"rcid 77 has no roll call in this import: import roll_calls.csv.gz", "with votes.csv.gz"}},
		{name: "issue without roll call", files: [][2]string{{"issues.csv", "rcid,short_name,issue\n5,me,Palestinian conflict\n"}},
			file: "issues.csv", line: 2, col: 1, msg: []string{"rcid 5 has no roll call in this import"}},
		{name: "two different votes of one state", files: [][2]string{rc,
			{"votes.csv", "rcid,country,country_code,vote\n3,Canada,CA,no\n"},
			{"complete.csv", "rcid,session,vote,ccode,date\n3,1,1,20,1946-01-01\n"}},
			file: "complete.csv", line: 2, col: 5, msg: []string{"CAN votes yes on rcid 3 here but no at ", "votes.csv:2:"}},
	})
}

func TestReadRejectsTruncatedGzip(t *testing.T) {
	var b strings.Builder
	b.WriteString(rcHeader)
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&b, "%d,%d,0,1946-01-%02d,R/1/%d,0,0,short %d,a description of roll call %d\n", i, 1+i%70, 1+i%28, i, i*7, i*13)
	}
	full := gz(b.String())
	dir := t.TempDir()
	p := write(t, dir, "roll_calls.csv.gz", full[:len(full)*2/3])
	_, err := ReadFiles(context.Background(), p)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "truncated gzip stream") {
		t.Fatalf("err = %v, want a truncated gzip stream", err)
	}
	if ie.Pos.File != p || ie.Pos.Line < 100 || ie.Pos.Line > 5002 {
		t.Errorf("truncation reported at %v, want a line well inside the file", ie.Pos)
	}
	// A corrupted stream (bytes changed in the middle) is reported too.
	bad := append([]byte(nil), full...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0x55
	}
	_, err = ReadFiles(context.Background(), write(t, dir, "corrupt.csv.gz", bad))
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an *InputError for corrupt gzip data", err)
	}
}

func TestInputErrorFormat(t *testing.T) {
	e := &InputError{Pos: concord.Pos{File: "votes.csv.gz", Line: 12, Column: 5}, Msg: "column vote: bad vote"}
	if e.Error() != "votes.csv.gz:12:5: column vote: bad vote" {
		t.Errorf("Error() = %q", e.Error())
	}
}
