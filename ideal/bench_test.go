package ideal

import (
	"context"
	"math"
	"testing"
	"time"
)

func benchFit(b *testing.B, cols func() []int, opt Options) *Result {
	m := realMatrix(b)
	c := cols()
	b.ResetTimer()
	var res *Result
	fastest := time.Duration(math.MaxInt64)
	for b.Loop() {
		var err error
		t0 := time.Now()
		res, err = Estimate(context.Background(), m, c, opt)
		if err != nil {
			b.Fatal(err)
		}
		fastest = min(fastest, time.Since(t0))
	}
	b.ReportMetric(float64(res.Iterations), "iterations")
	// On a machine shared with other work the fastest fit is the best
	// estimate of the time on a quiet one.
	b.ReportMetric(fastest.Seconds(), "fastest-s")
	return res
}

// BenchmarkStaticSession70 is the static ordinal fit of one session.
func BenchmarkStaticSession70(b *testing.B) {
	benchFit(b, func() []int { return sessionCols(realMatrix(b), 70, 70) }, Options{})
}

// BenchmarkStaticSession70Binary is what shared/bench/mcmc_ideal.R runs with
// pscl::ideal and MCMCpack::MCMCirt1d: yes/no, non-lopsided roll calls.
func BenchmarkStaticSession70Binary(b *testing.B) {
	benchFit(b, func() []int { return nonLopsided(realMatrix(b), 70, 70) }, Options{Binary: true})
}

// BenchmarkDynamicSessions66to70Binary is what shared/bench/mcmc_dynamic.R
// runs with MCMCpack::MCMCdynamicIRT1d: sessions 66–70, yes/no,
// non-lopsided roll calls, states with at least 20 votes.
func BenchmarkDynamicSessions66to70Binary(b *testing.B) {
	benchFit(b, func() []int { return nonLopsided(realMatrix(b), 66, 70) },
		Options{Binary: true, Dynamic: true, MinVotes: 20})
}

// BenchmarkDynamicRealRecord is the dynamic ordinal fit of the whole real
// record (sessions 1–74, about 200 states × 6,200 roll calls, 860,000
// votes) as concord ideal runs it by default: by session, without bridges;
// then with bridges, and by calendar year with bridges. It reports the
// iterations; run it under /usr/bin/time -v for the peak memory.
func BenchmarkDynamicRealRecord(b *testing.B) {
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"session", Options{Dynamic: true}},
		{"session-bridged", Options{Dynamic: true, Bridge: true}},
		{"year-bridged", Options{Dynamic: true, Bridge: true, By: Year}},
	} {
		b.Run(c.name, func(b *testing.B) { benchFit(b, func() []int { return nil }, c.opt) })
	}
}

// BenchmarkDynamicWholeRecord is the dynamic ordinal fit of every session
// (1–74, about 200 states × 6,200 roll calls), with bridges.
func BenchmarkDynamicWholeRecord(b *testing.B) {
	benchFit(b, func() []int { return nil }, Options{Dynamic: true, Bridge: true})
}

// BenchmarkDynamicWholeRecordByYear is the same by calendar year.
func BenchmarkDynamicWholeRecordByYear(b *testing.B) {
	benchFit(b, func() []int { return nil }, Options{Dynamic: true, Bridge: true, By: Year})
}

// benchBootstrap reports the cost of one bootstrap replicate: the time of a
// fit with n replicates less that of the fit alone, over n.
func benchBootstrap(b *testing.B, cols []int, opt Options, n int) {
	m := realMatrix(b)
	b.ResetTimer()
	var per time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Estimate(context.Background(), m, cols, opt); err != nil {
			b.Fatal(err)
		}
		base := time.Since(t0)
		opt := opt
		opt.Bootstrap = n
		t0 = time.Now()
		if _, err := Estimate(context.Background(), m, cols, opt); err != nil {
			b.Fatal(err)
		}
		per = (time.Since(t0) - base) / time.Duration(n)
	}
	b.ReportMetric(per.Seconds(), "s/replicate")
}

// BenchmarkBootstrapSession70 is the cost per replicate of the static fit of
// session 70.
func BenchmarkBootstrapSession70(b *testing.B) {
	benchBootstrap(b, sessionCols(realMatrix(b), 70, 70), Options{}, 20)
}

// BenchmarkBootstrapWholeRecord is the cost per replicate of the dynamic
// fit of the whole record (replicates run two at a time on two cores).
func BenchmarkBootstrapWholeRecord(b *testing.B) {
	benchBootstrap(b, nil, Options{Dynamic: true, Bridge: true}, 4)
}
