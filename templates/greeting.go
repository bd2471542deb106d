package templates

import (
	"strings"
)

// nameTitles are academic titles that lead a name in a German greeting,
// whichever side of the comma the sender's mail program put them on.
var nameTitles = []string{"Dr.", "Prof.", "Dipl.-Ing.", "Dr.-Ing."}

// GreetingName returns a display name in the order a German greeting
// uses. Outlook and directory exports write "Nachname, Vorname", which
// becomes "Vorname Nachname"; titles go first ("Müller, Dr. Anna" and
// "Dr. Müller, Anna" both become "Dr. Anna Müller") and a trailing
// parenthesised unit such as "(Amt 50)" is left out. A name that is not
// of that form is returned trimmed but otherwise unchanged. The stored
// name is not touched; this is for the salutation only.
func GreetingName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
		name = strings.TrimSpace(name[:i])
	}
	last, first, ok := strings.Cut(name, ",")
	last, first = strings.TrimSpace(last), strings.TrimSpace(first)
	if !ok || last == "" || first == "" || strings.Contains(first, ",") || strings.ContainsAny(name, "@<>\"") {
		return name
	}
	var titles []string
	for _, part := range []*string{&last, &first} {
		for {
			t := leadingTitle(*part)
			if t == "" {
				break
			}
			titles = append(titles, t)
			*part = strings.TrimSpace((*part)[len(t):])
		}
	}
	if last == "" || first == "" {
		return name
	}
	return strings.Join(append(titles, first, last), " ")
}

// leadingTitle returns the title s starts with, or "".
func leadingTitle(s string) string {
	for _, t := range nameTitles {
		if strings.HasPrefix(s, t) && (len(s) == len(t) || s[len(t)] == ' ') {
			return t
		}
	}
	return ""
}
