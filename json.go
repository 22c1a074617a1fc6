package concord

import (
	"encoding/json"
	"time"
)

// MarshalJSON writes a Flag as true, false or null when unknown.
func (f Flag) MarshalJSON() ([]byte, error) {
	switch f {
	case FlagTrue:
		return []byte("true"), nil
	case FlagFalse:
		return []byte("false"), nil
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads true, false or null.
func (f *Flag) UnmarshalJSON(b []byte) error {
	var p *bool
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*f = FlagUnknown
	if p != nil {
		*f = FlagOf(*p)
	}
	return nil
}

// rollCallJSON is the JSON shape of a RollCall: dates as yyyy-mm-dd.
type rollCallJSON struct {
	RCID       int     `json:"rcid"`
	Session    int     `json:"session"`
	Date       string  `json:"date,omitempty"`
	Resolution string  `json:"resolution,omitempty"`
	Important  Flag    `json:"important"`
	Amend      Flag    `json:"amend"`
	Para       Flag    `json:"para"`
	Short      string  `json:"short,omitempty"`
	Descr      string  `json:"descr,omitempty"`
	Issues     []Issue `json:"issues"`
}

// MarshalJSON writes r with its date as yyyy-mm-dd (left out when unknown).
func (r RollCall) MarshalJSON() ([]byte, error) {
	j := rollCallJSON{RCID: r.RCID, Session: r.Session, Resolution: r.Resolution, Important: r.Important,
		Amend: r.Amend, Para: r.Para, Short: r.Short, Descr: r.Descr, Issues: r.Issues}
	if !r.Date.IsZero() {
		j.Date = r.Date.Format(time.DateOnly)
	}
	if j.Issues == nil {
		j.Issues = []Issue{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the shape MarshalJSON writes.
func (r *RollCall) UnmarshalJSON(b []byte) error {
	var j rollCallJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = RollCall{RCID: j.RCID, Session: j.Session, Resolution: j.Resolution, Important: j.Important,
		Amend: j.Amend, Para: j.Para, Short: j.Short, Descr: j.Descr, Issues: j.Issues}
	if j.Date != "" {
		d, err := time.Parse(time.DateOnly, j.Date)
		if err != nil {
			return err
		}
		r.Date = d
	}
	return nil
}

// stateJSON is the JSON shape of a State.
type stateJSON struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	ISO2       string   `json:"iso2,omitempty"`
	ISO3       string   `json:"iso3,omitempty"`
	ISONumeric int      `json:"iso_numeric,omitempty"`
	COW        int      `json:"cow,omitempty"`
	COWAbbr    string   `json:"cow_abbr,omitempty"`
	Variants   []string `json:"variants,omitempty"`
	From       int      `json:"from,omitempty"`
	To         int      `json:"to,omitempty"`
	UNFrom     int      `json:"un_from,omitempty"`
	UNTo       int      `json:"un_to,omitempty"`
	Historical bool     `json:"historical"`
	Successors []string `json:"successors,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// MarshalJSON writes s with snake_case keys.
func (s State) MarshalJSON() ([]byte, error) {
	return json.Marshal(stateJSON(s))
}
