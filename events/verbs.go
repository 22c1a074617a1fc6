package events

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Frame says how a verb rule finds its actors.
type Frame int

// Frames of verb rules.
const (
	SVO   Frame = iota // source before the verb, target after it ("Iran accused Britain")
	Sym                // two actors of different states anywhere around the verb ("talks between Kenya and Tanzania")
	Visit              // the visitor before the verb, the host after it or the state of the place named
)

// VerbRule codes an event: when the trigger occurs in a sentence, and one of
// Needs (if any) occurs within Window words after it (or anywhere in the
// sentence when Window is 0), the event gets Code.
type VerbRule struct {
	Code    string
	Trigger []string // folded words in sequence; a word ending in '*' matches as a prefix
	Needs   []string // any of these words (same syntax) must occur near the trigger
	Window  int      // how many words after the trigger Needs may be; negative: before it; 0: anywhere in the sentence
	Not     []string // none of these words may follow the trigger within 3 words
	Frame   Frame
}

// builtinVerbRules is concord's verb table: code | triggers (comma-separated,
// each a word sequence) | needs | window | not | frame. More specific rules
// come first: for each trigger word, the first rule that matches wins.
const builtinVerbRules = `
016|reject*,dismiss*,den*,rebuff*|accusation*,allegation*,claim*,charge*,narrative*,blam*|8||svo
085|lift*,eas*,remov*|embargo*,sanction*,ban,restrictions|8||svo
1312|countermeasure*,counter-measure*,retaliat*|||svo
163|sanction,sanctioned,sanctioning|||svo
163|impose*,imposed,slap*|sanction*,embargo*,tariff*,penalt*|6||svo
163|sanctions|new,fresh,additional,further,more,announc*,adopt*,unveil*,introduc*,impos*|-3||svo
114|summon*|ambassador*,envoy*,diplomat*,charge|8||svo
114|protest,protested,protests,protesting|||svo
112|accus*,blam*|||svo
111|criticiz*,criticis*,condemn*,denounc*,deplor*,slam*,rebuk*,decr*,oppos*,bully*,bullied|||svo
111|concern,concerns|voic*,express*,rais*|-3||svo
130|threat*,warn*|||svo
130|consequences|serious,severe,grave|0||svo
139|ultimatum*|||svo
057|sign,signs,signed,signing|agreement*,pact*,accord*,memorand*,communique*,mou*,treat*,deal*,protocol*,convention*,declaration*|0||sym
043|receiv*,host*,welcom*|||svo
042|visit,visits,visited,visiting,arriv*,toured|||visit
036|invit*|||svo
044|meeting,meetings,met,meet,meets,talks,summit,discussed,conferred|||sym
040|consult*,held talks|||sym
051|thank*,prais*,commend*,laud*,hail*,appreciat*,congratulat*,acknowledg*|||svo
051|recogniz*,recognis*|one,sole,legitimate|0||svo
054|recogniz*,recognis*|||sym
030|form*,set up,build*,creat*,establish*|coalition*,alliance*,partnership*|4||sym
030|cooperat*,cooperation,co-operat*,collaborat*,partnership|agree*,will,would,should,must,hope*,pledg*,vow*,seek*,commit*,promis*,decid*,continue,further,expand,expanding,deepen,deepening,enhance,enhancing|-6||sym
030|work closely,deepen*,strengthen*,bolster*,promot*,develop,develops,developed|relation*,ties,cooperation,partnership|5||sym
030|agreed to,agree to|||sym
023|request*,ask* for|||svo
020|urg*,appeal*,call* on,call* upon|||svo
073|deliver*,provid*,donat*,sent,send*,arriv*|relief,humanitarian,emergency,supplies|0||svo
070|aid,assistance,giving,gave,give,donat*|||svo
062|sell*,sold,sale,sales|arm*,weapon*,military,equipment|0||svo
161|sever*,break* off,broke off,cut*|relation*,ties|4||svo
1663|expel*|diplomat*,ambassador*,envoy*|6||svo
100|demand*|||svo
120|reject*,rebuff*,refus*|||svo
090|investigat*,probe*,inquiry|||svo
140|demonstrat*,rall*,boycott*,strike*|protest*,demonstrat*,boycott*|0||svo
150|mobiliz*,mobilis*,deploy*|troop*,forces,military,army|6||svo
173|arrest*,detain*,seiz*|||svo
180|assault*,abduct*|||svo
190|attacked,attacking,bombed,bombing,shelled,shelling,invaded,invading,airstrike*,air strike*,clashed|||svo
200|massacr*,genocide,ethnic cleansing|||svo
`

// builtinVerbs parses builtinVerbRules.
func builtinVerbs() []VerbRule {
	var rules []VerbRule
	for _, line := range strings.Split(strings.TrimSpace(builtinVerbRules), "\n") {
		f := strings.Split(line, "|")
		r := VerbRule{Code: f[0], Needs: splitList(f[2])}
		if len(f) > 5 {
			r.Not = splitList(f[4])
		}
		fmt.Sscan(f[3], &r.Window)
		switch f[len(f)-1] {
		case "sym":
			r.Frame = Sym
		case "visit":
			r.Frame = Visit
		}
		for _, t := range splitList(f[1]) {
			rr := r
			rr.Trigger = strings.Fields(t)
			rules = append(rules, rr)
		}
	}
	return rules
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// wordMatch reports whether the folded word w matches pattern p ("sign*" is a prefix).
func wordMatch(p, w string) bool {
	if strings.HasSuffix(p, "*") {
		return strings.HasPrefix(w, p[:len(p)-1])
	}
	return p == w
}

// Verbs returns the dictionary's verb rules.
func (d *Dictionary) Verbs() []VerbRule { return d.verbs }

var petrVerbHead = regexp.MustCompile(`^---\s+(\S+)\s+\[([^\]]*)\]\s+---`)

// LoadPetrarchVerbs reads a PETRARCH2 verb dictionary (CAMEO.2.0.txt or
// PETR.Validate.verbs.txt, gzip accepted) into verb rules, replacing the
// dictionary's built-in ones. A block "--- NAME [code] ---" lists verbs
// (regular forms -s, -ed, -ing are generated; irregular ones are in braces)
// and patterns "- words * words [code]". concord reads each pattern as: the
// verb, and the first word of the pattern after "*" (synsets "&X" expanded)
// within 6 words after it; words before "*" are ignored. The block's own code,
// when it has one, applies to the bare verb. This is a reading without a
// parse tree, so it codes less precisely than PETRARCH2 itself.
func (d *Dictionary) LoadPetrarchVerbs(path string) error {
	f, err := openMaybeGzip(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rules, err := ReadPetrarchVerbs(f, path)
	if err != nil {
		return err
	}
	d.verbs = rules
	return nil
}

// ReadPetrarchVerbs reads verb rules as [Dictionary.LoadPetrarchVerbs] does; name is used in error messages.
func ReadPetrarchVerbs(r io.Reader, name string) ([]VerbRule, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	synsets := map[string][]string{}
	var cur string // current synset
	var verbs []string
	var blockCode string
	var pats, bare []VerbRule
	inBlock := false
	flushBlock := func() {
		for _, v := range verbs {
			for _, p := range pats {
				p.Trigger = strings.Fields(v)
				bare = append(bare, p)
			}
		}
		if blockCode != "" {
			for _, v := range verbs {
				bare = append(bare, VerbRule{Code: blockCode, Trigger: strings.Fields(v), Frame: SVO})
			}
		}
		verbs, pats, blockCode = nil, nil, ""
	}
	var withPattern, plain []VerbRule
	line := 0
	inComment := false
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if inComment {
			if strings.Contains(t, "-->") {
				inComment = false
			}
			continue
		}
		if strings.HasPrefix(t, "<!--") {
			inComment = !strings.Contains(t, "-->")
			continue
		}
		t = stripComment(t)
		if t == "" {
			cur = ""
			continue
		}
		if m := petrVerbHead.FindStringSubmatch(t); m != nil {
			flushBlock()
			inBlock = true
			cur = ""
			if c := strings.TrimSpace(m[2]); QuadClass(c) != 0 {
				blockCode = strings.SplitN(c, ":", 2)[0]
			}
			continue
		}
		if strings.HasPrefix(t, "&") {
			cur = strings.Fields(t)[0]
			inBlock = false
			continue
		}
		if strings.HasPrefix(t, "+") && cur != "" {
			synsets[cur] = append(synsets[cur], strings.ReplaceAll(strings.TrimPrefix(t, "+"), "_", " "))
			continue
		}
		if !inBlock {
			continue
		}
		if strings.HasPrefix(t, "-") {
			m := regexp.MustCompile(`\[([^\]]*)\]`).FindStringSubmatch(t)
			if m == nil {
				return nil, fmt.Errorf("%s:%d: pattern without a [code]", name, line)
			}
			code := strings.SplitN(strings.TrimSpace(m[1]), ":", 2)[0]
			if QuadClass(code) == 0 { // "[---]" and the unit tests' markers "[+++]", "[###]"
				continue
			}
			pat := t[1:strings.Index(t, "[")]
			_, after, ok := strings.Cut(pat, "*")
			if !ok {
				continue
			}
			words := strings.Fields(strings.NewReplacer("(", " ", ")", " ", "{", " ", "}", " ", "_", " ", "$", " ", "+", " ", "%", " ").Replace(after))
			if len(words) == 0 {
				continue
			}
			first := words[0]
			var needs []string
			if strings.HasPrefix(first, "&") {
				for _, s := range synsets[first] {
					needs = append(needs, fold(strings.Fields(s)[0]))
				}
			} else {
				needs = []string{fold(first)}
			}
			if len(needs) == 0 {
				continue
			}
			pats = append(pats, VerbRule{Code: code, Needs: needs, Window: 6, Frame: SVO})
			continue
		}
		// a verb line: VERB or VERB {IRREGULAR FORMS}
		v := t
		var irr []string
		if i := strings.Index(v, "{"); i >= 0 {
			if j := strings.Index(v, "}"); j > i {
				irr = strings.Fields(v[i+1 : j])
			}
			v = v[:i]
		}
		v = fold(strings.ReplaceAll(strings.TrimSpace(v), "_", " "))
		if v == "" {
			continue
		}
		verbs = append(verbs, inflections(v)...)
		for _, x := range irr {
			verbs = append(verbs, fold(strings.ReplaceAll(x, "_", " ")))
		}
	}
	flushBlock()
	for _, r := range bare {
		if len(r.Needs) > 0 {
			withPattern = append(withPattern, r)
		} else {
			plain = append(plain, r)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return append(withPattern, plain...), nil
}

// inflections returns the regular forms of a verb phrase whose first word is the verb.
func inflections(v string) []string {
	w := strings.Fields(v)
	head, rest := w[0], strings.Join(w[1:], " ")
	join := func(h string) string {
		if rest == "" {
			return h
		}
		return h + " " + rest
	}
	forms := []string{head}
	stem := strings.TrimSuffix(head, "e")
	switch {
	case strings.HasSuffix(head, "y") && len(head) > 2 && !strings.ContainsAny(head[len(head)-2:len(head)-1], "aeiou"):
		forms = append(forms, head[:len(head)-1]+"ies", head[:len(head)-1]+"ied", head+"ing")
	case strings.HasSuffix(head, "s") || strings.HasSuffix(head, "sh") || strings.HasSuffix(head, "ch") || strings.HasSuffix(head, "x"):
		forms = append(forms, head+"es", head+"ed", head+"ing")
	case strings.HasSuffix(head, "e"):
		forms = append(forms, head+"s", head+"d", stem+"ing")
	default:
		forms = append(forms, head+"s", head+"ed", head+"ing")
	}
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = join(f)
	}
	return out
}

// stripComment removes a '#' comment that is not inside square brackets.
func stripComment(t string) string {
	depth := 0
	for i, r := range t {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '#':
			if depth == 0 {
				return strings.TrimSpace(t[:i])
			}
		}
	}
	return t
}
