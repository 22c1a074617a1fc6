package blocs

import (
	"testing"

	"github.com/concord-project/concord/align"
)

// BenchmarkBlocsEveryYear1946to2019 finds the blocs of each year of the
// record (one-year windows, best of 5 Leiden runs, as the igraph reference
// script does), without firmness; the next benchmark adds it.
func BenchmarkBlocsEveryYear1946to2019(b *testing.B) {
	ix := realIndex(b)
	b.ResetTimer()
	for b.Loop() {
		r, err := Analyze(ix, Options{From: 1946, To: 2019, Window: 1, Bootstrap: -1})
		if err != nil || len(r.Windows) != 74 {
			b.Fatal(err, len(r.Windows))
		}
	}
}

// BenchmarkBlocsEveryYear1946to2019WithFirmness adds 20 bootstrap runs per year.
func BenchmarkBlocsEveryYear1946to2019WithFirmness(b *testing.B) {
	ix := realIndex(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyze(ix, Options{From: 1946, To: 2019, Window: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLeidenEveryYear times Leiden alone (5 restarts) on the 74 yearly
// agreement graphs, the part the igraph reference times.
func BenchmarkLeidenEveryYear(b *testing.B) {
	ix := realIndex(b)
	var graphs []*Graph
	for y := 1946; y <= 2019; y++ {
		p, err := ix.AllPairs(align.Window{From: y, To: y}, align.Agree)
		if err != nil {
			b.Fatal(err)
		}
		g, _ := AgreementGraph(p, GraphOptions{})
		graphs = append(graphs, g)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, g := range graphs {
			Leiden(g, LeidenOptions{Restarts: 5})
		}
	}
}

// BenchmarkCoalitionQuery ranks every state as a candidate for France and
// Germany over the whole record, with cohesion if each joined, and the
// seeds' decisiveness (what `concord coalition FRA DEU` computes).
func BenchmarkCoalitionQuery(b *testing.B) {
	ix := realIndex(b)
	b.ResetTimer()
	for b.Loop() {
		c, err := NewCoalition(ix, CoalitionOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Candidates([]string{"FRA", "DEU"}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Decide([]string{"FRA", "DEU"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCoalitionBuild10 grows a coalition from France and Germany to ten members over the whole record.
func BenchmarkCoalitionBuild10(b *testing.B) {
	ix := realIndex(b)
	b.ResetTimer()
	for b.Loop() {
		c, _ := NewCoalition(ix, CoalitionOptions{})
		if _, err := c.Build([]string{"FRA", "DEU"}, 10); err != nil {
			b.Fatal(err)
		}
	}
}
