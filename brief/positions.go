package brief

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/report"
)

// IdealOptions are the options of the brief's ideal points: a dynamic fit by
// year, as the state page of concord serve and `concord ideal --by year`.
var IdealOptions = ideal.Options{By: ideal.Year, Dynamic: true, Seed: 1}

// BlocOptions are the options of the brief's voting blocs: one-year windows
// weighted by kappa (blocs.DefaultMetric) without bootstrap, as `concord
// blocs --window 1 --bootstrap 0`; From and To are the brief's window.
var BlocOptions = blocs.Options{Window: 1, Step: 1, Metric: blocs.DefaultMetric, Bootstrap: -1, Leiden: blocs.LeidenOptions{Resolution: 1, Restarts: 5, Seed: 1}}

// Positions are the states' ideal points over time and their voting blocs.
type Positions struct {
	Section
	From         int          `json:"from"`
	To           int          `json:"to"`
	Band         string       `json:"band"` // what the band around each point is
	Trajectories []Trajectory `json:"trajectories"`
	Distance     Num          `json:"distance"` // largest distance between two of the states in the last year all have a position (NaN if none)
	DistanceYear int          `json:"distance_year"`
	Blocs        BlocHistory  `json:"blocs"`
}

// Trajectory is one state's ideal point per year.
type Trajectory struct {
	State   string          `json:"state"`
	Name    string          `json:"name"`
	Points  []PositionPoint `json:"points"`
	Missing string          `json:"missing,omitempty"`
}

// PositionPoint is one year of a trajectory: the point and its band.
type PositionPoint struct {
	Year  int     `json:"year"`
	Ideal float64 `json:"ideal"`
	Lo    float64 `json:"lo"` // Ideal − 1.645 posterior sd
	Hi    float64 `json:"hi"` // Ideal + 1.645 posterior sd
	Votes int     `json:"votes"`
}

// BlocHistory says whether the states sat in one voting bloc, year by year.
type BlocHistory struct {
	Years []BlocYear `json:"years"` // one per year of the window with votes
	Same  bool       `json:"same"`  // all in one bloc in the last year
	Since int        `json:"since"` // first year of the unbroken run of years, up to the last, with the same answer as Same
	Text  string     `json:"text"`  // the answer in words
}

// BlocYear is the bloc of each state in one year's window.
type BlocYear struct {
	Year  int         `json:"year"`
	Blocs []StateBloc `json:"blocs"` // one per state placed in a bloc, in the order of the brief's states
	Same  bool        `json:"same"`  // every state placed, all in one bloc
	// Unaligned are the brief's states that voted that year but sat in no
	// bloc, having no positive tie (kappa above 0) with any state
	// (blocs.Window.Unaligned), in the order of the brief's states.
	Unaligned []string `json:"unaligned"`
}

// StateBloc is the bloc a state sat in.
type StateBloc struct {
	State string `json:"state"`
	Bloc  string `json:"bloc"` // the bloc's name: its most central member when it first appeared
}

// Of returns the bloc of state s in the year, or "" when it was not placed.
func (y BlocYear) Of(s string) string {
	for _, b := range y.Blocs {
		if b.State == s {
			return b.Bloc
		}
	}
	return ""
}

func buildPositions(ctx context.Context, src Sources, b *Brief) (Positions, error) {
	ps := Positions{Section: votesSection(src, "dynamic ordinal ideal points by year (package ideal) and Leiden voting blocs of each year, weighted by kappa (package blocs)"),
		From: b.From, To: b.To, Band: "±1.645 posterior sd (a 90% band that ignores the uncertainty of the roll calls' parameters)",
		Trajectories: []Trajectory{}, Distance: Num(math.NaN()), Blocs: BlocHistory{Years: []BlocYear{}}}
	ps.Notes = append(ps.Notes, "ideal points are on one common scale, standardised over all states and years of the fit; higher is closer to the United States")
	m := src.Index.Matrix()
	if miss := missingVotes(m, b.States); miss != "" {
		ps.Missing = miss + "."
	}
	w := concord.RollCallFilter{From: b.From, To: b.To}
	points, err := idealPoints(ctx, src, w)
	switch {
	case errors.Is(err, report.ErrEmptyWindow) || errors.Is(err, report.ErrNoVotes):
		ps.Missing = strings.TrimSpace(ps.Missing + fmt.Sprintf(" No roll call in %d–%d to place the states on.", b.From, b.To))
		return ps, nil
	case err != nil:
		return ps, err
	}
	res := &ideal.Result{Points: points}
	last := map[int]map[string]float64{}
	for _, s := range b.States {
		tr := Trajectory{State: s, Name: Name(s), Points: []PositionPoint{}}
		for _, p := range res.Trajectory(s) {
			tr.Points = append(tr.Points, PositionPoint{Year: p.Period, Ideal: p.Ideal, Lo: p.Ideal - BandZ*p.PostSD, Hi: p.Ideal + BandZ*p.PostSD, Votes: p.Votes})
			if last[p.Period] == nil {
				last[p.Period] = map[string]float64{}
			}
			last[p.Period][s] = p.Ideal
		}
		if len(tr.Points) == 0 {
			tr.Missing = fmt.Sprintf("%s has no position in %d–%d.", Name(s), b.From, b.To)
		}
		ps.Trajectories = append(ps.Trajectories, tr)
	}
	for y := b.To; y >= b.From; y-- {
		if len(last[y]) == len(b.States) {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, x := range last[y] {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
			ps.Distance, ps.DistanceYear = Num(hi-lo), y
			break
		}
	}
	ps.Blocs, err = blocHistory(ctx, src, b)
	return ps, err
}

// blocHistory finds the blocs of every year of the window and whether the states share one.
func blocHistory(ctx context.Context, src Sources, b *Brief) (BlocHistory, error) {
	h := BlocHistory{Years: []BlocYear{}}
	o := BlocOptions
	o.From, o.To = b.From, b.To
	wins, err := blocWindows(ctx, src, o)
	if err != nil {
		return h, err
	}
	for _, w := range wins {
		if len(w.Blocs) == 0 && len(w.Unaligned) == 0 {
			continue
		}
		by := BlocYear{Year: w.From, Blocs: []StateBloc{}, Unaligned: []string{}}
		for _, s := range b.States {
			if bl, ok := w.Blocs[s]; ok {
				by.Blocs = append(by.Blocs, StateBloc{State: s, Bloc: bl})
			} else if w.Unaligned[s] {
				by.Unaligned = append(by.Unaligned, s)
			}
		}
		by.Same = len(by.Blocs) == len(b.States)
		for _, x := range by.Blocs {
			if x.Bloc != by.Blocs[0].Bloc {
				by.Same = false
			}
		}
		h.Years = append(h.Years, by)
	}
	if len(h.Years) == 0 {
		h.Text = "no year of the window has votes to find blocs in"
		return h, nil
	}
	lastY := h.Years[len(h.Years)-1]
	h.Same, h.Since = lastY.Same, lastY.Year
	for i := len(h.Years) - 1; i >= 0 && h.Years[i].Same == h.Same; i-- {
		h.Since = h.Years[i].Year
	}
	all := "both"
	if len(b.States) > 2 {
		all = "all"
	}
	if h.Same {
		h.Text = fmt.Sprintf("%s in the same voting bloc every year since %d (the bloc named after its most central member, %s)", all, h.Since, lastY.Of(b.States[0]))
	} else {
		var where []string
		for _, s := range b.States {
			bl := lastY.Of(s)
			switch {
			case slices.Contains(lastY.Unaligned, s):
				bl = "unaligned, in no bloc"
			case bl == "":
				bl = "not placed"
			}
			where = append(where, s+": "+bl)
		}
		h.Text = fmt.Sprintf("not all in one voting bloc every year since %d (in %d: %s)", h.Since, lastY.Year, strings.Join(where, ", "))
	}
	return h, nil
}
