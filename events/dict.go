package events

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/concord-project/concord/countries"
)

// Kind says what a dictionary phrase names.
type Kind int

// Kinds of dictionary phrases.
const (
	KindState     Kind = iota + 1 // a state's name: "Iran"
	KindAdjective                 // a state's adjective: "Iranian"
	KindCapital                   // a capital, read as the government when it acts: "Tehran said"
	KindIGO                       // an international organisation
	KindPerson                    // a named person, e.g. a leader from a leaders file
	KindTitle                     // a title or role: "President", "Foreign Minister"
	KindAgent                     // a collective agent: "government", "Foreign Ministry"
)

// Entry is what a dictionary phrase means: a state, organisation, person, title or agent, valid between From and To (zero: unbounded).
type Entry struct {
	Kind  Kind
	State string // ISO alpha-3 code (or a PETRARCH country code); "" for organisations, titles and agents
	Name  string // canonical name of a person or organisation, else ""
	Role  string // role of a person or agent
	Code  string // the CAMEO actor code (e.g. "IRNGOV"), when known
	From  time.Time
	To    time.Time
}

// validOn reports whether the entry holds on day d (zero d: always).
func (e Entry) validOn(d time.Time) bool {
	if d.IsZero() {
		return true
	}
	if !e.From.IsZero() && d.Before(e.From) {
		return false
	}
	if !e.To.IsZero() && d.After(e.To) {
		return false
	}
	return true
}

// Dictionary maps phrases to actors, titles and agents, and holds the verb rules that code events.
type Dictionary struct {
	phrases map[string][]Entry
	firsts  map[string]bool // first words of phrases
	maxLen  int
	verbs   []VerbRule
	capital map[string]string // state code → first capital, for places
}

// NewDictionary returns an empty dictionary.
func NewDictionary() *Dictionary {
	return &Dictionary{phrases: map[string][]Entry{}, firsts: map[string]bool{}, capital: map[string]string{}}
}

// Add adds a phrase with its meaning; a phrase may have several meanings (e.g. one leader per term of office).
func (d *Dictionary) Add(phrase string, e Entry) {
	k := phraseKey(phrase)
	if k == "" {
		return
	}
	for _, old := range d.phrases[k] {
		if old == e {
			return
		}
	}
	d.phrases[k] = append(d.phrases[k], e)
	d.firsts[strings.SplitN(k, " ", 2)[0]] = true
	if n := strings.Count(k, " ") + 1; n > d.maxLen {
		d.maxLen = n
	}
}

// Len is the number of phrases.
func (d *Dictionary) Len() int { return len(d.phrases) }

// Lookup returns the meanings of a phrase valid on day t (zero: any day).
func (d *Dictionary) Lookup(phrase string, t time.Time) []Entry {
	return d.lookupKey(phraseKey(phrase), t)
}

func (d *Dictionary) lookupKey(k string, t time.Time) []Entry {
	var out []Entry
	for _, e := range d.phrases[k] {
		if e.validOn(t) {
			out = append(out, e)
		}
	}
	return out
}

// Builtin returns concord's own dictionary: every state's names and spellings
// from package countries, adjectives and capitals from concord's table, common
// short names ("U.S.", "DRC"), international organisations, titles of
// officials and collective agents, and the built-in verb rules.
func Builtin() *Dictionary {
	d := NewDictionary()
	for _, s := range countries.All() {
		if s.Historical {
			continue
		}
		d.Add(s.Name, Entry{Kind: KindState, State: s.Code, Code: s.Code})
		for _, v := range s.Variants {
			if len(v) <= 3 || strings.ContainsAny(v, "()") {
				continue // codes and bracketed official forms are not how news spells states
			}
			d.Add(v, Entry{Kind: KindState, State: s.Code, Code: s.Code})
		}
	}
	for name, code := range extraNames {
		d.Add(name, Entry{Kind: KindState, State: code, Code: code})
	}
	for _, line := range strings.Split(strings.TrimSpace(stateTable), "\n") {
		f := strings.Split(line, "|")
		code := f[0]
		for i, c := range strings.Split(f[1], ",") {
			if c = strings.TrimSpace(c); c != "" {
				d.Add(c, Entry{Kind: KindCapital, State: code, Code: code + "GOV", Role: "government", Name: c})
				if i == 0 {
					d.capital[code] = c
				}
			}
		}
		for _, a := range strings.Split(f[2], ",") {
			if a = strings.TrimSpace(a); a != "" {
				d.Add(a, Entry{Kind: KindAdjective, State: code, Code: code})
			}
		}
	}
	for _, names := range igoTable {
		for _, n := range names {
			d.Add(n, Entry{Kind: KindIGO, Name: names[0], Code: "IGO"})
		}
	}
	for _, t := range titleTable {
		d.Add(t, Entry{Kind: KindTitle, Role: t, Code: "GOV"})
	}
	for _, a := range agentTable {
		d.Add(a, Entry{Kind: KindAgent, Role: a, Code: "GOV"})
	}
	d.verbs = builtinVerbs()
	return d
}

// Merge adds every phrase and verb rule of o to d; o's verb rules come first, so they win over d's.
func (d *Dictionary) Merge(o *Dictionary) {
	for k, es := range o.phrases {
		for _, e := range es {
			d.phrases[k] = append(d.phrases[k], e)
		}
		d.firsts[strings.SplitN(k, " ", 2)[0]] = true
		if n := strings.Count(k, " ") + 1; n > d.maxLen {
			d.maxLen = n
		}
	}
	d.verbs = append(append([]VerbRule(nil), o.verbs...), d.verbs...)
	for k, v := range o.capital {
		if _, ok := d.capital[k]; !ok {
			d.capital[k] = v
		}
	}
}

// openMaybeGzip opens a file, reading through gzip when its name ends in .gz.
func openMaybeGzip(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{z, f}, nil
}

// LoadLeaders reads a user file of leaders and aliases into d. Each line is
// tab-separated: phrase, state code, then optionally role, first day and last
// day of office (yyyy-mm-dd, empty for open):
//
//	Miguel Díaz-Canel	CUB	President	2019-10-10
//	Ali Khamenei	IRN	Supreme Leader	1989-06-04
//	Tehran-Havana	IRN
//
// A phrase with a role is a person, valid only while in office; one without is an alias of the state.
// Blank lines and lines starting with '#' are skipped.
func (d *Dictionary) LoadLeaders(path string) error {
	f, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.ReadLeaders(f, path)
}

// ReadLeaders reads a leaders file as [Dictionary.LoadLeaders] does; name is used in error messages.
func (d *Dictionary) ReadLeaders(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) < 2 || strings.TrimSpace(f[0]) == "" || strings.TrimSpace(f[1]) == "" {
			return fmt.Errorf("%s:%d: want tab-separated phrase, state code[, role, from, to]", name, line)
		}
		phrase, code := strings.TrimSpace(f[0]), strings.TrimSpace(f[1])
		st, err := countries.Lookup(code)
		if err != nil {
			col := len(f[0]) + 2
			return fmt.Errorf("%s:%d:%d: state %q: %v", name, line, col, code, err)
		}
		e := Entry{Kind: KindState, State: st.Code, Code: st.Code}
		if len(f) > 2 && strings.TrimSpace(f[2]) != "" {
			e = Entry{Kind: KindPerson, State: st.Code, Name: phrase, Role: strings.TrimSpace(f[2]), Code: st.Code + "GOV"}
		}
		col := len(f[0]) + len(f[1]) + 2
		if len(f) > 2 {
			col += len(f[2]) + 1
		}
		for i, dst := range []*time.Time{&e.From, &e.To} {
			if len(f) > 3+i && strings.TrimSpace(f[3+i]) != "" {
				t, err := time.Parse("2006-01-02", strings.TrimSpace(f[3+i]))
				if err != nil {
					return fmt.Errorf("%s:%d:%d: date %q: want yyyy-mm-dd", name, line, col+1, f[3+i])
				}
				*dst = t
			}
			if len(f) > 3+i {
				col += len(f[3+i]) + 1
			}
		}
		if !e.From.IsZero() && !e.To.IsZero() && e.To.Before(e.From) {
			return fmt.Errorf("%s:%d: office ends (%s) before it begins (%s)", name, line, e.To.Format("2006-01-02"), e.From.Format("2006-01-02"))
		}
		d.Add(phrase, e)
		if e.Kind == KindPerson { // the surname alone refers to the person too
			if parts := strings.Fields(phrase); len(parts) > 1 {
				d.Add(parts[len(parts)-1], e)
			}
		}
	}
	return sc.Err()
}

// agentRoles names the CAMEO agent codes PETRARCH dictionaries use.
var agentRoles = map[string]string{
	"GOV": "government", "MIL": "military", "ELI": "elite", "LEG": "legislature", "JUD": "judiciary", "COP": "police",
	"REB": "rebels", "OPP": "opposition", "MED": "media", "BUS": "business", "CVL": "civilians", "SPY": "intelligence",
	"PTY": "party", "EDU": "education", "HLH": "health", "LAB": "labour", "IGO": "international organisation",
}

var petrCode = regexp.MustCompile(`\[([~A-Za-z0-9]*)\s*([<>]?\d{6,8})?(?:-(\d{6,8}))?\]`)

// petrDate reads PETRARCH's yymmdd or yyyymmdd dates.
func petrDate(s string) (time.Time, error) {
	if len(s) == 6 {
		y := s[:2]
		if y > "30" {
			s = "19" + s
		} else {
			s = "20" + s
		}
	}
	return time.Parse("20060102", s)
}

// petrPhrase turns PETRARCH's FOREIGN_MINISTER or "HOSNI MURBARAK" into words.
func petrPhrase(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "["); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "{"); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "_", " ")
	return strings.Join(strings.Fields(s), " ")
}

// LoadPetrarchActors reads a PETRARCH2 actor dictionary (e.g.
// Phoenix.Countries.actors.txt, Phoenix.International.actors.txt, gzip
// accepted): a phrase line, "+" synonym lines, and codes with optional date
// restrictions ("[IRNGOV >19890604]", "[USAGOV 20090120-20170120]"). A
// three-letter code is a state; a longer one is a person or group of that
// state (its first three letters) with the agent its last three letters name;
// codes starting with IGO are international organisations.
func (d *Dictionary) LoadPetrarchActors(path string) error {
	f, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.ReadPetrarchActors(f, path)
}

// ReadPetrarchActors reads an actor dictionary as [Dictionary.LoadPetrarchActors] does; name is used in error messages.
func (d *Dictionary) ReadPetrarchActors(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var names []string
	var codes []Entry
	flush := func() {
		for _, n := range names {
			for _, e := range codes {
				if e.Kind == KindPerson || e.Kind == KindIGO {
					e.Name = titleCase(names[0])
				}
				d.Add(n, e)
			}
		}
		names, codes = nil, nil
	}
	line := 0
	inComment := false
	for sc.Scan() {
		line++
		raw := sc.Text()
		t := strings.TrimSpace(raw)
		if inComment {
			if strings.Contains(t, "-->") {
				inComment = false
			}
			continue
		}
		if strings.HasPrefix(t, "<!--") {
			if !strings.Contains(t, "-->") {
				inComment = true
			}
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "+") {
			if n := petrPhrase(t[1:]); n != "" {
				names = append(names, n)
			}
			continue
		}
		isCodeLine := strings.HasPrefix(t, "[")
		if !isCodeLine {
			if len(codes) > 0 || len(names) > 0 {
				flush()
			}
			if n := petrPhrase(t); n != "" {
				names = append(names, n)
			}
		}
		body := t
		if i := strings.Index(body, "#"); i >= 0 {
			body = body[:i]
		}
		for _, m := range petrCode.FindAllStringSubmatch(body, -1) {
			e, err := petrEntry(m)
			if err != nil { // the published dictionaries have a few malformed dates (e.g. "9008223"): keep the code, drop the restriction
				e.From, e.To = time.Time{}, time.Time{}
			}
			if e.Code != "" {
				codes = append(codes, e)
			}
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return err
	}
	d.dropNonStates()
	return nil
}

// nonStatePrefixes start the CAMEO codes of actors that are no state: militant
// groups, NGOs, companies, unidentified actors, rebels and opposition movements.
var nonStatePrefixes = map[string]bool{"IMG": true, "NGO": true, "NGM": true, "MNC": true, "UIS": true, "UNK": true, "REB": true, "OPP": true, "RAD": true, "MOD": true, "---": true}

// dropNonStates removes people and groups whose code names no state
// ([nonStatePrefixes]): concord codes events between states, their officials
// and international organisations only.
func (d *Dictionary) dropNonStates() {
	for k, es := range d.phrases {
		keep := es[:0]
		for _, e := range es {
			if e.Kind != KindPerson || !nonStatePrefixes[e.State] {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			delete(d.phrases, k)
		} else {
			d.phrases[k] = keep
		}
	}
}

func petrEntry(m []string) (Entry, error) {
	code := strings.ToUpper(strings.TrimPrefix(m[1], "~"))
	e := Entry{Code: code}
	switch {
	case code == "" || code == "---":
		return Entry{}, nil
	case strings.HasPrefix(code, "IGO"):
		e.Kind = KindIGO
	case len(code) == 3:
		e.Kind, e.State = KindState, code
	default:
		e.Kind, e.State = KindPerson, code[:3]
		e.Role = agentRoles[code[len(code)-3:]]
		if e.Role == "" {
			e.Role = agentRoles[code[3:min(6, len(code))]]
		}
	}
	if m[2] != "" {
		s := m[2]
		switch s[0] {
		case '>':
			t, err := petrDate(s[1:])
			if err != nil {
				return e, fmt.Errorf("date %q: %v", s, err)
			}
			e.From = t
		case '<':
			t, err := petrDate(s[1:])
			if err != nil {
				return e, fmt.Errorf("date %q: %v", s, err)
			}
			e.To = t
		default:
			t, err := petrDate(s)
			if err != nil {
				return e, fmt.Errorf("date %q: %v", s, err)
			}
			e.From = t
		}
		if m[3] != "" {
			t, err := petrDate(m[3])
			if err != nil {
				return e, fmt.Errorf("date %q: %v", m[3], err)
			}
			e.To = t
		}
	}
	return e, nil
}

// LoadPetrarchAgents reads a PETRARCH2 agent dictionary (Phoenix.agents.txt):
// "FOREIGN_MINISTER [~GOVFRM]" lines, plural forms in braces, and "!X! = A, B"
// substitution sets. Agents become titles (people) or collective agents.
func (d *Dictionary) LoadPetrarchAgents(path string) error {
	f, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.ReadPetrarchAgents(f, path)
}

// ReadPetrarchAgents reads an agent dictionary as [Dictionary.LoadPetrarchAgents] does; name is used in error messages.
func (d *Dictionary) ReadPetrarchAgents(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	subst := map[string][]string{}
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "<!--") {
			continue
		}
		if strings.HasPrefix(t, "!") && strings.Contains(t, "=") {
			k, v, _ := strings.Cut(t, "=")
			for _, alt := range strings.Split(v, ",") {
				if a := strings.TrimSpace(alt); a != "" {
					subst[strings.TrimSpace(k)] = append(subst[strings.TrimSpace(k)], a)
				}
			}
			continue
		}
		m := petrCode.FindStringSubmatch(t)
		if m == nil || !strings.Contains(t, "[") {
			continue // the published file has a few malformed lines ("[~ENV}"): skipped
		}
		code := strings.ToUpper(strings.TrimPrefix(m[1], "~"))
		forms := []string{t[:strings.Index(t, "[")]}
		if i, j := strings.Index(t, "{"), strings.Index(t, "}"); i >= 0 && j > i {
			forms[0] = t[:i]
			for _, p := range strings.Fields(t[i+1 : j]) {
				forms = append(forms, p)
			}
		}
		for _, form := range forms {
			for _, ph := range expandSubst(form, subst) {
				ph = petrPhrase(ph)
				if ph == "" {
					continue
				}
				role := strings.ToLower(ph)
				kind := KindTitle
				if len(code) >= 3 && code[:3] != "GOV" && code[:3] != "ELI" {
					kind = KindAgent
				}
				d.Add(ph, Entry{Kind: kind, Role: role, Code: code})
			}
		}
	}
	return sc.Err()
}

func expandSubst(s string, subst map[string][]string) []string {
	for k, alts := range subst {
		if strings.Contains(s, k) {
			var out []string
			for _, a := range alts {
				out = append(out, expandSubst(strings.Replace(s, k, a, 1), subst)...)
			}
			return out
		}
	}
	return []string{s}
}

// titleCase writes a PETRARCH upper-case phrase in title case ("ALI KHAMENEI" → "Ali Khamenei").
func titleCase(s string) string {
	w := strings.Fields(strings.ToLower(s))
	for i, x := range w {
		if x != "" {
			r := []rune(x)
			r[0] = []rune(strings.ToUpper(string(r[0])))[0]
			w[i] = string(r)
		}
	}
	return strings.Join(w, " ")
}
