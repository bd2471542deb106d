package e2e_test

import (
	"strings"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// TestEchoedHelpDoesNotWithdraw: a clerk's auto-responder without robot
// headers quotes mailbot's help list without ">" through the real servers.
// The quoted "#zurückziehen" line must not withdraw the ticket.
func TestEchoedHelpDoesNotWithdraw(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "Scanner geht nicht", uniqueID("report"), "", "Der Scanner im 2. OG meldet Fehler 12.\n"))
	s.start(t)
	ack := parseReceived(t, s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)[0])
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "AW: Scanner geht nicht", uniqueID("help"),
		ack.header.Get("Message-Id"), "#hilfe\n"))
	help := parseReceived(t, s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)[1])
	if !strings.Contains(help.body, "#zurückziehen") {
		t.Fatalf("help confirmation lacks #zurückziehen:\n%s", help.body)
	}

	echoID := uniqueID("echo")
	subject, _ := help.header.Subject()
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "AW: "+subject, echoID,
		help.header.Get("Message-Id"), "Ich bin bis Montag nicht im Haus.\n\n"+help.body))
	n := store.Number{Year: time.Now().Year(), Seq: 1}
	bare := strings.Trim(echoID, "<>")
	var tk *store.Ticket
	deadline := time.Now().Add(deliveryTimeout)
	for {
		var err error
		tk, err = mailbot.ShowTicket(s.db, n)
		if err != nil {
			t.Fatal(err)
		}
		if hasMessageID(tk, bare) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("echo %s not filed on ticket %s", bare, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if tk.Status != store.StatusNew {
		t.Errorf("status %q after an echoed help list, want new", tk.Status)
	}
}

func hasMessageID(tk *store.Ticket, id string) bool {
	for _, e := range tk.History {
		if e.MessageID == id {
			return true
		}
	}
	return false
}
