package ideal

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

func TestIntervalFactorHoldsAFurtherDrawNinetyPercent(t *testing.T) {
	// ± intervalFactor(n) times the root mean square of n normal draws
	// should hold one more draw 90% of the time, whatever n.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{5, 20, 40, 100} {
		f := intervalFactor(n)
		in, trials := 0, 40000
		for range trials {
			var s2 float64
			for range n {
				x := rng.NormFloat64()
				s2 += x * x
			}
			if math.Abs(rng.NormFloat64()) <= f*math.Sqrt(s2/float64(n)) {
				in++
			}
		}
		c := float64(in) / float64(trials)
		t.Logf("n = %d: factor %.4f, %.4f", n, f, c)
		if math.Abs(c-0.9) > 0.01 {
			t.Errorf("n = %d: ±%.3f·RMS holds a further draw %.4f of the time, want 0.90", n, f, c)
		}
	}
}

// realScaleSpec is the size of the UN record: 190 states, 74 periods of 80
// roll calls, 20 of them recurring every period; 45% of states join after
// the first period (and 5% leave), 8% of members' votes are absences, and
// four states jump by 1–1.6 (true sd about 1) at a named period.
func realScaleSpec() simSpec {
	return simSpec{States: 190, Periods: 74, ItemsPerPeriod: 80, Recurring: 20,
		Step: 0.08, Late: 0.3, Leave: 0.03, Absent: 0.05, Seed: 74,
		Jumps: []simJump{{State: 11, Period: 20, Size: 1.6}, {State: 22, Period: 37, Size: -1.4},
			{State: 33, Period: 50, Size: 1.2}, {State: 44, Period: 62, Size: -1.0}}}
}

func TestRealScaleSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("full-scale simulation: about a minute")
	}
	sp := realScaleSpec()
	sd := simulate(sp)
	var n, abst, miss float64
	for _, v := range sd.m.Votes {
		n++
		switch v {
		case concord.Abstain:
			abst++
		case concord.Yes, concord.No:
		default:
			miss++
		}
	}
	t.Logf("%d states × %d roll calls: %.1f%% of cells missing (absent or not a member), %.1f%% of votes cast abstentions",
		len(sd.m.States), len(sd.m.RollCalls), 100*miss/n, 100*abst/(n-miss))
	if f := abst / (n - miss); f < 0.08 || f > 0.2 {
		t.Fatalf("simulated abstentions are %.1f%% of votes cast, want 10–15%%", 100*f)
	}
	t0 := time.Now()
	res := fit(t, sd, Options{Dynamic: true, Bridge: true, Bootstrap: 20, Seed: 1})

	t.Logf("fit with 20 bootstrap replicates: %v, %d iterations, %d of 20 replicates converged", time.Since(t0).Round(time.Millisecond), res.Iterations, res.BootConverged)
	tr := sd.truthStd(res)
	est := ideals(res)
	r := corr(tr, est)
	t.Logf("overall: cor %.4f over %d state-periods", r, len(tr))
	if r < 0.97 {
		t.Errorf("correlation with the true positions %.4f < 0.97", r)
	}

	// Within each period.
	byP := map[int][2][]float64{}
	for i, p := range res.Points {
		v := byP[p.Period]
		v[0], v[1] = append(v[0], tr[i]), append(v[1], est[i])
		byP[p.Period] = v
	}
	minR, minP := 2.0, 0
	for p, v := range byP {
		if r := corr(v[0], v[1]); r < minR {
			minR, minP = r, p
		}
	}
	t.Logf("within periods: lowest cor %.4f (period %d of %d)", minR, minP, len(byP))
	if minR < 0.97 {
		t.Errorf("period %d: correlation with the true positions %.4f < 0.97", minP, minR)
	}

	// Planted jumps: the largest step of the state's estimated trajectory,
	// at the planted period and with the right sign. The Gaussian random
	// walk spreads a sudden jump over a few periods, so its size is
	// compared over a window: the change from 4 periods before to 3 after
	// should be within 35% of the true change.
	_, scale := sd.truthScale(res)
	for _, j := range sp.Jumps {
		code := sd.codes[j.State]
		traj := res.Trajectory(code)
		var big float64
		var atP int
		est := map[int]float64{}
		for k := range traj {
			est[traj[k].Period] = traj[k].Ideal
			if k == 0 {
				continue
			}
			if d := traj[k].Ideal - traj[k-1].Ideal; math.Abs(d) > math.Abs(big) {
				big, atP = d, traj[k].Period
			}
		}
		p := j.Period + 1 // 1-based period of the jump
		th := sd.theta[j.State]
		step, trueStep := est[p]-est[p-1], (th[j.Period]-th[j.Period-1])/scale
		win, trueWin := est[p+3]-est[p-4], (th[j.Period+3]-th[j.Period-4])/scale
		t.Logf("%s: true jump %+.2f at period %d: estimated step there %+.2f (largest: %+.2f at period %d); change over periods %d–%d %+.2f, true %+.2f",
			code, trueStep, p, step, big, atP, p-4, p+3, win, trueWin)
		if atP != p || math.Signbit(step) != math.Signbit(trueStep) {
			t.Errorf("%s: the largest step is %+.2f at period %d, want the planted jump (%+.2f) at period %d", code, big, atP, trueStep, p)
		}
		if math.Abs(win-trueWin) > 0.35*math.Abs(trueWin) {
			t.Errorf("%s: change over periods %d–%d %+.2f, true %+.2f: off by more than 35%%", code, p-4, p+3, win, trueWin)
		}
	}

	// Bootstrap intervals.
	in := 0
	var se2, e2 float64
	for i, p := range res.Points {
		if tr[i] >= p.Lo && tr[i] <= p.Hi {
			in++
		}
		se2 += p.SE * p.SE
		e2 += (tr[i] - p.Ideal) * (tr[i] - p.Ideal)
	}
	cover := float64(in) / float64(len(tr))
	t.Logf("bootstrap 90%% intervals cover the truth at %.3f (rms SE %.3f, rms error %.3f)", cover, math.Sqrt(se2/float64(len(tr))), math.Sqrt(e2/float64(len(tr))))
	if cover < 0.85 || cover > 0.95 {
		t.Errorf("bootstrap 90%% intervals cover the truth at %.3f, want 0.85–0.95", cover)
	}
}
