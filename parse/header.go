package parse

import (
	"bytes"
	"net/textproto"
	"strings"

	mtextproto "github.com/emersion/go-message/textproto"
)

// maxHeaderBytes bounds one header block, the same default as go-message.
// Bytes beyond it are treated as body.
const maxHeaderBytes = 1 << 20

// field is one header field with its folding removed and its value not yet
// decoded.
type field struct {
	key   string // canonical form, as net/textproto.CanonicalMIMEHeaderKey gives it
	value string // lines trimmed and joined with one space, as go-message does
}

// header is a header block in its original order.
type header []field

// get returns the value of the first field named key, or "".
func (h header) get(key string) string {
	key = textproto.CanonicalMIMEHeaderKey(key)
	for _, f := range h {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

// has reports whether a field named key is present.
func (h header) has(key string) bool {
	key = textproto.CanonicalMIMEHeaderKey(key)
	for _, f := range h {
		if f.key == key {
			return true
		}
	}
	return false
}

// toTextproto converts h into a go-message header in the same field order.
func (h header) toTextproto() mtextproto.Header {
	var th mtextproto.Header
	// Add inserts at the top, so the fields go in from last to first.
	for i := len(h) - 1; i >= 0; i-- {
		th.Add(h[i].key, h[i].value)
	}
	return th
}

// lineReader splits a byte slice into lines. It accepts CRLF, LF, CR CR LF
// and a bare CR as line ends and reports the unusual ones.
type lineReader struct {
	data             []byte
	pos              int
	bareCR, doubleCR bool
}

// next returns the next line without its line end, or false at the end of
// the data.
func (lr *lineReader) next() ([]byte, bool) {
	if lr.pos >= len(lr.data) {
		return nil, false
	}
	rest := lr.data[lr.pos:]
	i := bytes.IndexAny(rest, "\r\n")
	if i < 0 {
		lr.pos = len(lr.data)
		return rest, true
	}
	line := rest[:i]
	if rest[i] == '\n' {
		lr.pos += i + 1
		return line, true
	}

	// A run of CRs followed by LF is one line end; "\r\r\n" comes from
	// converting CRLF text to CRLF a second time.
	j := i
	for j < len(rest) && rest[j] == '\r' {
		j++
	}
	if j < len(rest) && rest[j] == '\n' {
		if j-i > 1 {
			lr.doubleCR = true
		}
		lr.pos += j + 1
		return line, true
	}
	lr.bareCR = true
	lr.pos += i + 1
	return line, true
}

// validFieldName reports whether name consists of printable US-ASCII other
// than the colon (RFC 5322 section 2.2).
func validFieldName(name []byte) bool {
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// headerLine classifies one header line: its field name if the line starts a
// field, or nil.
func headerLine(line []byte) []byte {
	i := bytes.IndexByte(line, ':')
	if i < 0 {
		return nil
	}
	name := bytes.TrimRight(line[:i], " \t")
	if !validFieldName(name) {
		return nil
	}
	return name
}

// readHeader splits data into its header block and body. It repairs what a
// strict reader such as go-message's rejects: an mbox "From " first line,
// lines without a colon, invalid field names, NUL bytes, bare CRs and
// CR CR LF line ends. Each kind of repair adds one warning prefixed with
// location (for example "header" or "part 2 header").
func readHeader(data []byte, location string, w *warnings) (header, []byte) {
	var h header
	lr := &lineReader{data: data}

	// An mbox separator line ("From sender date") sometimes stays in front
	// of a mail that was cut out of an mbox file.
	if bytes.HasPrefix(data, []byte("From ")) {
		lr.next()
		w.add("%s: removed mbox \"From \" line before the header", location)
	}

	var cur []string // lines of the field being read
	flush := func() {
		if len(cur) == 0 {
			return
		}
		h = appendField(h, cur)
		cur = cur[:0] // appendField keeps none of the slice
	}

	for {
		start := lr.pos
		if start > maxHeaderBytes {
			w.add("%s: header block exceeds %d bytes; the rest is treated as body", location, maxHeaderBytes)
			flush()
			return h, data[start:]
		}
		line, ok := lr.next()
		if !ok {
			break
		}
		if bytes.IndexByte(line, 0) >= 0 {
			w.add("%s: removed NUL bytes", location)
		}
		line = withoutNUL(line)

		switch {
		case len(line) == 0:
			flush()
			reportLineEnds(lr, location, w)
			return h, data[lr.pos:]
		case line[0] == ' ' || line[0] == '\t':
			if len(cur) == 0 {
				w.add("%s: dropped continuation line without a field: %s", location, quoteSnippet(string(line)))
				continue
			}
			cur = append(cur, string(line))
		case headerLine(line) != nil:
			flush()
			cur = append(cur, string(line))
		case looksLikeHeaderNext(lr):
			// A line without a colon between two fields is usually a
			// folded line that lost its leading blank.
			if bytes.IndexByte(line, ':') >= 0 {
				w.add("%s: dropped line with an invalid field name: %s", location, quoteSnippet(string(line)))
			} else if len(cur) > 0 {
				cur = append(cur, " "+string(line))
				w.add("%s: joined line without a colon to the field before it: %s", location, quoteSnippet(string(line)))
			} else {
				w.add("%s: dropped malformed line: %s", location, quoteSnippet(string(line)))
			}
		default:
			// Neither this line nor the next is a field: the blank line
			// before the body is missing.
			flush()
			w.add("%s: no empty line after the header; body starts at %s", location, quoteSnippet(string(line)))
			reportLineEnds(lr, location, w)
			return h, data[start:]
		}
	}
	flush()
	reportLineEnds(lr, location, w)
	return h, nil
}

// looksLikeHeaderNext reports whether one of the next three lines starts a
// header field before an empty line, without consuming them.
func looksLikeHeaderNext(lr *lineReader) bool {
	peek := *lr
	for range 3 {
		line, ok := peek.next()
		line = withoutNUL(line)
		if !ok || len(line) == 0 {
			return false
		}
		if headerLine(line) != nil {
			return true
		}
	}
	return false
}

// withoutNUL returns line without NUL bytes, copying only when it has some.
func withoutNUL(line []byte) []byte {
	if bytes.IndexByte(line, 0) < 0 {
		return line
	}
	return bytes.ReplaceAll(line, []byte{0}, nil)
}

// reportLineEnds adds the warnings for unusual line ends seen so far.
func reportLineEnds(lr *lineReader, location string, w *warnings) {
	if lr.bareCR {
		w.add("%s: bare CR treated as a line break", location)
	}
	if lr.doubleCR {
		w.add("%s: CR CR LF line end treated as CRLF", location)
	}
}

// appendField turns the lines of one field into a field and appends it.
func appendField(h header, lines []string) header {
	first := lines[0]
	i := strings.IndexByte(first, ':')
	if i < 0 {
		return h
	}
	key := textproto.CanonicalMIMEHeaderKey(strings.TrimRight(first[:i], " \t"))
	if len(lines) == 1 {
		return append(h, field{key: key, value: strings.Trim(first[i+1:], " \t")})
	}
	parts := make([]string, 0, len(lines))
	if v := strings.Trim(first[i+1:], " \t"); v != "" {
		parts = append(parts, v)
	}
	for _, l := range lines[1:] {
		if v := strings.Trim(l, " \t"); v != "" {
			parts = append(parts, v)
		}
	}
	return append(h, field{key: key, value: strings.Join(parts, " ")})
}
