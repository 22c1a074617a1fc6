package countries

import (
	"strings"
	"unicode"
)

// fold maps accented Latin letters (already lower case) to ASCII.
var fold = func() map[rune]string {
	m := map[rune]string{}
	for to, from := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđð", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő", "r": "ŕŗř",
		"s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ",
		"y": "ýÿŷ", "z": "źżž", "ae": "æ", "oe": "œ", "ss": "ß", "th": "þ",
	} {
		for _, r := range from {
			m[r] = to
		}
	}
	return m
}()

// abbreviations are words expanded before names are compared.
var abbreviations = map[string]string{
	"st": "saint", "ste": "sainte", "rep": "republic", "dem": "democratic",
	"fed": "federal", "sts": "states",
}

// normalize reduces a name to the form names are compared in: lower case,
// accents folded, apostrophes dropped, '&' read as "and", any other
// punctuation read as a space, abbreviations (St., Rep., Dem., Fed., Sts.)
// expanded and the words "the" and "of" left out. "Côte d’Ivoire" and
// "Cote d'Ivoire" both read "cote divoire"; "St. Kitts & Nevis" and
// "Saint Kitts and Nevis" both read "saint kitts and nevis".
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == '´' || r == 'ʼ':
			// dropped: "People's" reads "peoples"
		case r == '&':
			b.WriteString(" and ")
		case fold[r] != "":
			b.WriteString(fold[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	out := words[:0]
	for _, w := range words {
		if w == "the" || w == "of" {
			continue
		}
		if long, ok := abbreviations[w]; ok {
			w = long
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// inversions returns the reorderings of a name written back to front:
// "Korea, Republic of" gives "Republic of Korea", and
// "Iran (Islamic Republic of)" gives "Islamic Republic of Iran".
func inversions(s string) []string {
	var out []string
	if head, tail, ok := strings.Cut(s, ","); ok {
		out = append(out, tail+" "+head)
	}
	if open := strings.IndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") {
		out = append(out, s[open+1:len(s)-1]+" "+s[:open])
	}
	return out
}
