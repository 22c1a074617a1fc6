package align_test

import (
	"testing"

	"github.com/concord-project/concord/align"
)

// The benchmarks run on the real data (~200 states × 6,203 roll calls).

func BenchmarkNewIndex(b *testing.B) {
	m := realMatrix(b)
	for b.Loop() {
		align.NewIndex(m)
	}
}

func BenchmarkPair(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.Pair("Cuba", "United States", align.Window{}, align.All); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPairByYear(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.Pair("Cuba", "United States", align.Window{}, align.Year); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPartners(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.Partners("Cuba", align.Window{}, align.Kappa, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllPairs(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.AllPairs(align.Window{}, align.Kappa); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllPairsIssue(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.AllPairs(align.Window{From: 2000, To: 2019, Issue: "me"}, align.Agree); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllPairsEveryYear computes the all-pairs agreement matrix of each
// calendar year 1946–2019 in turn: the work of the numpy reference
// (../shared/bench/numpy_allpairs.py, "per-year all-pairs").
func BenchmarkAllPairsEveryYear(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		for y := 1946; y <= 2019; y++ {
			if _, err := ix.AllPairs(align.Window{From: y, To: y}, align.Agree); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPartnersIssue ranks partners over one issue's roll calls since 1990 (the per-issue index).
func BenchmarkPartnersIssue(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.Partners("Cuba", align.Window{From: 1990, Issue: "me"}, align.Agree, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPairByYearIssue is one pair per year over one issue's roll calls.
func BenchmarkPairByYearIssue(b *testing.B) {
	ix := align.NewIndex(realMatrix(b))
	for b.Loop() {
		if _, err := ix.Pair("Cuba", "United States", align.Window{Issue: "hr"}, align.Year); err != nil {
			b.Fatal(err)
		}
	}
}
