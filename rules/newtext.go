package rules

import (
	"regexp"
	"strings"

	"mailbot/parse"
)

// The helpers in this file cut a mail body down to what the sender wrote
// now, which is all triage needs. The reply parser of package parse finds
// the quoted history of follow-ups; triage applies it too, and adds what
// only triage needs: the text of a forwarded mail and the cut at a
// closing formula such as "Mit freundlichen Grüßen".

var (
	// quoteHeader matches the first line of "Am 03.12.2026 um 09:14 schrieb
	// Anna Beispiel:" and of "On … wrote:"; the line may be broken in two.
	quoteHeaderStart = regexp.MustCompile(`(?i)^\s*(?:am\s+\S.*|on\s+\S.*)$`)
	quoteHeaderEnd   = regexp.MustCompile(`(?i)(?:schrieb|wrote)(?:\s+\S+){0,6}\s*:\s*$`)

	// separatorLine matches the lines Outlook, Thunderbird, Gmail and Apple
	// Mail put above a quoted or forwarded mail.
	separatorLine = regexp.MustCompile(`(?i)^\s*(?:-{2,}\s*(?:urspr(?:ü|ue)ngliche nachricht|original message|weitergeleitete nachricht|forwarded message)\s*-{2,}|_{10,}|-{10,}|anfang der weitergeleiteten (?:nachricht|e-mail):?|begin forwarded message:?)\s*$`)

	// headerBlockFrom and headerBlockField match Outlook's header block of
	// a quoted mail ("Von: … / Gesendet: … / An: … / Betreff: …").
	headerBlockFrom  = regexp.MustCompile(`(?i)^\s*\*?(?:von|from)\s*:\*?\s*\S`)
	headerBlockField = regexp.MustCompile(`(?i)^\s*\*?(?:gesendet|sent|datum|date|an|to|cc|betreff|subject)\s*:`)
	subjectField     = regexp.MustCompile(`(?i)^\s*\*?(?:betreff|subject)\s*:`)

	// closingLine matches a German or English closing formula on a line of
	// its own; what follows it is the signature.
	closingLine = regexp.MustCompile(`(?i)^\s*(?:mit\s+)?(?:freundlichen|besten|vielen|viele|beste|liebe|herzliche|sonnige|schöne|schoene)?\s*(?:grüßen|grüssen|gruessen|grüße|grüsse|gruesse|gruß|gruss)(?:\s+aus\s+\S+)?\s*[,!.]?\s*$|^\s*(?:mfg|vg|lg|regards|best regards|kind regards)\s*[,!.]?\s*$`)
)

// Split separates a mail body into the new text, cut before quoted
// history and the signature, and the text of a forwarded or quoted mail
// below it (with quote markers and its header block removed).
func Split(body string) (newText, quoted string) {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	cut := len(lines)
	for i := 0; i < len(lines); i++ {
		if startsQuote(lines, i) {
			cut = i
			break
		}
	}
	// parse.NewText knows shapes this file does not (mobile signatures,
	// French attributions); whichever cut comes first wins.
	own := strings.Join(dropQuoted(lines[:cut]), "\n")
	newText = stripSignature(strings.Split(parse.NewText(own), "\n"))
	if cut < len(lines) {
		quoted = stripSignature(unquote(lines[cut:]))
	}
	return newText, quoted
}

// NewText returns only what the sender wrote now: no quoted history, no
// forwarded mail and no signature.
func NewText(body string) string {
	n, _ := Split(body)
	return n
}

// startsQuote reports whether line i begins quoted or forwarded content.
func startsQuote(lines []string, i int) bool {
	line := lines[i]
	// Cheap tests first: most lines start none of the shapes below, and
	// the regular expressions cost most of the time triage takes.
	lead := strings.ToLower(strings.TrimLeft(line, " \t*"))
	if lead == "" {
		return false
	}
	if !strings.ContainsAny(lead[:1], "-_abfov") {
		return false
	}
	if separatorLine.MatchString(line) {
		return true
	}
	if quoteHeaderStart.MatchString(line) {
		if quoteHeaderEnd.MatchString(line) {
			return true
		}
		if i+1 < len(lines) && quoteHeaderEnd.MatchString(strings.TrimSpace(line)+" "+strings.TrimSpace(lines[i+1])) {
			return true
		}
	}
	if headerBlockFrom.MatchString(line) {
		// A "Von:" line opens Outlook's block only with more header lines
		// right below it.
		n := 0
		for j := i + 1; j < len(lines) && j <= i+4; j++ {
			if headerBlockField.MatchString(lines[j]) {
				n++
			}
		}
		return n >= 2
	}
	return false
}

// dropQuoted removes lines quoted with ">" from the new text, for replies
// written between the quoted lines.
func dropQuoted(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " "), ">") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// unquote strips quote markers and the quoted mail's header block except
// its subject, which still names the topic of the mail.
func unquote(lines []string) []string {
	var out []string
	for i, l := range lines {
		l = strings.TrimLeft(l, "> ")
		if i == 0 && (separatorLine.MatchString(lines[0]) || quoteHeaderStart.MatchString(lines[0])) {
			continue
		}
		if headerBlockField.MatchString(l) || headerBlockFrom.MatchString(l) {
			if _, v, ok := strings.Cut(l, ":"); ok && subjectField.MatchString(l) {
				out = append(out, strings.TrimSpace(v))
			}
			continue
		}
		out = append(out, l)
	}
	return out
}

// maybeClosing is a cheap test that rules out most lines before
// closingLine is tried.
func maybeClosing(line string) bool {
	if len(line) > 60 {
		return false
	}
	l := strings.ToLower(line)
	for _, w := range []string{"gr", "mfg", "vg", "lg", "regards"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// stripSignature cuts the lines at a "-- " signature separator or at the
// first closing formula, and joins the rest.
func stripSignature(lines []string) string {
	for i, l := range lines {
		if l == "-- " || l == "--" || maybeClosing(l) && closingLine.MatchString(l) {
			lines = lines[:i]
			break
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
