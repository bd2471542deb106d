package parse

import (
	"regexp"
	"strings"
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
	t := strings.TrimSpace(l)
	switch {
	case separatorLine.MatchString(l), signatureLine.MatchString(l):
		return true
	case ruleLine.MatchString(l):
		return headerBlockAt(lines, nextNonBlank(lines, i+1))
	case blockOpener.MatchString(l):
		return headerBlockAt(lines, i)
	}
	if !strings.HasPrefix(strings.ToLower(t), "am ") && !strings.HasPrefix(strings.ToLower(t), "on ") &&
		!strings.HasPrefix(strings.ToLower(t), "le ") {
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
