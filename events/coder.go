package events

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
)

// Coder codes articles into events with a dictionary and a codebook; it is safe for concurrent use.
type Coder struct {
	Dict     *Dictionary
	Codebook *Codebook
}

// NewCoder returns a coder with concord's built-in dictionary and codebook.
func NewCoder() *Coder { return &Coder{Dict: Builtin(), Codebook: DefaultCodebook()} }

// mention is an actor found in a sentence, spanning tokens [a, b).
type mention struct {
	a, b  int
	actor concord.EventActor
	place bool // a location ("in Tehran"), not an actor
	kind  Kind
}

// articleState is what the coder remembers across an article's sentences.
type articleState struct {
	names   map[string]concord.EventActor // person name (and surname) → actor
	seen    map[string]bool               // states the article has named
	anon    map[string]string             // last word of an unnamed official's title → state
	byRole  map[string]concord.EventActor // state|role → person
	focus   concord.EventActor            // the person or state the last event was about
	day     time.Time
	ref     time.Time
	place   string
	placeSt string
	homeSt  string // the outlet's state, from its address's country-code domain
}

var prepositions = map[string]bool{"in": true, "to": true, "at": true, "from": true, "near": true, "of": true, "across": true, "into": true, "outside": true, "for": true}

// placePrepositions make a state's name a location ("in Sweden"), not a target ("arms sales to Taiwan").
var placePrepositions = map[string]bool{"in": true, "at": true, "near": true, "across": true, "into": true, "outside": true, "throughout": true, "inside": true}

var notNames = map[string]bool{"the": true, "a": true, "an": true, "he": true, "she": true, "it": true, "they": true, "we": true, "on": true, "in": true,
	"but": true, "and": true, "this": true, "that": true, "these": true, "his": true, "her": true, "their": true, "our": true, "after": true,
	"as": true, "at": true, "for": true, "with": true, "by": true, "if": true, "when": true, "while": true, "i": true, "photo": true, "mr.": true,
	"ms.": true, "mrs.": true, "dr.": true, "both": true, "two": true, "regarding": true, "according": true, "following": true, "nothing": true,
	"others": true, "said": true, "who": true, "what": true, "however": true, "there": true, "today": true}

// Code codes an article's events.
func (c *Coder) Code(a *Article) []concord.Event {
	sents := SplitSentences(a.Text)
	st := &articleState{names: map[string]concord.EventActor{}, byRole: map[string]concord.EventActor{}, seen: map[string]bool{}, anon: map[string]string{}}
	st.ref = a.Published
	st.homeSt = homeState(a.URL)
	if st.ref.IsZero() { // no publication date: the first full date in the text sets the year
		for _, s := range sents {
			if m := reMDY.FindStringSubmatch(s.Text); m != nil && m[3] != "" {
				if t, ok, _ := DateIn(m[0], time.Time{}); ok {
					st.ref = t
					break
				}
			}
		}
	}
	// dateline: place and reference day
	for _, s := range sents[:min(len(sents), 6)] {
		if dl, ok := findDateline(strings.Trim(s.Text, "*_ "), st.ref); ok && c.placeOf(dl.city, dl.country) != "" {
			st.place = c.placeOf(dl.city, dl.country)
			st.placeSt = c.stateOf(dl.city, dl.country)
			if !dl.day.IsZero() {
				st.ref = dl.day
			}
			break
		}
	}
	// the article's main day: the first day a body sentence names (datelines excluded)
	for _, s := range sents {
		text := s.Text
		if dl, ok := findDateline(strings.Trim(text, "*_ "), st.ref); ok {
			text = strings.Trim(text, "*_ ")[dl.end:]
		}
		if d, ok, _ := DateIn(text, st.ref); ok {
			st.day = d
			break
		}
	}
	var out []concord.Event
	seen := map[string]bool{}
	for _, s := range sents {
		evs := c.codeSentence(a, s, st)
		for _, e := range evs {
			k := e.Key()
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// placeOf writes a dateline's place as "City, Country".
func (c *Coder) placeOf(city, country string) string {
	code := c.stateOf(city, country)
	if code == "" {
		return ""
	}
	s, _ := countries.ByCode(code)
	cityName := titleCase(city)
	if strings.EqualFold(city, s.Name) {
		return s.Name
	}
	return cityName + ", " + s.Name
}

func (c *Coder) stateOf(city, country string) string {
	for _, q := range []string{country, city} {
		if q == "" {
			continue
		}
		for _, e := range c.Dict.Lookup(q, time.Time{}) {
			if (e.Kind == KindState || e.Kind == KindCapital) && e.State != "" {
				return e.State
			}
		}
	}
	return ""
}

// match finds the longest dictionary phrase starting at token i, valid on day t.
func (c *Coder) match(toks []token, i int, t time.Time) (int, []Entry) {
	if !c.Dict.firsts[toks[i].low] {
		return 0, nil
	}
	for n := min(c.Dict.maxLen, len(toks)-i); n >= 1; n-- {
		parts := make([]string, n)
		for j := 0; j < n; j++ {
			parts[j] = toks[i+j].low
		}
		if es := c.Dict.lookupKey(strings.Join(parts, " "), t); len(es) > 0 {
			// names of states, capitals, people and organisations must be capitalised
			var keep []Entry
			for _, e := range es {
				switch e.Kind {
				case KindState, KindAdjective, KindCapital, KindPerson:
					if !toks[i].cap {
						continue
					}
				case KindIGO:
					if !toks[i].cap && !strings.HasPrefix(e.Name, "international") && e.Name != "international organizations" {
						continue
					}
				}
				keep = append(keep, e)
			}
			if len(keep) > 0 {
				return n, keep
			}
		}
	}
	return 0, nil
}

func first(es []Entry, kinds ...Kind) (Entry, bool) {
	for _, k := range kinds {
		for _, e := range es {
			if e.Kind == k {
				return e, true
			}
		}
	}
	return Entry{}, false
}

// nameRun returns the end of a run of capitalised words starting at i that are not dictionary words.
func (c *Coder) nameRun(toks []token, i int, day time.Time) int {
	j := i
	for j < len(toks) && toks[j].word && toks[j].cap && !notNames[toks[j].low] {
		if n, es := c.match(toks, j, day); n > 0 {
			if _, ok := first(es, KindPerson); !ok {
				break
			}
		}
		j++
	}
	return j
}

// mentions finds the actors of a sentence.
func (c *Coder) mentions(toks []token, st *articleState, day time.Time) []mention {
	var ms []mention
	for i := 0; i < len(toks); {
		n, es := c.match(toks, i, day)
		if n == 0 {
			// a bare name: known person, or a pronoun
			if toks[i].word && toks[i].low == "it" && len(ms) > 0 && !ms[0].place && ms[0].actor.State != "" && ms[0].actor.Name == "" {
				// "the Russian Foreign Ministry … and it warned": the sentence's first (collective) actor
				ms = append(ms, mention{a: i, b: i + 1, actor: ms[0].actor, kind: ms[0].kind})
				i++
				continue
			}
			if toks[i].word && (toks[i].low == "he" || toks[i].low == "she") {
				// "Bainimarama has told Wong that he will ...": the sentence's first person, else the focus
				p, ok := st.focus, st.focus.State != ""
				for _, m := range ms {
					if !m.place && m.kind == KindPerson && m.actor.State != "" && m.actor.Name != "" {
						p, ok = m.actor, true
						break
					}
				}
				if ok {
					ms = append(ms, mention{a: i, b: i + 1, actor: p, kind: KindPerson})
					i++
					continue
				}
			}
			if toks[i].word && toks[i].cap && !notNames[toks[i].low] {
				j := c.nameRun(toks, i, day)
				if j > i {
					name := joinToks(toks, i, j)
					if a, ok := c.knownName(toks, i, j, st); ok {
						ms = append(ms, mention{a: i, b: j, actor: a, kind: KindPerson})
					} else {
						_ = name
					}
					i = j
					continue
				}
			}
			i++
			continue
		}
		e, _ := first(es, KindPerson, KindIGO, KindState, KindCapital, KindAdjective, KindTitle, KindAgent)
		if alts, ok := ambiguousNames[joinKey(toks, i, i+n)]; ok && e.Kind == KindState {
			for _, alt := range alts { // "Congo" after "the Democratic Republic of Congo" is that Congo
				if st.seen[alt] {
					e.State, e.Code = alt, alt
					break
				}
			}
		}
		if e.State != "" {
			st.seen[e.State] = true
		}
		switch e.Kind {
		case KindIGO:
			ms = append(ms, mention{a: i, b: i + n, actor: concord.EventActor{Name: e.Name, Code: e.Code}, kind: KindIGO})
			i += n
		case KindPerson:
			a := concord.EventActor{State: e.State, Name: joinToks(toks, i, i+n), Role: e.Role, Code: e.Code}
			if full, ok := st.names[fold(a.Name)]; ok && full.State == a.State {
				a = full
			}
			ms = append(ms, mention{a: i, b: i + n, actor: a, kind: KindPerson})
			c.remember(st, a)
			i += n
		case KindState, KindCapital, KindAdjective:
			j := i + n
			if j < len(toks) && toks[j].low == "'s" {
				j++
			}
			// [state] title... [name]
			role, tcode, k := c.titlesCode(toks, j, day)
			if k > j {
				a := concord.EventActor{State: e.State, Role: role, Code: e.State + tcode}
				if k+1 < len(toks) && toks[k].text == "," && toks[k+1].cap && toks[k+1].word && !notNames[toks[k+1].low] && c.nameRun(toks, k+1, day) > k+1 {
					k++ // "Australian Foreign Affairs Minister, Penny Wong"
				}
				if k < len(toks) && toks[k].cap && toks[k].word && !notNames[toks[k].low] {
					end := c.nameRun(toks, k, day)
					if end > k {
						a.Name = joinToks(toks, k, end)
						k = end
					}
				}
				if a.Name == "" {
					if p, ok := st.byRole[a.State+"|"+fold(a.Role)]; ok {
						a.Name = p.Name
					} else if _, seen := st.anon[lastWord(a.Role)]; !seen && e.Kind == KindAdjective {
						st.anon[lastWord(a.Role)] = a.State
					}
				} else {
					c.remember(st, a)
				}
				ms = append(ms, mention{a: i, b: k, actor: a, kind: KindPerson})
				i = k
				continue
			}
			if e.Kind == KindAdjective {
				i += n
				continue // "Cuban Revolution": an adjective alone is no actor
			}
			place := i > 0 && prepositions[toks[i-1].low] && (e.Kind == KindCapital || placePrepositions[toks[i-1].low])
			if e.Kind == KindCapital && !place {
				ms = append(ms, mention{a: i, b: i + n, actor: concord.EventActor{State: e.State, Role: "government", Code: e.State + "GOV"}, kind: KindCapital})
			} else {
				ms = append(ms, mention{a: i, b: i + n, actor: concord.EventActor{State: e.State, Code: e.Code}, kind: e.Kind, place: place})
			}
			i += n
		case KindTitle, KindAgent:
			// title [,] Name: "President Kenyatta", "Prime Minister, Voreqe Bainimarama"
			role, k := c.titles(toks, i, day)
			if k < len(toks) && toks[k].text == "," {
				k++
			}
			if k < len(toks) && toks[k].cap && toks[k].word && !notNames[toks[k].low] {
				end := c.nameRun(toks, k, day)
				if end > k {
					a, ok := c.knownName(toks, k, end, st)
					if !ok {
						// an official of no named state takes the state of an unnamed
						// official with the same title met earlier ("a Chinese foreign
						// ministry spokesperson said ... Spokesperson Wang Wenbin"), else,
						// in an article datelined in a state, that state ("TEHRAN — ...
						// Ayatollah Khamenei")
						stc := st.placeSt
						if stc == "" {
							stc = st.homeSt
						}
						if s, ok := st.anon[lastWord(role)]; ok {
							stc = s
						}
						a = concord.EventActor{Name: joinToks(toks, k, end), State: stc}
						c.remember(st, concord.EventActor{Name: a.Name, State: a.State, Role: role})
					}
					if a.Role == "" {
						a.Role = role
					}
					// an official of unknown state stays a mention: it blocks falling back on the focus
					ms = append(ms, mention{a: i, b: end, actor: a, kind: KindPerson})
					i = end
					continue
				}
			}
			// "the president" alone: the one person of that title the article has named
			if p, ok := st.definite(role, ms); ok {
				ms = append(ms, mention{a: i, b: k, actor: p, kind: KindPerson})
			} else if e.Kind == KindTitle && i > 0 && (toks[i-1].low == "the" || toks[i-1].low == "a" || toks[i-1].low == "an") {
				ms = append(ms, mention{a: i, b: k, actor: concord.EventActor{Role: role}, kind: KindPerson}) // "The Prime Minister": someone unknown
			}
			i = max(k, i+1)
		default:
			i += n
		}
	}
	return ms
}

// titles reads a run of titles and agents ("State Councilor and Foreign Minister") from i.
func (c *Coder) titles(toks []token, i int, day time.Time) (string, int) {
	r, _, k := c.titlesCode(toks, i, day)
	return r, k
}

// titlesCode is titles with the agent code of the first title ("GOV").
func (c *Coder) titlesCode(toks []token, i int, day time.Time) (string, string, int) {
	var roles []string
	code := ""
	k := i
	for k < len(toks) {
		n, es := c.match(toks, k, day)
		if n == 0 {
			break
		}
		te, ok := first(es, KindTitle, KindAgent)
		if !ok {
			break
		}
		if code == "" {
			code = strings.TrimPrefix(te.Code, "~")
		}
		if _, ok := first(es, KindState, KindCapital, KindIGO); ok && k == i {
			break
		}
		roles = append(roles, joinToks(toks, k, k+n))
		k += n
		if k+1 < len(toks) && toks[k].low == "and" {
			if n2, es2 := c.match(toks, k+1, day); n2 > 0 {
				if _, ok := first(es2, KindTitle); ok {
					roles = append(roles, "and")
					k++
				}
			}
		}
	}
	return strings.Join(roles, " "), code, k
}

// knownName resolves a run of capitalised words as a person met earlier in the article or in the dictionary.
func (c *Coder) knownName(toks []token, i, j int, st *articleState) (concord.EventActor, bool) {
	name := joinToks(toks, i, j)
	if a, ok := st.names[fold(name)]; ok {
		return a, true
	}
	for k := j - 1; k >= i; k-- { // any part: "Díaz-Canel", "Uhuru"
		if a, ok := st.names[toks[k].low]; ok {
			return a, true
		}
	}
	return concord.EventActor{}, false
}

func (c *Coder) remember(st *articleState, a concord.EventActor) {
	if a.Name == "" || a.State == "" {
		return
	}
	st.names[fold(a.Name)] = a
	for _, p := range strings.Fields(a.Name) {
		if len([]rune(p)) >= 4 {
			st.names[fold(p)] = a
		}
	}
	if a.Role != "" {
		st.byRole[a.State+"|"+fold(a.Role)] = a
	}
}

func joinToks(toks []token, i, j int) string {
	if i >= j {
		return ""
	}
	return strings.TrimSpace(strings.Join(func() []string {
		var s []string
		for k := i; k < j; k++ {
			s = append(s, toks[k].text)
		}
		return s
	}(), " "))
}

// ruleAt reports whether rule r's trigger starts at token i, returning the token after it.
func ruleAt(r VerbRule, toks []token, i int) (int, bool) {
	k := i
	for _, p := range r.Trigger {
		for k < len(toks) && !toks[k].word {
			k++
		}
		if k >= len(toks) || !wordMatch(p, toks[k].low) {
			return 0, false
		}
		k++
	}
	for _, p := range r.Not {
		for x := k; x < min(len(toks), k+3); x++ {
			if wordMatch(p, toks[x].low) {
				return 0, false
			}
		}
	}
	if len(r.Needs) == 0 {
		return k, true
	}
	lo, hi := 0, len(toks)
	switch {
	case r.Window > 0:
		lo, hi = k, min(len(toks), k+r.Window)
	case r.Window < 0:
		lo, hi = max(0, i+r.Window), i
	}
	for x := lo; x < hi; x++ {
		for _, p := range r.Needs {
			if wordMatch(p, toks[x].low) {
				return k, true
			}
		}
	}
	return 0, false
}

var speechVerbs = map[string]bool{"said": true, "says": true, "added": true, "stated": true, "told": true, "asserted": true, "noted": true, "stressed": true, "emphasized": true, "emphasised": true}

// codeSentence codes one sentence.
func (c *Coder) codeSentence(a *Article, s Sentence, st *articleState) []concord.Event {
	text := s.Text
	offset := 0
	if dl, ok := findDateline(strings.TrimLeft(text, "*_ "), st.ref); ok && c.stateOf(dl.city, dl.country) != "" {
		offset = len(text) - len(strings.TrimLeft(text, "*_ ")) + dl.end
	}
	toks := tokenize(text[offset:])
	for i := range toks {
		toks[i].start += offset
		toks[i].end += offset
	}
	day, ok, vague := DateIn(text[offset:], st.ref)
	if !ok {
		day = st.day
		if vague {
			day = time.Time{}
		}
	}
	ms := c.mentions(toks, st, day)
	// the speaker: an actor next to a speech verb
	var speaker *mention
	for i := range ms {
		m := &ms[i]
		if m.place || m.actor.State == "" && m.kind != KindIGO {
			continue
		}
		// "X said", or "…,” said X" after a quotation
		if (m.b < len(toks) && speechVerbs[toks[m.b].low]) || (m.a > 1 && speechVerbs[toks[m.a-1].low] && strings.ContainsAny(toks[m.a-2].text, ",”\"")) {
			speaker = m
			break
		}
	}
	if len(ms) == 0 && speaker == nil && st.focus.State == "" {
		return nil
	}
	quoted, quoteWords := quoteSpans(toks)
	var out []concord.Event
	used := map[int]bool{}
	for i := 0; i < len(toks); i++ {
		if !toks[i].word || used[i] {
			continue
		}
		if i > 0 && toks[i].cap && !isSentenceStart(toks, i) {
			continue // a capitalised word inside a sentence is a name: "Japan International Cooperation Agency"
		}
		if negated(toks, i) {
			continue // "shall no longer develop any official relations"
		}
		if quoted[i] && quoteWords[i] <= 4 {
			continue // a characterisation in quotation marks: "unacceptable genocide"
		}
		if future(toks, i) {
			continue // "to attend a meeting", "will visit": not an encounter that happened
		}
		if otherYear(toks, i, st.ref) {
			continue // background: "during a 2016 visit", "lifted the embargo in 2014"
		}
		for _, r := range c.Dict.verbs {
			k, ok := ruleAt(r, toks, i)
			if !ok {
				continue
			}
			for x := i; x < k; x++ {
				used[x] = true
			}
			if e, ok := c.event(a, s, st, toks, ms, speaker, r, i, k, day); ok {
				out = append(out, e)
			}
			break
		}
	}
	// the focus for pronouns in the next sentences: the speaker, else the first person
	if speaker != nil && speaker.actor.State != "" {
		st.focus = speaker.actor
		return out
	}
	for _, m := range ms {
		if !m.place && m.kind == KindPerson && m.actor.State != "" {
			st.focus = m.actor
			break
		}
	}
	return out
}

func (c *Coder) event(a *Article, s Sentence, st *articleState, toks []token, ms []mention, speaker *mention, r VerbRule, i, k int, day time.Time) (concord.Event, bool) {
	var src, tgt *mention
	actorOK := func(m *mention) bool { return !m.place && (m.actor.State != "" || m.kind == KindIGO) }
	// passive or nominal: "signed by X", "warnings from X", "sanctions imposed by X"
	passive := k < len(toks) && (toks[k].low == "by" || toks[k].low == "from" && r.Frame != Visit) ||
		k+1 < len(toks) && strings.HasSuffix(toks[k].low, "ed") && toks[k+1].low == "by"
	bounded := false
	before := func() *mention {
		for x := len(ms) - 1; x >= 0; x-- {
			if ms[x].b <= i && actorOK(&ms[x]) {
				if boundaryBetween(toks, ms[x].b, i) && !antecedent(toks, ms[x].b, i) {
					bounded = true
					return nil // the verb is in a relative clause: "companies involved in arms sales"
				}
				return &ms[x]
			}
		}
		return nil
	}
	if i > 0 && toks[i-1].text == "," && strings.HasSuffix(toks[i].low, "ing") {
		// ", dismissing the claims": the participle's subject is the sentence's
		for x := range ms {
			if ms[x].b <= i && actorOK(&ms[x]) {
				before = func() *mention { return &ms[x] }
				break
			}
		}
	}
	if i > 0 && backgroundWords[toks[i-1].low] {
		return concord.Event{}, false // "the latest sanctions": an earlier event referred to
	}
	quad := QuadClass(r.Code)
	firstObject := false // after() looks for the verb's object: an actor of the source's side ends the search
	after := func(not string) *mention {
		for x := range ms {
			if r.Frame == SVO && coPartner(toks, ms[x].a) {
				continue // "in coordination with the United States": a partner, not the target
			}
			if ms[x].a >= k && boundaryBetween(toks, k, ms[x].a) {
				return nil
			}
			if ms[x].a >= k && quad <= 2 && opponent(toks, ms[x].a) {
				continue // "a coalition against the U.S.": an opponent is no partner of cooperation
			}
			if ms[x].a >= k && r.Frame == Sym && topicTriggers[toks[i].low] && !partnerLinked(toks, ms[x].a) {
				continue // "discussed cooperation in ... United Nations Peacekeeping": a topic, not the partner
			}
			if ms[x].a >= k && r.Frame == SVO && firstObject && objectPosition(toks, k, ms[x].a) && actorOK(&ms[x]) && &ms[x] != speaker && not != "" && ms[x].actor.State != "" && sameSide(ms[x].actor, not) {
				return nil // "lawmakers urged the president to press Vietnam": the object is on the source's side
			}
			if ms[x].a >= k && (actorOK(&ms[x]) || (r.Frame == Visit && ms[x].actor.State != "")) && ms[x].actor.Key() != not {
				return &ms[x]
			}
		}
		return nil
	}
	switch {
	case passive:
		src = after("")
		if src != nil {
			for x := len(ms) - 1; x >= 0; x-- {
				if ms[x].b <= i && actorOK(&ms[x]) && ms[x].actor.Key() != src.actor.Key() {
					tgt = &ms[x]
					break
				}
			}
			if tgt == nil {
				tgt = after(src.actor.Key())
			}
		}
	default:
		src = before()
		if r.Frame == Visit { // the visitor is a person: "Obama ... lifted the embargo for Vietnam during his first visit"
			for x := len(ms) - 1; x >= 0; x-- {
				if ms[x].b <= i && actorOK(&ms[x]) && ms[x].kind == KindPerson {
					src = &ms[x]
					break
				}
			}
		}
		if bounded {
			return concord.Event{}, false // its subject is not an actor we know
		}
		if speaker != nil && (speaker.b <= i || speaker.a >= k && (src == nil || inQuote(toks, i) && !inQuote(toks, speaker.a))) {
			// reported speech: "Khamenei says Iran and Cuba should form a coalition"
			src = speaker
		}
		if src != nil && src == speaker && (quad == 2 || quad == 4) && !firstPerson(toks, i) {
			// a speaker utters statements, but a material act he reports ("Wang said by
			// announcing another arms sale, the United States ...") is his own only
			// when told in the first person ("we are giving Kenya ...")
			return concord.Event{}, false
		}
		unknownSubject := false
		for x := range ms {
			if ms[x].b <= i && ms[x].kind == KindPerson && ms[x].actor.State == "" {
				unknownSubject = true
			}
		}
		if src == nil && st.focus.State != "" && !unknownSubject {
			src = &mention{actor: st.focus, kind: KindPerson, a: -1, b: -1}
		}
		if src == nil {
			return concord.Event{}, false
		}
		if r.Frame == Sym && src == speaker {
			// the speaker's partner named between the speaker and the verb
			for x := range ms {
				if ms[x].a >= speaker.b && ms[x].b <= i && actorOK(&ms[x]) && ms[x].actor.State != src.actor.State {
					tgt = &ms[x]
					break
				}
			}
		}
		if tgt == nil {
			firstObject = true
			tgt = after(src.actor.Key())
			firstObject = false
		}
		if tgt == speaker && speaker != nil {
			tgt = nil
		}
		if tgt == nil && (r.Frame == Sym || r.Frame == SVO) {
			// "Kenya and Tanzania signed": another actor before the verb
			for x := len(ms) - 1; x >= 0; x-- {
				if ms[x].b <= i && actorOK(&ms[x]) && ms[x].actor.Key() != src.actor.Key() && ms[x].actor.State != src.actor.State {
					if r.Frame == Sym {
						src, tgt = &ms[x], src
						break
					}
				}
			}
		}
	}
	if src == nil {
		return concord.Event{}, false
	}
	var tActor concord.EventActor
	if tgt != nil {
		tActor = tgt.actor
		if tgt.place {
			tActor = concord.EventActor{State: tgt.actor.State, Code: tgt.actor.State}
		}
	} else if r.Frame == Visit && st.placeSt != "" {
		tActor = concord.EventActor{State: st.placeSt, Code: st.placeSt}
	} else {
		return concord.Event{}, false
	}
	sActor := src.actor
	if sActor.State == "" && sActor.Name == "" || tActor.State == "" && tActor.Name == "" {
		return concord.Event{}, false
	}
	if sActor.Key() == tActor.Key() || (sActor.State != "" && sActor.State == tActor.State) {
		return concord.Event{}, false
	}
	code := r.Code
	if code == "044" && inPartyState(ms, st, sActor.State, tActor.State) {
		code = "040" // a meeting in one party's state is not one at a third location
	}
	ci, ok := c.Codebook.Lookup(code)
	if !ok {
		return concord.Event{}, false
	}
	e := concord.Event{
		Source: sActor, Target: tActor, Code: code, Root: ci.Root(), QuadClass: ci.QuadClass(), Goldstein: ci.Goldstein,
		Place:    c.sentencePlace(toks, ms, st),
		Evidence: concord.Evidence{Sentence: s.Text, Start: s.Start, End: s.End},
		Article:  concord.ArticleRef{ID: a.ID, URL: a.URL, Title: a.Title},
	}
	if !day.IsZero() && !causeClause(toks, i) {
		e.Date = day.Format("2006-01-02")
	}
	if st.focus.State == "" || src.kind == KindPerson {
		st.focus = sActor
	}
	return e, true
}

// inPartyState reports whether the sentence's place (a capital named after a
// preposition, else the dateline's) is known to be in state a or b: then a
// meeting is CAMEO 040 "consult", not 044 "meet at a third location". An
// unknown place leaves 044, as PETRARCH2's unit sentences expect.
func inPartyState(ms []mention, st *articleState, a, b string) bool {
	ps := st.placeSt
	for _, m := range ms {
		if m.place && m.kind == KindCapital {
			ps = m.actor.State
			break
		}
	}
	return ps != "" && (ps == a || ps == b)
}

// sentencePlace is a capital named after a preposition in the sentence, else the dateline's place.
func (c *Coder) sentencePlace(toks []token, ms []mention, st *articleState) string {
	for _, m := range ms {
		if m.place && m.kind == KindCapital {
			return c.placeOf(joinToks(toks, m.a, m.b), "")
		}
	}
	return st.place
}

var _ = unicode.IsUpper

// ambiguousNames are short names of several states; the one the article has already named wins.
var ambiguousNames = map[string][]string{"congo": {"COD", "COG"}, "korea": {"KOR", "PRK"}, "guinea": {"GIN", "GNB", "GNQ"}}

func joinKey(toks []token, i, j int) string {
	parts := make([]string, 0, j-i)
	for k := i; k < j; k++ {
		parts = append(parts, toks[k].low)
	}
	return strings.Join(parts, " ")
}

// coActor words before "with" make the next actor a partner: "in coordination with", "together with".
var coActor = map[string]bool{"coordination": true, "together": true, "along": true, "conjunction": true, "cooperation": true, "consultation": true, "jointly": true, "alongside": true}

func lastWord(role string) string {
	f := strings.Fields(fold(role))
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// isSentenceStart reports whether token i begins the sentence or a quotation or follows a colon.
func isSentenceStart(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch toks[j].text {
		case "\"", "“", "‘", "'", ":", "*", "(", "—", "-", "--":
			continue
		}
		return false
	}
	return true
}

var negations = map[string]bool{"not": true, "no": true, "never": true, "n't": true, "neither": true, "nor": true, "without": true}

// negated reports whether one of the three words before token i negates it.
func negated(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if negations[toks[j].low] || strings.HasSuffix(toks[j].low, "n't") {
			return true
		}
	}
	return false
}

// inQuote reports whether token i is inside quotation marks.
func inQuote(toks []token, i int) bool {
	open := false
	for j := 0; j < i; j++ {
		switch toks[j].text {
		case "“":
			open = true
		case "”":
			open = false
		case "\"":
			open = !open
		}
	}
	return open
}

// coPartner reports whether the actor at token a follows "in coordination with (the)", "together with" and the like.
func coPartner(toks []token, a int) bool {
	j := a - 1
	if j >= 0 && (toks[j].low == "the" || toks[j].low == "its" || toks[j].low == "their") {
		j--
	}
	return j >= 1 && toks[j].low == "with" && coActor[toks[j-1].low]
}

// quoteSpans tells for each token whether it is inside quotation marks, and the number of words of its quotation.
func quoteSpans(toks []token) (quoted []bool, words []int) {
	quoted, words = make([]bool, len(toks)), make([]int, len(toks))
	open, start, n := false, 0, 0
	for j, t := range toks {
		switch {
		case t.text == "“" || t.text == "\"" && !open:
			open, start, n = true, j, 0
			continue
		case (t.text == "”" || t.text == "\"") && open:
			for k := start; k < j; k++ {
				words[k] = n
			}
			open = false
			continue
		}
		quoted[j] = open
		if open && t.word {
			n++
		}
	}
	if open {
		for k := start; k < len(toks); k++ {
			words[k] = n
		}
	}
	return quoted, words
}

func isQuote(s string) bool { return s == "\"" || s == "“" || s == "”" }

// otherYear reports whether a year other than the reference year is written within five words of token i.
func otherYear(toks []token, i int, ref time.Time) bool {
	if ref.IsZero() {
		return false
	}
	for j := max(0, i-5); j < min(len(toks), i+6); j++ {
		t := toks[j].text
		if len(t) == 4 && (strings.HasPrefix(t, "19") || strings.HasPrefix(t, "20")) && t[2] >= '0' && t[2] <= '9' && t[3] >= '0' && t[3] <= '9' && t != strconv.Itoa(ref.Year()) {
			return true
		}
	}
	return false
}

// clauseBoundaries end the phrase around a verb: relative clauses and lists.
var clauseBoundaries = map[string]bool{"who": true, "which": true, "whose": true, "involved": true, ";": true}

func boundaryBetween(toks []token, a, b int) bool {
	for j := a; j < b && j < len(toks); j++ {
		if clauseBoundaries[toks[j].low] {
			return true
		}
	}
	return false
}

// backgroundWords before a nominal trigger make it a reference to an earlier event.
var backgroundWords = map[string]bool{"latest": true, "previous": true, "earlier": true, "past": true, "former": true, "existing": true}

// antecedent reports whether the actor ending at token b is the subject of a
// relative clause that holds the verb at i: "Díaz-Canel, who is in Tehran on a visit".
func antecedent(toks []token, b, i int) bool {
	j := b
	if j < len(toks) && toks[j].text == "," {
		j++
	}
	if j >= len(toks) || (toks[j].low != "who" && toks[j].low != "which") {
		return false
	}
	return !boundaryBetween(toks, j+1, i)
}

// opponent reports whether the actor at token a follows "against" (with at most an article or adjective between).
func opponent(toks []token, a int) bool {
	for j := a - 1; j >= 0 && j >= a-3; j-- {
		if toks[j].low == "against" {
			return true
		}
		if !toks[j].word || toks[j].low == "with" || toks[j].low == "and" {
			return false
		}
	}
	return false
}

// topicTriggers are meeting words whose object is what was discussed: the partner comes after "with" or "between".
var topicTriggers = map[string]bool{"discussed": true, "discuss": true, "discusses": true, "discussing": true, "talks": true, "conferred": true}

// partnerLinked reports whether the actor at token a is introduced as a partner: "with", "between" or "among" at most three words before it.
func partnerLinked(toks []token, a int) bool {
	for j := a - 1; j >= 0 && j >= a-3; j-- {
		switch toks[j].low {
		case "with", "between", "among":
			return true
		}
	}
	return false
}

// sameSide reports whether actor a belongs to the side whose key is key (the same state or organisation).
func sameSide(a concord.EventActor, key string) bool {
	return a.Key() == key || a.State != "" && a.State == key
}

// firstPerson reports whether "we", "I", "us" or "our" comes before token i in the sentence.
func firstPerson(toks []token, i int) bool {
	for j := 0; j < i; j++ {
		switch toks[j].low {
		case "we", "i", "us", "our":
			return true
		}
	}
	return false
}

// causePhrases introduce an earlier event as the cause of the one reported: its day is not the sentence's.
var causePhrases = [][]string{{"in", "response", "to"}, {"in", "reaction", "to"}, {"in", "retaliation", "for"}, {"following"}, {"amid"}, {"despite"}}

// causeClause reports whether token i is inside a phrase introduced by a cause phrase ("in response to a query about the US arms sales") not closed by a comma.
func causeClause(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch toks[j].text {
		case ",", ";", ":", "—":
			return false
		}
		for _, p := range causePhrases {
			if j+len(p) <= i && toks[j].low == p[0] {
				ok := true
				for x := 1; x < len(p); x++ {
					if toks[j+x].low != p[x] {
						ok = false
						break
					}
				}
				if ok {
					return true
				}
			}
		}
	}
	return false
}

// definite resolves a title used alone ("the Prime Minister") as a person the
// article has named with that title: the only one; among several, one of the
// state of an actor already named in the sentence ("U.S. lawmakers urged the
// president"), else the focus when its title agrees.
func (st *articleState) definite(role string, ms []mention) (concord.EventActor, bool) {
	var keys []string
	for k := range st.byRole {
		if _, r, _ := strings.Cut(k, "|"); r == fold(role) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // the same answer on every run
	cands := make([]concord.EventActor, len(keys))
	for i, k := range keys {
		cands[i] = st.byRole[k]
	}
	if len(cands) == 1 {
		return cands[0], true
	}
	for _, m := range ms {
		for _, p := range cands {
			if !m.place && m.actor.State != "" && m.actor.State == p.State {
				return p, true
			}
		}
	}
	if strings.EqualFold(role, st.focus.Role) && st.focus.State != "" {
		return st.focus, true
	}
	return concord.EventActor{}, false
}

// objectWords may stand between a verb and its object's name: articles and possessives.
var objectWords = map[string]bool{"the": true, "a": true, "an": true, "its": true, "his": true, "her": true, "their": true, "own": true}

// objectPosition reports whether the mention at token a is the object of the verb ending at token k: only articles, possessives or capitalised words between.
func objectPosition(toks []token, k, a int) bool {
	if a < k || a-k > 3 {
		return false
	}
	for j := k; j < a; j++ {
		if !objectWords[toks[j].low] && !(toks[j].word && toks[j].cap) {
			return false
		}
	}
	return a < len(toks) && toks[a].low != "it"
}

// genericTLDs are country-code domains widely used as generic ones (.tv, .io, .fm ...): they say nothing of an outlet's state.
var genericTLDs = map[string]bool{"tv": true, "io": true, "me": true, "co": true, "fm": true, "ai": true, "ly": true, "to": true, "cc": true,
	"ws": true, "nu": true, "gg": true, "am": true, "im": true, "la": true, "vc": true, "tk": true, "ml": true, "ga": true, "cf": true, "gq": true, "ag": true, "sh": true, "is": true, "it": true}

// homeState is the state of an article's outlet as its address's country-code
// top-level domain tells (www.fbcnews.com.fj → FJI), or "" for generic domains.
// Local news names its own officials without their nationality ("Prime
// Minister, Voreqe Bainimarama"): without a dateline, they are taken to be
// the outlet's state's.
func homeState(address string) string {
	u, err := url.Parse(address)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	h := u.Hostname()
	tld := strings.ToLower(h[strings.LastIndexByte(h, '.')+1:])
	if len(tld) != 2 || genericTLDs[tld] {
		return ""
	}
	if tld == "uk" {
		tld = "gb"
	}
	s, ok := countries.ByISO2(strings.ToUpper(tld))
	if !ok {
		return ""
	}
	return s.Code
}

// futureMarkers before a word of encounter make it planned, not done: "will visit", "to attend meeting".
var futureMarkers = map[string]bool{"to": true, "will": true, "would": true, "shall": true, "'ll": true}

// encounterWords are the triggers of meetings, visits and hosting (CAMEO 04).
var encounterWords = map[string]bool{"meet": true, "meeting": true, "meetings": true, "visit": true, "host": true, "talks": true, "summit": true, "receive": true, "welcome": true}

// future reports whether the encounter word at token i is planned: a future marker right before it, or before "attend", "hold" or "have" and an article.
func future(toks []token, i int) bool {
	if !encounterWords[toks[i].low] {
		return false
	}
	j := i - 1
	for j >= 0 && (toks[j].low == "a" || toks[j].low == "an" || toks[j].low == "the" || toks[j].low == "bilateral" || toks[j].low == "official" || toks[j].low == "state") {
		j--
	}
	if j >= 0 && (toks[j].low == "attend" || toks[j].low == "hold" || toks[j].low == "have" || toks[j].low == "pay" || toks[j].low == "make") {
		j--
	}
	return j >= 0 && futureMarkers[toks[j].low]
}
