package parse_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailbot/parse"
)

// TestNewTextCorpus runs every reply of ../testdata/replies through Parse
// and NewText and compares with the .want.txt file beside it.
func TestNewTextCorpus(t *testing.T) {
	files, err := filepath.Glob("../testdata/replies/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d replies in the corpus", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".want.txt")
			if err != nil {
				t.Fatal(err)
			}
			msg, err := parse.Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := parse.NewText(msg.Text)
			if got != strings.TrimSpace(string(want)) {
				t.Errorf("NewText =\n%s\n--- want ---\n%s\n--- parsed text ---\n%s", got, want, msg.Text)
			}
		})
	}
}

func TestNewText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"no history", "Hallo\n\nDanke", "Hallo\n\nDanke"},
		{"crlf", "Neu\r\n\r\n> alt\r\n", "Neu"},
		{"inline quotes dropped", "> Frage?\nAntwort.\n> Frage 2?\nAntwort 2.", "Antwort.\nAntwort 2."},
		{"sentence with am and schrieb kept", "Am Montag schrieb ich Ihnen bereits.\nBitte melden.", "Am Montag schrieb ich Ihnen bereits.\nBitte melden."},
		{"on wrote over two lines", "Ok.\n\nOn Fri, Dec 4, 2026 at 9:12 AM Robot <\n3344@stadt.example> wrote:\n> x", "Ok."},
		{"von without block kept", "Von: mir aus gern.\nDanke", "Von: mir aus gern.\nDanke"},
		{"signature without space", "Text\n--\nSignatur", "Text"},
		{"dashes in text kept", "Text --- mehr Text", "Text --- mehr Text"},
		{"only quote", "> alt\n> alt", ""},
		{"underscore rule", "Neu\n________________________________\nVon: A\nGesendet: B\n", "Neu"},
		{"sent from iphone", "Kurz.\n\nSent from my iPhone", "Kurz."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := parse.NewText(tc.in); got != tc.want {
				t.Errorf("NewText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
