package mailbot_test

import (
	"strings"
	"testing"

	"mailbot/demo"
)

func TestNoticeTextIsCapped(t *testing.T) {
	h := newHarness(t)
	line := "Der Drucker im Bürgerbüro zeigt seit heute früh einen Papierstau an.\n"
	long := strings.Repeat(line, 2000) // about 140 KB
	h.deliver(demo.SupportAddr, `From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: Drucker defekt
Message-ID: <long-1@stadt.example>
Content-Type: text/plain; charset=utf-8

`+long)
	h.start()
	h.waitIdle(1)
	notes := h.sentTo("it-support@stadt.example")
	if len(notes) != 1 {
		t.Fatalf("%d IT notices, want 1", len(notes))
	}
	body := strings.ReplaceAll(notes[0].body, "\r\n", "\n")
	if len(body) > 12<<10 {
		t.Errorf("notice is %d bytes, want at most about 8 KB of mail text", len(body))
	}
	if !strings.Contains(body, "gekürzt: Die Mail enthält") || !strings.Contains(body, "nur die ersten 8 KB") {
		t.Errorf("notice lacks the note that the text was shortened:\n%s", body[len(body)-600:])
	}
	if !strings.Contains(body, line) {
		t.Error("notice lacks the start of the mail text")
	}
	tk := h.ticket(thisYear(1))
	if n := len(tk.History[0].Text); n < 60<<10 {
		t.Errorf("history keeps %d bytes of text, want the longer history excerpt", n)
	}
}
