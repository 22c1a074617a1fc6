package unga

import (
	"fmt"
	"strings"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
)

// COW codes of the two Germanies that the reunification rule joins.
const (
	cowGermany = 255 // Germany (GMY), reunified on 3 October 1990
	cowFRG     = 260 // German Federal Republic (GFR)
)

// stateCache resolves the country fields of each layout through package
// countries, once per distinct spelling.
type stateCache struct {
	pairs map[[2]string]string    // (name, ISO2 code) of the votes file → State.Code
	cow   map[int]string          // COW code → State.Code
	undl  map[[2]string]undlEntry // (ms_code, ms_name) → state
}

func newStateCache() *stateCache {
	return &stateCache{pairs: map[[2]string]string{}, cow: map[int]string{}, undl: map[[2]string]undlEntry{}}
}

// unknownCountry describes a failed lookup (desc says what was looked up)
// with the error and suggestions of package countries for q.
func unknownCountry(desc, q string, err error) string {
	msg := "unknown " + desc
	if err != nil {
		msg += ": " + err.Error()
	}
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "did you mean") {
		if s := countries.Search(q); len(s) > 0 {
			var names []string
			for i, st := range s {
				if i == 3 {
					break
				}
				names = append(names, fmt.Sprintf("%s (%s)", st.Name, st.Code))
			}
			msg += "; did you mean " + strings.Join(names, ", ") + "?"
		}
	}
	return msg
}

// votesState resolves a row of the votes file: the ISO2 code when there is
// one (Namibia's is the string "NA"), else the name. When both are given and
// the name is a known state, it must be the same state as the code's.
func (c *stateCache) votesState(name, code string) (string, string) {
	key := [2]string{name, code}
	if s, ok := c.pairs[key]; ok {
		return s, ""
	}
	var st concord.State
	if code != "" {
		var ok bool
		st, ok = countries.ByISO2(strings.ToUpper(code))
		if !ok {
			return "", unknownCountry(fmt.Sprintf("ISO 3166 alpha-2 country_code %q (country %q)", code, name), name, nil)
		}
		if name != "" {
			if byName, err := countries.Lookup(name); err == nil && byName.Code != st.Code {
				return "", fmt.Sprintf("country %q is %s (%s) but its code %q is %s (%s)", name, byName.Name, byName.Code, code, st.Name, st.Code)
			}
		}
	} else {
		if name == "" {
			return "", "empty country and country_code"
		}
		var err error
		st, err = countries.Lookup(name)
		if err != nil {
			return "", unknownCountry(fmt.Sprintf("country %q", name), name, err)
		}
	}
	c.pairs[[2]string{strings.Clone(name), strings.Clone(code)}] = st.Code
	return st.Code, ""
}

// cowState resolves a Correlates of War country code.
func (c *stateCache) cowState(n int) (string, string) {
	if s, ok := c.cow[n]; ok {
		return s, ""
	}
	st, ok := countries.ByCOW(n)
	if !ok {
		return "", fmt.Sprintf("unknown Correlates of War country code %d (see cow_country_codes.csv.gz)", n)
	}
	c.cow[n] = st.Code
	return st.Code, ""
}

// undlState resolves a row of the UN Digital Library file, whose codes and
// names follow the UN seat (countries.LookupUN): its three-letter code, else
// its name, as the UN meant it on the day of the vote. The Soviet Union's
// votes are filed under Russia, which continues its seat, as in Voeten's data.
func (c *stateCache) undlState(code, name string, day time.Time) (string, string) {
	key := [2]string{code, name}
	e, ok := c.undl[key]
	if !ok {
		q := code
		st, err := countries.Lookup(code)
		if code == "" || err != nil {
			if name == "" {
				return "", unknownCountry(fmt.Sprintf("member state code %q", code), code, err)
			}
			q = name
			var errName error
			if st, errName = countries.Lookup(name); errName != nil {
				return "", unknownCountry(fmt.Sprintf("member state %q (ms_code %q)", name, code), name, errName)
			}
		}
		e = undlEntry{query: strings.Clone(q), code: seatHolder(st.Code)}
		// The few codes and names whose meaning changed on a date (China,
		// Yemen, Germany) are resolved again for each vote's date.
		for _, t := range []time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)} {
			if s, err := countries.LookupUN(q, t); err != nil || s.Code != st.Code {
				e.dated = true
			}
		}
		c.undl[[2]string{strings.Clone(code), strings.Clone(name)}] = e
	}
	if !e.dated || day.IsZero() {
		return e.code, ""
	}
	st, err := countries.LookupUN(e.query, day)
	if err != nil {
		return "", unknownCountry(fmt.Sprintf("member state %q (ms_code %q)", name, code), name, err)
	}
	return seatHolder(st.Code), ""
}

// undlEntry is a resolved spelling of the UN Digital Library file.
type undlEntry struct {
	query string // the code or name that resolved
	code  string // its State.Code, regardless of date
	dated bool   // resolve query again for each date with countries.LookupUN
}

// seatHolder is the state under which concord files the votes of a UN seat:
// Russia (RUS) for the Soviet Union (SUN), as Voeten's data and COW code 365 do.
func seatHolder(code string) string {
	if code == "SUN" {
		if st, ok := countries.ByCode("RUS"); ok {
			return st.Code
		}
	}
	return code
}
