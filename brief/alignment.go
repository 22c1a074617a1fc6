package brief

import (
	"fmt"
	"math"
	"strconv"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/report"
)

// Alignment is how alike the states vote, pair by pair.
type Alignment struct {
	Section
	States []string        `json:"states"`
	From   int             `json:"from"` // the vote window, calendar years
	To     int             `json:"to"`
	Pairs  []PairAlignment `json:"pairs"` // one per pair of states
}

// PairAlignment is the alignment of two states.
type PairAlignment struct {
	A       string            `json:"a"`
	B       string            `json:"b"`
	Overall align.Row         `json:"overall"` // over the window, as `concord align A B --from --to`
	Issues  []report.IssueRow `json:"issues"`  // per issue over the window
	Years   []align.Row       `json:"years"`   // per calendar year of the window
	Decades []align.Row       `json:"decades"` // per decade over the whole record with at least MinRollCalls common votes, e.g. period "1990s"
	// Trend is the least-squares slope of the yearly agreement over the
	// window, per decade (+0.1: ten points more agreement every ten years);
	// NaN with fewer than three years of common votes.
	Trend       Num            `json:"trend"`
	TrendText   string         `json:"trend_text"`   // the trend in words
	Splits      []report.Split `json:"splits"`       // the most recent roll calls of the window on which they split, newest first
	SplitsTotal int            `json:"splits_total"` // all splits in the window
	Missing     string         `json:"missing,omitempty"`
}

func buildAlignment(src Sources, b *Brief) (Alignment, error) {
	ix := src.Index
	m := ix.Matrix()
	al := Alignment{Section: votesSection(src, "alignment over the roll calls both states voted on (yes, no or abstain)"),
		States: b.States, From: b.From, To: b.To, Pairs: []PairAlignment{}}
	al.Notes = append(al.Notes, "agree = (identical votes + ½ × votes where exactly one abstained) / votes; "+
		"kappa corrects agreement for chance; coincidence counts only yes/no votes")
	if miss := missingVotes(m, b.States); miss != "" {
		al.Missing = miss + "."
	}
	w := align.Window{From: b.From, To: b.To}
	for _, p := range pairs(b.States) {
		pa := PairAlignment{A: p[0], B: p[1], Issues: []report.IssueRow{}, Years: []align.Row{}, Decades: []align.Row{}, Splits: []report.Split{}, Trend: Num(math.NaN())}
		ia, okA := m.StateIndex(p[0])
		ib, okB := m.StateIndex(p[1])
		if !okA || !okB {
			pa.Missing = missingVotes(m, p[:]) + "."
			pa.Overall = align.Row{Period: "all", Agree: math.NaN(), SScore: math.NaN(), Kappa: math.NaN(), Coincidence: math.NaN()}
			pa.TrendText = "no trend: no common votes"
			al.Pairs = append(al.Pairs, pa)
			continue
		}
		rows, err := ix.Pair(p[0], p[1], w, align.All)
		if err != nil {
			return al, err
		}
		pa.Overall = rows[0]
		if pa.Overall.Votes == 0 {
			pa.Missing = fmt.Sprintf("%s and %s have no common vote in %d–%d.", Name(p[0]), Name(p[1]), b.From, b.To)
		}
		for _, is := range concord.Issues {
			wi := w
			wi.Issue = is
			r, err := ix.Pair(p[0], p[1], wi, align.All)
			if err != nil {
				return al, err
			}
			pa.Issues = append(pa.Issues, report.IssueRow{Issue: is, Name: is.Name(), Row: r[0]})
		}
		if pa.Years, err = ix.Pair(p[0], p[1], w, align.Year); err != nil {
			return al, err
		}
		pa.Decades, err = decades(ix, p[0], p[1], m)
		if err != nil {
			return al, err
		}
		pa.Trend = Num(trend(pa.Years))
		pa.TrendText = trendText(float64(pa.Trend))
		pa.Splits, pa.SplitsTotal = report.FindSplits(m, ia, ib, w.Filter(), MaxSplits)
		al.Pairs = append(al.Pairs, pa)
	}
	return al, nil
}

// decades returns the pair's alignment per decade of the record with common votes.
func decades(ix *align.Index, a, b string, m *concord.Matrix) ([]align.Row, error) {
	first, last := 0, 0
	for _, rc := range m.RollCalls {
		if y := rc.Year(); y > 0 {
			if first == 0 {
				first = y
			}
			last = y
		}
	}
	out := []align.Row{}
	if first == 0 {
		return out, nil
	}
	for d := first / 10 * 10; d <= last; d += 10 {
		r, err := ix.Pair(a, b, align.Window{From: d, To: d + 9}, align.All)
		if err != nil {
			return nil, err
		}
		if r[0].Votes < MinRollCalls {
			continue // a decade barely begun (one vote of January 2020) says nothing
		}
		r[0].Period = strconv.Itoa(d) + "s"
		out = append(out, r[0])
	}
	return out, nil
}

// trend is the least-squares slope of agreement per year, times ten; NaN with fewer than three years.
func trend(rows []align.Row) float64 {
	var xs, ys []float64
	for _, r := range rows {
		y, err := strconv.Atoi(r.Period)
		if err != nil || math.IsNaN(r.Agree) {
			continue
		}
		xs, ys = append(xs, float64(y)), append(ys, r.Agree)
	}
	if len(xs) < 3 {
		return math.NaN()
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return math.NaN()
	}
	return 10 * sxy / sxx
}

// trendText says a trend in words.
func trendText(t float64) string {
	switch {
	case math.IsNaN(t):
		return "no trend: fewer than three years of common votes"
	case t >= 0.02:
		return fmt.Sprintf("converging (agreement up %.1f points per decade)", 100*t)
	case t <= -0.02:
		return fmt.Sprintf("drifting apart (agreement down %.1f points per decade)", -100*t)
	}
	return fmt.Sprintf("stable (agreement %+.1f points per decade)", 100*t)
}
