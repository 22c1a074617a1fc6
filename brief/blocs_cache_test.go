package brief

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
)

// mapCache is a concord.ResultCache in a map, counting what it saves.
type mapCache struct {
	kept  map[string][]byte
	saved []string
}

func (c *mapCache) VotesVersion(context.Context) (int64, error) { return 1, nil }

func (c *mapCache) LoadResult(_ context.Context, kind, key string, _ int64, v any) (bool, error) {
	b, ok := c.kept[kind+"|"+key]
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(b, v)
}

func (c *mapCache) SaveResult(_ context.Context, kind, key string, _ int64, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.kept[kind+"|"+key] = b
	c.saved = append(c.saved, kind+"|"+key)
	return nil
}

// TestBriefBlocsAreKappaAndKeptApartFromAgree checks that the brief's blocs
// are weighted by kappa, the blocs package's default, and that blocs kept in
// the store for another metric (as every brief kept them before kappa was the
// default) are not served for them.
func TestBriefBlocsAreKappaAndKeptApartFromAgree(t *testing.T) {
	if BlocOptions.Metric != blocs.DefaultMetric || blocs.DefaultMetric != blocs.Kappa {
		t.Fatalf("the brief's blocs are weighted by %v, want kappa", BlocOptions.Metric)
	}
	// Two sides that vote opposite ways on alternate roll calls, and three
	// states that vote yes on everything: one bloc with a side by agreement,
	// no agreement beyond chance with anyone by kappa.
	rng := rand.New(rand.NewPCG(1, 2))
	var rcs []concord.RollCall
	var votes []concord.VoteRecord
	for k := 1; k <= 40; k++ {
		rcs = append(rcs, concord.RollCall{RCID: k, Date: time.Date(2001+(k-1)/20, 1, k, 0, 0, 0, 0, time.UTC)})
		for _, s := range []string{"A1", "A2", "A3", "B1", "B2", "B3", "Y1", "Y2", "Y3"} {
			v := concord.Yes
			if (s[0] == 'A') == (k%2 == 0) && s[0] != 'Y' {
				v = concord.No
			}
			if s[0] != 'Y' && rng.IntN(10) == 0 {
				v = concord.Abstain
			}
			votes = append(votes, concord.VoteRecord{RCID: k, State: s, Vote: v})
		}
	}
	ix := align.NewIndex(concord.NewMatrix(rcs, votes))
	cache := &mapCache{kept: map[string][]byte{}}
	src := Sources{Index: ix, Cache: cache}
	ctx := context.Background()
	agree := BlocOptions
	agree.Metric = blocs.Agree
	agree.From, agree.To = 2001, 2002
	def := BlocOptions
	def.From, def.To = 2001, 2002

	byAgree, err := blocWindows(ctx, src, agree)
	if err != nil {
		t.Fatal(err)
	}
	byDefault, err := blocWindows(ctx, src, def)
	if err != nil {
		t.Fatal(err)
	}
	if len(cache.saved) != 2 || !strings.Contains(cache.saved[0], "metric=agree") || !strings.Contains(cache.saved[1], "metric=kappa") {
		t.Fatalf("kept %q: want the agree blocs and then the kappa blocs, each under its metric", cache.saved)
	}
	want, err := blocs.Analyze(ix, def)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range want.Windows {
		for _, b := range w.Blocs {
			for _, m := range b.Members {
				if got := byDefault[k].Blocs[m.State]; got != b.Name {
					t.Errorf("%d: %s in bloc %q, blocs.Analyze with kappa says %q", w.From, m.State, got, b.Name)
				}
			}
		}
	}
	// The two differ: by agreement the yes-sayers sit with a side, by kappa on their own.
	for k := range byAgree {
		a, d := byAgree[k].Blocs, byDefault[k].Blocs
		if a["Y1"] == "" || a["Y1"] != a["A1"] && a["Y1"] != a["B1"] || d["Y1"] == d["A1"] || d["Y1"] == d["B1"] {
			t.Errorf("%d: Y1 by agree in %q (A1 %q, B1 %q), by kappa in %q (A1 %q, B1 %q)", byAgree[k].From, a["Y1"], a["A1"], a["B1"], d["Y1"], d["A1"], d["B1"])
		}
	}
}
