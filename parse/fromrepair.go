package parse

import (
	"strings"
	"unicode"
)

// repairFrom recovers the one intended sender of a From header that reads
// as several addresses because a display name with an unquoted comma lost
// its first part to a mail server. `Muster, Max <muster@stadt.example>`
// arrives as `Muster@mx.stadt.example, Max <muster@stadt.example>` when
// Postfix qualifies the bare word "Muster" with its own domain. ok is true
// only when exactly one part is a named address in angle brackets and
// every other part before it is a bare address without a name whose local
// part is one word of letters, as a name is; that part is then returned,
// its name prefixed by those words. Any other list is left as it is.
func repairFrom(s string, w *warnings) (Address, bool) {
	var segs []string
	for _, seg := range splitAddressList(s) {
		if seg = strings.TrimSpace(seg); seg != "" {
			segs = append(segs, seg)
		}
	}
	if len(segs) < 2 {
		return Address{}, false
	}
	last := segs[len(segs)-1]
	name, addr, angle := addressParts(last)
	if !angle || strings.TrimSpace(name) == "" || cleanAddr(addr) == "" {
		return Address{}, false
	}
	var parts []string
	for _, seg := range segs[:len(segs)-1] {
		n, a, ang := addressParts(seg)
		if ang || strings.TrimSpace(n) != "" || strings.ContainsAny(a, " \t") {
			return Address{}, false
		}
		local, _, _ := strings.Cut(a, "@")
		if !isNameWord(local) {
			return Address{}, false
		}
		parts = append(parts, local)
	}
	w.add("From: %d parts before the named address read as the start of its display name: %s", len(parts), quoteSnippet(s))
	parsed := parseAddressList(last, "From", w)
	if len(parsed) != 1 {
		return Address{}, false
	}
	a := parsed[0]
	a.Name = strings.Join(append(parts, a.Name), ", ")
	return a, true
}

// isNameWord reports whether s is one word of letters and inner hyphens,
// such as "Muster" or "Müller-Lüdenscheidt".
func isNameWord(s string) bool {
	if s == "" || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return true
}
