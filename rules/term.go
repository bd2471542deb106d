package rules

import (
	"strings"
	"unicode/utf8"
)

// term is one search word or phrase of a rule, normalised. By default it
// matches anywhere, also inside a compound word ("lizenz" in
// "Softwarelizenzen"). A leading "^" makes it match only at the start of
// a word, a trailing "$" only at the end.
type term struct {
	text       string
	start, end bool
}

func compileTerm(s string) (term, bool) {
	var t term
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "^") {
		t.start, s = true, s[1:]
	}
	if strings.HasSuffix(s, "$") {
		t.end, s = true, s[:len(s)-1]
	}
	t.text = Normalize(s)
	return t, t.text != ""
}

// index returns where t first occurs in the normalised text, or -1.
func (t term) index(text string) int {
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], t.text)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(t.text)
		if (!t.start || i == 0 || !isWordRune(lastRune(text[:i]))) &&
			(!t.end || end == len(text) || !isWordRune(firstRune(text[end:]))) {
			return i
		}
		from = i + 1
	}
	return -1
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// firstMatch returns the first of terms found in text, and whether any is.
func firstMatch(text string, terms []term) (string, bool) {
	for _, t := range terms {
		if t.index(text) >= 0 {
			return t.text, true
		}
	}
	return "", false
}
