package events

import (
	"os"
	"path/filepath"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
)

// codeDevSet codes the development articles with coder c.
func codeDevSet(tb testing.TB, c *Coder) (map[string]GoldArticle, map[string][]concord.Event) {
	dir := testdata.File(tb, "events/articles")
	gold, err := LoadGold(filepath.Join(dir, "gold.json"))
	if err != nil {
		tb.Fatal(err)
	}
	coded := map[string][]concord.Event{}
	for _, f := range GoldFiles(gold) {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			tb.Fatal(err)
		}
		a, err := ReadArticle(fh, "")
		fh.Close()
		if err != nil {
			tb.Fatal(err)
		}
		coded[f] = c.Code(a)
	}
	return gold, coded
}

// TestDevSetScores scores the built-in coder on the development set at the
// issue's level and asserts the level reached (floors never lowered).
func TestDevSetScores(t *testing.T) {
	gold, coded := codeDevSet(t, NewCoder())
	// Floors: precision and recall reached on 2026-11-29. Raise them as the coder
	// improves. (The pairs and dates precision floors were re-set once, from 0.84
	// and 0.80, when targets after "to" — "arms sales to Taiwan" — were admitted:
	// a general rule that raised full-level precision and the PETRARCH2 share.
	// The pairs recall floor went from 1.00 to 0.94 when the bare noun
	// "sanctions" stopped coding 163: the pair Cuba–United States had been found
	// only through that wrong event.)
	floors := map[string][2]float64{
		"full":   {0.97, 0.76}, // 36 correct of 37 predicted, of 47 gold (session 1: 33 of 42: 0.786 / 0.702)
		"actors": {0.97, 0.77},
		"pairs":  {1.00, 0.94},
		"dates":  {0.95, 0.86},
	}
	for _, s := range Evaluate(gold, coded) {
		t.Logf("%-7s predicted %3d gold %3d correct %3d  precision %.3f recall %.3f F1 %.3f", s.Level, s.Predicted, s.Gold, s.Correct, s.Precision, s.Recall, s.F1())
		if f := floors[s.Level]; s.Precision < f[0] || s.Recall < f[1] {
			t.Errorf("%s: precision %.3f recall %.3f, below the floor %.2f / %.2f", s.Level, s.Precision, s.Recall, f[0], f[1])
		}
	}
}

// BenchmarkCodeDevSet codes the eleven development articles; articles/s = 11 × 1e9 / ns/op.
func BenchmarkCodeDevSet(b *testing.B) {
	dir := testdata.File(b, "events/articles")
	gold, err := LoadGold(filepath.Join(dir, "gold.json"))
	if err != nil {
		b.Fatal(err)
	}
	var arts []*Article
	for _, f := range GoldFiles(gold) {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			b.Fatal(err)
		}
		a, err := ReadArticle(fh, "")
		fh.Close()
		if err != nil {
			b.Fatal(err)
		}
		arts = append(arts, a)
	}
	c := NewCoder()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			c.Code(a)
		}
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// TestDevSetScoresPetrarch scores the coder with the PETRARCH2 actor and agent dictionaries added to the built-in one.
func TestDevSetScoresPetrarch(t *testing.T) {
	c := NewCoder()
	if _, err := c.Dict.LoadDir(testdata.File(t, "events/petrarch2"), false); err != nil {
		t.Fatal(err)
	}
	gold, coded := codeDevSet(t, c)
	for _, s := range Evaluate(gold, coded) {
		t.Logf("%-7s predicted %3d gold %3d correct %3d  precision %.3f recall %.3f F1 %.3f", s.Level, s.Predicted, s.Gold, s.Correct, s.Precision, s.Recall, s.F1())
		if s.Level == "full" && (s.Precision < 0.89 || s.Recall < 0.74) {
			t.Errorf("full level with the PETRARCH2 dictionaries: precision %.3f recall %.3f, below the floor 0.89 / 0.74 (session 1: 0.727 / 0.681)", s.Precision, s.Recall)
		}
	}
}

// devSplit is the development set's split for an honest figure: the rules of
// 2026-11-29 (second session) were written looking at the errors on the first
// six articles ("dev", 00–05) only; the last five ("held", 06–10) measure them.
func devSplit(gold map[string]GoldArticle, coded map[string][]concord.Event, held bool) (map[string]GoldArticle, map[string][]concord.Event) {
	g, c := map[string]GoldArticle{}, map[string][]concord.Event{}
	for f, a := range gold {
		if (f >= "06") == held {
			g[f], c[f] = a, coded[f]
		}
	}
	return g, c
}

// TestDevSetSplit scores both halves of the split and asserts their floors.
func TestDevSetSplit(t *testing.T) {
	gold, coded := codeDevSet(t, NewCoder())
	// before the second session's rules: dev 21 of 29 (0.724 / 0.656), held 12 of 13 (0.923 / 0.800)
	floors := map[bool][2]float64{false: {1.00, 0.75}, true: {0.92, 0.80}} // dev 24 of 24, held 12 of 13

	for _, held := range []bool{false, true} {
		g, c := devSplit(gold, coded, held)
		s := Evaluate(g, c)[0]
		name := map[bool]string{false: "dev 00-05", true: "held 06-10"}[held]
		t.Logf("%s: predicted %d gold %d correct %d precision %.3f recall %.3f", name, s.Predicted, s.Gold, s.Correct, s.Precision, s.Recall)
		if f := floors[held]; s.Precision < f[0] || s.Recall < f[1] {
			t.Errorf("%s: precision %.3f recall %.3f, below the floor %.2f / %.2f", name, s.Precision, s.Recall, f[0], f[1])
		}
	}
}
