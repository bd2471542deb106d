package parse

import (
	"strings"
)

// splitAddressList splits an address list at the commas and semicolons that
// are outside quoted strings, comments, angle brackets and encoded-words.
// A group name ("Team: a@x, b@y;") is dropped.
func splitAddressList(s string) []string {
	var segs []string
	start := 0
	depth := 0 // comment nesting
	inQuote, inAngle := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote:
			if c == '\\' {
				i++
			} else if c == '"' {
				inQuote = false
			}
		case depth > 0:
			if c == '\\' {
				i++
			} else if c == '(' {
				depth++
			} else if c == ')' {
				depth--
			}
		case inAngle:
			if c == '>' {
				inAngle = false
			}
		case c == '"':
			inQuote = true
		case c == '(':
			depth = 1
		case c == '<':
			inAngle = true
		case c == '=' && i+1 < len(s) && s[i+1] == '?':
			if ew, ok := parseEncodedWord(s[i:]); ok {
				i += ew.end - 1
			}
		case c == ':' && !strings.ContainsAny(s[start:i], "@<"):
			start = i + 1 // group name
		case c == ',' || c == ';':
			segs = append(segs, s[start:i])
			start = i + 1
		}
	}
	return append(segs, s[start:])
}

// addressParts splits one address into display name and addr-spec. It
// accepts the RFC 5322 forms, "Name addr@x" without angle brackets and a
// comment as the name ("addr@x (Name)"). The name is returned undecoded.
func addressParts(seg string) (name, addr string, angle bool) {
	if i := topLevelIndex(seg, '<'); i >= 0 {
		name = seg[:i]
		rest := seg[i+1:]
		if j := strings.IndexByte(rest, '>'); j >= 0 {
			rest = rest[:j]
		}
		return name, rest, true
	}

	// Without angle brackets the address is the word with an "@".
	words, comment := splitWords(seg)
	var nameWords []string
	for _, wd := range words {
		if addr == "" && strings.Contains(wd, "@") {
			addr = wd
			continue
		}
		nameWords = append(nameWords, wd)
	}
	if addr == "" && len(words) == 1 {
		addr, nameWords = words[0], nil
	}
	name = strings.Join(nameWords, " ")
	if strings.TrimSpace(name) == "" {
		name = comment
	}
	return name, addr, false
}

// topLevelIndex returns the index of c outside quoted strings and comments.
func topLevelIndex(s string, c byte) int {
	inQuote, depth := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case inQuote:
			if s[i] == '\\' {
				i++
			} else if s[i] == '"' {
				inQuote = false
			}
		case depth > 0:
			if s[i] == '(' {
				depth++
			} else if s[i] == ')' {
				depth--
			}
		case s[i] == '"':
			inQuote = true
		case s[i] == '(':
			depth = 1
		case s[i] == c:
			return i
		}
	}
	return -1
}

// splitWords splits s at blanks outside quoted strings. Comments are
// removed from the words; the text of the first one is returned apart.
func splitWords(s string) (words []string, comment string) {
	var cur strings.Builder
	inQuote, depth := false, 0
	var com strings.Builder
	haveComment := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote:
			cur.WriteByte(c)
			if c == '"' {
				inQuote = false
			}
		case depth > 0:
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
				if depth == 0 {
					haveComment = true
					continue
				}
			}
			if !haveComment {
				com.WriteByte(c)
			}
		case c == '"':
			inQuote = true
			cur.WriteByte(c)
		case c == '(':
			depth = 1
		case c == ' ' || c == '\t':
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words, com.String()
}

// unquote removes the double quotes of quoted strings in s and undoes their
// backslash escapes; text outside quotes is kept.
func unquote(s string) string {
	if !strings.ContainsAny(s, "\"\\") {
		return s
	}
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == '\\' && inQuote && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cleanAddr normalises an addr-spec: blanks, comments, a source route and a
// "mailto:" prefix are removed and the domain is lowercased. The local part
// keeps its case because RFC 5321 lets servers treat it as case-sensitive.
func cleanAddr(a string) string {
	words, _ := splitWords(a)
	a = strings.Join(words, "")
	a = strings.Trim(a, "<>\"'")
	if len(a) > 7 && strings.EqualFold(a[:7], "mailto:") {
		a = a[7:]
	}
	if strings.HasPrefix(a, "@") {
		if i := strings.IndexByte(a, ':'); i >= 0 {
			a = a[i+1:] // obsolete source route "@relay:user@host"
		}
	}
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		a = a[:i+1] + strings.ToLower(a[i+1:])
	}
	return a
}

// hasName reports whether an address segment holds a display name besides
// its address, so that an unquoted comma before it belongs to that name.
func hasName(seg string) bool {
	name, addr, _ := addressParts(seg)
	return addr != "" && strings.TrimSpace(name) != ""
}

// parseAddressList parses an address list leniently. It never fails: what
// cannot be read as an address is dropped with a warning. A segment without
// "@" or angle brackets that is followed by a named address is taken as
// part of that name, which repairs unquoted names such as
// `Böhm, Jan <j.boehm@example.org>`.
func parseAddressList(s, location string, w *warnings) []Address {
	segs := splitAddressList(s)
	var list []Address
	for i := 0; i < len(segs); i++ {
		seg := strings.TrimSpace(segs[i])
		if seg == "" {
			continue
		}
		if !strings.ContainsAny(seg, "@<") && i+1 < len(segs) && hasName(segs[i+1]) {
			w.add("%s: unquoted comma in display name kept as one address: %s", location, quoteSnippet(seg+","+segs[i+1]))
			segs[i+1] = seg + "," + segs[i+1]
			continue
		}

		name, addr, angle := addressParts(seg)
		addr = cleanAddr(addr)
		if addr == "" || (!angle && !strings.Contains(addr, "@") && strings.TrimSpace(name) != "") {
			w.add("%s: dropped unreadable address %s", location, quoteSnippet(seg))
			continue
		}
		if !angle && strings.TrimSpace(name) != "" && !strings.Contains(seg, "(") {
			w.add("%s: address without angle brackets after its name: %s", location, quoteSnippet(seg))
		}
		name = cleanText(decodeHeaderText(unquote(strings.TrimSpace(name)), location, w))
		addr, _ = decodeUTF8Lenient([]byte(addr))
		list = append(list, Address{Name: name, Addr: addr})
	}
	return list
}
