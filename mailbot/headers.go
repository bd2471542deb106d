package mailbot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds for text taken from incoming mail into the headers of outgoing
// mail. RFC 5322 allows 998 octets a line. A subject or name is cut far
// below that, so it stays readable and cannot crowd out the ticket tag.
const (
	maxSubjectRunes     = 200
	maxDisplayNameRunes = 100
)

// sanitizeHeaderText makes text from an incoming mail safe for an outgoing
// header. CR, LF, tabs and other control or format characters become
// spaces, because a CR or LF would start a new header. Runs of white space
// collapse to one space, invalid UTF-8 is replaced, and the result is cut
// to maxRunes runes with an ellipsis.
func sanitizeHeaderText(s string, maxRunes int) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*maxRunes))
	space := false
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) ||
			r == '\u2028' || r == '\u2029' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
		if n > maxRunes {
			break
		}
	}
	out := b.String()
	if utf8.RuneCountInString(out) > maxRunes {
		r := []rune(out)
		out = strings.TrimRight(string(r[:maxRunes-1]), " ") + "…"
	}
	return out
}

// sanitizeMsgID returns id when it is a plausible Message-ID without
// brackets (printable ASCII, no white space or angle brackets, at most 250
// octets), else "". Ids from incoming mail go into In-Reply-To and
// References of outgoing mail.
func sanitizeMsgID(id string) string {
	if id == "" || len(id) > 250 {
		return ""
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return ""
		}
	}
	return id
}
