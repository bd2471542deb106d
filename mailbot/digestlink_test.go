package mailbot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMailtoLinkEncodesSubject(t *testing.T) {
	got := mailtoLink("3344@stadt.example", "[IT-2026-00042] Drucker & Scanner? #kaputt ä/ß")
	want := "mailto:3344@stadt.example?subject=%5BIT-2026-00042%5D%20Drucker%20%26%20Scanner%3F%20%23kaputt%20%C3%A4%2F%C3%9F"
	if got != want {
		t.Errorf("mailtoLink = %s\nwant        %s", got, want)
	}
}

func TestClipRunesKeepsWholeRunes(t *testing.T) {
	long := strings.Repeat("ä", 300)
	got := clipRunes(long, digestSubjectRunes)
	if !utf8.ValidString(got) {
		t.Fatalf("clipRunes cut a rune: %q", got)
	}
	if n := utf8.RuneCountInString(got); n != digestSubjectRunes+2 {
		t.Errorf("clipped to %d runes, want %d and the mark", n, digestSubjectRunes)
	}
	if !strings.HasSuffix(got, " …") {
		t.Errorf("clipped text %q lacks the mark", got)
	}
	if got := clipRunes("kurz", digestSubjectRunes); got != "kurz" {
		t.Errorf("short text changed to %q", got)
	}
}
