package countries_test

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/internal/testdata"
)

// eachRow calls fn with every record of the CSV file rel under the shared
// data directory (gzip-compressed if it ends in .gz), and a function that
// returns a named column of the record.
func eachRow(tb testing.TB, rel string, fn func(col func(name string) string)) {
	tb.Helper()
	f, err := os.Open(testdata.File(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(rel, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatalf("%s: %v", rel, err)
		}
		r = gz
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		tb.Fatalf("%s: %v", rel, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[h] = i
	}
	var rec []string
	col := func(name string) string {
		i, ok := index[name]
		if !ok {
			tb.Fatalf("%s: no column %q", rel, name)
		}
		return rec[i]
	}
	for {
		rec, err = cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			tb.Fatalf("%s: %v", rel, err)
		}
		fn(col)
	}
}

// lookup resolves q or fails the test.
func lookup(t *testing.T, q string) concord.State {
	t.Helper()
	s, err := countries.Lookup(q)
	if err != nil {
		t.Errorf("Lookup(%q): %v", q, err)
	}
	return s
}

// TestVotingDataNamesAndCodesResolve checks every country name and ISO code of
// the 2021 voting data: each resolves, the code to the same state as the name,
// and no two of the data's countries collapse into one state.
func TestVotingDataNamesAndCodesResolve(t *testing.T) {
	codeOf := map[string]string{} // country -> country_code
	eachRow(t, "unga/votes.csv.gz", func(col func(string) string) {
		codeOf[col("country")] = col("country_code")
	})
	if len(codeOf) != 200 {
		t.Errorf("votes.csv.gz has %d country names, its README says 200", len(codeOf))
	}
	want := map[string]string{ // the cases the issue names
		"Federal Republic of Germany": "GFR", "Germany": "DEU", "German Democratic Republic": "DDR",
		"Yemen Arab Republic": "YAR", "Yemen People's Republic": "YMD", "Yemen": "YEM",
		"Czechoslovakia": "CSK", "Yugoslavia": "YUG", "Russia": "RUS", "Zanzibar": "ZAN",
		"Namibia": "NAM", "Congo - Kinshasa": "COD", "Congo - Brazzaville": "COG",
		"Côte d’Ivoire": "CIV", "St. Kitts & Nevis": "KNA", "Micronesia (Federated States of)": "FSM",
		"Myanmar (Burma)": "MMR", "Taiwan": "TWN", "China": "CHN", "Vietnam": "VNM",
	}
	wantCode := map[string]string{"CS": "CSK", "YU": "YUG", "DD": "DDR", "YD": "YMD", "NA": "NAM", "RU": "RUS", "DE": "DEU"}
	seen := map[string]string{} // state code -> country
	var noCode []string
	for country, code := range codeOf {
		s := lookup(t, country)
		if w, ok := want[country]; ok && s.Code != w {
			t.Errorf("Lookup(%q) = %s, want %s", country, s.Code, w)
		}
		if other, dup := seen[s.Code]; dup {
			t.Errorf("%q and %q both resolve to %s", country, other, s.Code)
		}
		seen[s.Code] = country
		if code == "" {
			noCode = append(noCode, country)
			continue
		}
		if s.ISO2 != code {
			t.Errorf("%q has ISO2 %q in the voting data, %q in the table", country, code, s.ISO2)
		}
		if c := lookup(t, code); c.Code != s.Code {
			t.Errorf("Lookup(%q) = %s, but its country %q is %s", code, c.Code, country, s.Code)
		}
		if c, ok := countries.ByISO2(code); !ok || c.Code != s.Code {
			t.Errorf("ByISO2(%q) = %s, %v; want %s", code, c.Code, ok, s.Code)
		}
		if w, ok := wantCode[code]; ok && s.Code != w {
			t.Errorf("code %q: %s, want %s", code, s.Code, w)
		}
	}
	if len(noCode) != 3 {
		t.Errorf("countries without a code: %q, README says Yemen Arab Republic, Zanzibar, Federal Republic of Germany", noCode)
	}
}

// completeVotes summarises complete_votes_2016.csv.gz per COW code: the
// first and last session in which the state voted or was absent as a member
// (vote 1, 2, 3 or 8; 9 is "not a member").
type memberSpan struct{ first, last int }

var (
	completeOnce sync.Once
	complete     map[int]memberSpan
	allCCodes    map[int]bool
)

func completeVotes(t *testing.T) (map[int]memberSpan, map[int]bool) {
	t.Helper()
	testdata.File(t, "unga/complete_votes_2016.csv.gz") // skip before Once when missing
	completeOnce.Do(func() {
		complete, allCCodes = map[int]memberSpan{}, map[int]bool{}
		eachRow(t, "unga/complete_votes_2016.csv.gz", func(col func(string) string) {
			c, err := strconv.Atoi(col("ccode"))
			if err != nil {
				t.Fatalf("ccode: %v", err)
			}
			allCCodes[c] = true
			switch col("vote") {
			case "1", "2", "3", "8":
			default:
				return
			}
			s, err := strconv.Atoi(col("session"))
			if err != nil {
				t.Fatalf("session: %v", err)
			}
			m, ok := complete[c]
			if !ok || s < m.first {
				m.first = s
			}
			m.last = max(m.last, s)
			complete[c] = m
		})
	})
	if len(allCCodes) == 0 {
		t.Fatal("complete_votes_2016.csv.gz could not be read (see the first failure)")
	}
	return complete, allCCodes
}

// TestCOWCodesOfVotingDataResolve checks every ccode of the 2016 release, and
// that the table agrees with cow_country_codes.csv.gz, which pairs each ccode
// with the name and ISO2 code the 2021 release uses for the same votes.
func TestCOWCodesOfVotingDataResolve(t *testing.T) {
	_, ccodes := completeVotes(t)
	if len(ccodes) != 200 {
		t.Errorf("complete_votes_2016 has %d ccodes, its README says 200", len(ccodes))
	}
	for c := range ccodes {
		s, ok := countries.ByCOW(c)
		if !ok {
			t.Errorf("ByCOW(%d): no state", c)
			continue
		}
		if l := lookup(t, strconv.Itoa(c)); l.Code != s.Code {
			t.Errorf("Lookup(%d) = %s, ByCOW = %s", c, l.Code, s.Code)
		}
		if l := lookup(t, "cow:"+strconv.Itoa(c)); l.Code != s.Code {
			t.Errorf("Lookup(cow:%d) = %s, ByCOW = %s", c, l.Code, s.Code)
		}
	}
	for c, want := range map[int]string{260: "GFR", 255: "DEU", 265: "DDR", 365: "RUS", 345: "YUG", 315: "CSK", 678: "YAR", 680: "YMD", 679: "YEM", 511: "ZAN", 713: "TWN", 710: "CHN", 816: "VNM"} {
		if s, _ := countries.ByCOW(c); s.Code != want {
			t.Errorf("ByCOW(%d) = %q, want %s", c, s.Code, want)
		}
	}
	n := 0
	eachRow(t, "unga/cow_country_codes.csv.gz", func(col func(string) string) {
		n++
		c, err := strconv.Atoi(col("ccode"))
		if err != nil {
			t.Fatal(err)
		}
		s, ok := countries.ByCOW(c)
		if !ok {
			t.Errorf("ccode %d (%s): not in the table", c, col("country"))
			return
		}
		if byName := lookup(t, col("country")); byName.Code != s.Code {
			t.Errorf("ccode %d is %s, but its voting-data name %q is %s", c, s.Code, col("country"), byName.Code)
		}
		if iso2 := col("country_code"); iso2 != "" && iso2 != s.ISO2 {
			t.Errorf("ccode %d (%s): ISO2 %q in cow_country_codes, %q in the table", c, s.Code, iso2, s.ISO2)
		}
		if !ccodes[c] {
			t.Errorf("ccode %d of cow_country_codes is not in complete_votes_2016", c)
		}
	})
	if n != len(ccodes) {
		t.Errorf("cow_country_codes has %d rows for %d ccodes", n, len(ccodes))
	}
}

// TestUNMembershipMatchesVotingData checks UNFrom and UNTo against the years
// in which each ccode of the 2016 release took part in votes as a member.
// Session s runs from September of 1945+s into the next year, so a state
// admitted in year y votes first in the session of y or y-1.
func TestUNMembershipMatchesVotingData(t *testing.T) {
	spans, _ := completeVotes(t)
	fromExceptions := map[string]string{
		"CHN": "the UN dates China's membership from 1945, but the Republic of China held the seat until 1971 and its votes are under 713 (TWN)",
		"DEU": "the UN dates Germany's membership from the Federal Republic's admission in 1973; the data file 1973-90 under 260 (GFR)",
		"YEM": "the UN dates Yemen's membership from North Yemen's admission in 1947; the data file 1947-90 under 678 (YAR)",
	}
	toExceptions := map[string]string{
		"YUG": "the SFRY's membership lapsed in 1992, but COW 345 and the data continue with the Federal Republic, Serbia and Montenegro and Serbia",
	}
	for c, m := range spans {
		s, ok := countries.ByCOW(c)
		if !ok {
			continue // reported by TestCOWCodesOfVotingDataResolve
		}
		first, last := 1945+m.first, 1945+m.last
		if why, ok := fromExceptions[s.Code]; ok {
			if s.UNFrom >= first {
				t.Errorf("%s: exception no longer needed (%s): UNFrom %d, first vote %d", s.Code, why, s.UNFrom, first)
			}
		} else if s.UNFrom != first && s.UNFrom != first+1 && !(m.first == 1 && s.UNFrom == 1945) {
			t.Errorf("%s (ccode %d): UNFrom %d, but first voted as a member in session %d (%d)", s.Code, c, s.UNFrom, m.first, first)
		}
		if _, ok := toExceptions[s.Code]; ok {
			continue
		}
		if m.last == 70 && s.UNTo != 0 {
			t.Errorf("%s (ccode %d): UNTo %d, but voted as a member in the last session (2015)", s.Code, c, s.UNTo)
		}
		if m.last < 70 && s.UNTo != last && s.UNTo != last+1 {
			t.Errorf("%s (ccode %d): UNTo %d, but last voted as a member in session %d (%d)", s.Code, c, s.UNTo, m.last, last)
		}
	}
	members := 0
	for _, s := range countries.All() {
		if s.UNFrom != 0 && s.UNTo == 0 {
			members++
			if _, ok := spans[s.COW]; s.COW != 0 && !ok {
				t.Errorf("%s is a UN member since %d, but its ccode %d never votes in the 2016 release", s.Code, s.UNFrom, s.COW)
			}
		}
		if s.UNFrom == 0 && s.UNTo != 0 {
			t.Errorf("%s: UNTo %d without UNFrom", s.Code, s.UNTo)
		}
	}
	if members != 193 {
		t.Errorf("%d present UN members, want 193", members)
	}
}

// TestTableAgreesWithCountrycode compares the ISO and COW codes with the
// countrycode package's code list for every entity in both, and checks that
// its English, ISO, UN and COW names resolve to the same state.
func TestTableAgreesWithCountrycode(t *testing.T) {
	codeExceptions := map[string]string{
		"VAT/cowc":     "countrycode gives Vatican City COW 327 PAP, which COW uses for the Papal States (1816-60), a separate row (PAP) here",
		"VAT/cown":     "as VAT/cowc",
		"VAT/cow_name": "as VAT/cowc: countrycode's COW name for Vatican City is \"Papal States\"",
	}
	// Entities countrycode lists without any code that this table has no row
	// for: sub-state or pre-1816 entities outside the COW list.
	notInTable := map[string]bool{
		"Brunswick": true, "Channel Islands": true, "Hamburg": true, "Nassau": true, "Oldenburg": true,
		"Orange Free State": true, "Piedmont-Sardinia": true, "Prussia": true, "Sardinia": true,
		"Saxe-Weimar-Eisenach": true, "Somaliland": true, "Stateless": true, "Tibet": true,
		"Transvaal": true, "United Province CA": true, "Unknown": true,
	}
	used := map[string]bool{}
	eachRow(t, "countries/country_codes_core.csv", func(col func(string) string) {
		name := col("country_name_en")
		var s concord.State
		var ok bool
		switch {
		case col("iso3c") != "":
			s, ok = countries.ByCode(col("iso3c"))
		case col("cown") != "":
			n, _ := strconv.Atoi(col("cown"))
			s, ok = countries.ByCOW(n)
		default:
			var err error
			s, err = countries.Lookup(name)
			ok = err == nil
		}
		if !ok {
			if !notInTable[name] {
				t.Errorf("countrycode's %q (iso3c %q, cown %q) is not in the table", name, col("iso3c"), col("cown"))
			}
			return
		}
		used[name] = true
		for _, f := range []struct{ col, mine string }{
			{"iso2c", s.ISO2}, {"iso3c", s.ISO3}, {"iso3n", itoa(s.ISONumeric)},
			{"cowc", s.COWAbbr}, {"cown", itoa(s.COW)},
		} {
			theirs := col(f.col)
			if theirs == "" || theirs == f.mine {
				continue
			}
			if _, ok := codeExceptions[s.Code+"/"+f.col]; ok {
				continue
			}
			t.Errorf("%s (%s): %s is %q in countrycode, %q here", s.Code, name, f.col, theirs, f.mine)
		}
		for _, c := range []string{"country_name_en", "iso_name_en", "un_name_en", "cow_name"} {
			n := col(c)
			if n == "" {
				continue
			}
			if _, ok := codeExceptions[s.Code+"/"+c]; ok {
				continue
			}
			if l, err := countries.Lookup(n); err != nil || l.Code != s.Code {
				t.Errorf("%s: countrycode's %s %q resolves to %q (%v)", s.Code, c, n, l.Code, err)
			}
		}
	})
	for k := range codeExceptions {
		code, _, _ := strings.Cut(k, "/")
		if _, ok := countries.ByCode(code); !ok {
			t.Errorf("exception %s names no state", k)
		}
	}
	for n := range notInTable {
		if used[n] {
			t.Errorf("%q is listed as not in the table but resolves", n)
		}
	}
}

// TestTableAgreesWithDataHub compares ISO codes with DataHub's country-codes
// (ISO 3166 / UN M49), checks that its official, UN and CLDR names resolve,
// and that its independence column agrees with TerritoryOf.
func TestTableAgreesWithDataHub(t *testing.T) {
	nameExceptions := map[string]string{
		"the Federal Republic of Germany": "Germany's formal name; Voeten's voting data use \"Federal Republic of Germany\" for West Germany before 1990 (GFR), so it resolves there (LookupUN gives DEU from 3 October 1990)",
	}
	n := 0
	eachRow(t, "countries/datahub_country_codes.csv", func(col func(string) string) {
		iso3 := col("ISO3166-1-Alpha-3")
		if iso3 == "" {
			return
		}
		n++
		s, ok := countries.ByCode(iso3)
		if !ok {
			t.Errorf("DataHub's %s (%s) is not in the table", iso3, col("official_name_en"))
			return
		}
		if s.ISO2 != col("ISO3166-1-Alpha-2") {
			t.Errorf("%s: ISO2 %q in DataHub, %q here", iso3, col("ISO3166-1-Alpha-2"), s.ISO2)
		}
		if num, _ := strconv.Atoi(col("ISO3166-1-numeric")); num != s.ISONumeric {
			t.Errorf("%s: ISO numeric %d in DataHub, %d here", iso3, num, s.ISONumeric)
		}
		for _, c := range []string{"official_name_en", "UNTERM English Short", "UNTERM English Formal", "CLDR display name"} {
			if name := col(c); name != "" && nameExceptions[name] == "" {
				if l, err := countries.Lookup(name); err != nil || l.Code != s.Code {
					t.Errorf("%s: DataHub's %s %q resolves to %q (%v)", iso3, c, name, l.Code, err)
				}
			}
		}
		sovereign, territory := countries.TerritoryOf(iso3)
		switch ind := col("is_independent"); {
		case ind == "Yes":
			if territory {
				t.Errorf("%s is independent in DataHub, a territory of %q here", iso3, sovereign)
			}
		case ind == "In contention": // Palestine (a state here), Western Sahara (a territory)
		case ind == "International":
			if !territory || sovereign != "" {
				t.Errorf("%s: DataHub says %q; TerritoryOf = %q, %v", iso3, ind, sovereign, territory)
			}
		default: // "Territory of GB", "Part of FR", "Associated with NZ", ...
			of, _ := countries.ByISO2(ind[strings.LastIndexByte(ind, ' ')+1:])
			if !territory || sovereign != of.Code {
				t.Errorf("%s: DataHub says %q; TerritoryOf = %q, %v", iso3, ind, sovereign, territory)
			}
		}
	})
	if n < 249 {
		t.Errorf("DataHub has %d ISO entries, want 249", n)
	}
}

// TestStateSpansAgreeWithCOW compares From, To, the COW abbreviation and the
// COW name with the COW state system membership spans.
func TestStateSpansAgreeWithCOW(t *testing.T) {
	type span struct {
		abbr, name string
		from, to   int
	}
	cow := map[int]span{}
	eachRow(t, "countries/cow_state_spans.csv", func(col func(string) string) {
		c, _ := strconv.Atoi(col("cown"))
		from, _ := strconv.Atoi(col("start_year"))
		to, _ := strconv.Atoi(col("end_year"))
		sp, ok := cow[c]
		if !ok {
			sp = span{col("cowc"), col("cow_name"), from, to}
		}
		sp.from, sp.to = min(sp.from, from), max(sp.to, to)
		cow[c] = sp
	})
	missing := map[int]string{
		730: "Korea (1887-1905): its COW abbreviation KOR is South Korea's ISO code, so it cannot have a Code of its own under concord's rule",
	}
	toExceptions := map[string]string{
		"GFR": "COW's own list ends the German Federal Republic on 2 October 1990; the country-year panel gives 1990 to Germany (255) only",
		"YUG": "YUG ends with Serbia and Montenegro in 2006; COW 345 continues as Serbia (SRB has no COW code)",
	}
	for c, sp := range cow {
		s, ok := countries.ByCOW(c)
		if !ok {
			if _, excused := missing[c]; !excused {
				t.Errorf("COW %d %s (%s) is not in the table", c, sp.abbr, sp.name)
			}
			continue
		}
		if s.COWAbbr != sp.abbr {
			t.Errorf("COW %d: abbreviation %q in COW, %q here", c, sp.abbr, s.COWAbbr)
		}
		if l, err := countries.Lookup(sp.name); err != nil || l.Code != s.Code {
			t.Errorf("COW %d: its name %q resolves to %q (%v), want %s", c, sp.name, l.Code, err, s.Code)
		}
		if s.From != sp.from {
			t.Errorf("%s (COW %d): From %d, COW starts %d", s.Code, c, s.From, sp.from)
		}
		wantTo := sp.to
		if wantTo == 2016 { // the list's last year: still a member
			wantTo = 0
		}
		if _, ok := toExceptions[s.Code]; !ok && s.To != wantTo {
			t.Errorf("%s (COW %d): To %d, COW gives %d", s.Code, c, s.To, wantTo)
		}
	}
	for _, s := range countries.All() {
		if _, ok := cow[s.COW]; s.COW != 0 && !ok {
			t.Errorf("%s has COW code %d, which is not in the COW list", s.Code, s.COW)
		}
	}
	for c := range missing {
		if _, ok := countries.ByCOW(c); ok {
			t.Errorf("COW %d is listed as missing but is in the table", c)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// asUnknown reports whether err is an *UnknownError.
func asUnknown(err error) (*UnknownError, bool) {
	var u *countries.UnknownError
	ok := errors.As(err, &u)
	return u, ok
}

// UnknownError is a local alias to keep test signatures short.
type UnknownError = countries.UnknownError
