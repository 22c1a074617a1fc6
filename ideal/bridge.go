package ideal

import (
	"sort"
	"strings"
	"unicode"

	concord "github.com/concord-project/concord"
)

// boilerplate words say how a vote was taken, not what it was about: a
// description made only of them (e.g. "TO ADOPT 3RD COMM DRAFT RESOLUTION
// A/2808") names no subject and is never bridged.
var boilerplate = map[string]bool{
	"to": true, "adopt": true, "approve": true, "draft": true, "resolution": true, "comm": true,
	"committee": true, "the": true, "a": true, "as": true, "whole": true, "th": true, "st": true,
	"nd": true, "rd": true, "and": true, "amendment": true, "report": true, "of": true, "l": true,
	"corr": true, "rev": true, "c": true, "res": true, "#": true,
}

// BridgeKey returns the normalised title under which roll call rc is matched
// with roll calls of other sessions on the same recurring resolution, or ""
// when rc cannot be bridged. The title is Descr (Short when Descr is empty),
// lower-cased, cut before the UN Digital Library suffix " : resolution / …",
// with every run of digits replaced by "#" (session numbers, years and
// document symbols change from one session to the next) and every run of
// other non-letters by one space. Amendments and paragraph votes (Amend or
// Para true), records of the presiding officer's words ("The President: …")
// and titles made only of procedural words ("to adopt … draft resolution
// A/…") give "".
func BridgeKey(rc concord.RollCall) string {
	if rc.Amend == concord.FlagTrue || rc.Para == concord.FlagTrue {
		return ""
	}
	t := rc.Descr
	if strings.TrimSpace(t) == "" {
		t = rc.Short
	}
	t = strings.ToLower(t)
	if i := strings.Index(t, ": resolution"); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimSpace(t)
	for _, p := range []string{"the president", "the acting president", "the vice-president", "the vice president"} {
		if strings.HasPrefix(t, p) {
			return ""
		}
	}
	// Tokens: runs of letters, and "#" for each run of digits.
	var words []string
	w := []rune(nil)
	flush := func() {
		if len(w) > 0 {
			words = append(words, string(w))
			w = w[:0]
		}
	}
	for _, r := range t {
		switch {
		case unicode.IsLetter(r):
			if len(w) > 0 && w[0] == '#' {
				flush()
			}
			w = append(w, r)
		case unicode.IsDigit(r):
			if len(w) > 0 && w[0] != '#' {
				flush()
			}
			if len(w) == 0 {
				w = append(w, '#')
			}
		default:
			flush()
		}
	}
	flush()
	k := strings.Join(words, " ")
	for _, w := range words {
		if !boilerplate[w] {
			return k
		}
	}
	return ""
}

// Bridges returns the roll-call columns (among cols; nil means all) that
// Options.Bridge makes share item parameters: groups of columns with the same
// BridgeKey in at least two sessions, at most one per session. A key used by
// more than one of the columns within a session (parts of one resolution
// voted separately, or distinct resolutions with one title) is ambiguous and
// bridges none of them. Each group is in column order; groups are ordered by
// their first column.
func Bridges(m *concord.Matrix, cols []int) [][]int {
	if cols == nil {
		cols = make([]int, len(m.RollCalls))
		for i := range cols {
			cols[i] = i
		}
	}
	type sessKey struct {
		key  string
		sess int
	}
	n := map[sessKey]int{}
	keys := make([]string, len(cols))
	for i, c := range cols {
		if c < 0 || c >= len(m.RollCalls) {
			continue
		}
		rc := m.RollCalls[c]
		keys[i] = BridgeKey(rc)
		if keys[i] != "" {
			n[sessKey{keys[i], rc.Session}]++
		}
	}
	byKey := map[string][]int{}
	for i, c := range cols {
		if keys[i] == "" || n[sessKey{keys[i], m.RollCalls[c].Session}] > 1 {
			continue
		}
		byKey[keys[i]] = append(byKey[keys[i]], c)
	}
	var out [][]int
	for _, g := range byKey {
		if len(g) > 1 {
			sort.Ints(g)
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// partition returns cols as groups: the bridges, and every other column on
// its own, ordered by first column.
func partition(m *concord.Matrix, cols []int, bridge bool) [][]int {
	var groups [][]int
	in := map[int]bool{}
	if bridge {
		groups = Bridges(m, cols)
		for _, g := range groups {
			for _, c := range g {
				in[c] = true
			}
		}
	}
	for _, c := range cols {
		if !in[c] {
			groups = append(groups, []int{c})
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i][0] < groups[j][0] })
	return groups
}
