package parse

import (
	"sort"
	"strconv"
	"strings"
)

// parseMediaType parses a Content-Type or Content-Disposition value
// leniently. It returns the lowercased value before the first ";" and the
// parameters with lowercased names. Values may be quoted, unquoted with
// blanks, RFC 2231 encoded and continued ("name*0*=…"), or RFC 2047 encoded
// as Outlook writes file names. The first of duplicate parameters wins.
func parseMediaType(v, location string, w *warnings) (string, map[string]string) {
	v = stripComments(v)
	typ, rest, _ := strings.Cut(v, ";")
	typ = strings.ToLower(strings.TrimSpace(typ))

	params := make(map[string]string)
	pieces := make(map[string][]paramPiece) // RFC 2231 sections by name
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t;")
		if rest == "" {
			break
		}
		var key, val string
		eq := strings.IndexAny(rest, "=;")
		if eq < 0 || rest[eq] == ';' {
			// A parameter without a value is skipped.
			if eq < 0 {
				break
			}
			rest = rest[eq:]
			continue
		}
		key = strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		val, rest = paramValue(rest)
		if key == "" {
			continue
		}

		if base, piece, ok := splitSection(key, val); ok {
			pieces[base] = append(pieces[base], piece)
			continue
		}
		if _, dup := params[key]; !dup {
			params[key] = decodeParamText(val, location, w)
		}
	}

	for base, list := range pieces {
		params[base] = joinSections(list, location, w)
	}
	return typ, params
}

// paramValue reads one parameter value from the start of s, quoted or not,
// and returns the rest after it.
func paramValue(s string) (string, string) {
	if !strings.HasPrefix(s, "\"") {
		val, rest, _ := strings.Cut(s, ";")
		return strings.TrimSpace(val), rest
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			rest := s[i+1:]
			if j := strings.IndexByte(rest, ';'); j >= 0 {
				return b.String(), rest[j+1:]
			}
			return b.String(), ""
		default:
			b.WriteByte(c)
		}
	}
	// The closing quote is missing: the value runs to the next ";".
	val, rest, _ := strings.Cut(s[1:], ";")
	return strings.TrimSpace(val), rest
}

// paramPiece is one section of an RFC 2231 parameter.
type paramPiece struct {
	index   int
	encoded bool // the name ended in "*": charset'language'%XX form
	value   string
}

// splitSection recognises the RFC 2231 forms "name*", "name*N" and
// "name*N*".
func splitSection(key, val string) (string, paramPiece, bool) {
	star := strings.IndexByte(key, '*')
	if star < 0 {
		return "", paramPiece{}, false
	}
	base, suffix := key[:star], key[star+1:]
	p := paramPiece{value: val}
	if suffix == "" {
		p.encoded = true
		return base, p, base != ""
	}
	if strings.HasSuffix(suffix, "*") {
		p.encoded = true
		suffix = suffix[:len(suffix)-1]
	}
	n, err := strconv.Atoi(suffix)
	if err != nil || n < 0 || n > 999 {
		return "", paramPiece{}, false
	}
	p.index = n
	return base, p, base != ""
}

// joinSections joins RFC 2231 sections in index order and converts the
// result from the charset named in the first section.
func joinSections(list []paramPiece, location string, w *warnings) string {
	sort.SliceStable(list, func(i, j int) bool { return list[i].index < list[j].index })
	charset := ""
	var raw []byte
	for i, p := range list {
		if i > 0 && p.index == list[i-1].index {
			continue // duplicate section
		}
		val := p.value
		if p.encoded {
			if i == 0 {
				if parts := strings.SplitN(val, "'", 3); len(parts) == 3 {
					charset, val = parts[0], parts[2]
				}
			}
			raw = appendPercentDecoded(raw, val)
		} else {
			raw = append(raw, val...)
		}
	}
	if charset == "" {
		charset = "utf-8"
	}
	return decodeCharset(charset, raw, location, w)
}

// appendPercentDecoded appends s with its %XX escapes decoded; a "%" that
// does not start an escape is kept.
func appendPercentDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

// decodeParamText decodes a plain parameter value: RFC 2047 words inside
// it and raw 8-bit bytes.
func decodeParamText(val, location string, w *warnings) string {
	if strings.Contains(val, "=?") || !isASCII([]byte(val)) {
		return decodeHeaderText(val, location, w)
	}
	return val
}
