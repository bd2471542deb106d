package mailbot

import (
	"slices"
	"testing"
)

func TestRejectedRecipientsFromSendError(t *testing.T) {
	to := []string{"it-a@stadt.example", "Bad@Example.net", "it-b@stadt.example"}
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"one listed", "SMTP RCPT TO failed: 554 5.7.1 <bad@example.net>: Relay access denied, affected recipient(s): <bad@example.net>, affected message ID: x@y",
			[]string{"Bad@Example.net"}},
		{"two listed", "SMTP RCPT TO failed: 550 a, 550 b, affected recipient(s): it-a@stadt.example, it-b@stadt.example",
			[]string{"it-a@stadt.example", "it-b@stadt.example"}},
		{"none listed", "SMTP RCPT TO failed: 550 no such user", to},
		{"unknown listed", "failed, affected recipient(s): other@example.org", to},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rejectedRecipients(to, tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("rejectedRecipients = %v, want %v", got, tt.want)
			}
		})
	}
}
