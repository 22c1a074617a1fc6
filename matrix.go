package concord

import (
	"fmt"
	"sort"
)

// Matrix is the whole voting record in memory: one byte per state and roll
// call. It is built once from a store and shared, read-only, by every analysis.
type Matrix struct {
	States    []string   // state codes, sorted
	RollCalls []RollCall // sorted by date, then RCID (undated roll calls first)
	Votes     []Vote     // len(States)*len(RollCalls), row-major by state
	stateIdx  map[string]int
	rcIdx     map[int]int
}

// NewMatrix builds a Matrix from roll calls and votes. Votes on roll calls that
// are not in rcs are ignored.
func NewMatrix(rcs []RollCall, votes []VoteRecord) *Matrix {
	b := NewMatrixBuilder(rcs)
	for _, v := range votes {
		b.Set(v.State, v.RCID, v.Vote)
	}
	return b.Matrix()
}

// MatrixOf rebuilds a Matrix from its exported fields, as a Matrix had
// them: states sorted and distinct, roll calls in Matrix order with distinct
// RCIDs, votes row-major; anything else is an error naming what is wrong.
func MatrixOf(states []string, rcs []RollCall, votes []Vote) (*Matrix, error) {
	if len(votes) != len(states)*len(rcs) {
		return nil, fmt.Errorf("matrix: %d votes for %d states × %d roll calls", len(votes), len(states), len(rcs))
	}
	m := &Matrix{States: states, RollCalls: rcs, Votes: votes,
		stateIdx: make(map[string]int, len(states)), rcIdx: make(map[int]int, len(rcs))}
	for i, s := range states {
		if i > 0 && states[i-1] >= s {
			return nil, fmt.Errorf("matrix: states not sorted and distinct at %d (%q after %q)", i, s, states[i-1])
		}
		m.stateIdx[s] = i
	}
	for i, rc := range rcs {
		if i > 0 {
			a := rcs[i-1]
			if rc.Date.Before(a.Date) || rc.Date.Equal(a.Date) && rc.RCID <= a.RCID {
				return nil, fmt.Errorf("matrix: roll call %d at column %d is out of order", rc.RCID, i)
			}
		}
		m.rcIdx[rc.RCID] = i
	}
	return m, nil
}

// MatrixBuilder builds a Matrix vote by vote, for stores that stream votes
// without holding a VoteRecord for each. The result is the one NewMatrix
// builds from the same roll calls and votes.
type MatrixBuilder struct {
	m    *Matrix
	rows map[string][]Vote // one row per state, in column order
}

// NewMatrixBuilder starts a Matrix over the roll calls rcs.
func NewMatrixBuilder(rcs []RollCall) *MatrixBuilder {
	m := &Matrix{RollCalls: append([]RollCall(nil), rcs...)}
	sort.SliceStable(m.RollCalls, func(i, j int) bool {
		a, b := m.RollCalls[i], m.RollCalls[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.RCID < b.RCID
	})
	m.rcIdx = make(map[int]int, len(m.RollCalls))
	for i, rc := range m.RollCalls {
		m.rcIdx[rc.RCID] = i
	}
	return &MatrixBuilder{m: m, rows: map[string][]Vote{}}
}

// Set records the vote of state on roll call rcid; a later Set of the same
// cell wins. A vote on a roll call the builder was not given is ignored,
// though its state still gets a row, as with NewMatrix.
func (b *MatrixBuilder) Set(state string, rcid int, v Vote) {
	row, ok := b.rows[state]
	if !ok {
		row = make([]Vote, len(b.m.RollCalls))
		b.rows[state] = row
	}
	if r, ok := b.m.rcIdx[rcid]; ok {
		row[r] = v
	}
}

// Matrix returns the matrix built; the builder must not be used afterwards.
func (b *MatrixBuilder) Matrix() *Matrix {
	m := b.m
	for s := range b.rows {
		m.States = append(m.States, s)
	}
	sort.Strings(m.States)
	m.stateIdx = make(map[string]int, len(m.States))
	n := len(m.RollCalls)
	m.Votes = make([]Vote, len(m.States)*n)
	for i, s := range m.States {
		m.stateIdx[s] = i
		copy(m.Votes[i*n:(i+1)*n], b.rows[s])
	}
	b.m, b.rows = nil, nil
	return m
}

// StateIndex returns the row of state code s.
func (m *Matrix) StateIndex(s string) (int, bool) {
	i, ok := m.stateIdx[s]
	return i, ok
}

// RollCallIndex returns the column of roll call rcid.
func (m *Matrix) RollCallIndex(rcid int) (int, bool) {
	i, ok := m.rcIdx[rcid]
	return i, ok
}

// Row returns the votes of state row s over all roll calls, in column order.
func (m *Matrix) Row(s int) []Vote {
	n := len(m.RollCalls)
	return m.Votes[s*n : (s+1)*n]
}

// Vote returns the vote of state row s on roll call column r.
func (m *Matrix) Vote(s, r int) Vote { return m.Votes[s*len(m.RollCalls)+r] }

// Bytes returns the memory the vote cells take.
func (m *Matrix) Bytes() int { return len(m.Votes) }
