package concord

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestNewMatrix(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	rcs := []RollCall{{RCID: 5, Date: day(1990)}, {RCID: 9}, {RCID: 2, Date: day(1990)}, {RCID: 1, Date: day(2000)}}
	given := slices.Clone(rcs)
	votes := []VoteRecord{
		{RCID: 5, State: "USA", Vote: Yes}, {RCID: 1, State: "FRA", Vote: No},
		{RCID: 9, State: "USA", Vote: Absent}, {RCID: 5, State: "USA", Vote: Abstain}, // later vote wins
		{RCID: 77, State: "ZZZ", Vote: Yes}, // unknown roll call: ignored, but ZZZ gets a row
	}
	m := NewMatrix(rcs, votes)
	var order []int
	for _, rc := range m.RollCalls {
		order = append(order, rc.RCID)
	}
	if !slices.Equal(order, []int{9, 2, 5, 1}) {
		t.Errorf("roll call order %v, want undated first, then by date and RCID: [9 2 5 1]", order)
	}
	if !slices.EqualFunc(rcs, given, func(a, b RollCall) bool { return a.RCID == b.RCID }) {
		t.Error("NewMatrix reordered its argument")
	}
	if !slices.Equal(m.States, []string{"FRA", "USA", "ZZZ"}) {
		t.Errorf("states %v", m.States)
	}
	want := map[string][]Vote{
		"FRA": {0, 0, 0, No},
		"USA": {Absent, 0, Abstain, 0},
		"ZZZ": {0, 0, 0, 0},
	}
	for s, row := range want {
		i, ok := m.StateIndex(s)
		if !ok || !slices.Equal(m.Row(i), row) {
			t.Errorf("row of %s = %v, want %v", s, m.Row(i), row)
		}
	}
	if c, ok := m.RollCallIndex(5); !ok || c != 2 || m.Vote(1, c) != Abstain {
		t.Errorf("RollCallIndex(5) = %d, %v", c, ok)
	}
	if m.Bytes() != 12 {
		t.Errorf("Bytes = %d, want 12: one byte per cell", m.Bytes())
	}

	// The builder gives what NewMatrix gives, in any order of Set.
	b := NewMatrixBuilder(rcs)
	for _, v := range slices.Backward(votes) {
		if v.RCID == 5 && v.Vote == Abstain {
			continue
		}
		b.Set(v.State, v.RCID, v.Vote)
	}
	b.Set("USA", 5, Abstain)
	m2 := b.Matrix()
	if !slices.Equal(m2.States, m.States) || !slices.Equal(m2.Votes, m.Votes) {
		t.Errorf("builder: %v %v, NewMatrix: %v %v", m2.States, m2.Votes, m.States, m.Votes)
	}
	if e := NewMatrix(nil, nil); len(e.States) != 0 || len(e.RollCalls) != 0 || e.Bytes() != 0 {
		t.Errorf("empty matrix: %+v", e)
	}
}

// BenchmarkNewMatrix builds a matrix the size of Voeten's data: 6,200 roll
// calls, 200 states, 1.24 million votes.
func BenchmarkNewMatrix(b *testing.B) {
	const nrc, ns = 6200, 200
	rcs := make([]RollCall, nrc)
	for i := range rcs {
		rcs[i] = RollCall{RCID: i + 1, Date: time.Date(1946, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*7919)%27000)}
	}
	states := make([]string, ns)
	for i := range states {
		states[i] = string([]byte{byte('A' + i/26), byte('A' + i%26), 'X'})
	}
	votes := make([]VoteRecord, 0, nrc*ns)
	for _, rc := range rcs {
		for i, s := range states {
			votes = append(votes, VoteRecord{RCID: rc.RCID, State: s, Vote: Vote(1 + (rc.RCID+i)%3)})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		NewMatrix(rcs, votes)
	}
	b.ReportMetric(float64(len(votes)), "votes")
}

func TestMatrixOfRebuildsAndRejectsBadParts(t *testing.T) {
	rcs := []RollCall{{RCID: 1, Date: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}, {RCID: 2, Date: time.Date(2002, 1, 1, 0, 0, 0, 0, time.UTC)}}
	m := NewMatrix(rcs, []VoteRecord{{RCID: 1, State: "USA", Vote: Yes}, {RCID: 2, State: "CUB", Vote: No}})
	got, err := MatrixOf(m.States, m.RollCalls, m.Votes)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("MatrixOf(parts of a Matrix) = %+v, %v; want %+v", got, err, m)
	}
	for name, c := range map[string]struct {
		states []string
		rcs    []RollCall
		votes  []Vote
	}{
		"votes":    {m.States, m.RollCalls, m.Votes[1:]},
		"states":   {[]string{"USA", "CUB"}, m.RollCalls, m.Votes},
		"order":    {m.States, []RollCall{rcs[1], rcs[0]}, m.Votes},
		"distinct": {m.States, []RollCall{rcs[0], rcs[0]}, m.Votes},
	} {
		if _, err := MatrixOf(c.states, c.rcs, c.votes); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
