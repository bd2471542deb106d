package rules

import (
	"regexp"
	"strings"
	"unicode"

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
	lead := strings.TrimLeft(line, " \t*")
	if lead == "" || strings.IndexByte("-_abfov", lower(lead[0])) < 0 {
		// A non-ASCII first letter never lower-cases to one of these.
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

// stripSignature cuts the lines at a "-- " signature separator, at the
// first closing formula or disclaimer, and before a signature block that
// ends the text without a closing formula. It joins the lines left.
func stripSignature(lines []string) string {
	for i, l := range lines {
		if l == "-- " || l == "--" || maybeClosing(l) && closingLine.MatchString(l) ||
			i > 0 && disclaimerLine.MatchString(l) {
			lines = lines[:i]
			break
		}
	}
	lines = lines[:signatureStart(lines)]
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

var (
	// contactLine matches the lines of a signature block below the name:
	// phone, fax, mail and web, room and address, and the organisation
	// (office, unit, department), also several joined by "|".
	contactLine = regexp.MustCompile(`(?i)^\s*(?:(?:tel(?:efon)?|fon|phone|fax|telefax|mobil|handy|e-?mail|mail|web|www|internet|zimmer|raum|geb(?:ä|ae)ude)\b\.?\s*:?|amt\s+\d|stadt(?:verwaltung)?\s+\S|abt\.|sachgebiet|referat|fachbereich|dezernat|postfach\b|\p{L}*(?:leitung|leiter|leiterin|referent|referentin|beauftragter?|sachbearbeitung|sachbearbeiter|sachbearbeiterin|stelle|abteilung|gruppe|team|dienst|koordination|verwaltung)\b|\d{5}\s+\p{L}|[\p{L}.-]+(?:stra(?:ß|ss)e|str\.|weg|platz|gasse|allee)\s+\d)|^[^|]{1,80}\|[^|]{1,80}|^\s*(?:\+?\d[\d /()-]{5,})\s*$|^\s*\S+@\S+\.\S+\s*$|^\s*(?:https?://|www\.)\S+\s*$`)

	// nameLine matches a line with only a name: one to four capitalised
	// words, initials or academic titles, as a sender signs.
	nameLine = regexp.MustCompile(`^\s*(?:(?:Dr\.|Prof\.|Dipl\.-\p{L}+\.?)\s+)*\p{Lu}[\p{L}'.-]*(?:\s+\p{Lu}[\p{L}'.-]*){0,3}\s*$`)

	// disclaimerLine matches the first line of a legal notice that some
	// mail servers add below every mail.
	disclaimerLine = regexp.MustCompile(`(?i)^\s*(?:diese (?:e-?mail|nachricht)\s+(?:kann|enth(?:ä|ae)lt|ist)|der inhalt dieser (?:e-?mail|nachricht)|this (?:e-?mail|message)\s+(?:may|contains|is)|vertraulichkeitshinweis|haftungsausschluss|disclaimer\s*:|bitte denken sie an die umwelt)`)
)

// contactWords lists, lower-cased, the field names, units, job titles
// and street names of contactLine, and "http" for web addresses. The
// first word of a line must contain one of them for its first and last
// alternatives to match.
var contactWords = []string{"tel", "fon", "phone", "fax", "mobil", "handy", "mail", "web", "www", "http",
	"internet", "zimmer", "raum", "gebäude", "gebaeude", "amt", "stadt", "abt.", "sachgebiet", "referat",
	"fachbereich", "dezernat", "postfach", "leit", "referent", "beauftragt", "sachbearbeit", "stelle",
	"abteilung", "gruppe", "team", "dienst", "koordination", "verwaltung",
	"straße", "strasse", "str.", "weg", "platz", "gasse", "allee"}

// mayBeContactLine is a cheap test that rules out most lines, such as a
// name, before contactLine runs. It returns false only for lines that
// contactLine cannot match: no "|" or "@", no "+" or digit first, and no
// entry of contactWords in the first word (letters, dots and hyphens).
func mayBeContactLine(line string) bool {
	if strings.ContainsAny(line, "|@") {
		return true
	}
	t := strings.TrimLeft(line, "\t\n\f\r ") // \s of package regexp
	if t == "" {
		return false
	}
	if t[0] == '+' || isDigit(t[0]) {
		return true
	}
	end := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' && r != '-' })
	if end < 0 {
		end = len(t)
	}
	word := t[:end]
	if strings.ContainsRune(word, 'ſ') {
		return true // (?i) matches "ſ" for "s", and strings.ToLower keeps it
	}
	word = strings.ToLower(word)
	for _, w := range contactWords {
		if strings.Contains(word, w) {
			return true
		}
	}
	return false
}

// signatureStart returns the index of the first line of a signature block
// that ends lines without a closing formula above it: a name line
// followed only by contact or organisation lines, or two or more such
// lines without a name. Without such a block it returns len(lines).
func signatureStart(lines []string) int {
	end := len(lines)
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	i := end
	// sentence goes first: it is far cheaper than contactLine, and the last
	// line of most mails is running text.
	for i > 0 && !sentence(lines[i-1]) && mayBeContactLine(lines[i-1]) && contactLine.MatchString(lines[i-1]) {
		i--
	}
	switch {
	case i == end || i == 0:
		return len(lines)
	case nameLine.MatchString(lines[i-1]):
		i--
	case end-i < 2:
		// One contact-like line without a name above it may be text.
		return len(lines)
	}
	if !hasText(lines[:i]) {
		// Never cut everything: a mail that is all signature keeps it.
		return len(lines)
	}
	return i
}

// sentence reports whether a line reads as running text rather than a
// signature entry: it ends like a sentence and has several words.
func sentence(line string) bool {
	l := strings.TrimSpace(line)
	return l != "" && strings.ContainsAny(l[len(l)-1:], ".!?") && countFields(l) > 6
}

// countFields returns len(strings.Fields(s)) without allocating.
func countFields(s string) int {
	n := 0
	inField := false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !inField {
			n++
		}
		inField = !space
	}
	return n
}

func hasText(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return true
		}
	}
	return false
}
