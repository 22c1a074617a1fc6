package countries_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concord-project/concord/countries"
)

func TestLookupResolvesCodesAndNames(t *testing.T) {
	for want, queries := range map[string][]string{
		"IRN": {"IRN", "irn", "IR", "ir", "630", " 630 ", "Iran", "  iran  ", "IRAN", "Iran (Islamic Republic of)",
			"IRAN (ISLAMIC REPUBLIC OF)", "Islamic Republic of Iran", "Iran, Islamic Republic of", "Iran, Islamic Rep.",
			"Persia", "iso:364", "ISO:364", "iso:IR", "iso:irn", "cow:630", "COW:630", "cow:IRN", "iso: 364"},
		"NAM": {"NA", "na", "iso:NA", "NAM", "565", "Namibia"},
		"AUS": {"AUS", "AU", "900", "Australia", "iso:036", "cow:AUL"},
		"AUT": {"cow:AUS", "cow:305", "305", "AUT", "Austria"},
		"PRI": {"iso:630", "PRI", "Puerto Rico"},
		"CZE": {"CZE", "CZ", "316", "Czechia", "Czech Republic", "CZECHIA"},
		"CSK": {"CS", "CSK", "cow:CZE", "315", "Czechoslovakia", "iso:200"},
		"YUG": {"YU", "YUG", "345", "Yugoslavia", "Serbia and Montenegro", "Federal Republic of Yugoslavia", "SCG"},
		"SRB": {"RS", "SRB", "Serbia", "Republic of Serbia"},
		"DDR": {"DD", "DDR", "GDR", "265", "German Democratic Republic", "East Germany"},
		"GFR": {"GFR", "260", "Federal Republic of Germany", "West Germany", "Germany, Federal Republic of"},
		"DEU": {"DE", "DEU", "255", "GMY", "Germany"},
		"YMD": {"YD", "YMD", "YPR", "680", "Yemen People's Republic", "Democratic Yemen", "South Yemen", "Southern Yemen"},
		"YAR": {"YAR", "678", "Yemen Arab Republic", "North Yemen"},
		"YEM": {"YE", "YEM", "679", "Yemen", "Republic of Yemen"},
		"SUN": {"SU", "SUN", "USSR", "U.S.S.R.", "Soviet Union", "Union of Soviet Socialist Republics", "iso:810"},
		"RUS": {"RU", "RUS", "365", "Russia", "Russian Federation"},
		"ZAN": {"ZAN", "511", "Zanzibar"},
		"TZA": {"TZ", "TZA", "510", "Tanzania", "United Republic of Tanzania", "Tanganyika"},
		"RVN": {"RVN", "817", "Republic of Vietnam", "South Vietnam"},
		"VNM": {"VN", "VNM", "DRV", "816", "Vietnam", "Viet Nam", "North Vietnam"},
		"TWN": {"TW", "TWN", "TAW", "713", "Taiwan", "Republic of China"},
		"CHN": {"CN", "CHN", "710", "China", "People's Republic of China"},
		"KOS": {"KOS", "347", "Kosovo", "XK", "XKX"},
		"ROU": {"RO", "ROU", "ROM", "Romania", "Rumania"},
		"CIV": {"Côte d’Ivoire", "Côte d'Ivoire", "Cote d'Ivoire", "COTE D'IVOIRE", "CÔTE D’IVOIRE", "Ivory Coast"},
		"KNA": {"St. Kitts & Nevis", "Saint Kitts and Nevis", "ST KITTS AND NEVIS", "Saint Christopher and Nevis"},
		"VCT": {"St. Vincent & Grenadines", "Saint Vincent and the Grenadines"},
		"COD": {"Congo - Kinshasa", "Democratic Republic of the Congo", "Congo, Democratic Republic of the", "Zaire", "DRC"},
		"COG": {"Congo - Brazzaville", "Congo", "Republic of the Congo", "Congo (Brazzaville)"},
		"GBR": {"UK", "GB", "United Kingdom", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"},
		"USA": {"US", "USA", "United States", "United States of America", "U.S.A."},
	} {
		for _, q := range queries {
			if s := lookup(t, q); s.Code != want {
				t.Errorf("Lookup(%q) = %s (%s), want %s", q, s.Code, s.Name, want)
			}
		}
	}
}

// TestLookupUNNames checks the official names, present and past, that UN
// records (the UN Digital Library's voting data) use.
func TestLookupUNNames(t *testing.T) {
	for name, want := range map[string]string{
		"IRAN (ISLAMIC REPUBLIC OF)": "IRN", "BOLIVIA (PLURINATIONAL STATE OF)": "BOL",
		"VENEZUELA (BOLIVARIAN REPUBLIC OF)": "VEN", "MICRONESIA (FEDERATED STATES OF)": "FSM",
		"UNITED REPUBLIC OF TANZANIA": "TZA", "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": "PRK",
		"REPUBLIC OF KOREA": "KOR", "LAO PEOPLE'S DEMOCRATIC REPUBLIC": "LAO", "LAO": "LAO",
		"SYRIAN ARAB REPUBLIC": "SYR", "TÜRKIYE": "TUR", "TÜRKİYE": "TUR", "TURKEY": "TUR",
		"CZECHIA": "CZE", "CZECH REPUBLIC": "CZE", "NORTH MACEDONIA": "MKD",
		"THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA": "MKD", "ESWATINI": "SWZ", "SWAZILAND": "SWZ",
		"USSR": "SUN", "BYELORUSSIAN SSR": "BLR", "UKRAINIAN SSR": "UKR", "YUGOSLAVIA": "YUG",
		"ZAIRE": "COD", "DEMOCRATIC KAMPUCHEA": "KHM", "KHMER REPUBLIC": "KHM", "UPPER VOLTA": "BFA",
		"DAHOMEY": "BEN", "REPUBLIC OF MOLDOVA": "MDA", "RUSSIAN FEDERATION": "RUS", "VIET NAM": "VNM",
		"CABO VERDE": "CPV", "CAPE VERDE": "CPV", "BRUNEI DARUSSALAM": "BRN", "CENTRAL AFRICAN EMPIRE": "CAF",
		"CEYLON": "LKA", "CONGO": "COG", "CONGO (BRAZZAVILLE)": "COG", "CONGO (LEOPOLDVILLE)": "COD",
		"CONGO (DEMOCRATIC REPUBLIC OF)": "COD", "DEMOCRATIC REPUBLIC OF THE CONGO": "COD",
		"CÔTE D'IVOIRE": "CIV", "IVORY COAST": "CIV", "GERMAN DEMOCRATIC REPUBLIC": "DDR",
		"GERMANY, FEDERAL REPUBLIC OF": "GFR", "FEDERAL REPUBLIC OF GERMANY": "GFR", "GERMANY": "DEU",
		"DEMOCRATIC YEMEN": "YMD", "SOUTHERN YEMEN": "YMD", "YEMEN": "YEM",
		"LIBYAN ARAB JAMAHIRIYA": "LBY", "LIBYAN ARAB REPUBLIC": "LBY", "LIBYA": "LBY",
		"MALDIVE ISLANDS": "MDV", "PHILIPPINE REPUBLIC": "PHL", "SAINT CHRISTOPHER AND NEVIS": "KNA",
		"SIAM": "THA", "SURINAM": "SUR", "TANGANYIKA": "TZA", "ZANZIBAR": "ZAN",
		"UNION OF SOUTH AFRICA": "ZAF", "UNITED REPUBLIC OF CAMEROON": "CMR", "UNITED ARAB REPUBLIC": "EGY",
		"BURMA": "MMR", "MYANMAR": "MMR", "MALAYA": "MYS", "FEDERATION OF MALAYA": "MYS",
		"WESTERN SAMOA": "WSM", "SAMOA": "WSM", "SERBIA AND MONTENEGRO": "YUG", "SERBIA": "SRB",
		"NETHERLANDS (KINGDOM OF THE)": "NLD", "NETHERLANDS": "NLD", "UNITED KINGDOM": "GBR",
		"UNITED STATES": "USA", "CZECHOSLOVAKIA": "CSK", "STATE OF PALESTINE": "PSE", "HOLY SEE": "VAT",
		"SAO TOME AND PRINCIPE": "STP", "TIMOR-LESTE": "TLS", "EAST TIMOR": "TLS", "GAMBIA": "GMB",
		"BAHAMAS": "BHS", "SOUTH SUDAN": "SSD", "SUDAN": "SDN", "GUINEA": "GIN", "GUINEA-BISSAU": "GNB",
		"EQUATORIAL GUINEA": "GNQ", "PAPUA NEW GUINEA": "PNG", "NIGER": "NER", "NIGERIA": "NGA",
		"DOMINICA": "DMA", "DOMINICAN REPUBLIC": "DOM", "CHINA": "CHN",
	} {
		if s := lookup(t, name); s.Code != want {
			t.Errorf("Lookup(%q) = %s (%s), want %s", name, s.Code, s.Name, want)
		}
	}
}

func TestHistoricalStatesAndSuccessors(t *testing.T) {
	for code, want := range map[string][]string{
		"SUN": {"ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"},
		"YUG": {"BIH", "HRV", "MKD", "MNE", "SRB", "SVN"},
		"CSK": {"CZE", "SVK"},
		"DDR": {"DEU"},
		"GFR": {"DEU"},
		"YAR": {"YEM"},
		"YMD": {"YEM"},
		"ZAN": {"TZA"},
		"RVN": {"VNM"},
	} {
		s, ok := countries.ByCode(code)
		if !ok {
			t.Errorf("ByCode(%q): no state", code)
			continue
		}
		if !s.Historical || s.To == 0 {
			t.Errorf("%s: Historical %v, To %d; want a dissolved state", code, s.Historical, s.To)
		}
		if got := slices.Sorted(slices.Values(s.Successors)); !slices.Equal(got, want) {
			t.Errorf("%s: successors %q, want %q", code, got, want)
		}
		for _, succ := range s.Successors {
			if n, ok := countries.ByCode(succ); !ok || n.Historical || n.To != 0 {
				t.Errorf("%s: successor %s is not a present state", code, succ)
			}
		}
	}
	// The Soviet Union's seat and COW code live on in Russia.
	sun, _ := countries.ByCode("SUN")
	rus, _ := countries.ByCode("RUS")
	if sun.COW != 0 || rus.COW != 365 || !strings.Contains(sun.Note, "365") {
		t.Errorf("SUN COW %d (note %q), RUS COW %d; want COW 365 on RUS and SUN's note to say so", sun.COW, sun.Note, rus.COW)
	}
	if rus.UNFrom != 1945 || sun.UNFrom != 1945 || sun.UNTo != 1991 {
		t.Errorf("UN membership: SUN %d-%d, RUS from %d; want 1945-1991 and 1945", sun.UNFrom, sun.UNTo, rus.UNFrom)
	}
	if yug, _ := countries.ByCode("YUG"); yug.COW != 345 || !strings.Contains(yug.Note, "2019") {
		t.Errorf("YUG: COW %d, note %q; want 345 and a note on Serbia through 2019", yug.COW, yug.Note)
	}
	for code, cow := range map[string]int{"CSK": 315, "DDR": 265, "GFR": 260, "DEU": 255, "YAR": 678, "YMD": 680, "ZAN": 511, "RVN": 817} {
		if s, _ := countries.ByCode(code); s.COW != cow {
			t.Errorf("%s: COW %d, want %d", code, s.COW, cow)
		}
	}
	// Present states are not historical and have no successors.
	for _, s := range countries.All() {
		if !s.Historical && (s.To != 0 || len(s.Successors) > 0) {
			t.Errorf("%s is not historical but has To %d, successors %q", s.Code, s.To, s.Successors)
		}
	}
}

func TestCodesAreUniqueAndFollowTheRule(t *testing.T) {
	all := countries.All()
	seen := map[string]bool{}
	for i, s := range all {
		if seen[s.Code] {
			t.Errorf("Code %s appears twice", s.Code)
		}
		seen[s.Code] = true
		if i > 0 && all[i-1].Code >= s.Code {
			t.Errorf("All is not sorted by Code: %s before %s", all[i-1].Code, s.Code)
		}
		if !(s.Code == s.ISO3 || s.ISO3 == "" && s.Code == s.COWAbbr) {
			t.Errorf("%s: Code is neither the ISO alpha-3 code %q nor (without one) the COW abbreviation %q", s.Code, s.ISO3, s.COWAbbr)
		}
		if got, ok := countries.ByCode(s.Code); !ok || got.Name != s.Name {
			t.Errorf("ByCode(%q) = %q, %v", s.Code, got.Name, ok)
		}
		if l, err := countries.Lookup(s.Code); err != nil || l.Code != s.Code {
			t.Errorf("Lookup(%q) = %q, %v: a Code must resolve to its own state", s.Code, l.Code, err)
		}
		if l, err := countries.Lookup(s.Name); err != nil || l.Code != s.Code {
			t.Errorf("Lookup(%q) = %q, %v: a Name must resolve to its own state", s.Name, l.Code, err)
		}
		for _, v := range s.Variants {
			if l, err := countries.Lookup(v); err != nil || l.Code != s.Code {
				t.Errorf("%s: variant %q resolves to %q, %v", s.Code, v, l.Code, err)
			}
		}
		if s.ISONumeric != 0 {
			if n, ok := countries.ByISONumeric(s.ISONumeric); !ok || n.Code != s.Code {
				t.Errorf("ByISONumeric(%d) = %s, want %s", s.ISONumeric, n.Code, s.Code)
			}
		}
		if s.COWAbbr != "" {
			if n, ok := countries.ByCOWAbbr(s.COWAbbr); !ok || n.Code != s.Code {
				t.Errorf("ByCOWAbbr(%q) = %s, want %s", s.COWAbbr, n.Code, s.Code)
			}
		}
	}
	// The returned states are copies: changing one does not change the table.
	all[0].Variants = append(all[0].Variants[:0], "changed")
	if again := countries.All(); slices.Contains(again[0].Variants, "changed") {
		t.Error("All returns slices shared with the table")
	}
}

func TestTerritoryOf(t *testing.T) {
	for code, want := range map[string]struct {
		of string
		ok bool
	}{
		"PRI": {"USA", true}, "HKG": {"CHN", true}, "GRL": {"DNK", true}, "ANT": {"NLD", true},
		"ATA": {"", true}, "ESH": {"", true},
		"USA": {"", false}, "PSE": {"", false}, "TWN": {"", false}, "SUN": {"", false}, "XYZ": {"", false},
	} {
		if of, ok := countries.TerritoryOf(code); of != want.of || ok != want.ok {
			t.Errorf("TerritoryOf(%q) = %q, %v; want %q, %v", code, of, ok, want.of, want.ok)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	_, err := countries.Lookup("Iram")
	u, ok := asUnknown(err)
	if !ok {
		t.Fatalf("Lookup(Iram): %v, want an *UnknownError", err)
	}
	if want := `unknown state "Iram": did you mean Iran (IRN), Iraq (IRQ)?`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if u.Query != "Iram" || len(u.Suggestions) != 2 || u.Suggestions[0].Code != "IRN" || u.Suggestions[1].Code != "IRQ" {
		t.Errorf("UnknownError = %+v", u)
	}

	_, err = countries.Lookup("Korea")
	var amb *countries.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("Lookup(Korea): %v, want an *AmbiguousError", err)
	}
	if want := `ambiguous state "Korea": could be North Korea (PRK), South Korea (KOR)`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}

	for q, wantSuggestion := range map[string]string{
		"Herzegovnia":                   "BIH",
		"Bosnai":                        "BIH",
		"Most Serene Republic of Italy": "ITA",
		"Kazakstan Republic":            "KAZ",
		"Virgin Islands":                "", // ambiguous, not unknown
		"Xyzzy":                         "",
		"":                              "",
		"   ":                           "",
		"iso:999":                       "",
		"cow:999":                       "",
		"9999":                          "",
		"QQ":                            "",
		"004":                           "AFG", // a bare number is a COW code; ISO 004 is suggested
	} {
		_, err := countries.Lookup(q)
		if err == nil {
			t.Errorf("Lookup(%q) succeeded, want an error", q)
			continue
		}
		if q == "Virgin Islands" {
			if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
				t.Errorf("Lookup(%q): %v, want an *AmbiguousError with two candidates", q, err)
			}
			continue
		}
		u, ok := asUnknown(err)
		if !ok {
			t.Errorf("Lookup(%q): %T %v, want an *UnknownError", q, err, err)
			continue
		}
		if wantSuggestion == "" {
			continue
		}
		if len(u.Suggestions) == 0 || u.Suggestions[0].Code != wantSuggestion {
			t.Errorf("Lookup(%q): %v; want %s suggested first", q, err, wantSuggestion)
		}
	}
	if _, err := countries.Lookup("004"); !strings.Contains(fmt.Sprint(err), `"iso:004"`) {
		t.Errorf("Lookup(004): %v; want the error to point to iso:004", err)
	}
	if _, err := countries.Lookup(""); !strings.Contains(fmt.Sprint(err), "empty") {
		t.Errorf("Lookup(\"\"): %v; want it to say the query is empty", err)
	}
}

func TestLookupUN(t *testing.T) {
	for _, c := range []struct {
		q    string
		date time.Time
		want string
	}{
		{"CHINA", day(1960, 1, 1), "TWN"},
		{"China", day(1971, 10, 24), "TWN"},
		{"CHINA", day(1971, 10, 25), "CHN"},
		{"CHN", day(1950, 6, 1), "TWN"},
		{"YEMEN", day(1980, 1, 1), "YAR"},
		{"YE", day(1980, 1, 1), "YAR"},
		{"YEMEN", day(1990, 5, 22), "YEM"},
		{"DEMOCRATIC YEMEN", day(1980, 1, 1), "YMD"},
		{"GERMANY", day(1985, 1, 1), "GFR"},
		{"GERMANY, FEDERAL REPUBLIC OF", day(1985, 1, 1), "GFR"},
		{"FEDERAL REPUBLIC OF GERMANY", day(1990, 10, 3), "DEU"},
		{"GERMANY", day(2000, 1, 1), "DEU"},
		{"IRAN (ISLAMIC REPUBLIC OF)", day(1960, 1, 1), "IRN"},
	} {
		s, err := countries.LookupUN(c.q, c.date)
		if err != nil || s.Code != c.want {
			t.Errorf("LookupUN(%q, %s) = %s, %v; want %s", c.q, c.date.Format(time.DateOnly), s.Code, err, c.want)
		}
	}
	if _, err := countries.LookupUN("Iram", day(2000, 1, 1)); err == nil {
		t.Error("LookupUN(Iram) succeeded")
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSearch(t *testing.T) {
	codes := func(q string) []string {
		var out []string
		for _, s := range countries.Search(q) {
			out = append(out, s.Code)
		}
		return out
	}
	got := codes("Guinea")
	if len(got) < 4 || got[0] != "GIN" {
		t.Errorf("Search(Guinea) = %q, want Guinea first", got)
	}
	for _, c := range []string{"GNQ", "GNB", "PNG"} {
		if !slices.Contains(got, c) {
			t.Errorf("Search(Guinea) = %q, want it to contain %s", got, c)
		}
	}
	if got := codes("AUS"); len(got) < 2 || got[0] != "AUS" || !slices.Contains(got, "AUT") {
		t.Errorf("Search(AUS) = %q, want Australia (ISO) first and Austria (COW AUS) among them", got)
	}
	if got := codes("korea"); !slices.Contains(got, "PRK") || !slices.Contains(got, "KOR") {
		t.Errorf("Search(korea) = %q, want both Koreas", got)
	}
	if got := codes("yemen"); len(got) < 3 || got[0] != "YEM" || !slices.Contains(got, "YAR") || !slices.Contains(got, "YMD") {
		t.Errorf("Search(yemen) = %q, want Yemen first, then YAR and YMD", got)
	}
	if got := codes(""); len(got) != 0 {
		t.Errorf("Search(\"\") = %q, want nothing", got)
	}
	if got := codes("Xyzzy"); len(got) != 0 {
		t.Errorf("Search(Xyzzy) = %q, want nothing", got)
	}
}

func ExampleLookup() {
	for _, q := range []string{"IRN", "IR", "630", "Iran (Islamic Republic of)", "NA", "AUS", "cow:AUS", "iso:630", "Congo - Kinshasa", "YD"} {
		s, err := countries.Lookup(q)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-28q %s %s\n", q, s.Code, s.Name)
	}
	_, err := countries.Lookup("Iram")
	var unknown *countries.UnknownError
	if errors.As(err, &unknown) {
		fmt.Println(err)
	}
	// Output:
	// "IRN"                        IRN Iran
	// "IR"                         IRN Iran
	// "630"                        IRN Iran
	// "Iran (Islamic Republic of)" IRN Iran
	// "NA"                         NAM Namibia
	// "AUS"                        AUS Australia
	// "cow:AUS"                    AUT Austria
	// "iso:630"                    PRI Puerto Rico
	// "Congo - Kinshasa"           COD Democratic Republic of the Congo
	// "YD"                         YMD South Yemen
	// unknown state "Iram": did you mean Iran (IRN), Iraq (IRQ)?
}

func ExampleLookupUN() {
	for _, year := range []int{1960, 1980} {
		s, _ := countries.LookupUN("CHINA", time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC))
		fmt.Println(year, s.Code, s.Name)
	}
	// Output:
	// 1960 TWN Taiwan
	// 1980 CHN China
}

func BenchmarkLookup(b *testing.B) {
	for _, q := range []string{"IRN", "NA", "630", "cow:AUS", "Iran", "Iran (Islamic Republic of)", "Korea, Republic of", "Côte d’Ivoire", "Iram"} {
		b.Run(q, func(b *testing.B) {
			countries.Lookup(q) // load the table outside the timing
			b.ReportAllocs()
			for b.Loop() {
				countries.Lookup(q)
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	countries.Search("x")
	b.ReportAllocs()
	for b.Loop() {
		countries.Search("Guinea")
	}
}
