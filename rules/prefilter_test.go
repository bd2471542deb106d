package rules

import (
	"os"
	"path/filepath"
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

func TestMayNamePosition(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Stelle 50.3.12", true}, {"die Stellennummer: 12.4", true}, {"(Stelle Nr. 1.2)", true},
		{"Büro-Stelle 1.2", true}, {"ſtelle 1.2", true}, {"Bitte bestellen Sie 2 Stück am 03.12.", false},
		{"an dieser Stelle danke", false}, {"Planstelle 1.2", false},
	} {
		if got := mayNamePosition(tc.text); got != tc.want {
			t.Errorf("mayNamePosition(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// FuzzMayNamePosition checks that the cheap test passes every text in
// which positionPattern finds a position.
func FuzzMayNamePosition(f *testing.F) {
	for _, s := range []string{"Stelle 50.3.12", "xStelle 1.2 und Stelle 3.4", "ſtelle 1.2", "bestellen 1.2", "_stelle 1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if positionPattern.MatchString(text) && !mayNamePosition(text) {
			t.Errorf("mayNamePosition(%q) = false, but positionPattern matches", text)
		}
	})
}

// FuzzMayNameBudgetID checks that the cheap test agrees with budgetID on
// every text.
func FuzzMayNameBudgetID(f *testing.F) {
	for _, s := range []string{"Posten 2026-14", "2026 – 3", "2026 /\t15", "12026-1", "2026-", "Durchwahl 4711", "03.12.2026", "2026\u00a0-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := mayNameBudgetID(text), budgetID.MatchString(text); got != want {
			t.Errorf("mayNameBudgetID(%q) = %v, budgetID matches: %v", text, got, want)
		}
	})
}

// FuzzNormalizePlainASCII checks that the shortcut of Normalize for plain
// ASCII words gives what the full normalisation gives.
func FuzzNormalizePlainASCII(f *testing.F) {
	for _, s := range []string{"", "Vorklaerung", "IT/50", "JF:", "a-b", "A B", "x\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isPlainASCII(s) && Normalize(s) != normalizeText(s) {
			t.Errorf("Normalize(%q) = %q, full normalisation gives %q", s, Normalize(s), normalizeText(s))
		}
	})
}

func TestMayBeContactLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Anna Beispiel", false}, {"Bürgerbüro", false}, {"", false}, {"Tel.: 0123 4567", true},
		{"Sekretariat Amtsleitung", false}, {"Kita-Verwaltung", true}, {"IT-Budget Amt 50", false},
		{"+49 30 1234567", true}, {"anna@stadt.example", true}, {"Raum 2.14 | Rathaus", true},
		{"Musterstraße 5", true}, {"https://stadt.example", true}, {"\u212aoordination", true},
	} {
		if got := mayBeContactLine(tc.line); got != tc.want {
			t.Errorf("mayBeContactLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// FuzzMayBeContactLine checks that the cheap test passes every line that
// contactLine matches. Seeds include the lines of the triage corpus.
func FuzzMayBeContactLine(f *testing.F) {
	for _, s := range []string{"Anna Beispiel", "Teamleitung", "MUSTERSTRASSE 5", "ſachgebiet", "Gebäude A", "12345 Stadt"} {
		f.Add(s)
	}
	files, _ := filepath.Glob("../testdata/triage/*.eml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(strings.TrimSuffix(line, "\r"))
		}
	}
	f.Fuzz(func(t *testing.T, line string) {
		if contactLine.MatchString(line) && !mayBeContactLine(line) {
			t.Errorf("mayBeContactLine(%q) = false, but contactLine matches", line)
		}
	})
}
