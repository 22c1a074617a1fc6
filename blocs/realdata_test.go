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
