package parse

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reply parsing: a reply carries its new text on top and the quoted
// history below. The markers below are those the common clients write:
// Outlook (German and English, desktop and OWA), Thunderbird, Gmail, Apple
// Mail and iOS Mail.

// separatorLine matches a line that opens quoted or forwarded history.
var separatorLine = regexp.MustCompile(`(?i)^\s*(` +
	`-{2,}\s*(original message|ursprüngliche nachricht|original-nachricht|weitergeleitete nachricht|forwarded message|nachricht im original)\s*-{2,}` +
	`|(begin forwarded message|anfang der weitergeleiteten nachricht|weitergeleitete nachricht)\s*:` +
	`)\s*$`)

// ruleLine matches the rule Outlook and OWA put above the header block of
// a quoted mail: underscores in plain text, "---" where an HTML <hr> was
// converted to text.
var ruleLine = regexp.MustCompile(`^\s*(_{10,}|-{3,})\s*$`)

// quoteHeaderField matches the fields of Outlook's quoted header block.
var quoteHeaderField = regexp.MustCompile(`(?i)^\s*\*?(von|from|gesendet|sent|an|to|cc|betreff|subject|datum|date)\s*:\*?\s`)

// blockOpener matches the first field of such a block.
var blockOpener = regexp.MustCompile(`(?i)^\s*\*?(von|from)\s*:\*?\s`)

// attribution matches "Am … schrieb …:" and "On … wrote:", which clients
// may break over two or three lines.
var attribution = regexp.MustCompile(`(?is)^\s*(am|on|le)\s.*\s(schrieb|wrote|a écrit)\b.*:\s*$`)

// signatureLine matches the lines that start a signature: the "-- "
// delimiter of RFC 3676 (also without its space) and the mobile clients'
// sent-from lines.
var signatureLine = regexp.MustCompile(`(?i)^(--\s?|von meinem (iphone|ipad|android|smartphone).*gesendet\.?|sent from my (iphone|ipad|android).*|gesendet von (meinem )?(iphone|ipad|outlook für ios|outlook for ios|outlook für android).*|get outlook for (ios|android).*|outlook für (ios|android) beziehen.*)\s*$`)

// NewText returns the part of a reply's text its sender wrote: the text
// above the first attribution line, Outlook header block, forwarded-message
// separator or signature delimiter, with lines quoted by ">" removed and
// surrounding blank lines trimmed. Text without any marker comes back
// whole, minus its quoted lines.
func NewText(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	end := len(lines)
	for i := range lines {
		if historyStarts(lines, i) {
			end = i
			break
		}
	}
	var kept []string
	for _, l := range lines[:end] {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		kept = append(kept, strings.TrimRight(l, " \t\u00a0"))
	}
	return strings.Trim(strings.Join(kept, "\n"), "\n \t")
}

// historyStarts reports whether the quoted history or a signature begins
// at line i.
func historyStarts(lines []string, i int) bool {
	l := lines[i]
	if !mayStartHistory(l) {
		return false
	}
	t := strings.TrimSpace(l)
	switch {
	case separatorLine.MatchString(l), signatureLine.MatchString(l):
		return true
	case ruleLine.MatchString(l):
		return headerBlockAt(lines, nextNonBlank(lines, i+1))
	case blockOpener.MatchString(l):
		return headerBlockAt(lines, i)
	}
	if len(t) < 3 || t[2] != ' ' {
		return false
	}
	// No character outside ASCII lower-cases to these letters, so an ASCII
	// comparison finds the same prefixes as strings.ToLower would.
	switch strings.ToLower(t[:2]) {
	case "am", "on", "le":
	default:
		return false
	}
	// The attribution may be broken over up to three lines, and its last
	// line may itself look quoted (">:" after a broken address).
	joined := t
	for k := 0; k < 3 && i+k < len(lines); k++ {
		if k > 0 {
			joined += " " + strings.TrimSpace(lines[i+k])
		}
		if attribution.MatchString(joined) {
			return true
		}
	}
	return false
}

// headerBlockAt reports whether an Outlook header block starts at line
// i: "Von:"/"From:" followed within a few lines by at least one more of
// its fields.
func headerBlockAt(lines []string, i int) bool {
	if i < 0 || i >= len(lines) || !blockOpener.MatchString(lines[i]) {
		return false
	}
	for k := i + 1; k < len(lines) && k <= i+5; k++ {
		if quoteHeaderField.MatchString(lines[k]) && !blockOpener.MatchString(lines[k]) {
			return true
		}
	}
	return false
}

func nextNonBlank(lines []string, i int) int {
	for ; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return i
		}
	}
	return -1
}

// historyLeads lists, lower-cased, the first two bytes of every marker
// that historyStarts looks for after leading white space. They come from
// separators and rules ("--", "__", "anfang", "begin", "weitergeleitete"),
// Outlook's "Von:"/"From:", sent-from lines ("von meinem", "sent",
// "gesendet", "get", "outlook") and attributions ("am", "on", "le").
var historyLeads = []string{"--", "__", "an", "be", "we", "vo", "fr", "se", "ge", "ou", "am", "on", "le"}

// mayStartHistory is a cheap test that rules out most lines before the
// regular expressions of historyStarts run. It returns false only for
// lines that none of them can match. A line passes when one of its first
// two characters after white space is not ASCII, because (?i) lets
// non-ASCII letters such as "ſ" match "s".
func mayStartHistory(line string) bool {
	t := strings.TrimLeftFunc(line, unicode.IsSpace)
	if len(t) < 2 {
		return false // every marker has at least two characters
	}
	if t[0] >= utf8.RuneSelf || t[1] >= utf8.RuneSelf || t[0] == '*' {
		return true // "*" may precede Outlook's bold "*Von:*"
	}
	c0, c1 := lowerASCII(t[0]), lowerASCII(t[1])
	for _, lead := range historyLeads {
		if c0 == lead[0] && c1 == lead[1] {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
