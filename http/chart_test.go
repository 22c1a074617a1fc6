package http

import (
	"fmt"
	"strings"
	"testing"
)

// TestNiceTicks checks that axes get round ticks, about five, within the range.
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 1, "[0 0.25 0.5 0.75 1]"},
		{-1, 1, "[-1 -0.5 0 0.5 1]"},
		{0, 4.5, "[0 1 2 3 4]"}, // not 0, 1.125, 2.25 …
		{-2, 0, "[-2 -1.5 -1 -0.5 0]"},
		{-3.2, 1.7, "[-3 -2 -1 0 1]"},
		{0, 1.5, "[0 0.5 1 1.5]"},
		{3, 3, "[3]"},
	} {
		if got := fmt.Sprint(niceTicks(c.lo, c.hi)); got != c.want {
			t.Errorf("niceTicks(%g, %g) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
	for x, want := range map[float64]float64{0.149: 0.2, 0.2: 0.2, 0.21: 0.25, 0.3: 0.5, 0.7: 1, 1.2: 2, 3: 5, 0: 1} {
		if got := niceCeil(x); got != want {
			t.Errorf("niceCeil(%g) = %g, want %g", x, got, want)
		}
	}
}

// TestBarChartLeavesRoomForNotes checks that the longest value and note of a
// bar at the end of the scale fit inside the chart.
func TestBarChartLeavesRoomForNotes(t *testing.T) {
	svg := string(barChart("c", "t", "d", []bar{{Label: "FIN Finland", Value: 1, Note: "(cohesion 0.979, 472 votes)"}}, 0, 1))
	var x float64
	i := strings.Index(svg, `class="bar-value" x="`)
	if i < 0 {
		t.Fatalf("no value label: %s", svg)
	}
	fmt.Sscanf(svg[i+len(`class="bar-value" x="`):], "%g", &x)
	if room := 720 - x; room < float64(len("1 (cohesion 0.979, 472 votes)"))*6.6 {
		t.Errorf("the value label starts at x=%g: %g px left for %q", x, room, "1 (cohesion 0.979, 472 votes)")
	}
}
