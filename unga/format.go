package unga

import (
	"fmt"
	"strings"
)

// Format is a file layout that the readers recognise from the CSV header.
type Format int

// The layouts read by this package.
const (
	FormatUnknown   Format = iota
	FormatVotes            // votes.csv of the three-table release: rcid,country,country_code,vote
	FormatRollCalls        // roll_calls.csv of the three-table release: rcid,session,importantvote,date,unres,amend,para,short,descr
	FormatIssues           // issues.csv of the three-table release: rcid,short_name,issue
	FormatComplete         // Voeten's complete votes: rcid,session,vote,ccode,member,importantvote,date,unres,me,…,ec,year
	FormatUNDL             // UN Digital Library voting data: undl_id,ms_code,ms_name,ms_vote,date,session,resolution,title,…
)

// String names the layout.
func (f Format) String() string {
	switch f {
	case FormatVotes:
		return "votes (rcid,country,country_code,vote)"
	case FormatRollCalls:
		return "roll calls (rcid,session,importantvote,date,unres,amend,para,short,descr)"
	case FormatIssues:
		return "issues (rcid,short_name,issue)"
	case FormatComplete:
		return "Voeten complete votes (rcid,session,vote,ccode,…)"
	case FormatUNDL:
		return "UN Digital Library voting data (undl_id,ms_code,ms_name,ms_vote,…)"
	}
	return "unknown"
}

// column describes one column of a layout: its accepted names (the first is
// the one used in messages) and whether a file must have it.
type column struct {
	names    []string
	required bool
}

// Column indexes of each layout, in the order of the layouts' column tables.
const (
	// votes
	vRCID = iota
	vCountry
	vCode
	vVote
)

const (
	// roll calls
	rRCID = iota
	rSession
	rImportant
	rDate
	rUnres
	rAmend
	rPara
	rShort
	rDescr
)

const (
	// issues
	iRCID = iota
	iShort
	iName
)

const (
	// complete votes; the issue flags follow cME in the order of concord.Issues
	cRCID = iota
	cSession
	cVote
	cCCode
	cImportant
	cDate
	cUnres
	cAmend
	cPara
	cShort
	cDescr
	cME
	cNU
	cDI
	cHR
	cCO
	cEC
)

const (
	// UN Digital Library
	uID = iota
	uCode
	uName
	uVote
	uDate
	uSession
	uResolution
	uTitle
	uAgenda
)

var layouts = map[Format][]column{
	FormatVotes: {
		vRCID:    {names: []string{"rcid"}, required: true},
		vCountry: {names: []string{"country"}},
		vCode:    {names: []string{"country_code"}},
		vVote:    {names: []string{"vote"}, required: true},
	},
	FormatRollCalls: {
		rRCID:      {names: []string{"rcid"}, required: true},
		rSession:   {names: []string{"session"}, required: true},
		rImportant: {names: []string{"importantvote"}},
		rDate:      {names: []string{"date"}, required: true},
		rUnres:     {names: []string{"unres"}},
		rAmend:     {names: []string{"amend"}},
		rPara:      {names: []string{"para"}},
		rShort:     {names: []string{"short"}},
		rDescr:     {names: []string{"descr"}},
	},
	FormatIssues: {
		iRCID:  {names: []string{"rcid"}, required: true},
		iShort: {names: []string{"short_name"}, required: true},
		iName:  {names: []string{"issue"}},
	},
	FormatComplete: {
		cRCID:      {names: []string{"rcid"}, required: true},
		cSession:   {names: []string{"session"}, required: true},
		cVote:      {names: []string{"vote"}, required: true},
		cCCode:     {names: []string{"ccode"}, required: true},
		cImportant: {names: []string{"importantvote"}},
		cDate:      {names: []string{"date"}, required: true},
		cUnres:     {names: []string{"unres"}},
		cAmend:     {names: []string{"amend"}},
		cPara:      {names: []string{"para"}},
		cShort:     {names: []string{"short"}},
		cDescr:     {names: []string{"descr"}},
		cME:        {names: []string{"me"}},
		cNU:        {names: []string{"nu"}},
		cDI:        {names: []string{"di"}},
		cHR:        {names: []string{"hr"}},
		cCO:        {names: []string{"co"}},
		cEC:        {names: []string{"ec"}},
	},
	FormatUNDL: {
		uID:         {names: []string{"undl_id"}, required: true},
		uCode:       {names: []string{"ms_code", "ms_codes"}},
		uName:       {names: []string{"ms_name", "ms_names"}},
		uVote:       {names: []string{"ms_vote", "ms_votes"}, required: true},
		uDate:       {names: []string{"date"}, required: true},
		uSession:    {names: []string{"session"}},
		uResolution: {names: []string{"resolution", "resolutions"}},
		uTitle:      {names: []string{"title"}},
		uAgenda:     {names: []string{"agenda_title", "agenda_titles"}},
	},
}

// normHeader lower-cases and trims a header cell and drops a byte-order mark.
func normHeader(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
}

// DetectFormat recognises a layout from a CSV header by its distinctive
// columns: undl_id or ms_vote (UN Digital Library), ccode (Voeten's complete
// votes), short_name (issues), country or country_code (votes), and descr,
// short, amend, para or importantvote (roll calls). It does not check
// required columns.
func DetectFormat(header []string) Format {
	has := map[string]bool{}
	for _, h := range header {
		has[normHeader(h)] = true
	}
	switch {
	case has["undl_id"] || has["ms_vote"] || has["ms_votes"]:
		return FormatUNDL
	case has["ccode"]:
		return FormatComplete
	case has["short_name"]:
		return FormatIssues
	case has["country"] || has["country_code"]:
		return FormatVotes
	case has["descr"] || has["short"] || has["amend"] || has["para"] || has["importantvote"]:
		return FormatRollCalls
	}
	return FormatUnknown
}

// columnIndexes maps each column of layout f to its index in header, -1 when
// absent; a missing required column is an error naming it.
func columnIndexes(f Format, header []string) ([]int, string) {
	pos := map[string]int{}
	for i, h := range header {
		if _, dup := pos[normHeader(h)]; !dup {
			pos[normHeader(h)] = i
		}
	}
	cols := layouts[f]
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for _, n := range c.names {
			if j, ok := pos[n]; ok {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 && c.required {
			return nil, fmt.Sprintf("missing required column %q for a %s file (header: %s)", c.names[0], f, strings.Join(header, ","))
		}
	}
	switch f {
	case FormatVotes:
		if idx[vCountry] < 0 && idx[vCode] < 0 {
			return nil, fmt.Sprintf("missing required column \"country\" or \"country_code\" for a %s file (header: %s)", f, strings.Join(header, ","))
		}
	case FormatUNDL:
		if idx[uCode] < 0 && idx[uName] < 0 {
			return nil, fmt.Sprintf("missing required column \"ms_code\" or \"ms_name\" for a %s file (header: %s)", f, strings.Join(header, ","))
		}
	}
	return idx, ""
}
