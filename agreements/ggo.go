// Package agreements reads and writes the files of concord's agreements
// registry: the GGO/HUGGO release of international agreements and their
// parties (Hollway & Tan 2025, manytreaties), and concord's own CSV and JSON
// exports of a registry.
//
// Read takes any mix of those files (gzip-compressed or not) and tells them
// apart by their header. Every bad value is an error naming file:line:column.
//
// GGO conventions and the decisions taken on them:
//   - treatyID is not unique in the agreements file (181 IDs name two or more
//     distinct instruments, e.g. an agreement and its protocol). The first row
//     keeps the ID; the k-th further row with the same ID gets "~k" appended
//     (BAD-CHE_1884P~2). A membership row is linked to the instrument with its
//     treatyID and the same title, else the same begin date, else the first.
//   - Membership rows of treatyIDs absent from the agreements file (339 IDs)
//     are skipped and counted in Stats.Orphans; identical and repeated
//     memberships of one party are merged, empty dates filled from the later
//     row (Stats.Merged, conflicting dates in Stats.Conflicts: first wins).
//   - Parties are resolved through package countries: a three-letter code
//     (ISO alpha-3, GGO's own codes for historical states) or a full name that
//     countries.Lookup knows is a state, stored under its canonical code
//     (ROM → ROU, GDR → DDR). Everything else — the European Communities and
//     Union (EC, EUE, EUU), international organisations (IO-…, "WHO …"),
//     sub-state units (Bayern) and historical entities countries/ lacks
//     (Prussia PRU, Danzig DZG) — is kept as a party with NonState set and its
//     source spelling; such parties never match a state query. Two-letter
//     codes are never looked up: GGO's EC is the European Communities, not
//     Ecuador.
//   - Kind from TypeAgree (Agreement, Amendment, Protocol, MOU, Resolution,
//     Regulation, Report, Extending); fields from TypeDomain ("Trade,Environment"
//     is both); status terminated when Term (or End) is set, else in force when
//     Force is set, else signed; TypeAmbit and TypeGeo become tags; Source,
//     Published, TextURL and Website become sources.
package agreements

import (
	"fmt"
	"strings"
	"unicode"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
)

// Stats reports what Read found.
type Stats struct {
	Agreements      int      `json:"agreements"`         // agreement records read
	PartyRows       int      `json:"party_rows"`         // membership rows read
	Parties         int      `json:"parties"`            // parties of the agreements after merging
	NonStateParties int      `json:"non_state_parties"`  // parties that are not states known to countries/
	RenamedIDs      int      `json:"renamed_ids"`        // repeated treatyIDs given a "~k" suffix
	Orphans         int      `json:"orphans"`            // membership rows of agreements not in the file
	Merged          int      `json:"merged"`             // membership rows merged into another of the same party
	Conflicts       int      `json:"conflicts"`          // dates that differed between merged rows (first kept)
	Commitments     int      `json:"commitments"`        // commitments read (JSON only)
	Warnings        []string `json:"warnings,omitempty"` // source values repaired or dropped, each naming file:line:column
}

// Registry is the content of registry files: agreements and commitments.
type Registry struct {
	Agreements  []concord.Agreement  `json:"agreements"`
	Commitments []concord.Commitment `json:"commitments"`
}

// ResolveParty turns a party code or name of a source into a party: a state
// with its canonical code when countries/ knows it, else a non-state party
// under its source spelling.
func ResolveParty(code string) concord.Party {
	code = strings.TrimSpace(code)
	if isCode3(code) || (len(code) > 4 && !strings.HasPrefix(code, "IO-") && hasLower(code)) {
		if s, err := countries.Lookup(code); err == nil {
			return concord.Party{State: s.Code}
		}
	}
	return concord.Party{State: code, NonState: true}
}

func isCode3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// repairDate keeps a GGO date the registry's notation accepts. A malformed
// one (typos in the source such as "1976-06-31", "2010-XX-XX-" or
// "0014-022005") loses what is wrong: an impossible day, then an impossible
// month; what remains must be a year from 1000, else the date is dropped as
// unknown. Each repair is a warning naming file:line:column.
func (t *table) repairDate(i int, col string, d *string) {
	if concord.CheckDate(*d) == nil {
		return
	}
	fixed := ""
	v := strings.TrimRight(*d, "-")
	suffix := ""
	if strings.HasSuffix(v, "?") || strings.HasSuffix(v, "~") {
		v, suffix = v[:len(v)-1], v[len(v)-1:]
	}
	for _, n := range []int{10, 7, 4} {
		if len(v) >= n && concord.CheckDate(v[:n]+suffix) == nil && (len(v) == n || v[n] == '-') && concord.DateYear(v) >= 1000 {
			fixed = v[:n] + suffix
			break
		}
	}
	t.warnings = append(t.warnings, t.errorf(i, col, "malformed date %q read as %q", *d, fixed).Error())
	*d = fixed
}

var ggoKinds = map[string]concord.AgreementKind{
	"agreement": concord.KindAgreement, "amendment": concord.KindAmendment, "protocol": concord.KindProtocol, "mou": concord.KindMoU,
	"resolution": concord.KindResolution, "regulation": concord.KindRegulation, "report": concord.KindReport, "extending": concord.KindExtension,
	"treaty": concord.KindTreaty, "": concord.KindAgreement,
}

// ggoAgreements converts the rows of ggo_agreements.csv.
func ggoAgreements(t *table) ([]concord.Agreement, int, error) {
	var as []concord.Agreement
	seen := map[string]int{}
	renamed := 0
	for i, row := range t.rows {
		get := func(col string) string { return t.get(row, col) }
		id := get("treatyID")
		if id == "" {
			return nil, 0, t.errorf(i, "treatyID", "empty treatyID")
		}
		seen[id]++
		if seen[id] > 1 {
			id = fmt.Sprintf("%s~%d", id, seen[id])
			renamed++
		}
		kind, ok := ggoKinds[strings.ToLower(get("TypeAgree"))]
		if !ok {
			return nil, 0, t.errorf(i, "TypeAgree", "unknown instrument type %q", get("TypeAgree"))
		}
		a := concord.Agreement{ID: id, Title: get("Title"), Kind: kind, Subject: get("TypeSubject"), Place: get("Location"),
			Signed: get("Signature"), Force: get("Force"), End: get("Term")}
		if a.Title == "" {
			a.Title = get("TitleAlt")
		}
		if a.Signed == "" {
			a.Signed = get("Begin")
		}
		if a.End == "" {
			a.End = get("End")
		}
		for col, d := range map[string]*string{"Signature": &a.Signed, "Force": &a.Force, "Term": &a.End} {
			t.repairDate(i, col, d)
		}
		if d := get("TypeDomain"); d != "" {
			for _, f := range strings.FieldsFunc(d, func(r rune) bool { return r == '+' || r == ',' }) {
				field, err := concord.ParseField(f)
				if err != nil {
					return nil, 0, t.errorf(i, "TypeDomain", "%v", err)
				}
				a.Fields = append(a.Fields, field)
			}
		}
		switch {
		case a.End != "":
			a.Status = concord.StatusTerminated
		case a.Force != "":
			a.Status = concord.StatusInForce
		default:
			a.Status = concord.StatusSigned
		}
		for _, c := range []string{"TypeAmbit", "TypeGeo"} {
			if v := get(c); v != "" {
				a.Tags = append(a.Tags, strings.ToLower(v))
			}
		}
		for _, c := range []string{"Source", "Published", "TextURL", "Website"} {
			if v := get(c); v != "" {
				a.Sources = append(a.Sources, v)
			}
		}
		if a.Title == "" {
			return nil, 0, t.errorf(i, "Title", "agreement %s has no title", id)
		}
		as = append(as, a)
	}
	return as, renamed, nil
}

// ggoParties links the rows of ggo_parties.csv to the agreements.
func ggoParties(t *table, as []concord.Agreement, st *Stats) error {
	type cand struct {
		idx          int
		title, begin string
	}
	byID := map[string][]cand{}
	for i, a := range as {
		base, _, _ := strings.Cut(a.ID, "~")
		byID[base] = append(byID[base], cand{i, a.Title, a.Signed})
	}
	index := make([]map[string]int, len(as)) // party -> position in Parties
	for i, row := range t.rows {
		get := func(col string) string { return t.get(row, col) }
		st.PartyRows++
		cs := byID[get("treatyID")]
		if len(cs) == 0 {
			st.Orphans++
			continue
		}
		target := cs[0].idx
		if len(cs) > 1 {
			found := false
			for _, c := range cs {
				if c.title == get("Title") {
					target, found = c.idx, true
					break
				}
			}
			if !found {
				for _, c := range cs {
					if c.begin == get("Begin") || c.begin == get("Signature") {
						target = c.idx
						break
					}
				}
			}
		}
		if get("stateID") == "" {
			return t.errorf(i, "stateID", "empty stateID")
		}
		p := ResolveParty(get("stateID"))
		p.Signature, p.Ratification, p.Force, p.Withdrawal = get("StateSignature"), get("StateRatification"), get("StateForce"), get("StateEnd")
		for col, d := range map[string]*string{"StateSignature": &p.Signature, "StateRatification": &p.Ratification, "StateForce": &p.Force, "StateEnd": &p.Withdrawal} {
			t.repairDate(i, col, d)
		}
		a := &as[target]
		if index[target] == nil {
			index[target] = map[string]int{}
		}
		if j, ok := index[target][p.State]; ok {
			st.Merged++
			q := &a.Parties[j]
			for _, d := range [][2]*string{{&q.Signature, &p.Signature}, {&q.Ratification, &p.Ratification}, {&q.Force, &p.Force}, {&q.Withdrawal, &p.Withdrawal}} {
				switch {
				case *d[0] == "":
					*d[0] = *d[1]
				case *d[1] != "" && *d[1] != *d[0]:
					st.Conflicts++
				}
			}
			continue
		}
		index[target][p.State] = len(a.Parties)
		a.Parties = append(a.Parties, p)
	}
	return nil
}
