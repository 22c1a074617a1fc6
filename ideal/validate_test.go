package ideal

import (
	"context"
	"math"
	"testing"
)

// The acceptance-size simulation: 150 states × 20 periods × 60 roll calls
// per period, ordinal votes with abstentions, 30% of states joining late, 5%
// leaving, 10% absences, 20 of the 60 roll calls of a period recurring every
// period.
func acceptanceSpec(seed uint64) simSpec {
	return simSpec{States: 150, Periods: 20, ItemsPerPeriod: 60, Recurring: 20,
		Late: 0.3, Leave: 0.05, Absent: 0.1, Seed: seed}
}

func fit(t *testing.T, sd *simData, opt Options) *Result {
	t.Helper()
	res, err := Estimate(context.Background(), sd.m, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Fatalf("not converged after %d iterations (change %g)", res.Iterations, res.Change)
	}
	return res
}

func TestStaticSimulationRecoversPositionsCorrelationAbove0995(t *testing.T) {
	sd := simulate(acceptanceSpec(1)) // Step 0: positions constant
	res := fit(t, sd, Options{})
	if len(res.Points) != 150 {
		t.Fatalf("%d points, want one per state (150)", len(res.Points))
	}
	r := corr(sd.truthStd(res), ideals(res))
	t.Logf("static: cor %.4f, %d iterations", r, res.Iterations)
	if r < 0.995 {
		t.Errorf("correlation with the true positions %.4f < 0.995", r)
	}
}

func TestStaticOneSessionRecoversPositionsCorrelationAbove098(t *testing.T) {
	// One session as in the real record: 150 states, 80 roll calls.
	sd := simulate(simSpec{States: 150, Periods: 1, ItemsPerPeriod: 80, Absent: 0.1, Seed: 2})
	res := fit(t, sd, Options{})
	r := corr(sd.truthStd(res), ideals(res))
	t.Logf("one session: cor %.4f, %d iterations", r, res.Iterations)
	if r < 0.98 {
		t.Errorf("correlation with the true positions %.4f < 0.98", r)
	}
}

func TestDynamicSimulationRecoversTrajectoriesCorrelationAbove098(t *testing.T) {
	for _, bridge := range []bool{false, true} {
		sp := acceptanceSpec(3)
		sp.Step, sp.Drifters, sp.Drift = 0.15, 10, 0.1
		sd := simulate(sp)
		res := fit(t, sd, Options{Dynamic: true, Bridge: bridge})
		r := corr(sd.truthStd(res), ideals(res))
		t.Logf("bridge %v: cor %.4f over %d state-periods, %d iterations, %d bridges", bridge, r, len(res.Points), res.Iterations, res.Bridges)
		if r < 0.98 {
			t.Errorf("bridge %v: correlation with the true positions %.4f < 0.98", bridge, r)
		}
		if bridge && res.Bridges != 20 {
			t.Errorf("found %d bridges, want the 20 recurring resolutions", res.Bridges)
		}
	}
}

// slope is the least-squares slope of y on x.
func slope(x, y []float64) float64 {
	var sx, sy, sxx, sxy float64
	n := float64(len(x))
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		sxy += x[i] * y[i]
	}
	return (sxy - sx*sy/n) / (sxx - sx*sx/n)
}

func TestDynamicTrajectoriesFollowDrift(t *testing.T) {
	// Ten states drift by +0.1 a period (2 over the record) on top of their
	// random walks: every estimated trajectory rises, and by about the true
	// amount.
	sp := acceptanceSpec(4)
	sp.Step, sp.Drifters, sp.Drift = 0.1, 10, 0.1
	sd := simulate(sp)
	res := fit(t, sd, Options{Dynamic: true, Bridge: true})
	_, scale := sd.truthScale(res)
	for i, c := range sd.codes {
		if !sd.drifter[i] {
			continue
		}
		var per, est, tru []float64
		for _, p := range res.Trajectory(c) {
			per = append(per, float64(p.Period))
			est = append(est, p.Ideal)
			tru = append(tru, sd.theta[i][p.Period-1]/scale)
		}
		if len(per) < 5 {
			continue
		}
		se, st := slope(per, est), slope(per, tru)
		t.Logf("%s: slope %.3f, true %.3f a period", c, se, st)
		if se <= 0 || math.Abs(se-st) > 0.35*st {
			t.Errorf("%s: estimated drift %.3f a period, true %.3f: off by more than 35%%", c, se, st)
		}
	}
}

func TestBridgingRecoversCommonDrift(t *testing.T) {
	// Every state drifts by +0.05 a period: without bridges a common shift
	// is indistinguishable from a change in the items and is lost; roll
	// calls shared across periods anchor it.
	sp := acceptanceSpec(5)
	sp.Step, sp.CommonDrift = 0.1, 0.05
	sd := simulate(sp)
	for _, bridge := range []bool{false, true} {
		res := fit(t, sd, Options{Dynamic: true, Bridge: bridge})
		tr := sd.truthStd(res)
		sumE, sumT, n := map[int]float64{}, map[int]float64{}, map[int]float64{}
		for i, p := range res.Points {
			sumE[p.Period] += p.Ideal
			sumT[p.Period] += tr[i]
			n[p.Period]++
		}
		var per, me, mt []float64
		for p := 1; p <= sp.Periods; p++ {
			per = append(per, float64(p))
			me = append(me, sumE[p]/n[p])
			mt = append(mt, sumT[p]/n[p])
		}
		ratio := slope(per, me) / slope(per, mt)
		t.Logf("bridge %v: common drift recovered %.2f of the truth", bridge, ratio)
		if bridge && (ratio < 0.8 || ratio > 1.2) {
			t.Errorf("with bridges the mean position drifts %.2f times the true drift, want 0.8–1.2", ratio)
		}
		if !bridge && ratio > 0.5 {
			t.Errorf("without bridges the common drift should be mostly lost, got %.2f of it: is something else anchoring the periods?", ratio)
		}
	}
}

func TestItemDiscriminationsRecoveredCorrelationAbove097(t *testing.T) {
	sp := acceptanceSpec(6)
	sp.Step = 0.1
	sd := simulate(sp)
	res := fit(t, sd, Options{Dynamic: true, Bridge: true})
	_, scale := sd.truthScale(res)
	var est, tru []float64
	for _, it := range res.Items {
		est = append(est, it.Discrimination)
		tru = append(tru, sd.beta[it.Columns[0]]*scale)
	}
	r := corr(est, tru)
	t.Logf("%d items: cor %.4f, slope %.3f", len(est), r, slope(tru, est))
	if r < 0.97 {
		t.Errorf("discriminations: correlation with the truth %.4f < 0.97", r)
	}
}

func TestBootstrap90IntervalsCoverTruth85To95Percent(t *testing.T) {
	// Smaller than the acceptance size to keep the default test run short:
	// 100 states × 10 periods × 40 roll calls, 40 replicates, coverage
	// pooled over three simulated data sets (static) or two (dynamic):
	// 0.877 and 0.906. TestRealScaleSimulation checks coverage at the size
	// of the UN record.
	for _, dyn := range []bool{false, true} {
		in, inPost, n := 0, 0, 0
		var se, e2 float64
		seeds := uint64(3)
		if dyn {
			seeds = 2 // 10 times as many points per data set
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			sp := simSpec{States: 100, Periods: 10, ItemsPerPeriod: 40, Recurring: 15,
				Late: 0.3, Leave: 0.05, Absent: 0.1, Seed: 10 + seed}
			if dyn {
				sp.Step, sp.Drifters, sp.Drift = 0.1, 10, 0.1
			}
			sd := simulate(sp)
			res := fit(t, sd, Options{Dynamic: dyn, Bridge: true, Bootstrap: 40, Seed: int64(seed)})
			if res.BootConverged != 40 {
				t.Errorf("%d of 40 replicates converged", res.BootConverged)
			}
			tr := sd.truthStd(res)
			for i, p := range res.Points {
				if !(p.Lo < p.Hi && p.SE > 0 && p.PostSD > 0) {
					t.Fatalf("%+v: no uncertainty", p)
				}
				if tr[i] >= p.Lo && tr[i] <= p.Hi {
					in++
				}
				if math.Abs(tr[i]-p.Ideal) <= 1.645*p.PostSD {
					inPost++
				}
				se += p.SE * p.SE
				e2 += (tr[i] - p.Ideal) * (tr[i] - p.Ideal)
				n++
			}
		}
		cover, post := float64(in)/float64(n), float64(inPost)/float64(n)
		t.Logf("dynamic %v: bootstrap 90%% intervals cover the truth at %.3f over %d points (rms SE %.3f, rms error %.3f); ±1.645 PostSD at %.3f",
			dyn, cover, n, math.Sqrt(se/float64(n)), math.Sqrt(e2/float64(n)), post)
		if cover < 0.85 || cover > 0.95 {
			t.Errorf("dynamic %v: coverage %.3f outside 0.85–0.95", dyn, cover)
		}
		if post < 0.78 || post > 0.97 {
			t.Errorf("dynamic %v: ±1.645 PostSD covers %.3f, outside 0.78–0.97", dyn, post)
		}
	}
}
