package blocs

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/unga"
)

// The UN General Assembly record (Voeten's three-table release), read once.
var real struct {
	once sync.Once
	ix   *align.Index
	err  error
}

func realIndex(tb testing.TB) *align.Index {
	tb.Helper()
	dir := filepath.Join(testdata.Dir(tb), "unga")
	real.once.Do(func() {
		var files []string
		for _, f := range []string{"roll_calls.csv.gz", "votes.csv.gz", "issues.csv.gz"} {
			files = append(files, filepath.Join(dir, f))
		}
		ds, err := unga.ReadFiles(context.Background(), files...)
		if err != nil {
			real.err = err
			return
		}
		real.ix = align.NewIndex(concord.NewMatrix(ds.RollCalls, ds.Votes))
	})
	if real.err != nil {
		tb.Fatal(real.err)
	}
	return real.ix
}

// blocOf returns the bloc of state in w, or nil.
func blocOf(w Window, state string) *Bloc {
	for i, b := range w.Blocs {
		for _, m := range b.Members {
			if m.State == state {
				return &w.Blocs[i]
			}
		}
	}
	return nil
}

func memberCodes(b *Bloc) []string {
	var out []string
	for _, m := range b.Members {
		out = append(out, m.State)
	}
	return out
}

func TestRealBlocs1985to1989_USAAndISRShareABlocApartFromCubaAndIran(t *testing.T) {
	r, err := Analyze(realIndex(t), Options{From: 1985, To: 1989})
	if err != nil {
		t.Fatal(err)
	}
	w := r.Windows[0]
	usa, isr, cub, irn := blocOf(w, "USA"), blocOf(w, "ISR"), blocOf(w, "CUB"), blocOf(w, "IRN")
	if usa == nil || usa != isr {
		t.Errorf("USA and ISR not in one bloc: %v / %v", usa, isr)
	}
	if cub == nil || cub == usa || irn == usa || cub != irn {
		t.Errorf("CUB and IRN should share a bloc apart from the USA's")
	}
	if w.Modularity <= 0 {
		t.Errorf("modularity %v", w.Modularity)
	}
}

func TestRealBlocsFiveYearWindows1990to2019_WesternBlocKeepsItsIDAndSwedenIsCore(t *testing.T) {
	r, err := Analyze(realIndex(t), Options{From: 1990, To: 2019, Window: 5, Step: 5, Bootstrap: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Windows) != 6 {
		t.Fatalf("%d windows, want 6", len(r.Windows))
	}
	var id, name string
	for i, w := range r.Windows {
		b := blocOf(w, "SWE")
		if b == nil {
			t.Fatalf("%d–%d: SWE in no bloc", w.From, w.To)
		}
		if i == 0 {
			id, name = b.ID, b.Name
		} else if b.ID != id || b.Name != name {
			t.Errorf("%d–%d: Sweden's bloc is %s %q, was %s %q", w.From, w.To, b.ID, b.Name, id, name)
		}
		if !slices.Contains(memberCodes(b), "NOR") || !slices.Contains(memberCodes(b), "DEU") {
			t.Errorf("%d–%d: Sweden's bloc lacks Norway or Germany: %v", w.From, w.To, memberCodes(b))
		}
		if !slices.Contains(b.Core(), "SWE") {
			t.Errorf("%d–%d: Sweden is a swing state of its bloc", w.From, w.To)
		}
		if i > 0 && (w.Stability < 0.3 || w.Stability > 1) {
			t.Errorf("%d–%d: stability %v", w.From, w.To, w.Stability)
		}
	}
	// The two blocs hardly change from the late 1990s on.
	for _, w := range r.Windows[2:] {
		if w.Stability < 0.8 {
			t.Errorf("%d–%d: adjusted Rand index with the previous window %.3f < 0.8", w.From, w.To, w.Stability)
		}
	}
}

func TestRealBlocsEveryYear_CommunitiesAreConnected(t *testing.T) {
	ix := realIndex(t)
	for _, year := range []int{1950, 1965, 1975, 1990, 2005, 2019} {
		for _, signed := range []bool{false, true} {
			pairs, err := ix.AllPairs(align.Window{From: year, To: year}, align.Agree)
			if err != nil {
				t.Fatal(err)
			}
			g, err := AgreementGraph(pairs, GraphOptions{Signed: signed})
			if err != nil {
				t.Fatal(err)
			}
			if g.Len() == 0 {
				continue
			}
			p := Leiden(g, LeidenOptions{Restarts: 3})
			for c, m := range p.Communities {
				if !g.Connected(m) {
					t.Errorf("%d signed=%v: community %d not connected", year, signed, c)
				}
			}
		}
	}
}

var europe = []string{"AND", "ISL", "LIE", "MCO", "NOR", "SMR", "CHE", "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
	"LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE", "GBR"}

func TestRealCoalition2005to2019_FranceAndGermanysTopTenCandidatesAreEuropeanAndTheUSARanksInTheBottomQuarter(t *testing.T) {
	c, err := NewCoalition(realIndex(t), CoalitionOptions{Window: align.Window{From: 2005, To: 2019}})
	if err != nil {
		t.Fatal(err)
	}
	cands, err := c.Candidates([]string{"FRA", "DEU"})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range cands[:10] {
		if !slices.Contains(europe, x.State) {
			t.Errorf("candidate %s (agree %.3f) among the top ten is not a European state", x.State, x.Alignment)
		}
		if x.Cohesion < 0.9 {
			t.Errorf("%s: cohesion with France and Germany %.3f < 0.9", x.State, x.Cohesion)
		}
	}
	rank := slices.IndexFunc(cands, func(x Candidate) bool { return x.State == "USA" })
	if rank < len(cands)*3/4 {
		t.Errorf("the USA ranks %d of %d candidates", rank+1, len(cands))
	}
}

func TestRealCoalition1990to2019_NordicStatesAreMoreCohesiveThanUSAWithCuba(t *testing.T) {
	c, err := NewCoalition(realIndex(t), CoalitionOptions{Window: align.Window{From: 1990, To: 2019}})
	if err != nil {
		t.Fatal(err)
	}
	nordic, err := c.Cohesion([]string{"SWE", "NOR", "DNK", "FIN", "ISL"})
	if err != nil {
		t.Fatal(err)
	}
	odd, err := c.Cohesion([]string{"USA", "CUB"})
	if err != nil {
		t.Fatal(err)
	}
	if !(nordic > 0.9 && odd < 0.5) {
		t.Errorf("cohesion: Nordic states %.3f (want > 0.9), USA with Cuba %.3f (want < 0.5)", nordic, odd)
	}
}

func TestRealCoalition1990to2019_G77CorePrevailsFarMoreOftenThanUSAAndIsrael(t *testing.T) {
	c, err := NewCoalition(realIndex(t), CoalitionOptions{Window: align.Window{From: 1990, To: 2019}})
	if err != nil {
		t.Fatal(err)
	}
	g77, err := c.Decide([]string{"EGY", "IND", "BRA", "NGA", "IDN"})
	if err != nil {
		t.Fatal(err)
	}
	usa, err := c.Decide([]string{"USA", "ISR"})
	if err != nil {
		t.Fatal(err)
	}
	share := func(d Decisiveness) float64 { return float64(d.Prevailed) / float64(d.Judged-d.Abstained) }
	if !(share(g77) > 0.9 && share(usa) < 0.4) {
		t.Errorf("prevailed: G77 core %.3f of its yes/no positions (want > 0.9), USA and Israel %.3f (want < 0.4)", share(g77), share(usa))
	}
	// Two states cannot turn the General Assembly; five big developing states rarely need to.
	if usa.Changed*20 > usa.Judged {
		t.Errorf("USA and Israel voting as one changed %d of %d outcomes", usa.Changed, usa.Judged)
	}
	if usa.Judged+len(usa.Unjudged) != usa.RollCalls {
		t.Errorf("judged %d + unjudged %d ≠ %d roll calls", usa.Judged, len(usa.Unjudged), usa.RollCalls)
	}
	t.Logf("G77 core %+v", struct{ J, C, P, A, U int }{g77.Judged, g77.Changed, g77.Prevailed, g77.Abstained, len(g77.Unjudged)})
	t.Logf("USA+ISR %+v", struct{ J, C, P, A, U int }{usa.Judged, usa.Changed, usa.Prevailed, usa.Abstained, len(usa.Unjudged)})
}

func TestRealBlocs2010to2019_KappaWeightsAndSignedGraphsAlsoSeparateTheUSAFromCuba(t *testing.T) {
	for _, o := range []Options{
		{From: 2010, To: 2019, Metric: align.Kappa, Bootstrap: -1},
		{From: 2010, To: 2019, Metric: align.Kappa, Graph: GraphOptions{Signed: true}, Bootstrap: -1},
		{From: 2010, To: 2019, Graph: GraphOptions{Signed: true}, Bootstrap: -1},
	} {
		r, err := Analyze(realIndex(t), o)
		if err != nil {
			t.Fatal(err)
		}
		w := r.Windows[0]
		usa, cub, gbr := blocOf(w, "USA"), blocOf(w, "CUB"), blocOf(w, "GBR")
		if usa == nil || usa == cub || usa != gbr {
			t.Errorf("%v signed=%v: USA, Cuba and Britain in blocs %v, %v, %v", o.Metric, o.Graph.Signed, usa, cub, gbr)
		}
	}
}
