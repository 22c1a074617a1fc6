package countries

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	concord "github.com/concord-project/concord"
)

// statesCSV is concord's own reference table, one row per state or territory.
//
//go:embed states.csv
var statesCSV []byte

// columns are the header of states.csv, in order. Empty cells mean "none"
// (or 0); lists (successors, variants) are separated by '|'.
//
//   - code: Code, the ISO alpha-3 code, or the COW abbreviation without one
//   - name: the English short name
//   - iso2, iso3, iso_numeric: ISO 3166-1 codes (3166-3 for dissolved states)
//   - cow, cow_abbr: Correlates of War code and abbreviation
//   - from, to: years of state-system membership (to empty while it lasts)
//   - un_from, un_to: years of UN admission and departure, as the UN lists them
//   - historical: "yes" for a state that no longer exists
//   - successors: codes of the states that succeeded it
//   - territory_of: for a territory, the code of its state, or "-" for none
//   - variants: other names and spellings that resolve to the row
//   - note: what a user should know
//
// Rows are sorted by code; parse rejects anything else.
var columns = []string{
	"code", "name", "iso2", "iso3", "iso_numeric", "cow", "cow_abbr",
	"from", "to", "un_from", "un_to", "historical", "successors",
	"territory_of", "variants", "note",
}

// ambiguousNames are spellings that name more than one state: Lookup answers
// them with an *AmbiguousError listing these codes.
var ambiguousNames = map[string][]string{
	"Korea":          {"PRK", "KOR"},
	"Virgin Islands": {"VGB", "VIR"},
}

// table is the parsed reference table with its indexes.
type table struct {
	states      []concord.State // sorted by Code
	territoryOf []string        // per state: sovereign code, "-" for none, "" for a state
	byCode      map[string]int
	byISO2      map[string]int
	byISO3      map[string]int
	byISONum    map[int]int
	byCOW       map[int]int
	byCOWAbbr   map[string]int
	byName      map[string]int   // normalised name or variant
	ambiguous   map[string][]int // normalised ambiguous name
	names       [][]nameKey      // per state: its normalised names
	codes       [][]string       // per state: its codes, lower case
}

// load parses the embedded table once; the table is checked by the tests,
// so a failure here is a programming error.
var load = sync.OnceValue(func() *table {
	t, err := parse("states.csv", statesCSV)
	if err != nil {
		panic("countries: " + err.Error())
	}
	return t
})

var (
	reCode = regexp.MustCompile(`^[A-Z]{3}$`) // also COW abbreviations
	reISO2 = regexp.MustCompile(`^[A-Z]{2}$`)
)

// listSep separates the items of the list columns.
const listSep = "|"

// parse reads a states table in the states.csv format and builds the
// indexes, rejecting duplicate codes or names and dangling references with an
// error naming file:line:column.
func parse(file string, data []byte) (*table, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if !slices.Equal(header, columns) {
		return nil, fmt.Errorf("%s:1:1: header is %q, want %q", file, header, columns)
	}
	t := &table{
		byCode: map[string]int{}, byISO2: map[string]int{}, byISO3: map[string]int{},
		byISONum: map[int]int{}, byCOW: map[int]int{}, byCOWAbbr: map[string]int{},
		byName: map[string]int{}, ambiguous: map[string][]int{},
	}
	type pos struct{ line, col int }
	var refs []struct {
		p    pos
		code string
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		i := len(t.states)
		at := func(col int) pos { l, c := r.FieldPos(col); return pos{l, c} }
		bad := func(col int, format string, a ...any) error {
			p := at(col)
			return fmt.Errorf("%s:%d:%d: %s: %s", file, p.line, p.col, columns[col], fmt.Sprintf(format, a...))
		}
		num := func(col int) (int, error) {
			if rec[col] == "" {
				return 0, nil
			}
			n, err := strconv.Atoi(rec[col])
			if err != nil || n <= 0 {
				return 0, bad(col, "%q is not a positive integer", rec[col])
			}
			return n, nil
		}
		var s concord.State
		s.Code, s.Name, s.ISO2, s.ISO3, s.COWAbbr, s.Note = rec[0], rec[1], rec[2], rec[3], rec[6], rec[15]
		if !reCode.MatchString(s.Code) {
			return nil, bad(0, "%q is not three capital letters", s.Code)
		}
		if s.Name == "" {
			return nil, bad(1, "empty name")
		}
		if s.ISO2 != "" && !reISO2.MatchString(s.ISO2) {
			return nil, bad(2, "%q is not two capital letters", s.ISO2)
		}
		if s.ISO3 != "" && s.ISO3 != s.Code {
			return nil, bad(3, "%q differs from code %q (code must be the ISO alpha-3 code when there is one)", s.ISO3, s.Code)
		}
		if s.COWAbbr != "" && !reCode.MatchString(s.COWAbbr) {
			return nil, bad(6, "%q is not three capital letters", s.COWAbbr)
		}
		if s.ISO3 == "" && s.Code != s.COWAbbr {
			return nil, bad(0, "%q has no ISO alpha-3 code, so it must be the COW abbreviation %q", s.Code, s.COWAbbr)
		}
		ints := []*int{&s.ISONumeric, &s.COW, &s.From, &s.To, &s.UNFrom, &s.UNTo}
		for k, col := range []int{4, 5, 7, 8, 9, 10} {
			if *ints[k], err = num(col); err != nil {
				return nil, err
			}
		}
		for _, c := range []struct {
			col      int
			from, to int
		}{{8, s.From, s.To}, {10, s.UNFrom, s.UNTo}} {
			if c.to != 0 && c.to < c.from {
				return nil, bad(c.col, "%d is before %d", c.to, c.from)
			}
		}
		if (s.COW == 0) != (s.COWAbbr == "") {
			return nil, bad(5, "COW code and abbreviation must both be given or both be empty")
		}
		switch rec[11] {
		case "":
		case "yes":
			s.Historical = true
		default:
			return nil, bad(11, "%q is neither empty nor \"yes\"", rec[11])
		}
		if rec[12] != "" {
			s.Successors = strings.Split(rec[12], listSep)
			for _, c := range s.Successors {
				refs = append(refs, struct {
					p    pos
					code string
				}{at(12), c})
			}
			if !s.Historical {
				return nil, bad(12, "only a historical state has successors")
			}
		}
		if of := rec[13]; of != "" && of != "-" {
			refs = append(refs, struct {
				p    pos
				code string
			}{at(13), of})
		}
		if rec[14] != "" {
			s.Variants = strings.Split(rec[14], listSep)
		}
		unique := func(m map[string]int, key string, col int) error {
			if key == "" {
				return nil
			}
			if j, dup := m[key]; dup {
				return bad(col, "%q is also %s's", key, t.states[j].Code)
			}
			m[key] = i
			return nil
		}
		uniqueInt := func(m map[int]int, key int, col int) error {
			if key == 0 {
				return nil
			}
			if j, dup := m[key]; dup {
				return bad(col, "%d is also %s's", key, t.states[j].Code)
			}
			m[key] = i
			return nil
		}
		for _, err := range []error{
			unique(t.byCode, s.Code, 0), unique(t.byISO2, s.ISO2, 2), unique(t.byISO3, s.ISO3, 3),
			uniqueInt(t.byISONum, s.ISONumeric, 4), uniqueInt(t.byCOW, s.COW, 5), unique(t.byCOWAbbr, s.COWAbbr, 6),
		} {
			if err != nil {
				return nil, err
			}
		}
		var names []nameKey
		for k, n := range append([]string{s.Name}, s.Variants...) {
			col := 1
			if k > 0 {
				col = 14
			}
			key := normalize(n)
			if key == "" {
				return nil, bad(col, "%q has no letters", n)
			}
			if j, dup := t.byName[key]; dup && j != i {
				return nil, bad(col, "%q is also a name of %s (both read %q)", n, t.states[j].Code, key)
			}
			if !slices.ContainsFunc(names, func(n nameKey) bool { return n.key == key }) {
				names = append(names, newNameKey(key))
			}
			t.byName[key] = i
		}
		var codes []string
		for _, c := range []string{s.Code, s.ISO2, s.ISO3, s.COWAbbr} {
			if c != "" && !slices.Contains(codes, strings.ToLower(c)) {
				codes = append(codes, strings.ToLower(c))
			}
		}
		t.states = append(t.states, s)
		t.territoryOf = append(t.territoryOf, rec[13])
		t.names = append(t.names, names)
		t.codes = append(t.codes, codes)
	}
	for _, ref := range refs {
		if _, ok := t.byCode[ref.code]; !ok {
			return nil, fmt.Errorf("%s:%d:%d: unknown state code %q", file, ref.p.line, ref.p.col, ref.code)
		}
	}
	if !slices.IsSortedFunc(t.states, func(a, b concord.State) int { return strings.Compare(a.Code, b.Code) }) {
		return nil, fmt.Errorf("%s: rows are not sorted by code", file)
	}
	for name, codes := range ambiguousNames {
		key := normalize(name)
		if j, ok := t.byName[key]; ok {
			return nil, fmt.Errorf("%s: ambiguous name %q is also a name of %s", file, name, t.states[j].Code)
		}
		for _, c := range codes {
			j, ok := t.byCode[c]
			if !ok {
				return nil, fmt.Errorf("ambiguous name %q: unknown state code %q", name, c)
			}
			t.ambiguous[key] = append(t.ambiguous[key], j)
		}
	}
	return t, nil
}

// nameKey is a normalised name prepared for searching.
type nameKey struct {
	key    string   // "bosnia and herzegovina"
	padded string   // " bosnia and herzegovina ", to find whole words
	words  []string // the words of at least four letters, for fuzzy matching
}

func newNameKey(key string) nameKey {
	n := nameKey{key: key, padded: " " + key + " "}
	if strings.Contains(key, " ") {
		for _, w := range strings.Fields(key) {
			if len(w) >= 4 {
				n.words = append(n.words, w)
			}
		}
	}
	return n
}

// clone returns a copy of s that shares no slices with the table.
func clone(s concord.State) concord.State {
	s.Variants = slices.Clone(s.Variants)
	s.Successors = slices.Clone(s.Successors)
	return s
}
