package ideal

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"

	concord "github.com/concord-project/concord"
)

// Period is the time unit over which positions may move: a session of the
// General Assembly or a calendar year.
type Period uint8

// The periods. Session is the zero value.
const (
	Session Period = iota // UN General Assembly session (1 = 1946)
	Year                  // calendar year of the vote date
)

// String returns "session" or "year".
func (p Period) String() string {
	switch p {
	case Session:
		return "session"
	case Year:
		return "year"
	}
	return fmt.Sprintf("Period(%d)", uint8(p))
}

// MarshalText encodes p as its String.
func (p Period) MarshalText() ([]byte, error) {
	if p != Session && p != Year {
		return nil, fmt.Errorf("ideal: invalid period %d", uint8(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes p with ParsePeriod.
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePeriod parses "session" or "year" (case-insensitive).
func ParsePeriod(s string) (Period, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "session":
		return Session, nil
	case "year":
		return Year, nil
	}
	return 0, fmt.Errorf("unknown period %q (want session or year)", s)
}

// Version changes whenever the estimator's results change for the same
// votes and options; caches of results should include it in their keys. 2:
// Newton steps with a PX step and the rms stopping rule; 3: symmetric
// bootstrap intervals from the root mean square error.
const Version = 3

// Defaults of Options fields left at their zero value.
const (
	DefaultOmega2    = 0.1   // random-walk variance per period, as in emIRT's dynIRT examples
	DefaultMaxIter   = 2000  // iteration limit
	DefaultTol       = 5e-4  // convergence: the standardised positions move by a root mean square of at most Tol in an iteration
	DefaultReference = "USA" // state whose mean position is made positive
)

// Options control Estimate. The zero value is a static ordinal fit by session,
// oriented on "USA", without bridges or bootstrap.
type Options struct {
	By       Period  // period of the positions (and of Point.Period): Session or Year
	Dynamic  bool    // one position per state and period, linked by a random walk; false: one position per state
	Omega2   float64 // variance ω² of the random-walk step per period (Dynamic only); 0 means DefaultOmega2
	Bridge   bool    // roll calls on the same recurring resolution in different sessions share item parameters (see Bridges)
	Binary   bool    // treat abstentions as missing and fit a yes/no probit, as pscl::ideal and MCMCpack do
	MaxIter  int     // iteration limit; 0 means DefaultMaxIter
	Tol      float64 // converged when the standardised positions move by a root mean square of at most Tol in one iteration; 0 means DefaultTol
	MinVotes int     // states that cast fewer votes (yes, abstain, no) on the roll calls used are left out; ≤ 1 keeps all
	// Bootstrap is the number of parametric bootstrap replicates for SE, Lo
	// and Hi; 0 skips the bootstrap.
	Bootstrap int
	Seed      int64  // seed of the bootstrap's random numbers
	Reference string // code of the state whose mean position is made positive; "" means DefaultReference; it must be estimated (else ErrReference)
	Workers   int    // goroutines; 0 means runtime.GOMAXPROCS(0)
	// Progress, when not nil, is called during the main fit with the number
	// of EM iterations so far and the change of the last one (see Tol).
	Progress func(iter int, change float64) `json:"-"`
}

// Point is one state's estimated position in one period.
type Point struct {
	State  string  // state code as in the matrix
	Period int     // session or year; 0 in a static fit
	Ideal  float64 // position, standardised over all points (mean 0, sd 1); higher is closer to the reference state
	SE     float64 // bootstrap standard error (root mean square of the bootstrap errors); 0 without bootstrap
	Lo, Hi float64 // bootstrap 90% interval, Ideal ∓ t·SE (t the 95% quantile of Student's t with Options.Bootstrap degrees of freedom); both Ideal without bootstrap
	PostSD float64 // posterior sd given the items (Laplace approximation), in the same scale: it ignores the items' uncertainty, prefer SE
	Votes  int     // votes (yes, abstain, no) the state cast in this period on the roll calls used
}

// Item is the estimated ordered probit of one roll call, or of several that
// share parameters through a bridge. In the scale of Point.Ideal, a state at
// position x has latent utility u = Discrimination·x + ε, ε ~ N(0, 1), and
// casts Votes[k] where k is the number of Cuts below u.
type Item struct {
	Columns        []int          // roll-call columns of the matrix, in column order
	Votes          []concord.Vote // the vote categories observed, in order: a subset of No, Abstain, Yes
	Discrimination float64        // change of the latent utility per unit of position
	Cuts           []float64      // thresholds between consecutive categories, len(Votes)-1
	Cast           int            // votes cast on it by the states estimated
}

// Prob returns the probability that a state at position x casts each of
// it.Votes.
func (it Item) Prob(x float64) []float64 {
	u := it.Discrimination * x
	out := make([]float64, len(it.Votes))
	prev := 0.0
	for k, c := range it.Cuts {
		cdf := 0.5 * math.Erfc(-(c-u)*invSqrt2)
		out[k] = cdf - prev
		prev = cdf
	}
	out[len(out)-1] = 1 - prev
	return out
}

// Result is a fitted model.
type Result struct {
	Points     []Point  // by state (matrix order), then period
	Items      []Item   // by first column
	Periods    []int    // the periods with roll calls used, ascending (Dynamic); nil for a static fit
	Dropped    []string // states left out by MinVotes
	Skipped    int      // roll-call columns left out because every state cast the same vote (or none)
	Bridges    int      // items shared by roll calls in several sessions
	Bridged    int      // roll-call columns in those items
	Iterations int      // EM iterations of the main fit
	Converged  bool     // Change ≤ Tol within MaxIter
	Change     float64  // root mean square change of the standardised positions in the last iteration (see Options.Tol)
	// BootConverged counts the bootstrap replicates that converged within
	// MaxIter (the others are used as they stand).
	BootConverged int
	Options       Options // the options with defaults filled in
}

// Trajectory returns the points of state code s, by period (nil if s was not
// estimated).
func (r *Result) Trajectory(s string) []Point {
	i := 0
	for i < len(r.Points) && r.Points[i].State != s {
		i++
	}
	j := i
	for j < len(r.Points) && r.Points[j].State == s {
		j++
	}
	if i == j {
		return nil
	}
	return r.Points[i:j:j]
}

// Mean returns the mean position of state code s over periods from … to
// (inclusive; 0, 0 means all) and whether it had any point there.
func (r *Result) Mean(s string, from, to int) (float64, bool) {
	var sum float64
	n := 0
	for _, p := range r.Trajectory(s) {
		if (from == 0 && to == 0) || (p.Period >= from && p.Period <= to) {
			sum += p.Ideal
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// ErrReference is returned when the reference state is not among those
// estimated.
var ErrReference = errors.New("ideal: reference state not estimated")

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.By != Session && o.By != Year:
		return o, fmt.Errorf("ideal: Options.By = %d: want Session or Year", o.By)
	case o.Omega2 < 0 || math.IsNaN(o.Omega2) || math.IsInf(o.Omega2, 0):
		return o, fmt.Errorf("ideal: Options.Omega2 = %v: want a variance > 0 (0 for the default %v)", o.Omega2, DefaultOmega2)
	case o.MaxIter < 0:
		return o, fmt.Errorf("ideal: Options.MaxIter = %d: want ≥ 0", o.MaxIter)
	case o.Tol < 0 || math.IsNaN(o.Tol) || o.Tol >= 1:
		return o, fmt.Errorf("ideal: Options.Tol = %v: want 0 ≤ Tol < 1", o.Tol)
	case o.Bootstrap < 0:
		return o, fmt.Errorf("ideal: Options.Bootstrap = %d: want ≥ 0", o.Bootstrap)
	case o.Workers < 0:
		return o, fmt.Errorf("ideal: Options.Workers = %d: want ≥ 0", o.Workers)
	}
	if o.Omega2 == 0 {
		o.Omega2 = DefaultOmega2
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	if o.Reference == "" {
		o.Reference = DefaultReference
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MinVotes < 1 {
		o.MinVotes = 1
	}
	return o, nil
}

// category maps a vote to its rank (No 0, Abstain 1, Yes 2), or -1 when it is
// not a vote taken into account.
func category(v concord.Vote, binary bool) int {
	switch v {
	case concord.No:
		return 0
	case concord.Abstain:
		if binary {
			return -1
		}
		return 1
	case concord.Yes:
		return 2
	}
	return -1
}

var rankVote = [3]concord.Vote{concord.No, concord.Abstain, concord.Yes}

// Estimate fits the ordinal ideal-point model to the votes of m on roll-call
// columns cols (nil means all columns) and returns the standardised positions,
// the items and, with opt.Bootstrap > 0, bootstrap uncertainty. Invalid
// options or columns give an error naming the field or index; it stops with
// ctx's error when ctx is cancelled. The matrix is only read.
func Estimate(ctx context.Context, m *concord.Matrix, cols []int, opt Options) (*Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("ideal: nil matrix")
	}
	b, err := build(m, cols, opt)
	if err != nil {
		return nil, err
	}
	ref, ok := b.stateRow[opt.Reference]
	if !ok {
		return nil, fmt.Errorf("%w: Options.Reference = %q is not among the %d states estimated", ErrReference, opt.Reference, len(b.states))
	}
	f := newFitter(b.d, b.cat, b.start(), opt.Workers)
	res := &Result{Options: opt, Skipped: b.skipped, Dropped: b.dropped}
	res.Iterations, res.Converged, res.Change, err = f.run(ctx, opt.MaxIter, opt.Tol, opt.Progress)
	if err != nil {
		return nil, err
	}
	sc := b.scaleOf(&f.p, ref)
	prec := b.d.laplace(&f.p, b.cat)
	b.fillResult(res, &f.p, b.d.laplaceVar(prec), sc)
	if opt.Bootstrap > 0 {
		if err := b.bootstrap(ctx, res, &f.p, prec, ref, opt); err != nil {
			return nil, err
		}
	}
	return res, nil
}
