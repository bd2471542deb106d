package e2e_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// TestCRequestFromClerkReachesOrga sends a clerk's move request through
// Postfix: the clerk learns that such requests go through the orga
// contact, and the orga contact gets a notice with the ticket number.
func TestCRequestFromClerkReachesOrga(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	orga := e2e.NewAddress(t, "stadt.example")
	s.cfg.Roles.Orga = []string{orga}
	mailText := `From: Erika Beispiel <` + clerk + `>
To: ` + s.support + `
Subject: Umzug in Zimmer 3.02
Date: ` + time.Now().Format(time.RFC1123Z) + `
Message-ID: <e2e-umzug-` + strconv.FormatInt(time.Now().UnixNano(), 10) + `@stadt.example>
Content-Type: text/plain; charset=utf-8

Ich ziehe nächste Woche um und möchte meinen Monitor mitnehmen.
Stelle 50.3.12.

Viele Grüße
Erika
`
	s.srv.Send(t, clerk, []string{s.support}, crlf(mailText))
	s.start(t)

	number := store.Number{Year: time.Now().Year(), Seq: 1}
	ack := parseReceived(t, s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)[0])
	for _, want := range []string{"Ticket " + number.String(), "c) (Mini-)Projekt", "Orga-Ansprechperson", orga,
		"Vorklärung Projekt für IT/50-JF: <Projektname>", "Ausstattung darf nicht von einer Stelle"} {
		if !strings.Contains(ack.body, want) {
			t.Errorf("reply to the clerk lacks %q:\n%s", want, ack.body)
		}
	}
	notice := parseReceived(t, s.srv.WaitFor(t, orga, "INBOX", 1, deliveryTimeout)[0])
	subject, _ := notice.header.Subject()
	if !strings.Contains(subject, number.Tag("IT")) {
		t.Errorf("orga notice subject %q lacks the ticket tag", subject)
	}
	if !strings.Contains(notice.body, "Ticketnummer "+number.String()) || !strings.Contains(notice.body, clerk) {
		t.Errorf("orga notice body:\n%s", notice.body)
	}
	tk, err := mailbot.ShowTicket(s.db, number)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Rule != "ausstattung-mitnehmen" || tk.Position != "50.3.12" || tk.Cite == "" {
		t.Errorf("ticket rule %q position %q cite %q", tk.Rule, tk.Position, tk.Cite)
	}
}
