package align

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metric names one of the four alignment measures a Row carries.
type Metric int

// The metrics; see the package comment for their definitions.
const (
	Agree       Metric = iota // share of agreement, abstentions counting half
	SScore                    // Signorino–Ritter S on yes=1, abstain=2, no=3 (equals 2·agree − 1)
	Kappa                     // Cohen's kappa with linear weights, as in Häge (2011)
	Coincidence               // US State Department "votes only" coincidence
)

// Metrics lists every metric in the order of Row's fields.
var Metrics = []Metric{Agree, SScore, Kappa, Coincidence}

// String returns the metric's name as used in JSON: agree, s_score, kappa or coincidence.
func (m Metric) String() string {
	switch m {
	case Agree:
		return "agree"
	case SScore:
		return "s_score"
	case Kappa:
		return "kappa"
	case Coincidence:
		return "coincidence"
	}
	return "Metric(" + strconv.Itoa(int(m)) + ")"
}

// MarshalText writes the metric's name, so that it is a string in JSON.
func (m Metric) MarshalText() ([]byte, error) {
	if m < Agree || m > Coincidence {
		return nil, fmt.Errorf("unknown metric %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads a name as ParseMetric does.
func (m *Metric) UnmarshalText(b []byte) error {
	v, err := ParseMetric(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMetric parses a metric name (agree, s_score, kappa or coincidence; also s, sscore, s-score), case-insensitive.
func ParseMetric(s string) (Metric, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "agree", "agreement":
		return Agree, nil
	case "s_score", "s-score", "sscore", "s":
		return SScore, nil
	case "kappa":
		return Kappa, nil
	case "coincidence":
		return Coincidence, nil
	}
	return 0, fmt.Errorf("unknown metric %q (want agree, s_score, kappa or coincidence)", s)
}

// By says how Pair groups roll calls into periods: all together, by calendar year or by session.
type By int

// The groupings of Pair.
const (
	All     By = iota // one period, "all"
	Year              // one period per calendar year of the vote date, e.g. "1999"
	Session           // one period per UN General Assembly session, e.g. "54"
)

// String returns all, year or session.
func (b By) String() string {
	switch b {
	case All:
		return "all"
	case Year:
		return "year"
	case Session:
		return "session"
	}
	return "By(" + strconv.Itoa(int(b)) + ")"
}

// ParseBy parses all, year or session, case-insensitive; the empty string means all.
func ParseBy(s string) (By, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "all", "":
		return All, nil
	case "year":
		return Year, nil
	case "session":
		return Session, nil
	}
	return 0, fmt.Errorf("unknown grouping %q (want all, year or session)", s)
}

// Row holds the alignment of two states over one period; undefined metrics are NaN and marshal to JSON null.
type Row struct {
	Period      string  // "all", a year such as "1999", or a session such as "54"
	Votes       int     // roll calls on which both states voted yes, no or abstain
	Agree       float64 // (identical + ½·one abstained) / votes; NaN when votes = 0
	SScore      float64 // 1 − mean |a − b| on yes=1, abstain=2, no=3; NaN when votes = 0
	Kappa       float64 // 1 − D_obs/D_exp with weights |i−j|/2; NaN when votes = 0 or D_exp = 0
	Coincidence float64 // identical / (identical + opposite) over yes/no pairs; NaN when there are none
}

// Value returns the field of r that metric m names (NaN for an unknown metric).
func (r Row) Value(m Metric) float64 {
	switch m {
	case Agree:
		return r.Agree
	case SScore:
		return r.SScore
	case Kappa:
		return r.Kappa
	case Coincidence:
		return r.Coincidence
	}
	return math.NaN()
}

// rowJSON is the JSON shape of a Row: NaN becomes null.
type rowJSON struct {
	Period      string   `json:"period"`
	Votes       int      `json:"votes"`
	Agree       *float64 `json:"agree"`
	SScore      *float64 `json:"s_score"`
	Kappa       *float64 `json:"kappa"`
	Coincidence *float64 `json:"coincidence"`
}

func nullable(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func unnull(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func (r Row) toJSON() rowJSON {
	return rowJSON{Period: r.Period, Votes: r.Votes, Agree: nullable(r.Agree), SScore: nullable(r.SScore),
		Kappa: nullable(r.Kappa), Coincidence: nullable(r.Coincidence)}
}

// MarshalJSON writes r with keys period, votes, agree, s_score, kappa and coincidence, NaN as null.
func (r Row) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// AppendJSON appends what MarshalJSON writes to b, byte for byte what
// encoding/json writes, without reflection (for servers writing many rows).
func (r Row) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = r.appendFields(b)
	return append(b, '}')
}

// appendFields appends r's keys and values without braces.
func (r Row) appendFields(b []byte) []byte {
	b = append(b, `"period":`...)
	b = AppendJSONString(b, r.Period)
	b = append(b, `,"votes":`...)
	b = strconv.AppendInt(b, int64(r.Votes), 10)
	b = append(b, `,"agree":`...)
	b = AppendJSONFloat(b, r.Agree)
	b = append(b, `,"s_score":`...)
	b = AppendJSONFloat(b, r.SScore)
	b = append(b, `,"kappa":`...)
	b = AppendJSONFloat(b, r.Kappa)
	b = append(b, `,"coincidence":`...)
	return AppendJSONFloat(b, r.Coincidence)
}

// AppendJSONFloat appends f as encoding/json writes a float64, NaN and infinities as null.
func AppendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 to e-9, as encoding/json
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// AppendJSONString appends s as a JSON string, as encoding/json writes it (HTML characters escaped).
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // rare: leave escaping to encoding/json
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (r *Row) UnmarshalJSON(b []byte) error {
	var j rowJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = fromJSON(j)
	return nil
}

func fromJSON(j rowJSON) Row {
	return Row{Period: j.Period, Votes: j.Votes, Agree: unnull(j.Agree), SScore: unnull(j.SScore),
		Kappa: unnull(j.Kappa), Coincidence: unnull(j.Coincidence)}
}

// Partner is another state's alignment with the state Partners was asked about.
type Partner struct {
	State string // the partner's state code
	Row          // its alignment over the whole window (Period "all")
}

// partnerJSON is the JSON shape of a Partner: its Row with a leading "state" key.
type partnerJSON struct {
	State string `json:"state"`
	rowJSON
}

// MarshalJSON writes p as the JSON of its Row with a leading "state" key.
func (p Partner) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil), nil }

// AppendJSON appends what MarshalJSON writes to b.
func (p Partner) AppendJSON(b []byte) []byte {
	b = append(b, `{"state":`...)
	b = AppendJSONString(b, p.State)
	b = append(b, ',')
	b = p.Row.appendFields(b)
	return append(b, '}')
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (p *Partner) UnmarshalJSON(b []byte) error {
	var j partnerJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Partner{State: j.State, Row: fromJSON(j.rowJSON)}
	return nil
}

// MarshalJSON writes p with keys states, metric, values and votes, NaN values as null.
func (p *Pairs) MarshalJSON() ([]byte, error) {
	values := make([][]*float64, len(p.Values))
	for i, row := range p.Values {
		values[i] = make([]*float64, len(row))
		for j, v := range row {
			values[i][j] = nullable(v)
		}
	}
	return json.Marshal(struct {
		States []string     `json:"states"`
		Metric Metric       `json:"metric"`
		Values [][]*float64 `json:"values"`
		Votes  [][]int      `json:"votes"`
	}{p.States, p.Metric, values, p.Votes})
}

// counts are the popcounts one pair of states yields over a set of roll calls;
// everything else of the 3×3 table that the metrics need follows from them.
type counts struct {
	n              int // both cast yes, abstain or no
	aY, aN, bY, bN int // marginals of each state over those n
	sameYN         int // both yes or both no
	opp            int // one yes, the other no
}

// row computes the metrics from c. Integer arithmetic is kept as long as
// possible, so that each metric is a single division.
func (c counts) row(period string) Row {
	r := Row{Period: period, Votes: c.n}
	nan := math.NaN()
	if c.n == 0 {
		r.Agree, r.SScore, r.Kappa, r.Coincidence = nan, nan, nan, nan
		return r
	}
	aA := c.n - c.aY - c.aN
	bA := c.n - c.bY - c.bN
	// Both abstained: aA = AA + AY + AN, where a abstaining while b voted yes
	// or no is b's yes and no votes not matched by a yes or no of a:
	// AY + AN = bY + bN − (sameYN + opp).
	aa := aA - (c.bY + c.bN - c.sameYN - c.opp)
	identical := c.sameYN + aa
	oneAbstained := c.n - identical - c.opp
	n := float64(c.n)
	// dist is Σ|a−b| on yes=1, abstain=2, no=3: 1 per single abstention, 2 per opposite pair.
	dist := oneAbstained + 2*c.opp
	r.Agree = float64(2*c.n-dist) / (2 * n)
	r.SScore = float64(c.n-dist) / n
	// exp is 2n²·D_exp, with weights ½ for neighbouring categories and 1 for yes/no;
	// D_obs = dist/2n, so D_obs/D_exp = n·dist/exp.
	exp := c.aY*bA + aA*c.bY + aA*c.bN + c.aN*bA + 2*(c.aY*c.bN+c.aN*c.bY)
	if exp == 0 {
		r.Kappa = nan
	} else {
		r.Kappa = float64(exp-c.n*dist) / float64(exp)
	}
	if yn := c.sameYN + c.opp; yn == 0 {
		r.Coincidence = nan
	} else {
		r.Coincidence = float64(c.sameYN) / float64(yn)
	}
	return r
}
