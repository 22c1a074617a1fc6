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
	// a general rule that raised full-level precision and the PETRARCH2 share.)
	floors := map[string][2]float64{
		"full":   {0.78, 0.70}, // 33 correct of 42 predicted, of 47 gold
		"actors": {0.80, 0.73},
		"pairs":  {0.90, 1.00},
		"dates":  {0.86, 0.86},
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
		if s.Level == "full" && (s.Precision < 0.72 || s.Recall < 0.68) {
			t.Errorf("full level with the PETRARCH2 dictionaries: precision %.3f recall %.3f, below the floor 0.72 / 0.68", s.Precision, s.Recall)
		}
	}
}
