package command_test

import (
	"strings"
	"testing"

	"mailbot/command"
)

// FuzzParse checks that every command Parse returns comes from a line
// starting with "#" and that the comment never holds a command line.
// Seeds: testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add("#zuweisen anna@stadt.example\nText\n#erledigt")
	f.Add("#Ü\u0308bernehmen")
	f.Fuzz(func(t *testing.T, text string) {
		cmds, comment := command.Parse(text, vocab)
		lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
		for _, c := range cmds {
			if c.Line < 1 || c.Line > len(lines) {
				t.Fatalf("command %+v has line %d of %d", c, c.Line, len(lines))
			}
			if !strings.HasPrefix(strings.TrimSpace(lines[c.Line-1]), "#"+c.Keyword) {
				t.Fatalf("command %+v not at the start of line %q", c, lines[c.Line-1])
			}
		}
		if again, _ := command.Parse(comment, vocab); len(again) != 0 {
			t.Fatalf("comment %q still holds commands %+v", comment, again)
		}
		command.ParseSubject(text, vocab)
	})
}
