// Package storetest generates datasets and checks that a concord.VoteStore
// keeps the import rules every store shares: Run is the conformance suite a
// store's tests call; Generate builds datasets of any size whose overlapping
// parts agree, like two releases of Voeten's data.
package storetest

import (
	"fmt"
	"time"

	concord "github.com/concord-project/concord"
)

// Gen describes a generated dataset. Every value (metadata and votes) is a
// function of the RCID and state alone, so datasets generated with different
// ranges or kinds agree wherever they overlap.
type Gen struct {
	FirstRCID int    // first roll call id; 0 means 1
	RollCalls int    // number of roll calls, with consecutive ids
	States    int    // number of states voting (at most 26*26*26)
	File      string // file named in positions; "" means "gen.csv"
	// Complete includes absent and non-member votes and the metadata of the
	// "complete" release (session, date, resolution, importance, issues me,
	// nu, di); otherwise only cast votes and the other metadata (descriptions,
	// amend, para, issues hr, co, ec, resolution) are included.
	Complete bool
}

// StateCode returns the code of generated state i: AAA, AAB, …
func StateCode(i int) string {
	return string([]byte{byte('A' + i/676%26), byte('A' + i/26%26), byte('A' + i%26)})
}

// stateIndex is the inverse of StateCode.
func stateIndex(code string) int {
	return int(code[0]-'A')*676 + int(code[1]-'A')*26 + int(code[2]-'A')
}

// hash mixes a and b into a well-spread number (splitmix64).
func hash(a, b uint64) uint64 {
	x := a*0x9E3779B97F4A7C15 + b + 0x632BE59BD9B4E019
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	return x ^ x>>31
}

// VoteOf returns the vote that state i casts on roll call rcid in every generated dataset.
func VoteOf(rcid, i int) concord.Vote {
	switch h := hash(uint64(rcid), uint64(i)) % 100; {
	case h < 60:
		return concord.Yes
	case h < 70:
		return concord.Abstain
	case h < 78:
		return concord.No
	case h < 85:
		return concord.Absent
	default:
		return concord.NonMember
	}
}

// FullRollCall returns every field of generated roll call rcid, as a store
// holds it after importing both kinds of dataset.
func FullRollCall(rcid int) concord.RollCall {
	h := hash(uint64(rcid), 1<<40)
	rc := concord.RollCall{
		RCID:       rcid,
		Session:    1 + rcid%75,
		Resolution: fmt.Sprintf("A/RES/%d/%d", 1+rcid%75, rcid),
		Important:  concord.Flag(h % 3),
		Amend:      concord.Flag(h / 3 % 3),
		Para:       concord.Flag(h / 9 % 3),
		Short:      fmt.Sprintf("Question %d", rcid),
		Descr:      fmt.Sprintf("Draft résolution %d «on \"things\"» \\ with\ttabs", rcid),
	}
	if rcid%97 != 0 { // some roll calls have no date
		// Dates are not in RCID order, as in the real data.
		rc.Date = time.Date(1946, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h>>8%27000))
	}
	for k, i := range concord.Issues {
		if h>>(20+k)&1 == 1 {
			rc.Issues = append(rc.Issues, i)
		}
	}
	return rc
}

// partial returns the part of FullRollCall(rcid) that a dataset of kind complete carries.
func partial(rcid int, complete bool) concord.RollCall {
	f := FullRollCall(rcid)
	rc := concord.RollCall{RCID: rcid, Resolution: f.Resolution}
	var issues []concord.Issue
	if complete {
		rc.Session, rc.Date, rc.Important = f.Session, f.Date, f.Important
		issues = []concord.Issue{concord.IssueMiddleEast, concord.IssueNuclear, concord.IssueArmsControl}
	} else {
		rc.Amend, rc.Para, rc.Short, rc.Descr = f.Amend, f.Para, f.Short, f.Descr
		issues = []concord.Issue{concord.IssueHumanRights, concord.IssueColonialism, concord.IssueEconomic}
	}
	// Listed in reverse order: stores must sort them.
	for k := len(f.Issues) - 1; k >= 0; k-- {
		for _, i := range issues {
			if f.Issues[k] == i {
				rc.Issues = append(rc.Issues, i)
			}
		}
	}
	return rc
}

// Generate builds the dataset g describes: roll calls first, then votes by
// roll call and state, with positions file:line:1 as if read from one CSV.
func Generate(g Gen) *concord.Dataset {
	first := g.FirstRCID
	if first == 0 {
		first = 1
	}
	file := g.File
	if file == "" {
		file = "gen.csv"
	}
	ds := &concord.Dataset{RollCallPos: map[int]concord.Pos{}}
	for r := first; r < first+g.RollCalls; r++ {
		ds.RollCalls = append(ds.RollCalls, partial(r, g.Complete))
		ds.RollCallPos[r] = concord.Pos{File: "rc-" + file, Line: len(ds.RollCalls) + 1, Column: 1}
	}
	codes := make([]string, g.States)
	for i := range codes {
		codes[i] = StateCode(i)
	}
	ds.Votes = make([]concord.VoteRecord, 0, g.RollCalls*g.States*3/4)
	for r := first; r < first+g.RollCalls; r++ {
		for i, c := range codes {
			v := VoteOf(r, i)
			if !g.Complete && !v.Cast() {
				continue
			}
			ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: r, State: c, Vote: v,
				Pos: concord.Pos{File: file, Line: len(ds.Votes) + 2, Column: 1}})
		}
	}
	return ds
}
