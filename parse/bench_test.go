package parse_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"mailbot/bench/gen"
	"mailbot/parse"
)

// BenchmarkParseGenerated parses typical office mails: quoted-printable
// text/plain in UTF-8 and in ISO-8859-1, and multipart/alternative with
// an HTML part.
func BenchmarkParseGenerated(b *testing.B) {
	staff := gen.People(1, "bench")
	date := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		index int // gen.Mail's index picks type, charset and structure
	}{{"utf8-plain", 0}, {"latin1-plain", 4}, {"multipart-html", 6}} {
		raw := gen.Mail(tt.index, staff[0], "support@stadt.example", "bench", date)
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse.Parse(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewText strips the quoted history from every reply of the
// corpus in ../testdata/replies; one op is the whole corpus.
func BenchmarkNewText(b *testing.B) {
	files, err := filepath.Glob("../testdata/replies/*.eml")
	if err != nil || len(files) == 0 {
		b.Fatalf("no replies in the corpus: %v", err)
	}
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		msg, err := parse.Parse(raw)
		if err != nil {
			b.Fatalf("%s: %v", f, err)
		}
		texts = append(texts, msg.Text)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range texts {
			parse.NewText(text)
		}
	}
}
