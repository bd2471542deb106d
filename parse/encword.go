package parse

import (
	"strings"
	"unicode/utf8"
)

// maxEncodedWordText bounds the encoded text of one encoded-word.
const maxEncodedWordText = 1024

// encodedWord is one parsed RFC 2047 encoded-word.
type encodedWord struct {
	charset string // normalised label
	base64  bool
	text    string // encoded text between the third and the final "?"
	end     int    // offset just after "?=" in the input
}

// parseEncodedWord parses the encoded-word that starts at s[0:2] == "=?".
// It accepts blanks inside Q text, which some mailers write, but not a
// missing final "?=".
func parseEncodedWord(s string) (encodedWord, bool) {
	var ew encodedWord
	if !strings.HasPrefix(s, "=?") {
		return ew, false
	}
	rest := s[2:]
	q := strings.IndexByte(rest, '?')
	if q <= 0 || q > 64 || strings.ContainsAny(rest[:q], " \t\"()<>,;") {
		return ew, false
	}
	ew.charset = normalizeCharset(rest[:q])

	rest = rest[q+1:]
	if len(rest) < 2 || rest[1] != '?' {
		return ew, false
	}
	switch rest[0] {
	case 'B', 'b':
		ew.base64 = true
	case 'Q', 'q':
	default:
		return ew, false
	}

	rest = rest[2:]
	// Searching only a bounded stretch for "?=" keeps a header full of
	// "=?" linear. RFC 2047 allows 75 bytes per word; some mailers write
	// longer ones.
	e := strings.Index(rest[:min(len(rest), maxEncodedWordText)], "?=")
	if e < 0 {
		return ew, false
	}
	ew.text = rest[:e]
	if ew.base64 && strings.ContainsAny(ew.text, " \t") {
		return ew, false
	}
	ew.end = len(s) - len(rest) + e + 2
	return ew, true
}

// decodeQWord decodes the Q encoding of RFC 2047 section 4.2. An "=" that
// does not start a hex pair is kept.
func decodeQWord(dst []byte, text string) []byte {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '_':
			dst = append(dst, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			dst = append(dst, unhex(text[i+1])<<4|unhex(text[i+2]))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// wordRun collects the bytes of adjacent encoded-words that share one
// charset, so that a character split across two words decodes whole
// (RFC 2047 section 6.2 lets encoders split only between characters, but
// common mailers split inside them).
type wordRun struct {
	charset string
	bytes   []byte
	pending string // base64 text of an unpadded word not yet a full quantum
}

// add appends the decoded bytes of ew. It reports false when the base64
// text holds characters outside the alphabet, leaving the run unchanged.
func (r *wordRun) add(ew encodedWord) bool {
	if !ew.base64 {
		r.flushPending()
		r.bytes = decodeQWord(r.bytes, ew.text)
		return true
	}
	if !validBase64Text(ew.text) {
		return false
	}
	r.pending += ew.text
	if strings.Contains(r.pending, "=") || len(r.pending)%4 == 0 {
		r.flushPending()
	}
	return true
}

// flushPending decodes base64 text kept back by add.
func (r *wordRun) flushPending() {
	if r.pending != "" {
		r.bytes = decodeBase64Lenient(r.bytes, []byte(r.pending))
		r.pending = ""
	}
}

// validBase64Text reports whether s holds only base64 alphabet and padding.
func validBase64Text(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '=' && base64Value[s[i]] < 0 {
			return false
		}
	}
	return true
}

// decodeHeaderText decodes the RFC 2047 encoded-words in a header value and
// converts everything to valid UTF-8. Blanks between adjacent encoded-words
// are dropped, and the bytes of adjacent words with the same charset are
// joined before the charset conversion. Raw 8-bit text that is not UTF-8 is
// decoded as windows-1252. Malformed encoded-words are kept as they are.
func decodeHeaderText(s, location string, w *warnings) string {
	if !strings.Contains(s, "=?") {
		if isASCII([]byte(s)) {
			return s
		}
		return withoutBOM(decodeCharset("", []byte(s), location, w))
	}

	var out strings.Builder
	var run *wordRun
	endRun := func() {
		if run == nil {
			return
		}
		run.flushPending()
		out.WriteString(decodeCharset(run.charset, run.bytes, location, w))
		run = nil
	}
	literal := func(text string) {
		endRun()
		out.WriteString(decodeCharset("", []byte(text), location, w))
	}

	pos := 0
	for pos < len(s) {
		i := strings.Index(s[pos:], "=?")
		if i < 0 {
			literal(s[pos:])
			break
		}
		start := pos + i
		ew, ok := parseEncodedWord(s[start:])
		if !ok {
			literal(s[pos : start+2])
			pos = start + 2
			continue
		}

		// Only linear white space between two encoded-words is dropped.
		between := s[pos:start]
		if run == nil || strings.Trim(between, " \t") != "" {
			if between != "" {
				literal(between)
			}
		}
		if run != nil && run.charset != ew.charset {
			endRun()
		}
		if run == nil {
			run = &wordRun{charset: ew.charset}
		}
		if !run.add(ew) {
			w.add("%s: malformed encoded-word kept as is: %s", location, quoteSnippet(s[start:start+ew.end]))
			literal(s[start : start+ew.end])
		}
		pos = start + ew.end
	}
	endRun()
	return withoutBOM(out.String())
}

// withoutBOM removes byte-order marks (U+FEFF), which UTF-16 encoded-words
// carry at their start and which are never text in a header.
func withoutBOM(s string) string {
	return strings.ReplaceAll(s, "\ufeff", "")
}

// cleanText replaces control characters and runs of white space in a
// decoded header value with one space and trims both ends.
func cleanText(s string) string {
	if isCleanText(s) {
		return s
	}
	return collapseText(s)
}

// collapseText does the work of cleanText, always in a new string.
func collapseText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if cleanBreak(r) {
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

// cleanBreak reports whether cleanText replaces r with a space.
func cleanBreak(r rune) bool {
	return r < 0x20 || r == 0x7f || r == ' ' || r == 0xa0 || r == 0x2028 || r == 0x2029
}

// isCleanText reports whether cleanText would return s unchanged: valid
// UTF-8 without control characters or other breaks than single spaces
// between words. Most subjects and names are, and need no copy.
func isCleanText(s string) bool {
	space := true // a space at the start would be trimmed
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false // cleanText writes U+FFFD for an invalid byte
		}
		i += size
		switch {
		case r == ' ' && !space:
			space = true
		case cleanBreak(r):
			return false
		default:
			space = false
		}
	}
	return !space || s == ""
}
