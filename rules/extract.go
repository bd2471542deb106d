package rules

import (
	"regexp"
	"strings"

	"mailbot/register"
)

var (
	// positionPattern finds a staffing-plan number behind "Stelle",
	// "Stellennummer", "Stellen-Nr.", "Stellenplannummer" or "Stelle Nr.".
	positionPattern = regexp.MustCompile(`(?i)\bstelle(?:n(?:plan)?(?:-?(?:nummer|nr\.?))?)?\s*(?:nr\.?|nummer)?\s*:?\s*(\d{1,4}(?:\.\d{1,4}){1,4})\b`)

	// budgetPattern finds an item id behind a budget word, such as
	// "Budgetantrag 2026-14", "IT-Budgetposten Nr. 2026-7" or
	// "Haushaltsposten: 2026-03".
	budgetPattern = regexp.MustCompile(`(?i)(?:budget(?:antrag|antrags|posten|position|nummer)?|haushaltsposten|haushaltsposition|posten)\s*(?:nr\.?|nummer)?\s*:?\s*(\d{4}-\d{1,4})\b`)
)

// FindPosition returns the first staffing-plan number named in text.
func FindPosition(text string) string {
	if !containsFoldASCII(text, "stelle") {
		return ""
	}
	if m := positionPattern.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// findBudgetID returns the first budget item id named in text: an id of
// the register as a whole token, else an id behind a budget word.
func findBudgetID(text string, regs *register.Set) string {
	best, bestAt := "", -1
	if regs != nil {
		for _, b := range regs.Budget {
			if at := tokenIndex(text, b.ID); at >= 0 && (bestAt < 0 || at < bestAt) {
				best, bestAt = b.ID, at
			}
		}
	}
	if !containsFoldASCII(text, "posten") && !containsFoldASCII(text, "budget") && !containsFoldASCII(text, "haushalts") {
		return best
	}
	if loc := budgetPattern.FindStringSubmatchIndex(text); loc != nil && (bestAt < 0 || loc[2] < bestAt) {
		best = text[loc[2]:loc[3]]
	}
	return best
}

// containsFoldASCII reports whether text contains the lower-case ASCII
// word w in any case, without allocating.
func containsFoldASCII(text, w string) bool {
	for i := 0; i+len(w) <= len(text); i++ {
		if text[i]|0x20 == w[0] && strings.EqualFold(text[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// tokenIndex returns the first index of id in text where it is not part of
// a longer word, number or id, or -1.
func tokenIndex(text, id string) int {
	if id == "" {
		return -1
	}
	lower, lid := strings.ToLower(text), strings.ToLower(id)
	for from := 0; ; {
		i := strings.Index(lower[from:], lid)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(lid)
		if (i == 0 || !isIDByte(lower[i-1])) && (end == len(lower) || !isIDByte(lower[end])) {
			return i
		}
		from = i + 1
	}
}

func isIDByte(c byte) bool {
	return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 0x80
}

// findApplication returns the first registered application whose name or
// an alias starts a word of the normalised text.
func findApplication(text string, apps []appTerms) *register.Application {
	best, bestAt := -1, -1
	for i, a := range apps {
		for _, t := range a.terms {
			if at := t.index(text); at >= 0 && (bestAt < 0 || at < bestAt) {
				best, bestAt = i, at
			}
		}
	}
	if best < 0 {
		return nil
	}
	return apps[best].app
}

// appTerms is an application with its names compiled for matching.
type appTerms struct {
	app   *register.Application
	terms []term
}

func compileApps(regs *register.Set) []appTerms {
	if regs == nil {
		return nil
	}
	var out []appTerms
	for i := range regs.Applications {
		a := &regs.Applications[i]
		at := appTerms{app: a}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if t, ok := compileTerm("^" + n); ok {
				at.terms = append(at.terms, t)
			}
		}
		out = append(out, at)
	}
	return out
}
