package brief

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/report"
)

// Limits of the lists a brief shows.
const (
	MaxSplits       = 10 // most recent split roll calls per pair
	MaxEvents       = 12 // latest events
	MaxPartners     = 10 // best next partners of a coalition
	MaxMultilateral = 10 // most recent shared multilateral agreements listed (all are counted)
	MaxFields       = 5  // complementary fields per direction
	DefaultYears    = 29 // default vote window: the last DefaultYears years of the record (1991–2019 on the 2021 release)
	BandZ           = 1.645
)

// IdealFunc returns the ideal points of the roll calls that pass w, fitted with opt.
type IdealFunc func(ctx context.Context, w concord.RollCallFilter, opt ideal.Options) (*ideal.Result, error)

// BlocsFunc returns the voting blocs of the windows of o.
type BlocsFunc func(ctx context.Context, o blocs.Options) (*blocs.Result, error)

// Sources are what a brief is built from. Only Index is required; a nil store
// makes its section say that its data is missing.
type Sources struct {
	Index    *align.Index           // the UN votes, loaded and indexed
	Votes    string                 // where the votes come from, e.g. the database file ("" for "the vote store")
	Cache    concord.ResultCache    // keeps ideal points between runs; nil computes them each time (unless Ideal is set)
	Ideal    IdealFunc              // ideal points; nil uses report.IdealPoints with Cache
	Blocs    BlocsFunc              // voting blocs; nil runs blocs.Analyze on Index
	Registry concord.AgreementStore // agreements and commitments; nil: not configured
	Events   concord.EventStore     // coded events; nil: not configured
	Trade    concord.TradeStore     // trade years; nil: not configured
	Today    string                 // yyyy-mm-dd on which commitments are overdue; "" for today (UTC)
}

// Num is a number that is null in JSON when it is undefined (NaN).
type Num float64

// MarshalJSON writes NaN and infinities as null.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*n = Num(f)
	return err
}

// Section is what every section says about itself.
type Section struct {
	Source  string   `json:"source"`            // where the data comes from
	AsOf    string   `json:"as_of"`             // how recent the data is: the newest record used, or "" when there is none
	Missing string   `json:"missing,omitempty"` // why the section has no data, in plain words; "" when it has
	Notes   []string `json:"notes,omitempty"`   // what a reader should know to read the numbers
}

// Brief is the relationship brief of two or more states.
type Brief struct {
	States     []string   `json:"-"` // state codes, as asked
	From, To   int        `json:"-"` // the vote window (years)
	Alignment  Alignment  `json:"alignment"`
	Positions  Positions  `json:"positions"`
	Agreements Agreements `json:"agreements"`
	Events     Events     `json:"events"`
	Economy    Economy    `json:"economy"`
	Coalition  Coalition  `json:"coalition"`
}

// Title names the states of the brief, e.g. "Iran and Cuba".
func (b *Brief) Title() string {
	names := make([]string, len(b.States))
	for i, s := range b.States {
		names[i] = Name(s)
	}
	return andList(names)
}

// andList joins words as "A and B" or "A, B and C".
func andList(xs []string) string {
	if len(xs) <= 2 {
		return strings.Join(xs, " and ")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// Name returns the short name of a state code, or the code when it is unknown.
func Name(code string) string {
	if s, ok := countries.ByCode(code); ok {
		return s.Name
	}
	return code
}

// pairs returns every pair of states, in the order given.
func pairs(states []string) [][2]string {
	var out [][2]string
	for i := range states {
		for j := i + 1; j < len(states); j++ {
			out = append(out, [2]string{states[i], states[j]})
		}
	}
	return out
}

// ErrStates is wrapped by the errors about the states asked for.
var ErrStates = errors.New("brief: states")

// Build computes the brief of states (canonical codes, at least two, none
// twice) over the vote window from … to (calendar years; 0 leaves a bound to
// the default: the last DefaultYears years of the record up to its last year
// with at least MinRollCalls roll calls). From and to, when
// given, also bound the agreements (by signing year) and the events; when
// left open, those sections show the latest data. A section whose data is
// missing says so; only bad arguments and store failures are errors.
func Build(ctx context.Context, src Sources, states []string, from, to int) (*Brief, error) {
	if len(states) < 2 {
		return nil, fmt.Errorf("%w: a brief needs at least two states, got %d", ErrStates, len(states))
	}
	seen := map[string]bool{}
	for _, s := range states {
		if seen[s] {
			return nil, fmt.Errorf("%w: %s is named twice", ErrStates, s)
		}
		seen[s] = true
	}
	if from < 0 || to < 0 || (from != 0 && to != 0 && from > to) {
		return nil, fmt.Errorf("brief: bad window: from %d, to %d (calendar years, from ≤ to)", from, to)
	}
	if src.Index == nil {
		return nil, errors.New("brief: no vote index in the sources")
	}
	if src.Today == "" {
		src.Today = time.Now().UTC().Format(time.DateOnly)
	}
	b := &Brief{States: slices.Clone(states)}
	m := src.Index.Matrix()
	b.From, b.To = voteWindow(m, from, to)
	var err error
	if b.Alignment, err = buildAlignment(src, b); err != nil {
		return nil, fmt.Errorf("alignment: %w", err)
	}
	if b.Positions, err = buildPositions(ctx, src, b); err != nil {
		return nil, fmt.Errorf("positions: %w", err)
	}
	if b.Agreements, err = buildAgreements(ctx, src, b, from, to); err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	if b.Events, err = buildEvents(ctx, src, b, from, to); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	if b.Economy, err = buildEconomy(ctx, src, b, to); err != nil {
		return nil, fmt.Errorf("economy: %w", err)
	}
	if b.Coalition, err = buildCoalition(src, b); err != nil {
		return nil, fmt.Errorf("coalition: %w", err)
	}
	return b, nil
}

// MinRollCalls is the number of roll calls from which a year counts as the
// record's last when the vote window's end is left open: a year with only a
// few early votes (January 2020 in the 2021 release) would make a window
// whose last year says little.
const MinRollCalls = 10

// voteWindow fills the open bounds of the vote window from the record.
func voteWindow(m *concord.Matrix, from, to int) (int, int) {
	perYear := map[int]int{}
	last, lastAny := 0, 0
	for _, rc := range m.RollCalls {
		if y := rc.Year(); y > 0 {
			perYear[y]++
			if perYear[y] >= MinRollCalls && y > last {
				last = y
			}
			lastAny = max(lastAny, y)
		}
	}
	if last == 0 { // a small record: no year has MinRollCalls roll calls
		last = lastAny
	}
	if to == 0 {
		to = last
		if from > to {
			to = from
		}
	}
	if from == 0 {
		from = max(to-DefaultYears+1, 0)
	}
	return from, to
}

// votesSection is the header of the sections computed from the votes.
func votesSection(src Sources, what string) Section {
	m := src.Index.Matrix()
	where := "the vote store"
	if src.Votes != "" {
		where = src.Votes
	}
	s := Section{Source: fmt.Sprintf("UN General Assembly roll-call votes (Voeten et al.), %d roll calls in %s; %s", len(m.RollCalls), where, what)}
	for i := len(m.RollCalls) - 1; i >= 0; i-- {
		if !m.RollCalls[i].Date.IsZero() {
			s.AsOf = report.Date(m.RollCalls[i].Date)
			break
		}
	}
	return s
}

// missingVotes names the states without votes in the record, or "".
func missingVotes(m *concord.Matrix, states []string) string {
	var no []string
	for _, s := range states {
		if _, ok := m.StateIndex(s); !ok {
			no = append(no, Name(s)+" ("+s+")")
		}
	}
	if len(no) == 0 {
		return ""
	}
	return strings.Join(no, ", ") + " cast no vote in the UN General Assembly record held"
}
