package align

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAppendJSONMatchesEncodingJSON checks that the reflection-free writers
// give byte for byte what encoding/json gives for the same shape, over
// random values and the edge cases of float formatting and string escaping.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	floats := []float64{0, -0.0, 1, -1, 0.5, 1e-6, 9.99e-7, 1e-7, -3.2e-9, 1e20, 1e21, 123456789.125, math.NaN(), math.Inf(1), math.Inf(-1), 1.0 / 3}
	strs := []string{"", "all", "1999", "CUB", `a"b`, `back\slash`, "<tag>&", "ümlaut", "tab\there", "\u2028"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		floats = append(floats, rnd.NormFloat64()*math.Pow(10, float64(rnd.IntN(40)-20)))
	}
	pick := func() float64 { return floats[rnd.IntN(len(floats))] }
	for i := range 5000 {
		r := Row{Period: strs[i%len(strs)], Votes: rnd.IntN(1 << 20), Agree: pick(), SScore: pick(), Kappa: pick(), Coincidence: pick()}
		want, err := json.Marshal(r.toJSON())
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("Row %+v:\n got %s\nwant %s", r, got, want)
		}
		p := Partner{State: strs[(i+3)%len(strs)], Row: r}
		want, _ = json.Marshal(partnerJSON{p.State, r.toJSON()})
		if got := p.AppendJSON([]byte("x")); string(got[1:]) != string(want) || got[0] != 'x' {
			t.Fatalf("Partner %+v:\n got %s\nwant x%s", p, got, want)
		}
	}
}

func BenchmarkRowJSON(b *testing.B) {
	r := Row{Period: "1999", Votes: 71, Agree: 0.8732394366197183, SScore: 0.7464788732394366, Kappa: 0.512, Coincidence: math.NaN()}
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 256)
		for b.Loop() {
			buf = r.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(r.toJSON())
		}
	})
}
