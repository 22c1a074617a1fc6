package countries

import (
	"strings"
	"testing"
)

func TestEmbeddedTableParses(t *testing.T) {
	tb, err := parse("states.csv", statesCSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.states) < 250 {
		t.Errorf("table has %d rows, want all ISO 3166-1 entries and the historical states (> 250)", len(tb.states))
	}
}

// TestParseRejectsBadRows checks that a broken table is reported with the
// file, line, column and what is wrong, so that editing states.csv is safe.
func TestParseRejectsBadRows(t *testing.T) {
	header := strings.Join(columns, ",") + "\n"
	iran := "IRN,Iran,IR,IRN,364,630,IRN,1855,,1945,,,,,Persia,\n"
	for _, c := range []struct{ name, rows, want string }{
		{"lower-case code", "irn,Iran,IR,IRN,364,630,IRN,1855,,1945,,,,,,\n", `bad.csv:2:1: code: "irn" is not three capital letters`},
		{"iso3 not code", "IRN,Iran,IR,IRQ,364,630,IRN,1855,,1945,,,,,,\n", `bad.csv:2:13: iso3: "IRQ" differs from code "IRN"`},
		{"code not cow abbreviation", "XYZ,Nowhere,,,,999,ABC,1900,,,,,,,,\n", `bad.csv:2:1: code: "XYZ" has no ISO alpha-3 code, so it must be the COW abbreviation "ABC"`},
		{"bad number", "IRN,Iran,IR,IRN,36x,630,IRN,1855,,1945,,,,,,\n", `bad.csv:2:17: iso_numeric: "36x" is not a positive integer`},
		{"years reversed", "IRN,Iran,IR,IRN,364,630,IRN,1855,1800,1945,,,,,,\n", `bad.csv:2:34: to: 1800 is before 1855`},
		{"cow code without abbreviation", "IRN,Iran,IR,IRN,364,630,,1855,,1945,,,,,,\n", "bad.csv:2:21: cow: COW code and abbreviation must both be given or both be empty"},
		{"duplicate cow", iran + "IRQ,Iraq,IQ,IRQ,368,630,IRQ,1932,,1945,,,,,,\n", `bad.csv:3:21: cow: 630 is also IRN's`},
		{"duplicate name", iran + "IRQ,Iraq,IQ,IRQ,368,645,IRQ,1932,,1945,,,,,PERSIA,\n", `bad.csv:3:44: variants: "PERSIA" is also a name of IRN (both read "persia")`},
		{"unknown successor", "SUN,Soviet Union,SU,SUN,810,,,1922,1991,1945,1991,yes,RUS,,,\n", `bad.csv:2:55: unknown state code "RUS"`},
		{"successors of a present state", "IRN,Iran,IR,IRN,364,630,IRN,1855,,1945,,,IRN,,,\n", "bad.csv:2:42: successors: only a historical state has successors"},
		{"bad historical flag", "SUN,Soviet Union,SU,SUN,810,,,1922,1991,1945,1991,no,,,,\n", `bad.csv:2:51: historical: "no" is neither empty nor "yes"`},
		{"unsorted", "IRQ,Iraq,IQ,IRQ,368,645,IRQ,1932,,1945,,,,,,\n" + iran, "bad.csv: rows are not sorted by code"},
		{"ragged row", "IRN,Iran\n", "bad.csv: record on line 2: wrong number of fields"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse("bad.csv", []byte(header+c.rows))
			if err == nil {
				t.Fatalf("parse accepted a bad table; want error %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %q, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := parse("bad.csv", []byte("code,name\nIRN,Iran\n")); err == nil || !strings.Contains(err.Error(), "bad.csv:1:1: header is") {
		t.Errorf("parse of a table with a wrong header: error = %v, want bad.csv:1:1: header is ...", err)
	}
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Côte d’Ivoire", "cote divoire"},
		{"COTE D'IVOIRE", "cote divoire"},
		{"St. Kitts & Nevis", "saint kitts and nevis"},
		{"Saint Kitts and Nevis", "saint kitts and nevis"},
		{"St. Vincent & Grenadines", "saint vincent and grenadines"},
		{"Saint Vincent and the Grenadines", "saint vincent and grenadines"},
		{"TÜRKİYE", "turkiye"},
		{"São Tomé & Príncipe", "sao tome and principe"},
		{"Congo - Kinshasa", "congo kinshasa"},
		{"Congo-Kinshasa", "congo kinshasa"},
		{"  Iran (Islamic Republic of) ", "iran islamic republic"},
		{"Korea, Dem. People's Rep.", "korea democratic peoples republic"},
		{"Åland Islands", "aland islands"},
		{"Cook Islands (the) **", "cook islands"},
		{"", ""},
	} {
		if got := normalize(c.in); got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b      string
		max, want int
	}{
		{"iram", "iran", 3, 1},
		{"bosnai", "bosnia", 3, 1}, // a transposition counts once
		{"", "abc", 3, 3},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // beyond max: max+1
		{"a", "abcdef", 2, 3},
	} {
		if got := distance(c.a, c.b, c.max); got != c.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
}
