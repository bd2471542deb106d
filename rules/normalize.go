package rules

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "\u00ad", "")

// Normalize folds text for matching: lower case, German umlauts and ß
// spelled out (ä→ae, ö→oe, ü→ue, ß→ss), soft hyphens dropped, a hyphen
// between two letters or digits dropped (so "Ersatz-Tastatur" and
// "Ersatztastatur" read alike, also when the hyphen ends a line), and
// every run of white space one space.
func Normalize(s string) string {
	s = umlauts.Replace(strings.ToLower(s))
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

// compact removes all spaces and hyphens from normalised text, for
// matching the subject prefix regardless of extra spaces ("IT / 50 - JF").
func compact(s string) string { return compactor.Replace(s) }

var compactor = strings.NewReplacer(" ", "", "-", "")

// cutPrefix reports whether subject starts with the compacted, normalised
// prefix, and returns the rest of the subject as written, without the
// separators (colon, dash, spaces) between prefix and rest.
func cutPrefix(subject, prefix string) (string, bool) {
	if !strings.HasPrefix(compact(Normalize(subject)), prefix) {
		return "", false
	}
	// Find the shortest start of the subject that covers the prefix.
	// Normalize works rune by rune apart from spaces and hyphens, which
	// compact drops, so the lengths of the runes' compact forms add up.
	n := 0
	for i, r := range subject {
		n += len(compact(Normalize(string(r))))
		if n >= len(prefix) {
			return strings.TrimLeft(subject[i+utf8.RuneLen(r):], " \t:-–"), true
		}
	}
	return "", true
}

// replyPrefix matches one reply or forward marker at the start of a subject:
// AW, WG, Re, Fw, Fwd, Antw, Wtr, each optionally counted ("Re[2]:").
var replyPrefix = regexp.MustCompile(`(?i)^\s*(?:aw|wg|re|fw|fwd|antw|antwort|wtr|weiterleitung|sv|vs|tr)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*`)

// forwardPrefix matches the forward markers among them.
var forwardPrefix = regexp.MustCompile(`(?i)^\s*(?:wg|fw|fwd|wtr|weiterleitung|tr)\s*(?:\[\d+\]|\(\d+\))?\s*:`)

// StripReplyPrefixes removes any number of leading reply and forward markers.
func StripReplyPrefixes(subject string) string {
	for {
		loc := replyPrefix.FindStringIndex(subject)
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
