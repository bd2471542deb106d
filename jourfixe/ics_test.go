package jourfixe

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestICSLinesEndInCRLF: RFC 5545 3.1 ends every content line with CRLF;
// the library's default is LF on Unix.
func TestICSLinesEndInCRLF(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	a := Build(c.JourFixe.SeriesByName("it"), start, time.Hour, agendaInput())
	got := a.ICS("3344@stadt.example", []string{"chef@stadt.example"}, start, "Tagesordnung für Büro\nund Flur")
	if !strings.HasSuffix(got, "END:VCALENDAR\r\n") {
		t.Errorf("invitation does not end in END:VCALENDAR CRLF: %q", got[max(0, len(got)-20):])
	}
	if n := strings.Count(got, "\n") - strings.Count(got, "\r\n"); n != 0 {
		t.Errorf("invitation has %d bare LF line ends:\n%q", n, got)
	}
}

// TestICSFoldsWithinOctetsAndRunes: folded lines stay within 75 octets
// and never split an umlaut's UTF-8 bytes.
func TestICSFoldsWithinOctetsAndRunes(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	a := Build(c.JourFixe.SeriesByName("it"), start, time.Hour, agendaInput())
	got := a.ICS("3344@stadt.example", nil, start, strings.Repeat("Größenänderung der Büroflächen für Übergänge ", 8))
	for line := range strings.SplitSeq(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line splits a character: %q", line)
		}
	}
}
