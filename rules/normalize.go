package rules

import (
	"regexp"
	"strings"
	"unicode"
)

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// Normalize folds text for matching: lower case, German umlauts and ß
// spelled out (ä→ae, ö→oe, ü→ue, ß→ss), every run of white space one space.
func Normalize(s string) string {
	s = umlauts.Replace(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// replyPrefix matches one reply or forward marker at the start of a subject:
// AW, WG, Re, Fw, Fwd, Antw, Wtr, each optionally counted ("Re[2]:").
var replyPrefix = regexp.MustCompile(`(?i)^\s*(?:aw|wg|re|fw|fwd|antw|antwort|wtr|weiterleitung|sv|vs|tr)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*`)

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
