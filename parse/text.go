package parse

import (
	"strings"
	"unicode/utf8"
)

// normalizeNewlines turns CRLF, CR CR LF and bare CR into "\n" and removes
// NUL characters.
func normalizeNewlines(s string) string {
	if !strings.ContainsAny(s, "\r\x00") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\x00':
		case '\r':
			for i+1 < len(s) && s[i+1] == '\r' {
				i++
			}
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteByte('\n')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// unflow joins the soft line breaks of format=flowed text (RFC 3676
// section 4): a line that ends in a space continues on the next line of
// the same quote depth. Space-stuffing is removed. With delsp the space
// before a soft break is deleted as well.
func unflow(s string, delsp bool) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	var b strings.Builder
	b.Grow(len(s))
	open := false // the previous line ended in a soft break
	openDepth := 0
	for _, line := range lines {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := line[depth:]
		content = strings.TrimPrefix(content, " ") // space-stuffing
		if open && depth != openDepth {
			b.WriteByte('\n') // a change of quote depth ends the paragraph
			open = false
		}
		if !open && depth > 0 {
			b.WriteString(strings.Repeat(">", depth))
			b.WriteByte(' ')
		}
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delsp {
			content = content[:len(content)-1]
		}
		b.WriteString(content)
		if flowed {
			open, openDepth = true, depth
			continue
		}
		open = false
		b.WriteByte('\n')
	}
	out := b.String()
	if !strings.HasSuffix(s, "\n") {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}
