package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// historyMarker reports whether any marker of historyStarts matches the
// line, checked without the cheap test. mayStartHistory must pass every
// such line.
func historyMarker(line string) bool {
	t := strings.ToLower(strings.TrimSpace(line))
	return separatorLine.MatchString(line) || signatureLine.MatchString(line) ||
		ruleLine.MatchString(line) || blockOpener.MatchString(line) ||
		strings.HasPrefix(t, "am ") || strings.HasPrefix(t, "on ") || strings.HasPrefix(t, "le ")
}

// historyLines contain every marker shape of historyStarts, with case,
// white space and Unicode case folding varied.
var historyLines = []string{
	"-----Ursprüngliche Nachricht-----", "  -- Original Message --", "Begin forwarded message:",
	"ANFANG DER WEITERGELEITETEN NACHRICHT:", "Weitergeleitete Nachricht:", "________________________________",
	"\t---", "-- ", "--", "Von meinem iPhone gesendet", "Sent from my iPad", "ſent from my iPhone",
	"Gesendet von Outlook für iOS", "Get Outlook for Android", "Outlook für iOS beziehen",
	"Outloo\u212a für iOS beziehen", "Von: Anna Beispiel", "*From:* Anna", " *Von:* Anna", "\u00a0Am 3. Dez. schrieb A:",
	"AM 3. Dez. schrieb A:", "On Fri, Dec 4 wrote:", "Le 4 déc. a écrit :", "\vOn Fri wrote:",
}

func TestMayStartHistoryMarkers(t *testing.T) {
	for _, line := range historyLines {
		if !historyMarker(line) {
			t.Errorf("no marker matches %q: fix the test line", line)
		}
		if !mayStartHistory(line) {
			t.Errorf("mayStartHistory(%q) = false, want true", line)
		}
	}
}

func TestMayStartHistoryRejects(t *testing.T) {
	for _, line := range []string{"", " ", "-", "Guten Morgen,", "der Drucker druckt nicht.", "Mit freundlichen Grüßen", "42"} {
		if mayStartHistory(line) {
			t.Errorf("mayStartHistory(%q) = true, want false", line)
		}
	}
}

// FuzzMayStartHistory checks that the cheap test passes every line that a
// marker of historyStarts matches. Seeds: the lines above and those of the
// reply corpus in ../testdata/replies.
func FuzzMayStartHistory(f *testing.F) {
	for _, line := range historyLines {
		f.Add(line)
	}
	files, _ := filepath.Glob("../testdata/replies/*.eml")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			f.Add(strings.TrimSuffix(line, "\r"))
		}
	}
	f.Fuzz(func(t *testing.T, line string) {
		if historyMarker(line) && !mayStartHistory(line) {
			t.Errorf("mayStartHistory(%q) = false, but a marker matches", line)
		}
	})
}

func TestIsCleanText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", true}, {"Drucker im Bürgerbüro", true}, {" Drucker", false}, {"Drucker ", false},
		{"Drucker  defekt", false}, {"Drucker\tdefekt", false}, {"Drucker\u00a0defekt", false},
		{"Drucker\u2028defekt", false}, {"Drucker \xff", false}, {"\ufffd", true},
	} {
		if got := isCleanText(tc.in); got != tc.want {
			t.Errorf("isCleanText(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzCleanText checks that collapseText leaves every text that
// isCleanText passes unchanged, so the shortcut in cleanText returns what
// collapsing would.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "Drucker defekt", " a  b\t", "\xffa", "a\u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isCleanText(s) && collapseText(s) != s {
			t.Errorf("isCleanText(%q) = true, but collapseText gives %q", s, collapseText(s))
		}
	})
}
