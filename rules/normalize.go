package rules

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "\u00ad", "")

// Normalize folds text for matching: composed Unicode (NFC, so that an
// "a" followed by a combining diaeresis reads as "ä"), lower case, German
// umlauts and ß
// spelled out (ä→ae, ö→oe, ü→ue, ß→ss), soft hyphens dropped, a hyphen
// between two letters or digits dropped (so "Ersatz-Tastatur" and
// "Ersatztastatur" read alike, also when the hyphen ends a line), and
// every run of white space one space.
func Normalize(s string) string {
	if isPlainASCII(s) {
		return strings.ToLower(s)
	}
	return normalizeText(s)
}

// isPlainASCII reports whether s is printable ASCII without spaces and
// hyphens, such as one word of a subject. Normalize only lower-cases such
// text, and prefixKey calls it for every word.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '-' {
			return false
		}
	}
	return true
}

// normalizeText does the work of Normalize for any text.
func normalizeText(s string) string {
	// Soft hyphens go first, so that they cannot keep a letter from its
	// combining mark. Marks left over after "ae" and the like are composed
	// again, which keeps Normalize idempotent.
	s = strings.ReplaceAll(s, "\u00ad", "")
	s = norm.NFC.String(umlauts.Replace(strings.ToLower(norm.NFC.String(s))))
	var b strings.Builder
	b.Grow(len(s))
	space, joining := false, false
	var prev rune
	for i, r := range s {
		if unicode.IsSpace(r) {
			space = !joining
			continue
		}
		if r == '-' && !space && isWordRune(prev) && hyphenJoins(s[i+1:]) {
			// Drop the hyphen and any line break after it.
			joining = true
			continue
		}
		joining = false
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// hyphenJoins reports whether the text after a hyphen continues the word:
// directly, or after a line break (hyphenation), but not after a plain
// space as in "Hard- und Software".
func hyphenJoins(rest string) bool {
	for i, r := range rest {
		switch {
		case r == '\n' || r == '\r':
			return strings.TrimLeft(rest[i:], " \t\r\n") != "" && isWordRune(firstRune(strings.TrimLeft(rest[i:], " \t\r\n")))
		case r == ' ' || r == '\t':
			// Spaces before a line break still join; before a word they don't.
			continue
		default:
			return i == 0 && isWordRune(r)
		}
	}
	return false
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// prefixKey folds a subject prefix for matching regardless of how it is
// spelled: only its words count, normalised, so that spaces, hyphens,
// slashes and colons do not ("IT/50-JF", "IT-50-JF", "IT / 50 JF").
// Words in parentheses ("(Mini-)Projekt") and the word "für" are left
// out, since people add or drop them. ends holds, for each word kept, the
// length of the key up to it and the byte offset in s after it.
func prefixKey(s string) (key string, ends [][2]int) {
	var b strings.Builder
	depth, start := 0, -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := Normalize(s[start:end])
		start = -1
		if depth > 0 || w == "fuer" {
			return
		}
		b.WriteString(w)
		ends = append(ends, [2]int{b.Len(), end})
	}
	for i, r := range s {
		if isWordRune(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(0, depth-1)
		}
	}
	flush(len(s))
	return b.String(), ends
}

// cutPrefix reports whether subject starts with the words of prefix, a
// key made by prefixKey, and returns the rest of the subject as written,
// without the separators (colon, dash, spaces) between prefix and rest.
func cutPrefix(subject, prefix string) (string, bool) {
	key, ends := prefixKey(subject)
	if !strings.HasPrefix(key, prefix) {
		return "", false
	}
	for _, e := range ends {
		if e[0] == len(prefix) {
			return strings.TrimLeft(subject[e[1]:], " \t:-–"), true
		}
		if e[0] > len(prefix) {
			break
		}
	}
	// The prefix ends inside a word, as in "…-JFX": no match.
	return "", false
}

// tagPrefix matches a ticket tag or list tag such as "[IT-2026-00004]" at
// the start of a subject.
var tagPrefix = regexp.MustCompile(`^\s*\[[^\]]{1,40}\]\s*`)

// replyPrefix matches one reply or forward marker at the start of a subject:
// AW, WG, Re, Fw, Fwd, Antw, Wtr, each optionally counted ("Re[2]:").
var replyPrefix = regexp.MustCompile(`(?i)^\s*(?:aw|wg|re|fw|fwd|antw|antwort|wtr|weiterleitung|sv|vs|tr)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*`)

// forwardPrefix matches the forward markers among them.
var forwardPrefix = regexp.MustCompile(`(?i)^\s*(?:wg|fw|fwd|wtr|weiterleitung|tr)\s*(?:\[\d+\]|\(\d+\))?\s*:`)

// StripReplyPrefixes removes any number of leading reply and forward
// markers, and ticket tags between them.
func StripReplyPrefixes(subject string) string {
	for {
		loc := replyPrefix.FindStringIndex(subject)
		if loc == nil {
			loc = tagPrefix.FindStringIndex(subject)
		}
		if loc == nil {
			return strings.TrimSpace(subject)
		}
		subject = subject[loc[1]:]
	}
}

// IsForward reports whether any leading subject marker is a forward
// marker such as "WG:" or "Fwd:".
func IsForward(subject string) bool {
	for {
		if forwardPrefix.MatchString(subject) {
			return true
		}
		loc := replyPrefix.FindStringIndex(subject)
		if loc == nil {
			return false
		}
		subject = subject[loc[1]:]
	}
}
