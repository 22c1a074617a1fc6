package http

import (
	"context"
	"testing"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/ideal"
)

// BenchmarkIdealPageFit measures the state page's ideal-point fit on the real
// record, uncached (dynamic by year over 1991–2019): the wait of the first
// state page after the votes are loaded; later pages reuse it.
func BenchmarkIdealPageFit(b *testing.B) {
	s := realHandler(b)
	ix, err := s.index(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	w := align.Window{From: idealPageFrom, To: idealPageTo}
	for b.Loop() {
		s.results = resultCache{} // uncached
		if _, err := s.fitIdeal(ix, w, ideal.Options{By: ideal.Year, Dynamic: true, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
