package rules

import (
	"strings"
	"unicode/utf8"
)

// term is one search word or phrase of a rule, normalised. By default it
// matches anywhere, also inside a compound word ("lizenz" in
// "Softwarelizenzen"). A leading "^" makes it match only at the start of
// a word, a trailing "$" only at the end.
//
// Two more forms cover German word order and synonyms:
//   - "hängt … ^auf$" (also with "..."): the parts occur in this order in
//     one sentence, at most maxGap bytes apart, for split verbs such as
//     "hängt sich beim Speichern auf";
//   - "zusätzlich | ^zweite": either alternative matches, which lets one
//     entry of all stand for a group of words.
type term struct {
	text string   // the term as normalised, for showing which one matched
	alts [][]part // alternatives, each a sequence of parts
}

// part is one word or phrase of a term.
type part struct {
	text       string
	start, end bool
	pairs      []uint16 // pairHash of each two adjacent bytes of text
}

// maxGap is how far apart, in bytes of normalised text, the parts of a
// term with "…" may be: about eight words.
const maxGap = 60

func compileTerm(s string) (term, bool) {
	var t term
	var display []string
	for _, alt := range strings.Split(s, "|") {
		var seq []part
		for _, p := range strings.Split(strings.ReplaceAll(alt, "...", "…"), "…") {
			if p, ok := compilePart(p); ok {
				seq = append(seq, p)
			}
		}
		if len(seq) == 0 {
			continue
		}
		t.alts = append(t.alts, seq)
		words := make([]string, len(seq))
		for i, p := range seq {
			words[i] = p.text
		}
		display = append(display, strings.Join(words, " … "))
	}
	t.text = strings.Join(display, " | ")
	return t, len(t.alts) > 0
}

func compilePart(s string) (part, bool) {
	var p part
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "^") {
		p.start, s = true, s[1:]
	}
	if strings.HasSuffix(s, "$") {
		p.end, s = true, s[:len(s)-1]
	}
	p.text = Normalize(s)
	p.pairs = pairsOf(p.text)
	return p, p.text != ""
}

// index returns where t first occurs in the normalised text, or -1.
func (t term) index(text string) int { return t.find(text, false) }

// match returns where t first occurs in the normalised text without
// being negated there (see negated), or -1. Conditions use it.
func (t term) match(text string) int { return t.find(text, true) }

func (t term) find(text string, skipNegated bool) int {
	best := -1
	for _, seq := range t.alts {
		if i := seqIndex(text, seq, skipNegated); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// seqIndex returns where the parts of seq first occur in order, each
// within maxGap of the one before and in the same sentence, or -1. With
// skipNegated, an occurrence whose first part is negated does not count.
func seqIndex(text string, seq []part, skipNegated bool) int {
	for from := 0; from <= len(text); {
		i, end := seq[0].index(text, from)
		if i < 0 {
			return -1
		}
		if !(skipNegated && negated(text, i, end)) && followsWithin(text, end, seq[1:]) {
			return i
		}
		from = i + 1
	}
	return -1
}

// followsWithin reports whether rest follows text[at:] part by part.
func followsWithin(text string, at int, rest []part) bool {
	if len(rest) == 0 {
		return true
	}
	limit := min(len(text), at+maxGap+len(rest[0].text))
	if stop := sentenceEnd(text[at:limit]); stop >= 0 {
		limit = at + stop
	}
	for from := at; ; {
		j, end := rest[0].index(text[:limit], from)
		if j < 0 {
			return false
		}
		if followsWithin(text, end, rest[1:]) {
			return true
		}
		from = j + 1
	}
}

// sentenceEnd returns the index of the first ". ", "! ", "? " or "; " in
// s, or -1.
func sentenceEnd(s string) int {
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case '.', '!', '?', ';':
			if s[i+1] == ' ' {
				return i
			}
		}
	}
	return -1
}

// index returns the first occurrence of p in text at or after from, and
// its end, or -1.
func (p part) index(text string, from int) (int, int) {
	for from <= len(text) {
		i := strings.Index(text[from:], p.text)
		if i < 0 {
			return -1, -1
		}
		i += from
		end := i + len(p.text)
		if (!p.start || i == 0 || !isWordRune(lastRune(text[:i]))) &&
			(!p.end || end == len(text) || !isWordRune(firstRune(text[end:]))) {
			return i, end
		}
		from = i + 1
	}
	return -1, -1
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// firstMatch returns the first of terms found in text, and whether any is.
// pairs is the pair set of text, or nil.
func firstMatch(text string, pairs *pairSet, terms []term) (string, bool) {
	for _, t := range terms {
		if t.mayOccur(pairs) && t.match(text) >= 0 {
			return t.text, true
		}
	}
	return "", false
}
