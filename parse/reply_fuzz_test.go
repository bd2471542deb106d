package parse_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"mailbot/parse"
)

// FuzzNewText checks that the quote stripper never panics, never returns a
// quoted line and never returns more than it was given. Seeds: the reply
// corpus in ../testdata/replies and testdata/fuzz/FuzzNewText.
func FuzzNewText(f *testing.F) {
	files, _ := filepath.Glob("../testdata/replies/*.eml")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if msg, err := parse.Parse(raw); err == nil {
			f.Add(msg.Text)
		}
	}
	f.Add("Am 1.\n> 2\nschrieb:\n")
	f.Fuzz(func(t *testing.T, text string) {
		got := parse.NewText(text)
		if len(got) > len(text) {
			t.Fatalf("NewText returned %d bytes from %d", len(got), len(text))
		}
		for _, line := range strings.Split(got, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " \t"), ">") {
				t.Fatalf("NewText kept quoted line %q", line)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("NewText made invalid UTF-8 from %q", text)
		}
	})
}
