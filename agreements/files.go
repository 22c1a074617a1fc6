package agreements

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
)

// table is a CSV file read whole, with the position of every field for messages.
type table struct {
	name   string
	header []string
	col    map[string]int
	rows   [][]string
	pos    [][2]int // line and column of the first field of each row
	fpos   [][]int  // column of each field

	warnings []string // values repaired while reading
}

func (t *table) get(row []string, col string) string {
	i, ok := t.col[col]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// errorf names file:line:column of row i's field col.
func (t *table) errorf(i int, col, format string, args ...any) error {
	c := t.pos[i][1]
	if j, ok := t.col[col]; ok && j < len(t.fpos[i]) {
		c = t.fpos[i][j]
	}
	return fmt.Errorf("%s:%d:%d: %s: %s", t.name, t.pos[i][0], c, col, fmt.Sprintf(format, args...))
}

func readTable(name string, r io.Reader) (*table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	t := &table{name: name, header: header, col: map[string]int{}}
	for i, h := range header {
		t.col[strings.TrimSpace(h)] = i
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, col := cr.FieldPos(0)
		cols := make([]int, len(rec))
		for j := range rec {
			_, cols[j] = cr.FieldPos(j)
		}
		t.rows = append(t.rows, rec)
		t.pos = append(t.pos, [2]int{line, col})
		t.fpos = append(t.fpos, cols)
	}
	return t, nil
}

// open returns the file's content, gunzipped when it is gzip-compressed.
func open(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("%s: decompressing: %w", path, err)
		}
	}
	return b, nil
}

// Read reads registry files: GGO agreements and parties CSV (a parties file
// needs its agreements file among paths), concord's registry CSV and JSON,
// each possibly gzip-compressed. An agreement ID read twice is an error.
func Read(paths ...string) (*Registry, Stats, error) {
	var st Stats
	reg := &Registry{}
	var partyTables []*table
	for _, p := range paths {
		b, err := open(p)
		if err != nil {
			return nil, st, err
		}
		if t := bytes.TrimLeft(b, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
			r, err := ReadJSON(p, bytes.NewReader(b))
			if err != nil {
				return nil, st, err
			}
			reg.Agreements = append(reg.Agreements, r.Agreements...)
			reg.Commitments = append(reg.Commitments, r.Commitments...)
			continue
		}
		t, err := readTable(p, bytes.NewReader(b))
		if err != nil {
			return nil, st, err
		}
		_, hasTreaty := t.col["treatyID"]
		_, hasState := t.col["stateID"]
		_, hasAgree := t.col["TypeAgree"]
		_, hasParty := t.col["party"]
		switch {
		case hasTreaty && hasState:
			partyTables = append(partyTables, t)
		case hasTreaty && hasAgree:
			as, renamed, err := ggoAgreements(t)
			if err != nil {
				return nil, st, err
			}
			st.RenamedIDs += renamed
			st.Warnings = append(st.Warnings, t.warnings...)
			reg.Agreements = append(reg.Agreements, as...)
		case t.header[0] == "id" && hasParty:
			as, err := csvAgreements(t)
			if err != nil {
				return nil, st, err
			}
			reg.Agreements = append(reg.Agreements, as...)
		default:
			return nil, st, fmt.Errorf("%s:1: unknown file: want a GGO agreements or parties CSV (treatyID …), a concord registry CSV (id, …, party …) or a registry JSON", p)
		}
	}
	if len(partyTables) > 0 && len(reg.Agreements) == 0 {
		return nil, st, fmt.Errorf("%s: a parties file needs its agreements file (ggo_agreements.csv.gz) in the same import", partyTables[0].name)
	}
	for _, t := range partyTables {
		if err := ggoParties(t, reg.Agreements, &st); err != nil {
			return nil, st, err
		}
		st.Warnings = append(st.Warnings, t.warnings...)
	}
	seen := map[string]bool{}
	for i := range reg.Agreements {
		a := &reg.Agreements[i]
		if seen[a.ID] {
			return nil, st, fmt.Errorf("agreement %s read twice", a.ID)
		}
		seen[a.ID] = true
		a.Normalize()
		st.Parties += len(a.Parties)
		for _, p := range a.Parties {
			if p.NonState {
				st.NonStateParties++
			}
		}
	}
	st.Agreements = len(reg.Agreements)
	st.Commitments = len(reg.Commitments)
	return reg, st, nil
}

// CSVHeader is the header of concord's registry CSV: one row per party of
// each agreement (one row with an empty party for an agreement without any),
// the agreement's columns repeated; lists are joined with " | ".
var CSVHeader = []string{"id", "title", "kind", "fields", "subject", "signed", "force", "end", "place", "status", "sources", "summary", "tags",
	"party", "non_state", "party_signature", "party_ratification", "party_force", "party_withdrawal"}

const listSep = " | "

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, listSep)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// WriteCSV writes agreements (with their parties) as concord's registry CSV.
func WriteCSV(w io.Writer, as []concord.Agreement) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	for _, a := range as {
		head := []string{a.ID, a.Title, string(a.Kind), strings.Join(a.Fields, listSep), a.Subject, a.Signed, a.Force, a.End, a.Place,
			string(a.Status), strings.Join(a.Sources, listSep), a.Summary, strings.Join(a.Tags, listSep)}
		ps := a.Parties
		if len(ps) == 0 {
			ps = []concord.Party{{}}
		}
		for _, p := range ps {
			ns := ""
			if p.NonState {
				ns = "1"
			}
			if err := cw.Write(append(slices.Clone(head), p.State, ns, p.Signature, p.Ratification, p.Force, p.Withdrawal)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvAgreements reads concord's registry CSV.
func csvAgreements(t *table) ([]concord.Agreement, error) {
	for _, c := range CSVHeader {
		if _, ok := t.col[c]; !ok {
			return nil, fmt.Errorf("%s:1: missing column %q", t.name, c)
		}
	}
	var as []concord.Agreement
	at := map[string]int{}
	heads := map[string]string{}
	for i, row := range t.rows {
		get := func(c string) string { return t.get(row, c) }
		id := get("id")
		if id == "" {
			return nil, t.errorf(i, "id", "empty id")
		}
		head := strings.Join(row[:13], "\x00")
		j, ok := at[id]
		if !ok {
			kind, err := concord.ParseAgreementKind(get("kind"))
			if err != nil {
				return nil, t.errorf(i, "kind", "%v", err)
			}
			status, err := concord.ParseAgreementStatus(get("status"))
			if err != nil {
				return nil, t.errorf(i, "status", "%v", err)
			}
			a := concord.Agreement{ID: id, Title: get("title"), Kind: kind, Subject: get("subject"), Signed: get("signed"), Force: get("force"),
				End: get("end"), Place: get("place"), Status: status, Sources: splitList(get("sources")), Summary: get("summary"), Tags: splitList(get("tags"))}
			for _, f := range splitList(get("fields")) {
				field, err := concord.ParseField(f)
				if err != nil {
					return nil, t.errorf(i, "fields", "%v", err)
				}
				a.Fields = append(a.Fields, field)
			}
			for _, c := range []string{"signed", "force", "end"} {
				if err := concord.CheckDate(get(c)); err != nil {
					return nil, t.errorf(i, c, "%v", err)
				}
			}
			if a.Title == "" {
				return nil, t.errorf(i, "title", "empty title")
			}
			j = len(as)
			at[id] = j
			heads[id] = head
			as = append(as, a)
		} else if heads[id] != head {
			return nil, t.errorf(i, "id", "agreement %s: this row's agreement columns differ from its first row's", id)
		}
		if get("party") == "" {
			continue
		}
		ns, err := strconv.ParseBool(orZero(get("non_state")))
		if err != nil {
			return nil, t.errorf(i, "non_state", "want 1, 0 or empty, got %q", get("non_state"))
		}
		p := concord.Party{State: get("party"), NonState: ns, Signature: get("party_signature"), Ratification: get("party_ratification"),
			Force: get("party_force"), Withdrawal: get("party_withdrawal")}
		if !ns {
			r := ResolveParty(p.State)
			if r.NonState {
				return nil, t.errorf(i, "party", "unknown state %q (mark non-state parties with non_state=1)", p.State)
			}
			p.State = r.State
		}
		for _, c := range []string{"party_signature", "party_ratification", "party_force", "party_withdrawal"} {
			if err := concord.CheckDate(get(c)); err != nil {
				return nil, t.errorf(i, c, "%v", err)
			}
		}
		if slices.ContainsFunc(as[j].Parties, func(q concord.Party) bool { return q.State == p.State }) {
			return nil, t.errorf(i, "party", "agreement %s: party %s listed twice", id, p.State)
		}
		as[j].Parties = append(as[j].Parties, p)
	}
	return as, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// WriteJSON writes a registry as JSON: {"agreements": […], "commitments": […]}.
func WriteJSON(w io.Writer, r *Registry) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", " ")
	if r.Agreements == nil {
		r.Agreements = []concord.Agreement{}
	}
	if r.Commitments == nil {
		r.Commitments = []concord.Commitment{}
	}
	if err := enc.Encode(r); err != nil {
		return err
	}
	return bw.Flush()
}

// ReadJSON reads a registry written by WriteJSON; errors name name:line:column.
func ReadJSON(name string, rd io.Reader) (*Registry, error) {
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Registry
	if err := dec.Decode(&r); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		line, col := lineCol(b, off)
		return nil, fmt.Errorf("%s:%d:%d: %v", name, line, col, err)
	}
	for i := range r.Agreements {
		a := &r.Agreements[i]
		for j := range a.Parties {
			if p := &a.Parties[j]; !p.NonState {
				q := ResolveParty(p.State)
				if q.NonState {
					return nil, fmt.Errorf("%s: agreement %s: unknown state %q (mark non-state parties with \"non_state\": true)", name, a.ID, p.State)
				}
				p.State = q.State
			}
		}
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("%s: agreement %d: %w", name, i+1, err)
		}
	}
	for i := range r.Commitments {
		if err := r.Commitments[i].Validate(); err != nil {
			return nil, fmt.Errorf("%s: commitment %d: %w", name, i+1, err)
		}
	}
	return &r, nil
}

func lineCol(b []byte, off int64) (int, int) {
	off = min(off, int64(len(b)))
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}
