// Package countries turns any spelling or code of a state into concord's
// canonical [concord.State].
//
// The package ships its own reference table, states.csv (embedded): one row
// for each present state, each territory with an ISO 3166-1 code, and the
// historical states concord's data sets meet (the Soviet Union, Yugoslavia,
// Czechoslovakia, East and West Germany, North and South Yemen, Zanzibar,
// South Vietnam, and the pre-1918 members of the Correlates of War (COW)
// state system). Each row gives the ISO 3166-1 codes (ISO 3166-3 former codes
// for dissolved states), the COW code and abbreviation (State System
// Membership List v2016, Correlates of War Project), years of state-system
// membership (From, To: COW's years when the state has a COW code of its own,
// else its years of independence), the year of UN admission as the UN lists
// it (UNFrom) and of leaving the UN (UNTo), successor states, and the
// English names and spellings that resolve to it. [All], [ByCode], [ByCOW],
// [ByISO2], [ByISONumeric] and [ByCOWAbbr] read the table directly;
// [TerritoryOf] tells a territory from a state.
//
// [Lookup] resolves any code or name, ignoring case and surrounding spaces,
// in this order of precedence:
//
//   - "iso:" or "cow:" forces a scheme: "iso:364", "iso:IR", "iso:IRN" (ISO
//     numeric, alpha-2, alpha-3) and "cow:630", "cow:IRN" (COW code,
//     abbreviation).
//   - A bare number is a COW code: 630 is Iran, although ISO numeric 630 is
//     Puerto Rico ("iso:630").
//   - Three letters are a Code or ISO alpha-3 code first, then a COW
//     abbreviation: AUS is Australia by ISO, while COW's AUS, Austria, is
//     "cow:AUS" (likewise CZE, MAC, MNG, SLV, SWZ).
//   - Two letters are an ISO alpha-2 code, including the former CS
//     (Czechoslovakia), YU, DD, YD and SU. "NA" is Namibia.
//   - Anything else, or codes that match nothing, are names, compared after
//     folding case and accents, dropping apostrophes, reading '&' as "and"
//     and "St." as "Saint", ignoring other punctuation and the words "the"
//     and "of", and trying "Korea, Republic of" and "Iran (Islamic Republic
//     of)" back to front.
//
// Input that matches nothing returns an [*UnknownError] with close matches
// from [Search]; a name of several states ("Korea") returns an
// [*AmbiguousError]. The names cover every spelling in Voeten's UN voting data
// (unvotes' country names, e.g. "Congo - Kinshasa", "Côte d’Ivoire"), COW's
// and ISO's names, and the UN's official names, present and past
// ("IRAN (ISLAMIC REPUBLIC OF)", "UPPER VOLTA", "BYELORUSSIAN SSR").
//
// Some codes are shared across time: COW 365 and the voting data's "Russia"
// cover the Soviet Union, so they resolve to Russia (RUS); COW 345 and
// "Yugoslavia" cover Yugoslavia, Serbia and Montenegro and, in the voting
// data, Serbia through 2019, so they resolve to YUG. [LookupUN] resolves names
// as the UN used them on a date ("China" before 25 October 1971 is the
// Republic of China, TWN).
package countries

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
)

// All returns every state, present and historical, and every territory,
// sorted by Code.
func All() []concord.State {
	t := load()
	out := make([]concord.State, len(t.states))
	for i, s := range t.states {
		out[i] = clone(s)
	}
	return out
}

// ByCode returns the state whose Code is code (upper case, exact).
func ByCode(code string) (concord.State, bool) {
	return get(load().byCode, code)
}

// ByCOW returns the state with Correlates of War numeric code n.
func ByCOW(n int) (concord.State, bool) {
	return get(load().byCOW, n)
}

// ByCOWAbbr returns the state with Correlates of War abbreviation a (upper
// case, exact): ByCOWAbbr("AUS") is Austria.
func ByCOWAbbr(a string) (concord.State, bool) {
	return get(load().byCOWAbbr, a)
}

// ByISO2 returns the state with ISO 3166-1 alpha-2 code c, including the
// former codes of dissolved states (CS, YU, DD, YD, SU).
func ByISO2(c string) (concord.State, bool) {
	return get(load().byISO2, c)
}

// ByISONumeric returns the state with ISO 3166-1 numeric code n (or the
// former numeric code of a dissolved state).
func ByISONumeric(n int) (concord.State, bool) {
	return get(load().byISONum, n)
}

// TerritoryOf reports whether code is a territory rather than a state, and
// if so the Code of the state it belongs to, or "" when it has none
// (Antarctica, Western Sahara).
func TerritoryOf(code string) (sovereign string, ok bool) {
	t := load()
	i, found := t.byCode[code]
	if !found || t.territoryOf[i] == "" {
		return "", false
	}
	if of := t.territoryOf[i]; of != "-" {
		return of, true
	}
	return "", true
}

func get[K comparable](m map[K]int, k K) (concord.State, bool) {
	i, ok := m[k]
	if !ok {
		return concord.State{}, false
	}
	return clone(load().states[i]), true
}

// Lookup resolves q, any code or spelling of a state, case-insensitive; see
// the package documentation for the order in which codes and names are
// tried. It returns an *UnknownError or *AmbiguousError when q matches no
// state or several.
func Lookup(q string) (concord.State, error) {
	t := load()
	i, err := t.resolve(q)
	if err != nil {
		return concord.State{}, err
	}
	return clone(t.states[i]), nil
}

// unSeats are the names and codes whose meaning in UN records changed on a
// date: before it, a query resolving to the first state meant the second.
var unSeats = []struct {
	now, then string
	until     time.Time
	after     bool // the change applies from the date on instead
}{
	{now: "CHN", then: "TWN", until: date(1971, 10, 25)},
	{now: "YEM", then: "YAR", until: date(1990, 5, 22)},
	{now: "DEU", then: "GFR", until: date(1990, 10, 3)},
	{now: "GFR", then: "DEU", until: date(1990, 10, 3), after: true},
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// LookupUN resolves q like Lookup, then as the United Nations meant it on
// day t: "China" (or CHN) before 25 October 1971 is the Republic of China
// (TWN), which held China's seat; "Yemen" (or YE, YEM) before 22 May 1990 is
// the Yemen Arab Republic (YAR); "Germany" (or DE, DEU) before 3 October 1990
// is West Germany (GFR), and "Federal Republic of Germany" from that day on
// is Germany (DEU). Use it for UN records such as the UN Digital Library's
// voting data, whose names follow the seat.
func LookupUN(q string, t time.Time) (concord.State, error) {
	s, err := Lookup(q)
	if err != nil {
		return s, err
	}
	for _, r := range unSeats {
		if s.Code == r.now && t.Before(r.until) != r.after {
			s, _ = ByCode(r.then)
			return s, nil
		}
	}
	return s, nil
}

// resolve returns the index of the state q names.
func (t *table) resolve(q string) (int, error) {
	s := strings.TrimSpace(q)
	if s == "" {
		return 0, &UnknownError{Query: q}
	}
	if len(s) > 4 && s[3] == ':' {
		scheme, code := strings.ToLower(s[:3]), strings.ToUpper(strings.TrimSpace(s[4:]))
		var i int
		var ok bool
		switch scheme {
		case "iso":
			if n, err := strconv.Atoi(code); err == nil {
				i, ok = t.byISONum[n]
			} else if len(code) == 2 {
				i, ok = t.byISO2[code]
			} else {
				i, ok = t.byISO3[code]
			}
		case "cow":
			if n, err := strconv.Atoi(code); err == nil {
				i, ok = t.byCOW[n]
			} else {
				i, ok = t.byCOWAbbr[code]
			}
		default:
			return t.resolveName(q, s)
		}
		if !ok {
			return 0, &UnknownError{Query: q, Suggestions: t.suggest(code)}
		}
		return i, nil
	}
	if isDigits(s) {
		n, err := strconv.Atoi(s)
		if i, ok := t.byCOW[n]; err == nil && ok {
			return i, nil
		}
		e := &UnknownError{Query: q, Reason: fmt.Sprintf("a bare number is a COW code, and no state has COW code %s", s)}
		// A zero-padded number is more likely an ISO numeric code: suggest it.
		if i, ok := t.byISONum[n]; err == nil && ok {
			e.Suggestions = append(e.Suggestions, clone(t.states[i]))
			e.Reason += fmt.Sprintf(`; "iso:%s" is an ISO numeric code`, s)
		}
		return 0, e
	}
	if isLetters(s) {
		code := strings.ToUpper(s)
		switch len(code) {
		case 2:
			if i, ok := t.byISO2[code]; ok {
				return i, nil
			}
		case 3:
			if i, ok := t.byCode[code]; ok {
				return i, nil
			}
			if i, ok := t.byCOWAbbr[code]; ok {
				return i, nil
			}
		}
	}
	return t.resolveName(q, s)
}

// resolveName resolves s, the trimmed query q, as a name.
func (t *table) resolveName(q, s string) (int, error) {
	key := normalize(s)
	if i, ok := t.byName[key]; ok {
		return i, nil
	}
	if is, ok := t.ambiguous[key]; ok {
		e := &AmbiguousError{Query: q}
		for _, i := range is {
			e.Candidates = append(e.Candidates, clone(t.states[i]))
		}
		return 0, e
	}
	for _, inv := range inversions(s) {
		if i, ok := t.byName[normalize(inv)]; ok {
			return i, nil
		}
	}
	return 0, &UnknownError{Query: q, Suggestions: t.suggest(s)}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return len(s) > 0
}

// maxSuggestions bounds the close matches an *UnknownError lists.
const maxSuggestions = 5

// suggest returns the closest matches of q for an error message.
func (t *table) suggest(q string) []concord.State {
	ms := t.search(q)
	if len(ms) > maxSuggestions {
		ms = ms[:maxSuggestions]
	}
	out := make([]concord.State, len(ms))
	for k, m := range ms {
		out[k] = clone(t.states[m.i])
	}
	return out
}

// Search returns the states whose codes or names match q, best first: the
// state Lookup resolves q to, then states with a code or name equal to q,
// beginning with q, containing q as words, containing q, contained in q as
// words ("the Republic of Italy" finds Italy), and finally names
// and codes within a small edit distance of q (about one typo in four
// letters). Ties are broken by name.
func Search(q string) []concord.State {
	t := load()
	ms := t.search(q)
	if i, err := t.resolve(q); err == nil {
		ms = slices.DeleteFunc(ms, func(m match) bool { return m.i == i })
		ms = slices.Insert(ms, 0, match{i: i})
	}
	out := make([]concord.State, len(ms))
	for k, m := range ms {
		out[k] = clone(t.states[m.i])
	}
	return out
}

// match is a state with the score of its best matching name or code.
type match struct{ i, score int }

// Scores of a match, lower is better.
const (
	scoreExact     = 0
	scorePrefix    = 1
	scoreWords     = 2
	scoreSubstring = 3
	scoreContained = 4  // the name is words of the query: "the Republic of Italy"
	scoreFuzzy     = 10 // plus the edit distance
	scoreNone      = 1 << 30
)

// search scores every state against q and returns those that match, best
// first.
func (t *table) search(q string) []match {
	key := normalize(strings.TrimSpace(q))
	if key == "" {
		return nil
	}
	qk := query{key: key, padded: " " + key + " ", oneWord: !strings.Contains(key, " "), maxd: maxDistance(len(key))}
	compact := strings.ReplaceAll(key, " ", "")
	var ms []match
	for i := range t.states {
		best := scoreNone
		for _, name := range t.names[i] {
			best = min(best, qk.score(name))
		}
		for _, code := range t.codes[i] {
			switch {
			case compact == code:
				best = scoreExact
			case len(compact) == len(code) && len(code) <= 3:
				if d := distance(compact, code, 1); d <= 1 {
					best = min(best, scoreFuzzy+d)
				}
			}
		}
		if best < scoreNone {
			ms = append(ms, match{i, best})
		}
	}
	slices.SortFunc(ms, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.score, b.score), strings.Compare(t.states[a.i].Name, t.states[b.i].Name))
	})
	return ms
}

// query is a normalised search query.
type query struct {
	key, padded string
	oneWord     bool
	maxd        int // edit distance allowed
}

// score scores the query against a name.
func (q query) score(name nameKey) int {
	switch {
	case q.key == name.key:
		return scoreExact
	case len(q.key) >= 3 && strings.HasPrefix(name.key, q.key):
		return scorePrefix
	case len(q.key) >= 3 && strings.Contains(name.padded, q.padded):
		return scoreWords
	case len(q.key) >= 4 && strings.Contains(name.key, q.key):
		return scoreSubstring
	case len(name.key) >= 4 && strings.Contains(q.padded, name.padded):
		return scoreContained
	}
	best := scoreNone
	if d := distance(q.key, name.key, q.maxd); d <= q.maxd {
		best = scoreFuzzy + d
	}
	// A one-word query is also compared with each word of a longer name:
	// "Herzegovnia" finds Bosnia and Herzegovina.
	if q.oneWord {
		for _, w := range name.words {
			if d := distance(q.key, w, q.maxd); d <= q.maxd {
				best = min(best, scoreFuzzy+d+1)
			}
		}
	}
	return best
}

// maxDistance is the edit distance allowed for a fuzzy match of a query of
// n bytes.
func maxDistance(n int) int {
	switch {
	case n <= 5:
		return 1
	case n <= 8:
		return 2
	default:
		return 3
	}
}

// distance returns the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and transpositions of adjacent
// bytes), or max+1 if it exceeds max.
func distance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	var buf [3][64]int
	var prev2, prev, cur []int
	if len(b) < len(buf[0]) {
		prev2, prev, cur = buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	} else {
		prev2, prev, cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
