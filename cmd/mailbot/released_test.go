package main

import (
	"testing"

	"mailbot/store"
)

func TestReleasedLineSubject(t *testing.T) {
	tests := []struct {
		subject, want string
	}{
		{"", "released uid 28 of mailbox support to be handled again"},
		{"  ", "released uid 28 of mailbox support to be handled again"},
		{"Drucker defekt", `released uid 28 of mailbox support (subject "Drucker defekt") to be handled again`},
	}
	for _, tt := range tests {
		if got := releasedLine(&store.QuarantineEntry{UID: 28, Mailbox: "support", Subject: tt.subject}); got != tt.want {
			t.Errorf("releasedLine with subject %q = %q, want %q", tt.subject, got, tt.want)
		}
	}
}
