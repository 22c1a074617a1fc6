package ideal

import (
	"context"
	"math"
	"slices"
	"sort"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
)

// The dynamic fit of the whole record (1946–2019 by calendar year, bridged),
// shared by the tests of the real record.
var (
	recordOnce sync.Once
	recordRes  *Result
	recordErr  error
)

func recordFit(t *testing.T) *Result {
	t.Helper()
	m := realMatrix(t)
	recordOnce.Do(func() {
		recordRes, recordErr = Estimate(context.Background(), m, nil,
			Options{By: Year, Dynamic: true, Bridge: true})
	})
	if recordErr != nil {
		t.Fatal(recordErr)
	}
	return recordRes
}

// ranked returns the states with points in years from … to, by mean
// position, highest first.
func ranked(res *Result, m *concord.Matrix, from, to int) []string {
	type sm struct {
		s string
		x float64
	}
	var l []sm
	for _, s := range m.States {
		if x, ok := res.Mean(s, from, to); ok {
			l = append(l, sm{s, x})
		}
	}
	sort.Slice(l, func(i, j int) bool { return l[i].x > l[j].x })
	out := make([]string, len(l))
	for i, x := range l {
		out[i] = x.s
	}
	return out
}

func rankOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

func TestRealRecordFitConvergesWithBridges(t *testing.T) {
	res := recordFit(t)
	t.Logf("%d points, %d items, %d bridges over %d roll calls, %d roll calls skipped, %d iterations, change %.2g",
		len(res.Points), len(res.Items), res.Bridges, res.Bridged, res.Skipped, res.Iterations, res.Change)
	if !res.Converged {
		t.Errorf("not converged in %d iterations (change %g)", res.Iterations, res.Change)
	}
	// Calendar years 1946–2020, of which 1964 had no roll call.
	if len(res.Periods) != 74 || res.Periods[0] != 1946 || res.Periods[73] != 2020 || slices.Contains(res.Periods, 1964) {
		t.Errorf("periods %v, want the years 1946–2020 but 1964", res.Periods)
	}
	if res.Bridges < 300 {
		t.Errorf("only %d bridges on the real record: recurring resolutions are not being matched", res.Bridges)
	}
}

func TestRealRecordUSAndIsraelHighestIn2000s(t *testing.T) {
	res := recordFit(t)
	l := ranked(res, realMatrix(t), 2000, 2009)
	t.Logf("2000–2009, highest: %v", l[:6])
	if rankOf(l, "USA") != 0 || rankOf(l, "ISR") != 1 {
		t.Errorf("USA and Israel should be the two highest in 2000–2009; ranks %d and %d", rankOf(l, "USA"), rankOf(l, "ISR"))
	}
}

func TestRealRecordCubaIranNorthKoreaSyriaInBottomFifthIn2000s(t *testing.T) {
	res := recordFit(t)
	l := ranked(res, realMatrix(t), 2000, 2009)
	t.Logf("2000–2009, lowest: %v", l[len(l)-10:])
	for _, s := range []string{"CUB", "IRN", "PRK", "SYR"} {
		r := rankOf(l, s)
		x, _ := res.Mean(s, 2000, 2009)
		if r < len(l)*4/5 || x >= 0 {
			t.Errorf("%s: rank %d of %d (mean %.2f) in 2000–2009, want in the bottom fifth and below 0", s, r+1, len(l), x)
		}
	}
}

func TestRealRecordSovietBlocLowIn1960sRisingAfter1991(t *testing.T) {
	res := recordFit(t)
	l := ranked(res, realMatrix(t), 1960, 1969)
	// RUS holds the USSR's seat; BLR and UKR had seats of their own.
	for _, s := range []string{"RUS", "UKR", "BLR", "POL", "HUN", "BGR"} {
		r := rankOf(l, s)
		x60, _ := res.Mean(s, 1960, 1969)
		x80, _ := res.Mean(s, 1980, 1990)
		x90, _ := res.Mean(s, 1992, 2000)
		t.Logf("%s: 1960s %.2f (rank %d of %d), 1980–90 %.2f, 1992–2000 %.2f", s, x60, r+1, len(l), x80, x90)
		if r < len(l)*9/10 {
			t.Errorf("%s: rank %d of %d in the 1960s, want in the bottom tenth", s, r+1, len(l))
		}
		if x90-x80 < 1 {
			t.Errorf("%s: mean position rose by %.2f from 1980–90 to 1992–2000, want at least 1 sd", s, x90-x80)
		}
	}
}

func TestRealSession70StaticOrdinalAgreesWithBinaryAndDynamic(t *testing.T) {
	m := realMatrix(t)
	cols := sessionCols(m, 70, 70)
	ord, err := Estimate(context.Background(), m, cols, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bin, err := Estimate(context.Background(), m, cols, Options{Binary: true})
	if err != nil {
		t.Fatal(err)
	}
	dyn := recordFit(t)
	byState := func(r *Result, period int) map[string]float64 {
		out := map[string]float64{}
		for _, p := range r.Points {
			if p.Period == period {
				out[p.State] = p.Ideal
			}
		}
		return out
	}
	o, b, d := byState(ord, 0), byState(bin, 0), byState(dyn, 2015)
	var xo, xb, yo, yd []float64
	for s, x := range o {
		if y, ok := b[s]; ok {
			xo, xb = append(xo, x), append(xb, y)
		}
		if y, ok := d[s]; ok {
			yo, yd = append(yo, x), append(yd, y)
		}
	}
	rb, rd := corr(xo, xb), corr(yo, yd)
	t.Logf("session 70: %d states, ordinal vs binary r = %.4f (%d), vs dynamic 2015 r = %.4f (%d); %d and %d iterations",
		len(o), rb, len(xo), rd, len(yo), ord.Iterations, bin.Iterations)
	if rb < 0.9 {
		t.Errorf("ordinal and yes/no fits of session 70 correlate %.4f < 0.9", rb)
	}
	if rd < 0.9 {
		t.Errorf("static session 70 and dynamic 2015 correlate %.4f < 0.9", rd)
	}
	for _, it := range bin.Items {
		if len(it.Votes) != 2 || it.Votes[0] != concord.No || it.Votes[1] != concord.Yes {
			t.Fatalf("binary fit has an item with votes %v, want [no yes]", it.Votes)
		}
	}
}

func TestRealCubaEmbargoResolutionBridgedAcrossSessions(t *testing.T) {
	m := realMatrix(t)
	col, ok := m.RollCallIndex(5394) // A/RES/70/5, 2015
	if !ok {
		t.Fatal("rcid 5394 not in the record")
	}
	for _, g := range Bridges(m, nil) {
		for _, c := range g {
			if c != col {
				continue
			}
			var sess []int
			for _, c := range g {
				sess = append(sess, m.RollCalls[c].Session)
			}
			t.Logf("bridged sessions: %v", sess)
			if len(sess) < 10 {
				t.Errorf("the embargo resolution is bridged across %d sessions only", len(sess))
			}
			for i := 1; i < len(sess); i++ {
				if sess[i] == sess[i-1] {
					t.Errorf("two roll calls of session %d in one bridge", sess[i])
				}
			}
			return
		}
	}
	t.Error("the Cuba embargo resolution of session 70 is not bridged")
}

func TestRealRecordDefaultToleranceIsCloseToTheFixedPoint(t *testing.T) {
	// The default stopping rule (rms change of the standardised positions
	// ≤ 5e-4) against a fit run to 2e-6: the whole record by session,
	// without bridges, as concord ideal runs it by default.
	if testing.Short() {
		t.Skip("two fits of the whole record")
	}
	m := realMatrix(t)
	def, err := Estimate(context.Background(), m, nil, Options{Dynamic: true})
	if err != nil {
		t.Fatal(err)
	}
	tight, err := Estimate(context.Background(), m, nil, Options{Dynamic: true, Tol: 2e-6})
	if err != nil {
		t.Fatal(err)
	}
	x, y := ideals(def), ideals(tight)
	var ss, mx float64
	for i := range x {
		d := x[i] - y[i]
		ss += d * d
		mx = max(mx, math.Abs(d))
	}
	r := corr(x, y)
	t.Logf("default: %d iterations; Tol 2e-6: %d iterations; cor %.5f, rms difference %.3f, largest %.3f",
		def.Iterations, tight.Iterations, r, math.Sqrt(ss/float64(len(x))), mx)
	if !def.Converged || !tight.Converged {
		t.Fatalf("not converged: %d and %d iterations", def.Iterations, tight.Iterations)
	}
	if r < 0.999 {
		t.Errorf("the default fit correlates %.5f < 0.999 with the fit run to Tol 2e-6", r)
	}
}
