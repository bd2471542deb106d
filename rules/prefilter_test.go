package rules

import (
	"strings"
	"testing"
)

func TestCountFieldsMatchesFields(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "Guten Morgen,  der Drucker\tdruckt\u00a0nicht.", "\u2003x\u2003y", "\xff \xfe", "a\nb\r\nc"} {
		if got, want := countFields(s), len(strings.Fields(s)); got != want {
			t.Errorf("countFields(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestPairSetKeepsSubstrings(t *testing.T) {
	text := Normalize("Der Drucker im Bürgerbüro Süd druckt seit heute früh nicht mehr.")
	var s pairSet
	s.addPairs(text)
	for _, term := range []string{"drucker", "^druckt", "druckt … nicht", "scanner | buergerbuero", "d", "sued"} {
		tm, ok := compileTerm(term)
		if !ok {
			t.Fatalf("compileTerm(%q) failed", term)
		}
		if !tm.mayOccur(&s) {
			t.Errorf("mayOccur(%q) = false for %q", term, text)
		}
	}
}

func TestPairSetRejectsMissingTerms(t *testing.T) {
	var s pairSet
	s.addPairs(Normalize("Der Drucker druckt nicht."))
	for _, term := range []string{"scanner", "monitor | headset", "drucker … toner"} {
		tm, _ := compileTerm(term)
		if tm.mayOccur(&s) {
			t.Errorf("mayOccur(%q) = true, want false", term)
		}
	}
}

// FuzzPairSet checks that every substring of a text passes the text's
// pair set, so that the set never hides a term the text contains.
func FuzzPairSet(f *testing.F) {
	f.Add("der drucker druckt nicht", 4, 11)
	f.Add("ae\xffoe ss", 0, 8)
	f.Fuzz(func(t *testing.T, text string, i, j int) {
		if i < 0 || j > len(text) || i > j {
			return
		}
		var s pairSet
		s.addPairs(text)
		if !s.has(pairsOf(text[i:j])) {
			t.Errorf("pair set of %q rejects its substring %q", text, text[i:j])
		}
	})
}
