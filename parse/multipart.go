package parse

import (
	"bytes"
)

// splitMultipart returns the body parts of a multipart body delimited by
// boundary (RFC 2046 section 5.1.1). The line end before a delimiter belongs
// to the delimiter. closed reports whether the close delimiter was found;
// without it the last part runs to the end of body. maxParts bounds the
// number of parts returned.
func splitMultipart(body []byte, boundary string, maxParts int) (parts [][]byte, closed bool) {
	delim := []byte("--" + boundary)
	partStart := -1
	pos := 0
	for pos <= len(body) {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		at := pos + i
		pos = at + len(delim)
		if at > 0 && body[at-1] != '\n' && body[at-1] != '\r' {
			continue // not at the start of a line
		}
		after := body[pos:]
		isClose := bytes.HasPrefix(after, []byte("--"))
		if isClose {
			after = after[2:]
		}
		lineEnd, ok := delimiterLineEnd(after)
		if !ok {
			continue // "--boundaryX" is another, longer boundary
		}

		if partStart >= 0 {
			parts = append(parts, body[partStart:trimLineEnd(body, partStart, at)])
			if len(parts) >= maxParts {
				return parts, true
			}
		}
		if isClose {
			return parts, true
		}
		partStart = pos + lineEnd
		pos = partStart
	}
	if partStart >= 0 && partStart <= len(body) {
		parts = append(parts, body[partStart:])
	}
	return parts, false
}

// delimiterLineEnd checks that only blanks follow a delimiter on its line
// and returns the length of that rest including the line end.
func delimiterLineEnd(after []byte) (int, bool) {
	n := 0
	for n < len(after) && (after[n] == ' ' || after[n] == '\t') {
		n++
	}
	switch {
	case n == len(after):
		return n, true
	case after[n] == '\n':
		return n + 1, true
	case after[n] == '\r':
		if n+1 < len(after) && after[n+1] == '\n' {
			return n + 2, true
		}
		return n + 1, true
	}
	return 0, false
}

// trimLineEnd returns end moved back over the CRLF or LF that precedes a
// delimiter, but not before start.
func trimLineEnd(body []byte, start, end int) int {
	if end > start && body[end-1] == '\n' {
		end--
	}
	if end > start && body[end-1] == '\r' {
		end--
	}
	return end
}

// guessBoundary returns the boundary of a multipart body whose Content-Type
// lacks the parameter: the first line that starts with "--" and holds no
// blanks, or "" if there is none.
func guessBoundary(body []byte) string {
	lr := &lineReader{data: body}
	for n := 0; n < 200; n++ {
		line, ok := lr.next()
		if !ok {
			break
		}
		if len(line) > 2 && len(line) <= 72 && bytes.HasPrefix(line, []byte("--")) &&
			!bytes.ContainsAny(line, " \t") {
			return string(bytes.TrimSuffix(line[2:], []byte("--")))
		}
	}
	return ""
}
