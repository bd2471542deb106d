package rules

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Negation: a term that the mail negates ("ohne Sondersoftware", "keine
// Zusatzlizenzen", "weder Smartphone noch Tablet", "Sondersoftware wird
// nicht benötigt") is no match. Only a negation word that governs the
// term counts, not any "nicht" nearby, so "Drucker druckt nicht" stays a
// fault, and a term that holds the negation word itself ("kein ton",
// "druckt nicht") matches as written. The reading is a heuristic on the
// normalised text; docs/rules.md describes it.

// Limits of a negation's reach, in words.
const (
	// maxBack is how far back from a term a governing word is looked for.
	maxBack = 12
	// maxFirstItem is how far into the first item after "ohne", "kein" or
	// "weder" a term may start ("ohne die neue Software").
	maxFirstItem = 3
	// maxLaterItem is how far into a later item of a list ("ohne A, B und
	// C") a term may start, and how long the other items may be.
	maxLaterItem = 2
	// maxNicht is how far after "nicht" a term may start ("nicht die
	// Sondersoftware").
	maxNicht = 2
	// maxAfter is how many words after a term may hold "nicht nötig" and
	// the like ("Sondersoftware wird auch nicht benötigt").
	maxAfter = 5
)

// word is one word of normalised text, with flags for the separators
// between it and the neighbouring word nearer to the term.
type word struct {
	text  string
	start int  // byte offset in the text
	comma bool // a comma or slash stands before it
	stop  bool // a clause ends before it (. ! ? ; : brackets)
	colon bool // the clause ends with a colon
	slash bool // a slash joins it to the word after: "Smartphones/Tablets"
}

// negated reports whether the match text[i:end] of a term is negated in
// its clause.
func negated(text string, i, end int) bool {
	return negatedBefore(text, i) || negatedAfter(text, end)
}

// negatedBefore looks back from the word holding byte i for a negation
// word whose reach covers it. "ohne", "kein…" and "weder" reach a few
// words and across a short list ("ohne A, B und C"); "nicht" reaches only
// the next two words of its item.
func negatedBefore(text string, i int) bool {
	ws := wordsBefore(text, wordStart(text, i), maxBack)
	n := 1 // words of the current item up to the term, its own included
	items := 1
	crossed, conj := false, false
	// endItem closes the current item at a comma or list word; it fails
	// when the items are too long to be one list.
	endItem := func() bool {
		if n > maxLaterItem {
			return false
		}
		if items == 1 && n == 2 && strings.HasSuffix(ws[0].text, "t") {
			// "… und meldet Fehler": a verb, not a list item.
			return false
		}
		items, n = items+1, 0
		return true
	}
	for k, w := range ws {
		// w's flags describe the separators between w and the term side.
		if w.stop {
			return false
		}
		if w.comma {
			if !endItem() {
				return false
			}
			crossed, conj = true, conj || w.slash
		}
		switch {
		case stopWords[w.text]:
			return false
		case w.text == "nicht":
			if items == 1 && n <= maxNicht {
				return true
			}
		case isNegator(w.text):
			if n > maxFirstItem {
				return false
			}
			if w.text == "ohne" && k > 0 && (ws[k-1].text == "dass" || ws[k-1].text == "zu") {
				return false // "ohne dass …" negates a clause, not a thing
			}
			if k+1 < len(ws) && ws[k+1].text == "nicht" && !ws[k+1].stop && !ws[k+1].comma {
				return false // "nicht ohne …"
			}
			return !crossed || conj || listGoesOn(text, i)
		case listWords[w.text]:
			// NOTE: a verb that forms its own item ("kein Bild und
			// flackert") is read as negated too; only "…t" verbs in
			// second place are caught by endItem.
			if !endItem() {
				return false
			}
			conj = true
			continue
		}
		n++
	}
	return false
}

// listGoesOn reports whether a list word follows byte i in its clause,
// so that the commas before it separate items of one list.
func listGoesOn(text string, i int) bool {
	for _, w := range wordsAfter(text, i, maxAfter+3) {
		if w.stop || stopWords[w.text] {
			return false
		}
		if listWords[w.text] {
			return true
		}
	}
	return false
}

// negatedAfter reports whether the words after the term's end say that
// it is not needed: "… nicht nötig", "… wird nicht benötigt", "…
// brauchen wir nicht", "…: besteht kein Bedarf", "… entfällt", "…: nein".
func negatedAfter(text string, end int) bool {
	neg, need := false, false
	for k, w := range wordsAfter(text, end, maxAfter) {
		// "… wird auch nicht benötigt": "auch" ends no clause here.
		if w.stop && !(k == 0 && w.colon) || w.comma || stopWords[w.text] && w.text != "auch" {
			break
		}
		switch {
		case w.text == "entfaellt" || w.text == "entfallen" || k == 0 && w.text == "nein":
			return true
		case k == 0 && w.colon && isNegator(w.text) && clauseEnds(text, w):
			return true // "Sondersoftware: keine"
		case isNegator(w.text) && w.text != "ohne":
			neg = true
		case isNeedWord(w.text):
			need = true
		}
		if neg && need {
			return true
		}
	}
	return false
}

func isNegator(w string) bool {
	switch w {
	case "ohne", "nicht", "weder", "kein", "keine", "keinen", "keiner", "keinem", "keines", "keinerlei":
		return true
	}
	return false
}

// isNeedWord reports whether w says that something is needed or wanted.
func isNeedWord(w string) bool {
	for _, p := range []string{"noetig", "notwendig", "erforderlich", "benoetig", "brauch", "gebraucht",
		"gewuenscht", "gewollt", "vorgesehen", "bedarf"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// stopWords end the reach of a negation: "ohne Sondersoftware, aber mit
// Smartphone".
var stopWords = map[string]bool{"aber": true, "sondern": true, "jedoch": true, "doch": true,
	"dafuer": true, "bitte": true, "allerdings": true, "ausser": true, "ausserdem": true,
	"mit": true, "fuer": true, "inklusive": true, "inkl": true, "zzgl": true, "plus": true, "auch": true, "nur": true}

// listWords join items of a list under one negation.
var listWords = map[string]bool{"und": true, "oder": true, "noch": true, "sowie": true}

// wordStart returns the start of the word holding byte i.
func wordStart(text string, i int) int {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !isWordRune(r) {
			break
		}
		i -= size
	}
	return i
}

// wordsBefore returns up to n words ending before byte at, nearest first.
// Each word's comma and stop flags describe the separators after it, up
// to the next word (or at).
func wordsBefore(text string, at, n int) []word {
	ws := make([]word, 0, n)
	j := at
	for len(ws) < n && j > 0 {
		var sep word
		for j > 0 && !isWordRune(lastRune(text[:j])) {
			r, size := utf8.DecodeLastRuneInString(text[:j])
			markSeparator(&sep, r)
			j -= size
		}
		if j == 0 {
			break
		}
		s := wordStart(text, j)
		sep.text, sep.start = text[s:j], s
		ws = append(ws, sep)
		j = s
	}
	return ws
}

// wordsAfter returns up to n words starting at or after byte at; each
// word's flags describe the separators before it.
func wordsAfter(text string, at, n int) []word {
	// Skip the rest of the word holding at.
	for at < len(text) && isWordRune(firstRune(text[at:])) {
		at += len(string(firstRune(text[at:])))
	}
	ws := make([]word, 0, n)
	for len(ws) < n && at < len(text) {
		var w word
		for at < len(text) && !isWordRune(firstRune(text[at:])) {
			r := firstRune(text[at:])
			markSeparator(&w, r)
			at += len(string(r))
		}
		if at == len(text) {
			break
		}
		w.start = at
		for at < len(text) && isWordRune(firstRune(text[at:])) {
			at += len(string(firstRune(text[at:])))
		}
		w.text = text[w.start:at]
		ws = append(ws, w)
	}
	return ws
}

func markSeparator(w *word, r rune) {
	switch r {
	case ',':
		w.comma = true
	case '/':
		w.comma, w.slash = true, true
	case ':':
		w.stop, w.colon = true, true
	case '.', '!', '?', ';', '(', ')', '[', ']', '\n':
		w.stop = true
	}
}

// formLine matches a line break before a list bullet ("- ", "• ", "2) ")
// or a form label ("Smartphone: ja").
var formLine = regexp.MustCompile(`\n([ \t]*(?:[-*•–][ \t]|\d{1,2}[.)][ \t])|[ \t]*\p{L}[\p{L}\p{N} ./-]{0,40}:)`)

// markLines ends a clause at each line that starts a bullet or a form
// label, before the text is normalised into one line. Otherwise "keine"
// at the end of "Sondersoftware: keine" would reach the next line's
// "Smartphone: ja".
func markLines(s string) string {
	return formLine.ReplaceAllString(s, ";\n$1")
}

// clauseEnds reports whether nothing but a clause end follows w.
func clauseEnds(text string, w word) bool {
	rest := strings.TrimLeft(text[w.start+len(w.text):], " ")
	return rest == "" || strings.ContainsRune(".!?;,", firstRune(rest))
}
