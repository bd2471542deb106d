package parse

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics and that what it returns keeps
// its promises: valid UTF-8, the size limits and a full hash.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"../testdata/cases/*.eml", "../testdata/badmail/*.eml", "testdata/*.eml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			raw, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(raw)
		}
	}
	f.Add([]byte("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n"))

	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err != nil {
			if m != nil {
				t.Fatal("Parse returned a message and an error")
			}
			return
		}
		m.Robot()
		for label, s := range map[string]string{
			"Subject": m.Subject, "Text": m.Text, "From.Name": m.From.Name, "From.Addr": m.From.Addr,
		} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", label, s)
			}
		}
		for _, a := range m.Attachments {
			if !utf8.ValidString(a.Name) || a.Size < 0 {
				t.Errorf("bad attachment %+v", a)
			}
		}
		if len(m.Text) > MaxTextBytes || len(m.HTML) > MaxHTMLBytes || len(m.Attachments) > MaxAttachments {
			t.Errorf("limits exceeded: text %d, html %d, attachments %d", len(m.Text), len(m.HTML), len(m.Attachments))
		}
		if len(m.ContentHash) != 64 || m.Size != len(raw) {
			t.Errorf("ContentHash %q, Size %d", m.ContentHash, m.Size)
		}
		if len(m.Warnings) > maxWarnings+1 {
			t.Errorf("%d warnings", len(m.Warnings))
		}
	})
}
