// Package report holds the result shapes that concord's command line and its
// HTTP API share: each is the JSON document of one command or endpoint and
// implements output.Tabler, so that the same value prints as a table, CSV or
// JSON in a terminal and downloads as CSV or JSON from the web UI.
//
// Split lists the roll calls on which two states voted differently (one yes
// and the other no, or exactly one of them abstaining): the votes behind a
// pair's disagreement, read straight off the concord.Matrix.
package report

import (
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/output"
)

// Align is the result of `concord align A B` and GET /api/v1/align.
type Align struct {
	A     string        `json:"a"`
	B     string        `json:"b"`
	From  int           `json:"from,omitempty"`
	To    int           `json:"to,omitempty"`
	Issue concord.Issue `json:"issue,omitempty"`
	Rows  []align.Row   `json:"rows"`
	// Events, with --events, is the pair's cooperation–conflict score from stored news events, one per row (see events.go).
	Events []EventScore `json:"events,omitempty"`
}

// Table lists one row per period.
func (r Align) Table() output.Table {
	t := output.Table{Columns: []string{"period", "votes", "agree", "s_score", "kappa", "coincidence"}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{x.Period, x.Votes, x.Agree, x.SScore, x.Kappa, x.Coincidence})
	}
	addEventColumns(&t, r.Events)
	return t
}

// Partners is the result of `concord partners A` and GET /api/v1/partners.
type Partners struct {
	A      string          `json:"a"`
	Metric align.Metric    `json:"metric"`
	From   int             `json:"from,omitempty"`
	To     int             `json:"to,omitempty"`
	Issue  concord.Issue   `json:"issue,omitempty"`
	Rows   []align.Partner `json:"rows"`
	// Events, with --events, is each partner's cooperation–conflict score with A from stored news events, one per row (see events.go).
	Events []EventScore `json:"events,omitempty"`
}

// Table lists the partners by rank, with their names.
func (r Partners) Table() output.Table {
	t := output.Table{Columns: []string{"rank", "state", "name", "votes", "agree", "s_score", "kappa", "coincidence"}}
	for i, x := range r.Rows {
		t.Rows = append(t.Rows, []any{i + 1, x.State, StateName(x.State), x.Votes, x.Agree, x.SScore, x.Kappa, x.Coincidence})
	}
	addEventColumns(&t, r.Events)
	return t
}

// IssueRow is the alignment of a pair over the roll calls of one issue.
type IssueRow struct {
	Issue concord.Issue `json:"issue"`
	Name  string        `json:"name"`
	align.Row
}

// MarshalJSON writes the issue and its name before the fields of the Row (whose period is "all").
func (r IssueRow) MarshalJSON() ([]byte, error) {
	b, err := r.Row.MarshalJSON()
	if err != nil {
		return nil, err
	}
	head, err := marshalHead(map[string]string{"issue": string(r.Issue), "name": r.Name}, "issue", "name")
	if err != nil {
		return nil, err
	}
	return append(head, b[1:]...), nil
}

// AlignIssues is the alignment of a pair on each issue separately (GET /api/v1/align/issues).
type AlignIssues struct {
	A    string     `json:"a"`
	B    string     `json:"b"`
	From int        `json:"from,omitempty"`
	To   int        `json:"to,omitempty"`
	Rows []IssueRow `json:"rows"`
}

// Table lists one row per issue.
func (r AlignIssues) Table() output.Table {
	t := output.Table{Columns: []string{"issue", "name", "votes", "agree", "s_score", "kappa", "coincidence"}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{string(x.Issue), x.Name, x.Votes, x.Agree, x.SScore, x.Kappa, x.Coincidence})
	}
	return t
}

// RollCalls is the result of `concord rollcalls` and GET /api/v1/rollcalls; JSON keeps every field.
type RollCalls []concord.RollCall

// Table lists the roll calls with their title (short description, else the long one).
func (l RollCalls) Table() output.Table {
	t := output.Table{Columns: []string{"rcid", "session", "date", "resolution", "important", "issues", "title"}}
	for _, r := range l {
		t.Rows = append(t.Rows, []any{r.RCID, r.Session, Date(r.Date), r.Resolution, FlagCell(r.Important), IssueList(r.Issues), Title(r)})
	}
	return t
}

// States is the result of `concord countries` and GET /api/v1/states.
type States []concord.State

// Table lists the states with their codes in every scheme.
func (l States) Table() output.Table {
	t := output.Table{Columns: []string{"code", "name", "iso2", "iso3", "iso_numeric", "cow", "cow_abbr", "from", "to", "un_from", "un_to", "historical", "successors"}}
	for _, s := range l {
		t.Rows = append(t.Rows, []any{s.Code, s.Name, s.ISO2, s.ISO3, zeroEmpty(s.ISONumeric), zeroEmpty(s.COW), s.COWAbbr,
			zeroEmpty(s.From), zeroEmpty(s.To), zeroEmpty(s.UNFrom), zeroEmpty(s.UNTo), s.Historical, strings.Join(s.Successors, " ")})
	}
	return t
}

// Split is one roll call on which two states voted differently.
type Split struct {
	RCID       int             `json:"rcid"`
	Session    int             `json:"session"`
	Date       string          `json:"date,omitempty"`
	Resolution string          `json:"resolution,omitempty"`
	Title      string          `json:"title"`
	Issues     []concord.Issue `json:"issues"`
	Important  concord.Flag    `json:"important"`
	VoteA      string          `json:"vote_a"`
	VoteB      string          `json:"vote_b"`
	Opposite   bool            `json:"opposite"` // one voted yes and the other no (not just one abstention)
}

// Splits is the result of GET /api/v1/splits: the roll calls of a window on which A and B split, newest first.
type Splits struct {
	A     string        `json:"a"`
	B     string        `json:"b"`
	From  int           `json:"from,omitempty"`
	To    int           `json:"to,omitempty"`
	Issue concord.Issue `json:"issue,omitempty"`
	Total int           `json:"total"` // splits in the window; Rows may hold fewer when limited
	Rows  []Split       `json:"rows"`
}

// Table lists one row per split roll call.
func (r Splits) Table() output.Table {
	t := output.Table{Columns: []string{"rcid", "session", "date", "resolution", "issues", "important", "vote_" + strings.ToLower(r.A), "vote_" + strings.ToLower(r.B), "opposite", "title"}}
	for _, s := range r.Rows {
		t.Rows = append(t.Rows, []any{s.RCID, s.Session, s.Date, s.Resolution, IssueList(s.Issues), FlagCell(s.Important), s.VoteA, s.VoteB, s.Opposite, s.Title})
	}
	return t
}

// FindSplits returns the roll calls passing f on which states a and b (rows
// of m) both voted yes, no or abstain, and not alike; newest first. Total
// counts them all; at most limit are kept (limit ≤ 0 keeps all).
func FindSplits(m *concord.Matrix, a, b int, f concord.RollCallFilter, limit int) (rows []Split, total int) {
	ra, rb := m.Row(a), m.Row(b)
	for c := len(m.RollCalls) - 1; c >= 0; c-- {
		va, vb := ra[c], rb[c]
		if !va.Cast() || !vb.Cast() || va == vb {
			continue
		}
		rc := m.RollCalls[c]
		if !f.Match(rc) {
			continue
		}
		total++
		if limit > 0 && len(rows) >= limit {
			continue
		}
		is := rc.Issues
		if is == nil {
			is = []concord.Issue{}
		}
		rows = append(rows, Split{RCID: rc.RCID, Session: rc.Session, Date: Date(rc.Date), Resolution: rc.Resolution,
			Title: Title(rc), Issues: is, Important: rc.Important, VoteA: va.String(), VoteB: vb.String(),
			Opposite: va != concord.Abstain && vb != concord.Abstain})
	}
	if rows == nil {
		rows = []Split{}
	}
	return rows, total
}

// StateName returns the English short name of a state code, or "" if it is unknown.
func StateName(code string) string {
	if s, ok := countries.ByCode(code); ok {
		return s.Name
	}
	return ""
}

// Title returns the short description of a roll call, else its long one.
func Title(r concord.RollCall) string {
	if r.Short != "" {
		return r.Short
	}
	return r.Descr
}

// Date formats a date as yyyy-mm-dd, the zero time as "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// IssueList joins issue codes with spaces.
func IssueList(is []concord.Issue) string {
	s := make([]string, len(is))
	for i, x := range is {
		s[i] = string(x)
	}
	return strings.Join(s, " ")
}

// FlagCell prints a Flag as yes, no or empty.
func FlagCell(f concord.Flag) string {
	switch f {
	case concord.FlagTrue:
		return "yes"
	case concord.FlagFalse:
		return "no"
	}
	return ""
}

// zeroEmpty prints 0 as an empty cell.
func zeroEmpty(n int) any {
	if n == 0 {
		return ""
	}
	return n
}
