package rules

import (
	"regexp"
	"sort"
	"strings"

	"mailbot/register"
)

var (
	// positionPattern finds a staffing-plan number behind "Stelle",
	// "Stellennummer", "Stellen-Nr.", "Stellenplannummer" or "Stelle Nr.".
	positionPattern = regexp.MustCompile(`(?i)\bstelle(?:n(?:plan)?(?:-?(?:nummer|nr\.?))?)?\s*(?:nr\.?|nummer)?\s*:?\s*(\d{1,4}(?:\.\d{1,4}){1,4})\b`)

	// budgetID finds an id of the form year and number, written
	// "2026-14", "2026/15", "2026 - 30" or with a dash.
	budgetID = regexp.MustCompile(`(\d{4})\s*[-/–]\s*(\d{1,4})`)

	// budgetCue ends the text before an id that names a budget item, such
	// as "Budgetantrag", "IT-Budgetposten Nr." or "Haushaltsposten:".
	budgetCue = regexp.MustCompile(`(?i)(?:budget\p{L}*|haushalts\p{L}+|posten|position)\s*(?:nr\.?|nummer)?\s*:?\s*$`)

	// budgetJoin ends the text between two ids of one list, as in
	// "Posten 2026-14 und 2026-21".
	budgetJoin = regexp.MustCompile(`(?i)^\s*(?:,|und|sowie|bzw\.?|oder|&)\s*(?:(?:aus\s+)?(?:dem\s+)?(?:posten|budgetposten)\s*)?$`)

	// orderWords in normalised text show that a mail orders something, so
	// that an id of the budget register without a budget word counts.
	orderWords = terms([]string{"bestell", "beschaff", "^kauf", "gekauft", "anschaff", "^order", "abruf", "liefer"})
)

// FindPosition returns the first staffing-plan number named in text.
func FindPosition(text string) string {
	if !containsFoldASCII(text, "stelle") || !mayNamePosition(text) {
		return ""
	}
	if m := positionPattern.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// budgetRef is a budget item id named in a mail.
type budgetRef struct {
	id string // the register's spelling when the item is registered
	at int    // byte offset in the text
}

// findBudgetIDs returns the budget item ids a mail names, in order and
// each once. An id counts when a budget word is right before it
// ("Posten 2026-14", also for the further ids of a list such as "Posten
// 2026-14 und 2026-21"), or when it is an id of the register and the mail
// orders something. A bare number such as an extension "2026-14" in a
// fault report is no budget item.
func findBudgetIDs(text string, regs *register.Set) []string {
	var refs []budgetRef
	seen := map[string]bool{}
	add := func(id string, at int) {
		if b := regs.BudgetItem(id); b != nil {
			id = b.ID
		} else if m := budgetID.FindStringSubmatch(id); m != nil {
			id = m[1] + "-" + m[2]
		}
		if !seen[strings.ToLower(id)] {
			seen[strings.ToLower(id)] = true
			refs = append(refs, budgetRef{id, at})
		}
	}

	order := -1 // unknown yet
	ordering := func() bool {
		if order < 0 {
			order = 0
			if _, ok := firstMatch(Normalize(text), nil, orderWords); ok {
				order = 1
			}
		}
		return order == 1
	}

	lastEnd := -1 // end of the last id that counted through a budget word
	var locs [][]int
	if mayNameBudgetID(text) {
		locs = budgetID.FindAllStringSubmatchIndex(text, -1)
	}
	for _, loc := range locs {
		start, end := loc[0], loc[1]
		if start > 0 && isIDByte(lower(text[start-1])) || end < len(text) && (isDigit(text[end]) || followsDigit(text[end:])) {
			// Part of a longer id (a ticket tag), a date or a number.
			continue
		}
		id := text[loc[2]:loc[3]] + "-" + text[loc[4]:loc[5]]
		before := text[max(0, start-40):start]
		switch {
		case budgetCue.MatchString(before) || lastEnd >= 0 && budgetJoin.MatchString(text[lastEnd:start]):
			add(id, start)
			lastEnd = end
		case regs.BudgetItem(id) != nil && ordering():
			add(id, start)
		}
	}

	if regs != nil {
		// Register ids of other shapes, such as "IT-B-17", count bare.
		for _, b := range regs.Budget {
			if budgetID.MatchString(b.ID) {
				continue
			}
			if at := tokenIndex(text, b.ID); at >= 0 && ordering() {
				add(b.ID, at)
			}
		}
	}

	sort.SliceStable(refs, func(i, j int) bool { return refs[i].at < refs[j].at })
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.id
	}
	return ids
}

// mayNameBudgetID reports whether budgetID matches somewhere in text,
// in one pass without the regexp engine: four digits, a dash or slash and
// a digit, with white space around the dash. Mails without such a match
// skip the slower regexp search.
func mayNameBudgetID(text string) bool {
	digits := 0 // length of the run of digits that ends before i
	for i := 0; i < len(text); i++ {
		if isDigit(text[i]) {
			digits++
			continue
		}
		if digits >= 4 && budgetIDRest(text[i:]) {
			return true
		}
		digits = 0
	}
	return false
}

// budgetIDRest reports whether s starts like the part of a budget id
// after its year: white space, "-", "/" or "–", white space and a digit.
func budgetIDRest(s string) bool {
	s = strings.TrimLeft(s, "\t\n\f\r ") // \s of package regexp
	switch {
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "/"):
		s = s[1:]
	case strings.HasPrefix(s, "–"):
		s = s[len("–"):]
	default:
		return false
	}
	s = strings.TrimLeft(s, "\t\n\f\r ")
	return s != "" && isDigit(s[0])
}

// findBudgetID returns the first budget item id named in text.
func findBudgetID(text string, regs *register.Set) string {
	if ids := findBudgetIDs(text, regs); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c | 0x20
	}
	return c
}

// followsDigit reports whether s starts with "-", "/" or "." and a digit,
// as the rest of a date such as 2026-12-03 does.
func followsDigit(s string) bool {
	return len(s) > 1 && (s[0] == '-' || s[0] == '/' || s[0] == '.') && isDigit(s[1])
}

// mayNamePosition is a cheap test that rules out most texts that contain
// "stelle" before positionPattern runs, such as orders with "bestellen".
// A match needs "stelle" at the start of a word (or spelled with "ſ",
// which (?i) folds to "s") and a number with a dot.
func mayNamePosition(text string) bool {
	if !startsWordFoldASCII(text, "stelle") && !strings.Contains(text, "ſ") {
		return false
	}
	for i := 1; i+1 < len(text); i++ {
		if text[i] == '.' && isDigit(text[i-1]) && isDigit(text[i+1]) {
			return true
		}
	}
	return false
}

// startsWordFoldASCII reports whether the lower-case ASCII word w starts
// a word of text in any case, where a word starts after a byte that is
// no ASCII letter, digit or underscore, as for \b in package regexp.
func startsWordFoldASCII(text, w string) bool {
	for i := 0; i+len(w) <= len(text); i++ {
		if text[i]|0x20 == w[0] && (i == 0 || !isASCIIWordByte(text[i-1])) && strings.EqualFold(text[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

func isASCIIWordByte(c byte) bool {
	return c == '_' || isDigit(c) || 'a' <= lower(c) && lower(c) <= 'z'
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
// an alias starts a word of the normalised text. pairs is the pair set of
// text, or nil.
func findApplication(text string, pairs *pairSet, apps []appTerms) *register.Application {
	best, bestAt := -1, -1
	for i, a := range apps {
		for _, t := range a.terms {
			if !t.mayOccur(pairs) {
				continue
			}
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
