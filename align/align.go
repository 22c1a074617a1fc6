// Package align measures how alike two states vote in the UN General
// Assembly, over a window of roll calls of a concord.Matrix.
//
// Only roll calls on which both states voted yes, abstain or no count (absent,
// non-member and missing cells are left out); their number is Row.Votes.
// Over those, with yes, abstain and no ordered as 1, 2, 3:
//
//   - Agree is (identical + ½ × votes where exactly one abstained) / votes,
//     the usual "agreement" of UN voting studies (Voeten 2013);
//   - SScore is Signorino and Ritter's S with absolute distance on that
//     scale, 1 − mean |a − b|, which equals 2·Agree − 1 (Signorino and Ritter
//     1999, "Tau-b or Not Tau-b", International Studies Quarterly 43(1));
//   - Kappa is Cohen's kappa with linear disagreement weights |i − j|/2,
//     1 − D_obs/D_exp, where D_obs = Σ w_ij o_ij over the observed table and
//     D_exp = Σ w_ij pA_i pB_j over the product of the two states' marginals
//     on the same roll calls, which corrects agreement for chance (Häge 2011,
//     "Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity
//     for Chance Agreement", Political Analysis 19(3));
//   - Coincidence is the US State Department's "votes only" coincidence,
//     identical / (identical + opposite) over roll calls where both voted yes
//     or no (Voting Practices in the United Nations, annual report).
//
// A metric that is undefined is NaN: all four when Votes is 0, Kappa when
// D_exp is 0 (both states cast every vote in one and the same category, so
// chance explains all agreement), Coincidence when no roll call has both
// states voting yes or no. Row marshals NaN to JSON null; callers printing
// tables should show it as an empty cell (output.Float does).
//
// NewIndex turns the matrix into bitsets once: for every state three bit
// planes (cast, yes, no) over the roll-call columns, so that a pair over a
// window is seven popcounts (math/bits.OnesCount64) per 64 roll calls; it
// also indexes each issue's roll calls apart, so that a window on one issue
// costs popcounts over that issue's roll calls only. Index
// is read-only after NewIndex and safe for concurrent use. Pair gives one
// pair's Row for the window or for each year or session in it; Partners ranks
// every other state by one metric; AllPairs fills the matrix of one metric for
// all states, in parallel over rows.
package align

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/concord-project/concord"
)

// Window selects the roll calls a metric is computed over, with exactly the
// meaning of concord.RollCallFilter (calendar years From..To inclusive, 0
// open; only Issue; only Important; Search in resolution or descriptions).
type Window concord.RollCallFilter

// Filter returns w as a concord.RollCallFilter.
func (w Window) Filter() concord.RollCallFilter { return concord.RollCallFilter(w) }

// Validate reports a negative year, From after To, or an unknown issue.
func (w Window) Validate() error {
	if w.From < 0 {
		return fmt.Errorf("window: from year %d is negative", w.From)
	}
	if w.To < 0 {
		return fmt.Errorf("window: to year %d is negative", w.To)
	}
	if w.From != 0 && w.To != 0 && w.From > w.To {
		return fmt.Errorf("window: from year %d is after to year %d", w.From, w.To)
	}
	if w.Issue != "" && issueIndex(w.Issue) < 0 {
		return fmt.Errorf("window: unknown issue %q (want one of me, nu, di, hr, co, ec)", w.Issue)
	}
	return nil
}

// issueIndex is the position of issue i in concord.Issues, or -1.
func issueIndex(i concord.Issue) int {
	for k, x := range concord.Issues {
		if x == i {
			return k
		}
	}
	return -1
}

// planes is one 64-roll-call word of one state: c has a bit for every cast
// vote (yes, abstain or no), y for yes, n for no; abstain is c &^ (y | n).
type planes struct{ c, y, n uint64 }

// planeBits maps a vote to its bits in planes: 1 cast, 2 yes, 4 no.
var planeBits = [256]uint8{concord.Yes: 1 | 2, concord.Abstain: 1, concord.No: 1 | 4}

// period is a group of columns (a year or a session) as a mask over words lo..lo+len(bits).
type period struct {
	key   int // the year or session; 0 when unknown
	label string
	lo    int
	bits  []uint64
}

// Index holds the vote matrix as bitsets, ready for any number of alignment queries.
type Index struct {
	m         *concord.Matrix
	cols      []int // the matrix column of each of ix's columns; nil when ix has every column of m
	words     int
	rows      [][]planes // per state, words long
	columns   []uint64   // every roll call
	issue     [][]uint64 // per concord.Issues[k]: the roll calls tagged with it
	important []uint64   // the roll calls classified important
	years     []period   // chronological, undated first
	sessions  []period   // by session number, unknown first
	byIssue   []*Index   // per concord.Issues[k]: an index of that issue's roll calls alone (nil in such an index)
}

// NewIndex builds the bitsets of every state of m; m must not change afterwards.
// Besides the whole matrix it indexes each issue's roll calls on their own, so
// that a window on one issue scans only that issue's columns.
func NewIndex(m *concord.Matrix) *Index {
	ix := newIndex(m, nil)
	ix.byIssue = make([]*Index, len(concord.Issues))
	for k, is := range concord.Issues {
		cols := []int{}
		for r, rc := range m.RollCalls {
			if slices.Contains(rc.Issues, is) {
				cols = append(cols, r)
			}
		}
		ix.byIssue[k] = newIndex(m, cols)
	}
	return ix
}

// newIndex indexes the columns cols of m (in order; every column when cols is nil).
func newIndex(m *concord.Matrix, cols []int) *Index {
	nc := len(m.RollCalls)
	if cols != nil {
		nc = len(cols)
	}
	nw := (nc + 63) / 64
	ix := &Index{
		m:         m,
		cols:      cols,
		words:     nw,
		rows:      make([][]planes, len(m.States)),
		columns:   make([]uint64, nw),
		issue:     make([][]uint64, len(concord.Issues)),
		important: make([]uint64, nw),
	}
	all := make([]planes, len(m.States)*nw)
	for s := range m.States {
		row := all[s*nw : (s+1)*nw : (s+1)*nw]
		votes := m.Row(s)
		for w := range row {
			var c, y, n uint64
			for k := range min(64, nc-w*64) {
				p := uint64(planeBits[votes[ix.col(w*64+k)]])
				c |= (p & 1) << k
				y |= (p >> 1 & 1) << k
				n |= (p >> 2 & 1) << k
			}
			row[w] = planes{c, y, n}
		}
		ix.rows[s] = row
	}
	for k := range ix.issue {
		ix.issue[k] = make([]uint64, nw)
	}
	years := make([]int, nc)
	sessions := make([]int, nc)
	for r := range nc {
		rc := ix.rollCall(r)
		bit := uint64(1) << (r & 63)
		ix.columns[r>>6] |= bit
		years[r] = rc.Year()
		sessions[r] = rc.Session
		for _, i := range rc.Issues {
			if k := issueIndex(i); k >= 0 {
				ix.issue[k][r>>6] |= bit
			}
		}
		if rc.Important == concord.FlagTrue {
			ix.important[r>>6] |= bit
		}
	}
	ix.years = periods(years)
	ix.sessions = periods(sessions)
	return ix
}

// col returns the matrix column of ix's column r.
func (ix *Index) col(r int) int {
	if ix.cols == nil {
		return r
	}
	return ix.cols[r]
}

// rollCall returns the roll call of ix's column r.
func (ix *Index) rollCall(r int) *concord.RollCall { return &ix.m.RollCalls[ix.col(r)] }

// narrow returns the index of w's issue alone, with w asking for no issue,
// when ix has one; else ix and w. The two give the same counts.
func (ix *Index) narrow(w Window) (*Index, Window) {
	if w.Issue == "" || ix.byIssue == nil {
		return ix, w
	}
	k := issueIndex(w.Issue)
	if k < 0 {
		return ix, w // Validate reports it
	}
	w.Issue = ""
	return ix.byIssue[k], w
}

// periods groups the columns by key, in ascending key order; key 0 is labelled "unknown".
func periods(keys []int) []period {
	span := map[int][2]int{} // key → first and last column
	for r, k := range keys {
		s, ok := span[k]
		if !ok {
			s[0] = r
		}
		s[1] = r
		span[k] = s
	}
	order := make([]int, 0, len(span))
	for k := range span {
		order = append(order, k)
	}
	sort.Ints(order)
	ps := make([]period, len(order))
	for i, k := range order {
		lo, hi := span[k][0]>>6, span[k][1]>>6+1
		p := period{key: k, label: strconv.Itoa(k), lo: lo, bits: make([]uint64, hi-lo)}
		if k == 0 {
			p.label = "unknown"
		}
		for r := span[k][0]; r <= span[k][1]; r++ {
			if keys[r] == k {
				p.bits[r>>6-lo] |= 1 << (r & 63)
			}
		}
		ps[i] = p
	}
	return ps
}

// Matrix returns the matrix ix was built from.
func (ix *Index) Matrix() *concord.Matrix { return ix.m }

// States returns the state codes of the index, sorted (the rows and columns of AllPairs); do not modify it.
func (ix *Index) States() []string { return ix.m.States }

// state returns the row of code, or an error naming it.
func (ix *Index) state(code string) ([]planes, error) {
	s, ok := ix.m.StateIndex(code)
	if !ok {
		return nil, fmt.Errorf("unknown state %q (no vote recorded for it)", code)
	}
	return ix.rows[s], nil
}

// mask returns the columns of w as a bitset, with lo..hi the range of words that have any bit set.
func (ix *Index) mask(w Window) (mask []uint64, lo, hi int, err error) {
	if err := w.Validate(); err != nil {
		return nil, 0, 0, err
	}
	mask = make([]uint64, ix.words)
	if w.From == 0 && w.To == 0 {
		copy(mask, ix.columns)
	} else {
		// A bounded window leaves undated roll calls (key 0) out, as RollCallFilter.Match does.
		for _, p := range ix.years {
			if p.key != 0 && (w.From == 0 || p.key >= w.From) && (w.To == 0 || p.key <= w.To) {
				for i, b := range p.bits {
					mask[p.lo+i] |= b
				}
			}
		}
	}
	if w.Issue != "" {
		for i, b := range ix.issue[issueIndex(w.Issue)] {
			mask[i] &= b
		}
	}
	if w.Important {
		for i, b := range ix.important {
			mask[i] &= b
		}
	}
	// Anything beyond years, issue and importance (Search, or a field added
	// to concord.RollCallFilter later) is left to RollCallFilter.Match.
	rest := w
	rest.From, rest.To, rest.Issue, rest.Important = 0, 0, "", false
	if rest != (Window{}) {
		f := w.Filter()
		for i, b := range mask {
			for ; b != 0; b &= b - 1 {
				k := bits.TrailingZeros64(b)
				if !f.Match(*ix.rollCall(i<<6 | k)) {
					mask[i] &^= 1 << k
				}
			}
		}
	}
	lo, hi = 0, len(mask)
	for lo < hi && mask[lo] == 0 {
		lo++
	}
	for hi > lo && mask[hi-1] == 0 {
		hi--
	}
	return mask, lo, hi, nil
}

// count accumulates the counts of states a and b over the columns of m (a, b and m of equal length).
func count(a, b []planes, m []uint64) counts {
	var n, aY, aN, bY, bN, same, opp int
	b = b[:len(a)]
	m = m[:len(a)]
	for i := range a {
		x, y := &a[i], &b[i]
		cast := x.c & y.c & m[i]
		ay, an := x.y&cast, x.n&cast
		by, bn := y.y&cast, y.n&cast
		n += bits.OnesCount64(cast)
		aY += bits.OnesCount64(ay)
		aN += bits.OnesCount64(an)
		bY += bits.OnesCount64(by)
		bN += bits.OnesCount64(bn)
		same += bits.OnesCount64(ay&by | an&bn)
		opp += bits.OnesCount64(ay&bn | an&by)
	}
	return counts{n: n, aY: aY, aN: aN, bY: bY, bN: bN, sameYN: same, opp: opp}
}

// countPremasked is count for planes whose c already has the window applied.
func countPremasked(a, b []planes) counts {
	var n, aY, aN, bY, bN, same, opp int
	b = b[:len(a)]
	for i := range a {
		x, y := &a[i], &b[i]
		cast := x.c & y.c
		ay, an := x.y&cast, x.n&cast
		by, bn := y.y&cast, y.n&cast
		n += bits.OnesCount64(cast)
		aY += bits.OnesCount64(ay)
		aN += bits.OnesCount64(an)
		bY += bits.OnesCount64(by)
		bN += bits.OnesCount64(bn)
		same += bits.OnesCount64(ay&by | an&bn)
		opp += bits.OnesCount64(ay&bn | an&by)
	}
	return counts{n: n, aY: aY, aN: aN, bY: bY, bN: bN, sameYN: same, opp: opp}
}

// Pair returns the alignment of states a and b (codes) over window w: by All
// exactly one Row, Period "all" (with NaN metrics if they never voted
// together); by Year or Session one Row per calendar year ("1999") or session
// ("54") in chronological order, leaving out periods without a common vote
// (undated roll calls or unknown sessions form the period "unknown").
func (ix *Index) Pair(a, b string, w Window, by By) ([]Row, error) {
	ix, w = ix.narrow(w)
	ra, err := ix.state(a)
	if err != nil {
		return nil, err
	}
	rb, err := ix.state(b)
	if err != nil {
		return nil, err
	}
	mask, lo, hi, err := ix.mask(w)
	if err != nil {
		return nil, err
	}
	var ps []period
	switch by {
	case All:
		c := count(ra[lo:hi], rb[lo:hi], mask[lo:hi])
		return []Row{c.row("all")}, nil
	case Year:
		ps = ix.years
	case Session:
		ps = ix.sessions
	default:
		return nil, fmt.Errorf("unknown grouping %v", by)
	}
	var rows []Row
	buf := make([]uint64, 0, 8)
	for _, p := range ps {
		buf = buf[:0]
		for i, bm := range p.bits {
			buf = append(buf, bm&mask[p.lo+i])
		}
		end := p.lo + len(p.bits)
		if c := count(ra[p.lo:end], rb[p.lo:end], buf); c.n > 0 {
			rows = append(rows, c.row(p.label))
		}
	}
	return rows, nil
}

// Partners returns every state other than a that voted with it on at least
// minVotes roll calls of window w (minVotes ≤ 0 keeps states with none, whose
// metrics are NaN), with its Row over the window, sorted by metric descending
// (NaN last), ties by state code.
func (ix *Index) Partners(a string, w Window, metric Metric, minVotes int) ([]Partner, error) {
	ix, w = ix.narrow(w)
	ra, err := ix.state(a)
	if err != nil {
		return nil, err
	}
	if metric < Agree || metric > Coincidence {
		return nil, fmt.Errorf("unknown metric %v", metric)
	}
	mask, lo, hi, err := ix.mask(w)
	if err != nil {
		return nil, err
	}
	// Apply the window to a's cast plane once; every pair then skips the mask.
	am := make([]planes, hi-lo)
	for i := range am {
		p := ra[lo+i]
		am[i] = planes{c: p.c & mask[lo+i], y: p.y, n: p.n}
	}
	ps := make([]Partner, 0, len(ix.rows))
	for s, rb := range ix.rows {
		code := ix.m.States[s]
		if code == a {
			continue
		}
		c := countPremasked(am, rb[lo:hi])
		if c.n < minVotes {
			continue
		}
		ps = append(ps, Partner{State: code, Row: c.row("all")})
	}
	// The order is total (ties by code), so an unstable sort on cached keys
	// suffices; the keys carry positions, not the partners, to move little.
	type keyed struct {
		v float64
		i int
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		ks[i] = keyed{p.Value(metric), i}
	}
	slices.SortFunc(ks, func(x, y keyed) int {
		switch nx, ny := math.IsNaN(x.v), math.IsNaN(y.v); {
		case nx != ny:
			if ny {
				return -1
			}
			return 1
		case !nx && x.v != y.v:
			if x.v > y.v {
				return -1
			}
			return 1
		}
		return strings.Compare(ps[x.i].State, ps[y.i].State)
	})
	// Put ps in the order of ks in place (ps[j] = old ps[ks[j].i]), cycle by cycle.
	for i := range ks {
		if ks[i].i == i {
			continue
		}
		tmp, j := ps[i], i
		for {
			k := ks[j].i
			ks[j].i = j // done
			if k == i {
				ps[j] = tmp
				break
			}
			ps[j] = ps[k]
			j = k
		}
	}
	return ps, nil
}

// dense returns every state's planes restricted to the window mask (words
// lo..hi), with the mask applied to the cast planes so that pairs need no
// mask. A sparse window (such as one issue) is gathered column by column into
// fewer words; a dense one keeps the words that have any roll call of it.
func (ix *Index) dense(mask []uint64, lo, hi int) [][]planes {
	ncols := 0
	for _, b := range mask[lo:hi] {
		ncols += bits.OnesCount64(b)
	}
	ns := len(ix.rows)
	rows := make([][]planes, ns)
	if ncols*2 < (hi-lo)*64 {
		cols := make([]int, 0, ncols)
		for i := lo; i < hi; i++ {
			for b := mask[i]; b != 0; b &= b - 1 {
				cols = append(cols, ix.col(i<<6|bits.TrailingZeros64(b)))
			}
		}
		nw := (ncols + 63) / 64
		all := make([]planes, ns*nw)
		for s := range rows {
			d := all[s*nw : (s+1)*nw : (s+1)*nw]
			votes := ix.m.Row(s)
			for w := range d {
				var c, y, n uint64
				for k, col := range cols[w*64 : min(w*64+64, ncols)] {
					p := uint64(planeBits[votes[col]])
					c |= (p & 1) << k
					y |= (p >> 1 & 1) << k
					n |= (p >> 2 & 1) << k
				}
				d[w] = planes{c, y, n}
			}
			rows[s] = d
		}
		return rows
	}
	var active []int
	for i := lo; i < hi; i++ {
		if mask[i] != 0 {
			active = append(active, i)
		}
	}
	nw := len(active)
	all := make([]planes, ns*nw)
	for s, row := range ix.rows {
		d := all[s*nw : (s+1)*nw : (s+1)*nw]
		for k, i := range active {
			p := row[i]
			d[k] = planes{c: p.c & mask[i], y: p.y, n: p.n}
		}
		rows[s] = d
	}
	return rows
}

// Pairs is one metric for every pair of states over one window.
type Pairs struct {
	States []string    // row and column order: Index.States
	Metric Metric      // the metric in Values
	Values [][]float64 // Values[i][j] = Values[j][i], NaN where undefined; the diagonal is a state with itself
	Votes  [][]int     // roll calls of the window on which both cast a vote
}

// AllPairs computes metric for every pair of states (each state with itself
// on the diagonal) over window w, in parallel over rows.
func (ix *Index) AllPairs(w Window, metric Metric) (*Pairs, error) {
	if metric < Agree || metric > Coincidence {
		return nil, fmt.Errorf("unknown metric %v", metric)
	}
	ix, w = ix.narrow(w)
	mask, lo, hi, err := ix.mask(w)
	if err != nil {
		return nil, err
	}
	ns := len(ix.rows)
	rows := ix.dense(mask, lo, hi)
	voted := make([]bool, ns) // the state cast any vote in the window
	for s, d := range rows {
		for _, p := range d {
			if p.c != 0 {
				voted[s] = true
				break
			}
		}
	}
	p := &Pairs{States: ix.m.States, Metric: metric, Values: make([][]float64, ns), Votes: make([][]int, ns)}
	vals, votes := make([]float64, ns*ns), make([]int, ns*ns)
	for s := range ns {
		p.Values[s] = vals[s*ns : (s+1)*ns : (s+1)*ns]
		p.Votes[s] = votes[s*ns : (s+1)*ns : (s+1)*ns]
	}
	nan := math.NaN()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(ns, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= ns {
					return
				}
				for j := i; j < ns; j++ {
					v, n := nan, 0
					if voted[i] && voted[j] {
						c := countPremasked(rows[i], rows[j])
						v, n = c.row("").Value(metric), c.n
					}
					vals[i*ns+j], vals[j*ns+i] = v, v
					votes[i*ns+j], votes[j*ns+i] = n, n
				}
			}
		})
	}
	wg.Wait()
	return p, nil
}
