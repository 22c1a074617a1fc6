package events

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or punctuation mark of a sentence with its byte offsets in the sentence.
type token struct {
	text       string // as written
	low        string // lower case, curly apostrophe folded to '
	start, end int
	word       bool // letters or digits
	cap        bool // starts with an upper-case letter
}

// abbreviations keep their final full stop inside the token.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "lt": true, "col": true, "sen": true,
	"rep": true, "gov": true, "jan": true, "feb": true, "aug": true, "sept": true, "sep": true, "oct": true, "nov": true,
	"dec": true, "no": true, "vs": true, "jr": true, "sr": true, "prof": true, "maj": true, "capt": true, "sgt": true,
	"adm": true, "corp": true, "inc": true, "co": true, "ltd": true, "p.m": true, "a.m": true, "u.s": true, "u.k": true,
	"u.n": true, "e.u": true, "u.s.a": true,
}

// tokenize splits s into words and punctuation. Words keep inner hyphens,
// apostrophes and full stops ("Díaz-Canel", "N'Djamena", "U.S."); a possessive
// "'s" becomes a token of its own.
func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		if !isWordRune(r) {
			toks = append(toks, mkToken(s, i, i+w, false))
			i += w
			continue
		}
		j := i
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				j += w
				continue
			}
			if (r == '-' || r == '.' || r == '\'' || r == '’') && j+w < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[j+w:])
				if isWordRune(r2) {
					j += w
					continue
				}
			}
			break
		}
		word := s[i:j]
		// possessive 's
		if k := possessive(word); k > 0 {
			toks = append(toks, mkToken(s, i, i+k, true), mkToken(s, i+k, j, true))
			toks[len(toks)-1].word = false
			i = j
			continue
		}
		// a final full stop that belongs to an abbreviation or an initial
		if j < len(s) && s[j] == '.' {
			low := strings.ToLower(word)
			if abbreviations[low] || (utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0])) || strings.Contains(word, ".") {
				j++
			}
		}
		toks = append(toks, mkToken(s, i, j, true))
		i = j
	}
	return toks
}

func possessive(w string) int {
	for _, suf := range []string{"'s", "’s", "'S"} {
		if len(w) > len(suf) && strings.HasSuffix(w, suf) {
			return len(w) - len(suf)
		}
	}
	return 0
}

func mkToken(s string, i, j int, word bool) token {
	t := s[i:j]
	r, _ := utf8.DecodeRuneInString(t)
	return token{text: t, low: fold(t), start: i, end: j, word: word, cap: unicode.IsUpper(r)}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold lower-cases s and writes the curly apostrophe as a straight one.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "’", "'")
}

// phraseKey is the dictionary key of a phrase: its tokens' folded forms joined by spaces.
func phraseKey(s string) string {
	toks := tokenize(s)
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		parts = append(parts, t.low)
	}
	return strings.Join(parts, " ")
}

// Sentence is a span of an article's text.
type Sentence struct {
	Start, End int // byte offsets in the text
	Text       string
}

// SplitSentences splits text into sentences: at line breaks, and after '.', '!'
// or '?' (and any closing quotes or brackets) followed by a space and an
// upper-case letter, a digit or an opening quote — unless the full stop ends a
// known abbreviation ("Mr.", "Gen.", "U.S.") or an initial ("George W. Bush").
func SplitSentences(text string) []Sentence {
	var out []Sentence
	add := func(a, b int) {
		for a < b {
			r, w := utf8.DecodeRuneInString(text[a:])
			if !unicode.IsSpace(r) {
				break
			}
			a += w
		}
		for b > a {
			r, w := utf8.DecodeLastRuneInString(text[a:b])
			if !unicode.IsSpace(r) {
				break
			}
			b -= w
		}
		if b > a {
			out = append(out, Sentence{Start: a, End: b, Text: text[a:b]})
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			add(start, i)
			start = i + w
			i += w
			continue
		}
		if r == '.' || r == '!' || r == '?' {
			j := i + w
			for j < len(text) {
				r2, w2 := utf8.DecodeRuneInString(text[j:])
				if strings.ContainsRune("\"'”’)]*", r2) {
					j += w2
					continue
				}
				break
			}
			if j < len(text) && text[j] == ' ' {
				k := j
				for k < len(text) && text[k] == ' ' {
					k++
				}
				r3, _ := utf8.DecodeRuneInString(text[k:])
				if k < len(text) && (unicode.IsUpper(r3) || unicode.IsDigit(r3) || r3 == '"' || r3 == '“' || r3 == '\'' || r3 == '‘') && !(r == '.' && endsAbbrev(text[start:i])) {
					add(start, j)
					start = j
					i = j
					continue
				}
			}
		}
		i += w
	}
	add(start, len(text))
	return out
}

// endsAbbrev reports whether s (text before a full stop) ends with an abbreviation or an initial.
func endsAbbrev(s string) bool {
	k := len(s)
	for k > 0 {
		r, w := utf8.DecodeLastRuneInString(s[:k])
		if !(isWordRune(r) || r == '.') {
			break
		}
		k -= w
	}
	word := s[k:]
	if word == "" {
		return false
	}
	if abbreviations[strings.ToLower(word)] || strings.Contains(word, ".") {
		return true
	}
	return utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0])
}
