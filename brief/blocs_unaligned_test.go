package brief

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/concord-project/concord/blocs"
)

// TestBlocHistorySaysAStateWithoutAPositiveTieIsUnaligned checks that a state
// listed as unaligned (kappa ≤ 0 with everyone, as KIR in 2010–2012) is said
// to sit in no bloc, not to be in a bloc of its own nor "not placed".
func TestBlocHistorySaysAStateWithoutAPositiveTieIsUnaligned(t *testing.T) {
	win := func(year int, unaligned ...string) blocs.Window {
		return blocs.Window{From: year, To: year, Modularity: 0.3, Stability: math.NaN(), States: 4,
			Blocs: []blocs.Bloc{
				{ID: "A", Name: "USA", Members: []blocs.Member{{State: "USA", Core: true}, {State: "GBR", Core: true}}},
				{ID: "B", Name: "CUB", Members: []blocs.Member{{State: "CUB", Core: true}}},
			}, Unaligned: unaligned}
	}
	res := &blocs.Result{Windows: []blocs.Window{win(2010, "KIR"), win(2011, "KIR"), win(2012)}}
	res.Windows[2].Blocs[0].Members = append(res.Windows[2].Blocs[0].Members, blocs.Member{State: "KIR", Core: true})
	src := Sources{Blocs: func(_ context.Context, o blocs.Options) (*blocs.Result, error) {
		out := &blocs.Result{}
		for _, w := range res.Windows {
			if w.From >= o.From && w.To <= o.To {
				out.Windows = append(out.Windows, w)
			}
		}
		return out, nil
	}}
	for _, c := range []struct {
		to        int
		unaligned []string
		text      string
	}{
		{2011, []string{"KIR"}, "USA: USA, KIR: unaligned, in no bloc"},
		{2012, []string{}, "both in the same voting bloc every year since 2012"},
	} {
		h, err := blocHistory(context.Background(), src, &Brief{States: []string{"USA", "KIR"}, From: 2010, To: c.to})
		if err != nil {
			t.Fatal(err)
		}
		last := h.Years[len(h.Years)-1]
		if strings.Join(last.Unaligned, " ") != strings.Join(c.unaligned, " ") || last.Of("KIR") != map[bool]string{true: "", false: "USA"}[len(c.unaligned) > 0] {
			t.Errorf("to %d: last year %+v, want KIR unaligned %v", c.to, last, c.unaligned)
		}
		if !strings.Contains(h.Text, c.text) {
			t.Errorf("to %d: %q lacks %q", c.to, h.Text, c.text)
		}
	}
}

func TestIdealRowsSayWhichStateWasUnaligned(t *testing.T) {
	b := &Brief{States: []string{"USA", "KIR"}}
	b.Positions.Trajectories = []Trajectory{{State: "USA", Points: []PositionPoint{{Year: 2011}}}, {State: "KIR", Points: []PositionPoint{{Year: 2011}}}}
	b.Positions.Blocs.Years = []BlocYear{{Year: 2011, Unaligned: []string{"KIR"}}}
	if rows := idealRows(b); len(rows) != 1 || rows[0].Bloc != "no (KIR unaligned)" {
		t.Errorf("rows %+v, want same bloc \"no (KIR unaligned)\"", rows)
	}
}
