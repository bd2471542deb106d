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
