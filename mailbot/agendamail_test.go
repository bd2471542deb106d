package mailbot

import (
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// TestAgendaInvitationDeclaresCharset: without charset=utf-8 mail clients
// read the invitation's umlauts as Latin-1.
func TestAgendaInvitationDeclaresCharset(t *testing.T) {
	o := &store.OutMail{Kind: kindAgenda, MessageID: "agenda-1@stadt.example", Date: time.Now(),
		From: "3344@stadt.example", To: []string{"chef@stadt.example"}, Subject: "Tagesordnung", Body: "Guten Tag\n",
		Attachments: []store.OutFile{invitationFile([]byte("BEGIN:VCALENDAR\r\nSUMMARY:Büro\r\nEND:VCALENDAR\r\n"))}}
	var ct string
	for line := range strings.SplitSeq(writtenMail(t, o).String(), "\r\n") {
		if strings.HasPrefix(line, "Content-Type: text/calendar") {
			ct = line
		}
	}
	if !strings.Contains(ct, "charset=utf-8") || !strings.Contains(ct, "method=PUBLISH") {
		t.Errorf("invitation part has %q, want text/calendar with charset=utf-8 and method=PUBLISH", ct)
	}
}
