package report

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/memstore"
)

// mapCache is a ResultCache in a map, versioned like a store's.
type mapCache struct {
	version int64
	m       map[string][]byte
}

func (c *mapCache) VotesVersion(context.Context) (int64, error) { return c.version, nil }
func (c *mapCache) LoadResult(_ context.Context, kind, key string, version int64, v any) (bool, error) {
	b, ok := c.m[kind+"|"+key+"|"+string(rune('0'+version))]
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(b, v)
}
func (c *mapCache) SaveResult(_ context.Context, kind, key string, version int64, v any) error {
	b, err := json.Marshal(v)
	c.m[kind+"|"+key+"|"+string(rune('0'+version))] = b
	return err
}

func TestIdealPointsCache(t *testing.T) {
	// Two camps over five years: A and B vote no where C and D vote yes.
	ds := &concord.Dataset{}
	for y := 2000; y < 2005; y++ {
		for k := 0; k < 3; k++ {
			rcid := 100*y + k
			ds.RollCalls = append(ds.RollCalls, concord.RollCall{RCID: rcid, Session: y - 1945, Date: time.Date(y, 10, 1+k, 0, 0, 0, 0, time.UTC)})
			for i, s := range []string{"USA", "ISR", "IRN", "CUB"} {
				v := concord.Yes
				if i < 2 && k != 2 || i >= 2 && k == 2 {
					v = concord.No
				}
				if k == 1 && i == 1 {
					v = concord.Abstain
				}
				ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: rcid, State: s, Vote: v})
			}
		}
	}
	st := memstore.New()
	if _, err := st.ImportVotes(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
	loads := 0
	load := func(ctx context.Context) (*concord.Matrix, error) { loads++; return st.Matrix(ctx) }
	cache := &mapCache{version: 1, m: map[string][]byte{}}
	opt := ideal.Options{By: ideal.Year, Dynamic: true, Seed: 1}
	r1, cached, err := IdealPoints(context.Background(), cache, load, concord.RollCallFilter{}, opt)
	if err != nil || cached || loads != 1 {
		t.Fatalf("first call: cached %t, loads %d, err %v", cached, loads, err)
	}
	if usa, ok := r1.Mean("USA", 0, 0); !ok || usa <= 0 {
		t.Errorf("USA at %g, want positive", usa)
	}
	r2, cached, err := IdealPoints(context.Background(), cache, load, concord.RollCallFilter{}, opt)
	if err != nil || !cached || loads != 1 || len(r2.Points) != len(r1.Points) || r2.Points[0].Ideal != r1.Points[0].Ideal {
		t.Errorf("second call must come from the cache without loading: cached %t, loads %d, err %v", cached, loads, err)
	}
	cache.version = 2 // new votes: computed again
	if _, cached, _ := IdealPoints(context.Background(), cache, load, concord.RollCallFilter{}, opt); cached || loads != 2 {
		t.Errorf("after the votes changed: cached %t, loads %d", cached, loads)
	}
	if _, _, err := IdealPoints(context.Background(), nil, load, concord.RollCallFilter{From: 2010}, opt); !errors.Is(err, ErrEmptyWindow) {
		t.Errorf("empty window: %v", err)
	}
	empty := func(context.Context) (*concord.Matrix, error) { return memstore.New().Matrix(context.Background()) }
	if _, _, err := IdealPoints(context.Background(), nil, empty, concord.RollCallFilter{}, opt); !errors.Is(err, ErrNoVotes) {
		t.Errorf("no votes: %v", err)
	}
}

// TestIdealKeyDefaults: options that make the same fit share one key (the
// default ω² given or left zero), and options that change it do not.
func TestIdealKeyDefaults(t *testing.T) {
	w := concord.RollCallFilter{From: 2000}
	base := ideal.Options{By: ideal.Year, Dynamic: true, Seed: 1}
	explicit := base
	explicit.Omega2 = ideal.DefaultOmega2
	if IdealKey(w, base) != IdealKey(w, explicit) {
		t.Errorf("default ω² left zero and given explicitly make different keys:\n%s\n%s", IdealKey(w, base), IdealKey(w, explicit))
	}
	other := base
	other.Omega2 = 0.3
	if IdealKey(w, base) == IdealKey(w, other) {
		t.Error("a different ω² makes the same key")
	}
}
