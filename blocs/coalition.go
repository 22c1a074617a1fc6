package blocs

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/output"
)

// Rule is the majority a roll call needs to be adopted.
type Rule int

// The adoption rules: both count only the members present and voting (yes or no; abstentions do not count).
const (
	SimpleMajority Rule = iota // adopted when yes > no
	TwoThirds                  // adopted when yes ≥ ⅔ (yes + no), and yes > 0
)

// String returns "majority" or "two-thirds".
func (r Rule) String() string {
	if r == TwoThirds {
		return "two-thirds"
	}
	return "majority"
}

// MarshalText writes the rule's name.
func (r Rule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// ParseRule parses majority (or simple) and two-thirds (or 2/3).
func ParseRule(s string) (Rule, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "majority", "simple", "simple-majority", "":
		return SimpleMajority, nil
	case "two-thirds", "2/3", "two_thirds", "twothirds":
		return TwoThirds, nil
	}
	return 0, fmt.Errorf("unknown adoption rule %q (want majority or two-thirds)", s)
}

func (r Rule) adopted(yes, no int) bool {
	if r == TwoThirds {
		return yes > 0 && 3*yes >= 2*(yes+no)
	}
	return yes > no
}

// Rank says what candidates are ranked by.
type Rank int

// The rankings of candidates.
const (
	ByAlignment Rank = iota // mean alignment with the members, highest first
	ByIdeal                 // distance of the ideal point to the members' mean ideal point, nearest first (needs CoalitionOptions.Ideal)
)

// String returns alignment or ideal.
func (r Rank) String() string {
	if r == ByIdeal {
		return "ideal"
	}
	return "alignment"
}

// MarshalText writes alignment or ideal, so that a Rank is a string in JSON.
func (r Rank) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads alignment or ideal.
func (r *Rank) UnmarshalText(b []byte) error {
	switch string(b) {
	case "alignment", "":
		*r = ByAlignment
	case "ideal":
		*r = ByIdeal
	default:
		return fmt.Errorf("unknown ranking %q (want alignment or ideal)", b)
	}
	return nil
}

// CoalitionOptions says over which roll calls and how coalitions are judged.
type CoalitionOptions struct {
	Window   align.Window // roll calls considered
	Metric   align.Metric // alignment metric of the ranking (default agree)
	MinVotes int          // a candidate needs this many common votes with every member (0 means 1)
	Rule     Rule         // adoption rule for decisiveness
	// Ideal holds ideal points (state code → position on one dimension),
	// for example from package ideal; nil leaves them out. When set, every
	// candidate gets IdealDistance, and RankBy may rank by it.
	Ideal  map[string]float64
	RankBy Rank
}

// Candidate is a state that might join a coalition.
type Candidate struct {
	State         string  `json:"state"`
	Alignment     float64 `json:"alignment"`      // mean of the metric with the members
	Votes         int     `json:"votes"`          // fewest common votes with any member
	IdealDistance float64 `json:"ideal_distance"` // |ideal point − members' mean|; NaN (null) without ideal points
	Cohesion      float64 `json:"cohesion"`       // the coalition's mean Agreement Index if it joined
}

// MarshalJSON writes NaN values as null.
func (c Candidate) MarshalJSON() ([]byte, error) {
	type plain Candidate
	return json.Marshal(struct {
		plain
		Alignment     *float64 `json:"alignment"`
		IdealDistance *float64 `json:"ideal_distance"`
		Cohesion      *float64 `json:"cohesion"`
	}{plain(c), nullable(c.Alignment), nullable(c.IdealDistance), nullable(c.Cohesion)})
}

// Unjudged is a roll call whose effect the coalition's vote cannot be judged on.
type Unjudged struct {
	RCID   int    `json:"rcid"`
	Reason string `json:"reason"` // "no member voted" or "members split evenly"
}

// Decisiveness is how the coalition voting as one would have weighed on the roll calls of a window.
type Decisiveness struct {
	Rule      Rule `json:"rule"`
	RollCalls int  `json:"roll_calls"` // roll calls in the window
	Judged    int  `json:"judged"`     // roll calls where the coalition had a position
	// Changed counts the judged roll calls whose outcome (adopted or not)
	// differs when every member who voted casts the coalition's position.
	Changed int `json:"changed"`
	// Prevailed counts the roll calls where the position was yes and the
	// resolution was adopted, or no and it was not, as recorded.
	Prevailed int `json:"prevailed"`
	// PrevailedAsOne is Prevailed with the coalition voting as one.
	PrevailedAsOne int        `json:"prevailed_as_one"`
	Abstained      int        `json:"abstained"` // judged roll calls where the position was to abstain (neither prevailing nor losing)
	Unjudged       []Unjudged `json:"unjudged"`
}

// Coalition analyses coalitions over one window of the record in an index.
type Coalition struct {
	ix    *align.Index
	m     *concord.Matrix
	opt   CoalitionOptions
	cols  []int
	yes   []int32 // recorded yes votes per column of cols
	no    []int32
	pairs map[string]map[string]align.Row // member → state → alignment, filled lazily
}

// NewCoalition prepares coalition queries over the window of opt.
func NewCoalition(ix *align.Index, opt CoalitionOptions) (*Coalition, error) {
	if err := opt.Window.Validate(); err != nil {
		return nil, err
	}
	if opt.Metric < align.Agree || opt.Metric > align.Coincidence {
		return nil, fmt.Errorf("unknown metric %v", opt.Metric)
	}
	if opt.RankBy == ByIdeal && opt.Ideal == nil {
		return nil, fmt.Errorf("ranking by ideal-point distance needs ideal points")
	}
	opt.MinVotes = max(opt.MinVotes, 1)
	m := ix.Matrix()
	c := &Coalition{ix: ix, m: m, opt: opt, cols: columns(m, opt.Window), pairs: map[string]map[string]align.Row{}}
	c.yes, c.no = make([]int32, len(c.cols)), make([]int32, len(c.cols))
	for s := range m.States {
		row := m.Row(s)
		for k, col := range c.cols {
			switch row[col] {
			case concord.Yes:
				c.yes[k]++
			case concord.No:
				c.no[k]++
			}
		}
	}
	return c, nil
}

// RollCalls returns the number of roll calls in the window.
func (c *Coalition) RollCalls() int { return len(c.cols) }

// check returns the matrix rows of members, or an error naming an unknown or repeated one.
func (c *Coalition) check(members []string) ([]int, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("a coalition needs at least one seed state")
	}
	rows := make([]int, len(members))
	seen := map[string]bool{}
	for i, s := range members {
		r, ok := c.m.StateIndex(s)
		if !ok {
			return nil, fmt.Errorf("unknown state %q (no vote recorded for it)", s)
		}
		if seen[s] {
			return nil, fmt.Errorf("state %s given twice", s)
		}
		seen[s] = true
		rows[i] = r
	}
	return rows, nil
}

// tally holds, per column of the window, the members' yes, no and abstain votes.
type tally struct{ y, n, a []int32 }

func (c *Coalition) tally(rows []int) tally {
	t := tally{make([]int32, len(c.cols)), make([]int32, len(c.cols)), make([]int32, len(c.cols))}
	for _, r := range rows {
		t.add(c.m.Row(r), c.cols, 1)
	}
	return t
}

func (t tally) add(row []concord.Vote, cols []int, d int32) {
	for k, col := range cols {
		switch row[col] {
		case concord.Yes:
			t.y[k] += d
		case concord.No:
			t.n[k] += d
		case concord.Abstain:
			t.a[k] += d
		}
	}
}

// agreementIndex is Hix, Noury & Roland's AI for one roll call.
func agreementIndex(y, n, a int32) float64 {
	tot := y + n + a
	mx := max(y, n, a)
	return (float64(mx) - 0.5*float64(tot-mx)) / float64(tot)
}

// cohesion averages the Agreement Index over the columns where at least two members voted; NaN if there are none.
func (t tally) cohesion(extra []concord.Vote, cols []int) float64 {
	var sum float64
	k := 0
	for i := range t.y {
		y, n, a := t.y[i], t.n[i], t.a[i]
		if extra != nil {
			switch extra[cols[i]] {
			case concord.Yes:
				y++
			case concord.No:
				n++
			case concord.Abstain:
				a++
			}
		}
		if y+n+a >= 2 {
			sum += agreementIndex(y, n, a)
			k++
		}
	}
	if k == 0 {
		return math.NaN()
	}
	return sum / float64(k)
}

// Cohesion returns the mean Agreement Index of members over the window's roll calls on which at least two of them voted.
func (c *Coalition) Cohesion(members []string) (float64, error) {
	rows, err := c.check(members)
	if err != nil {
		return 0, err
	}
	return c.tally(rows).cohesion(nil, c.cols), nil
}

// Decide measures the decisiveness of members over the window; see Decisiveness.
func (c *Coalition) Decide(members []string) (Decisiveness, error) {
	rows, err := c.check(members)
	if err != nil {
		return Decisiveness{}, err
	}
	t := c.tally(rows)
	d := Decisiveness{Rule: c.opt.Rule, RollCalls: len(c.cols), Unjudged: []Unjudged{}}
	for k, col := range c.cols {
		y, n, a := t.y[k], t.n[k], t.a[k]
		rcid := c.m.RollCalls[col].RCID
		if y+n+a == 0 {
			d.Unjudged = append(d.Unjudged, Unjudged{rcid, "no member voted"})
			continue
		}
		mx := max(y, n, a)
		ties := 0
		for _, x := range []int32{y, n, a} {
			if x == mx {
				ties++
			}
		}
		if ties > 1 {
			d.Unjudged = append(d.Unjudged, Unjudged{rcid, "members split evenly"})
			continue
		}
		d.Judged++
		yes, no := int(c.yes[k]), int(c.no[k])
		recorded := c.opt.Rule.adopted(yes, no)
		// As one: the members' votes replaced by the position.
		oy, on := yes-int(y), no-int(n)
		switch mx {
		case y:
			oy += int(y + n + a)
		case n:
			on += int(y + n + a)
		}
		asOne := c.opt.Rule.adopted(oy, on)
		if asOne != recorded {
			d.Changed++
		}
		switch mx {
		case y:
			if recorded {
				d.Prevailed++
			}
			if asOne {
				d.PrevailedAsOne++
			}
		case n:
			if !recorded {
				d.Prevailed++
			}
			if !asOne {
				d.PrevailedAsOne++
			}
		default:
			d.Abstained++
		}
	}
	return d, nil
}

// alignment returns member's alignment with every other state, computed once.
func (c *Coalition) alignment(member string) (map[string]align.Row, error) {
	if a, ok := c.pairs[member]; ok {
		return a, nil
	}
	ps, err := c.ix.Partners(member, c.opt.Window, c.opt.Metric, c.opt.MinVotes)
	if err != nil {
		return nil, err
	}
	a := make(map[string]align.Row, len(ps))
	for _, p := range ps {
		a[p.State] = p.Row
	}
	c.pairs[member] = a
	return a, nil
}

// Candidates ranks every state outside members that has at least MinVotes
// common votes with each member, by mean alignment with the members
// (highest first) or by ideal-point distance (nearest first, states without
// an ideal point last), ties by code; each with the cohesion of the
// coalition if it joined.
func (c *Coalition) Candidates(members []string) ([]Candidate, error) {
	rows, err := c.check(members)
	if err != nil {
		return nil, err
	}
	t := c.tally(rows)
	var meanIdeal float64 = math.NaN()
	if c.opt.Ideal != nil {
		sum, k := 0.0, 0
		for _, s := range members {
			if x, ok := c.opt.Ideal[s]; ok && !math.IsNaN(x) {
				sum += x
				k++
			}
		}
		if k > 0 {
			meanIdeal = sum / float64(k)
		}
	}
	al := make([]map[string]align.Row, len(members))
	for i, s := range members {
		if al[i], err = c.alignment(s); err != nil {
			return nil, err
		}
	}
	in := map[string]bool{}
	for _, s := range members {
		in[s] = true
	}
	var out []Candidate
	for r, s := range c.m.States {
		if in[s] {
			continue
		}
		cand := Candidate{State: s, Votes: math.MaxInt, IdealDistance: math.NaN()}
		sum, ok := 0.0, true
		for i := range members {
			row, found := al[i][s]
			if !found {
				ok = false
				break
			}
			v := row.Value(c.opt.Metric)
			if math.IsNaN(v) {
				ok = false
				break
			}
			sum += v
			cand.Votes = min(cand.Votes, row.Votes)
		}
		if !ok {
			continue
		}
		cand.Alignment = sum / float64(len(members))
		if x, found := c.opt.Ideal[s]; found && !math.IsNaN(meanIdeal) && !math.IsNaN(x) {
			cand.IdealDistance = math.Abs(x - meanIdeal)
		}
		cand.Cohesion = t.cohesion(c.m.Row(r), c.cols)
		out = append(out, cand)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c.opt.RankBy == ByIdeal {
			na, nb := math.IsNaN(a.IdealDistance), math.IsNaN(b.IdealDistance)
			if na != nb {
				return nb
			}
			if !na && a.IdealDistance != b.IdealDistance {
				return a.IdealDistance < b.IdealDistance
			}
		}
		if a.Alignment != b.Alignment {
			return a.Alignment > b.Alignment
		}
		return a.State < b.State
	})
	return out, nil
}

// Step is one step of growing a coalition.
type Step struct {
	Step         int          `json:"step"`  // 0 for the seeds
	Added        string       `json:"added"` // the state added at this step ("" at step 0)
	Members      []string     `json:"members"`
	Alignment    float64      `json:"alignment"` // the added state's mean alignment with the members before it (NaN at step 0)
	Cohesion     float64      `json:"cohesion"`
	Decisiveness Decisiveness `json:"decisiveness"`
}

// MarshalJSON writes NaN values as null.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	return json.Marshal(struct {
		plain
		Alignment *float64 `json:"alignment"`
		Cohesion  *float64 `json:"cohesion"`
	}{plain(s), nullable(s.Alignment), nullable(s.Cohesion)})
}

// Build grows the coalition from seeds to size members, each step adding
// the best-ranked candidate (as Candidates ranks them); it stops early when
// no candidate is left. The first step is the seeds themselves.
func (c *Coalition) Build(seeds []string, size int) ([]Step, error) {
	if _, err := c.check(seeds); err != nil {
		return nil, err
	}
	if size < len(seeds) {
		return nil, fmt.Errorf("build size %d is smaller than the %d seeds", size, len(seeds))
	}
	members := append([]string(nil), seeds...)
	step := func(i int, added string, alignment float64) (Step, error) {
		coh, err := c.Cohesion(members)
		if err != nil {
			return Step{}, err
		}
		d, err := c.Decide(members)
		if err != nil {
			return Step{}, err
		}
		return Step{Step: i, Added: added, Members: append([]string(nil), members...), Alignment: alignment, Cohesion: coh, Decisiveness: d}, nil
	}
	s0, err := step(0, "", math.NaN())
	if err != nil {
		return nil, err
	}
	steps := []Step{s0}
	for i := 1; len(members) < size; i++ {
		cands, err := c.Candidates(members)
		if err != nil {
			return nil, err
		}
		if len(cands) == 0 {
			break
		}
		members = append(members, cands[0].State)
		s, err := step(i, cands[0].State, cands[0].Alignment)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// CandidatesResult is the answer to a coalition query: the seeds and their candidates.
type CandidatesResult struct {
	Seeds        []string      `json:"seeds"`
	Metric       align.Metric  `json:"metric"`
	RankBy       Rank          `json:"rank_by,omitempty"` // written only when ideal`
	From         int           `json:"from,omitempty"`
	To           int           `json:"to,omitempty"`
	Issue        concord.Issue `json:"issue,omitempty"`
	Cohesion     float64       `json:"cohesion"` // of the seeds
	Decisiveness Decisiveness  `json:"decisiveness"`
	Candidates   []Candidate   `json:"candidates"`
}

// MarshalJSON writes a NaN cohesion as null.
func (r CandidatesResult) MarshalJSON() ([]byte, error) {
	type plain CandidatesResult
	return json.Marshal(struct {
		plain
		Cohesion *float64 `json:"cohesion"`
	}{plain(r), nullable(r.Cohesion)})
}

// Table lists one row per candidate.
func (r CandidatesResult) Table() output.Table {
	t := output.Table{Columns: []string{"rank", "state", r.Metric.String(), "votes", "ideal_distance", "cohesion_with"}}
	for i, c := range r.Candidates {
		t.Rows = append(t.Rows, []any{i + 1, c.State, c.Alignment, c.Votes, c.IdealDistance, c.Cohesion})
	}
	return t
}

// BuildResult is the answer to a coalition build: one step per added state.
type BuildResult struct {
	Seeds  []string      `json:"seeds"`
	Metric align.Metric  `json:"metric"`
	RankBy Rank          `json:"rank_by,omitempty"` // written only when ideal
	From   int           `json:"from,omitempty"`
	To     int           `json:"to,omitempty"`
	Issue  concord.Issue `json:"issue,omitempty"`
	Steps  []Step        `json:"steps"`
}

// Table lists one row per step.
func (r BuildResult) Table() output.Table {
	t := output.Table{Columns: []string{"step", "added", "size", r.Metric.String(), "cohesion", "judged", "changed", "prevailed", "prevailed_as_one", "abstained", "unjudged"}}
	for _, s := range r.Steps {
		d := s.Decisiveness
		t.Rows = append(t.Rows, []any{s.Step, s.Added, len(s.Members), s.Alignment, s.Cohesion, d.Judged, d.Changed, d.Prevailed, d.PrevailedAsOne, d.Abstained, len(d.Unjudged)})
	}
	return t
}
