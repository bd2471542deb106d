package templates

import (
	"strings"
	"testing"
)

func TestWrapKeepsLinesShort(t *testing.T) {
	text := "Die IT hat die Bearbeitung abgeschlossen. Besteht das Problem weiter, antworten Sie bitte auf diese Mail; die IT kann das Ticket wieder eröffnen."
	got := "So geht es weiter: " + wrap(len("So geht es weiter: "), text)
	for _, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > lineWidth {
			t.Errorf("line of %d characters: %q", n, line)
		}
	}
	if strings.Join(strings.Fields(got), " ") != "So geht es weiter: "+text {
		t.Errorf("wrap changed the words: %q", got)
	}
}

func TestWrapKeepsLongWordAndBreaks(t *testing.T) {
	long := strings.Repeat("x", 80)
	if got := wrap(0, "a "+long+" b\nc"); got != "a\n"+long+"\nb\nc" {
		t.Errorf("wrap = %q", got)
	}
}
