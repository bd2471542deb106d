package rules

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// quantityPattern finds a number of pieces before a noun, maybe with
	// up to two adjectives between: "3 Stück", "drei Monitore", "für 4
	// Arbeitsplätze", "die zwei neuen Scanner", or with a times sign, "2x
	// Scanner", "2 × Headset", on one line. The byte before the number
	// must not belong to a longer number or a date ("1.800 €").
	quantityPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}.,/\-–:])(\d{1,3}|[Zz]wei|[Dd]rei|[Vv]ier|[Ff]ünf|[Ss]echs|[Ss]ieben|[Aa]cht|[Nn]eun|[Zz]ehn|[Ee]lf|[Zz]wölf)(\p{Zs}?[xX×][\p{Zs}\t]+|[\p{Zs}\t]+)((?:\p{Ll}+(?:e|en|er|es|em)[\p{Zs}\t]+){0,2})(\p{L}+)`)

	// quantityWords are the number words quantityPattern matches. "ein"
	// and "eine" are left out because they are articles far more often.
	quantityWords = map[string]int{"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
		"sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12}

	// notPieces are the lower-case words after a number that count time,
	// money, sizes or people rather than pieces to order.
	notPieces = wordSet("tag tage tagen woche wochen monat monate monaten jahr jahre jahren " +
		"stunde stunden minute minuten sekunden uhr werktage werktagen arbeitstage arbeitstagen " +
		"januar februar märz april mai juni juli august september oktober november dezember " +
		"euro eur cent prozent mal zoll gb tb mb ghz hz cm mm m kg watt kw kb seite seiten " +
		"mitarbeiter mitarbeiterin mitarbeiterinnen mitarbeitende mitarbeitenden kollegen kolleginnen " +
		"personen beschäftigte beschäftigten leute og ug etage etagen stock")

	// notCountBefore are the lower-case words after which a number is a
	// label, version or place, not a quantity: "Windows 11 Rechner",
	// "Raum 3 Drucker".
	notCountBefore = wordSet("raum zimmer windows office version nr nummer haus gebäude amt etage " +
		"stock kw tel telefon durchwahl ticket posten iphone ipad galaxy stufe gruppe seite teil " +
		"kapitel anlage punkt am vom bis ab seit um zum oder bzw zu ca circa etwa ungefähr rund " +
		"maximal höchstens mindestens max min")

	// perWords before a number make it a count per something, such as
	// "je 2 Monitore", so that the total is not stated.
	perWords = wordSet("je jeweils pro")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// FindQuantity returns the number of pieces text orders, or 0 when it
// states none or the number is unclear.
//
// A quantity is a number (digits up to 999, or a number word from zwei
// to zwölf) right before a noun, or before "x" and a word. The noun must
// not count time, money, sizes or people. The number must not follow a
// word that makes it a label, such as "Windows" or "Raum", nor be part
// of a budget id. Different quantities in one text ("3 Monitore und 2
// Tastaturen") and counts per something ("je 2 Monitore", "2 Monitore
// pro Arbeitsplatz") leave the total unclear, so the result is 0.
func FindQuantity(text string) int {
	if !strings.ContainsFunc(text, unicode.IsDigit) && !mayNameNumberWord(text) {
		return 0
	}
	// The numbers of a budget id ("Haushaltsposten 2026 - 30") are no
	// quantity.
	text = budgetID.ReplaceAllString(text, "\x00")
	found := 0
	for _, m := range quantityPattern.FindAllStringSubmatchIndex(text, -1) {
		num, sep, noun := text[m[2]:m[3]], text[m[4]:m[5]], text[m[8]:m[9]]
		times := strings.TrimSpace(sep) != ""
		if !times {
			// Without a times sign the next word must be a noun, which
			// German writes with a capital letter.
			if r, _ := utf8.DecodeRuneInString(noun); !unicode.IsUpper(r) {
				continue
			}
		}
		before := lastWord(text[:m[2]])
		if perWords[before] || perWords[firstWord(text[m[1]:])] {
			return 0
		}
		if notPieces[strings.ToLower(noun)] || notCountBefore[before] {
			continue
		}
		n, ok := quantityWords[strings.ToLower(num)]
		if !ok {
			if !isDigit(num[0]) {
				continue
			}
			n, _ = strconv.Atoi(num)
		}
		if n <= 0 {
			continue
		}
		if found != 0 && found != n {
			return 0
		}
		found = n
	}
	return found
}

// mayNameNumberWord is a cheap test for a number word in text.
func mayNameNumberWord(text string) bool {
	lower := strings.ToLower(text)
	for w := range quantityWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// firstWord returns the first word of s in lower case when s starts
// with spaces or a word.
func firstWord(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// lastWord returns the last word of s in lower case, ignoring spaces,
// a full stop or a colon after it ("Nr. 3"), or "" when s ends otherwise.
func lastWord(s string) string {
	s = strings.TrimRight(strings.TrimRightFunc(s, unicode.IsSpace), ".:")
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return strings.ToLower(s[i+1:])
}
