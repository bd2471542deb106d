package mailbot_test

import (
	"strings"
	"testing"

	"mailbot/demo"
	"mailbot/mailbot"
)

const (
	listID = "<mailbot.list.00112233aabbccdd@stadt.example>"
	helpID = "<mailbot.help.00112233aabbccdd@stadt.example>"
)

// sentSubjects returns the subjects of the mails sent to rcpt.
func sentSubjects(h *harness, rcpt string) []string { return subjects(h.sentTo(rcpt)) }

func TestReplyToStatusListMakesNoTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	before := len(h.sentTo(clerk))

	h.deliver(demo.SupportAddr, reply(clerk, "AW: Ihre offenen Tickets", "thanks-1@stadt.example", listID,
		"Danke!\n\nGruß\nAnna\n\n> Ihre offenen Tickets\n"))
	h.deliver(demo.SupportAddr, reply(clerk, "AW: Hilfe zum IT-Ticketsystem", "new-1@stadt.example", helpID,
		"Mein Monitor flackert seit heute Morgen.\n"))
	h.waitIdle(3)

	list, err := mailbot.ListTickets(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d tickets, want only the fault report's", len(list))
	}
	if got := h.handledAt(1).Record; got.Outcome != "ignored" || !got.Ticket.IsZero() {
		t.Errorf("thanks handled as %+v, want ignored without ticket", got)
	}
	if got := h.handledAt(2).Record; got.Outcome != "answered" || !got.Ticket.IsZero() {
		t.Errorf("new request in a reply handled as %+v, want answered without ticket", got)
	}
	sent := h.sentTo(clerk)[before:]
	if len(sent) != 1 {
		t.Fatalf("mails to the clerk %q, want one hint", subjects(sent))
	}
	hint := sent[0]
	if hint.subject() != "Bitte neue Anliegen als neue Mail senden" {
		t.Errorf("hint subject %q", hint.subject())
	}
	for _, want := range []string{"„Hilfe zum IT-Ticketsystem“", "kein Ticket", "als neue Mail an 3344@stadt.example"} {
		if !strings.Contains(hint.body, want) {
			t.Errorf("hint lacks %q:\n%s", want, hint.body)
		}
	}
	if hint.header.Get("In-Reply-To") != "<new-1@stadt.example>" {
		t.Errorf("hint In-Reply-To %q", hint.header.Get("In-Reply-To"))
	}
	if hint.header.Get("Auto-Submitted") == "" {
		t.Error("hint lacks Auto-Submitted")
	}

	// A reply to the hint, even with new text, gets no second hint.
	hintID := hint.header.Get("Message-ID")
	h.deliver(demo.SupportAddr, reply(clerk, "AW: Bitte neue Anliegen als neue Mail senden", "new-2@stadt.example", hintID,
		"Das ist doch eine neue Mail.\n"))
	h.waitIdle(4)
	if got := h.handledAt(3).Record; got.Outcome != "ignored" || !got.Ticket.IsZero() {
		t.Errorf("reply to the hint handled as %+v, want ignored without ticket", got)
	}
	if got := sentSubjects(h, clerk)[before:]; len(got) != 1 {
		t.Errorf("mails to the clerk after the reply to the hint %q, want still one", got)
	}
}

func TestReplyToStatusListNamingTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, reply(clerk, "AW: Ihre offenen Tickets", "list-reply-1@stadt.example", listID,
		"Zu "+tag+": Es geht wieder nicht.\n\n> "+tag+"  Störung Fachverfahren\n> "+thisYear(7).Tag("IT")+"\n"))
	// The same mail to a foreign domain's list is an ordinary new mail.
	h.deliver(demo.SupportAddr, reply(clerk, "AW: Ihre offenen Tickets", "list-reply-2@stadt.example",
		strings.Replace(listID, "stadt.example", "example.net", 1), "Bitte neues Headset bestellen.\n"))
	h.waitIdle(3)
	if got := h.handledAt(1).Record; got.Outcome != "followup" || got.Ticket != thisYear(1) {
		t.Errorf("reply naming %s handled as %+v, want a follow-up on it", tag, got)
	}
	in := events(h.ticket(thisYear(1)), "mail_in")
	if len(in) != 1 || !strings.Contains(in[0].Text, "Es geht wieder nicht") {
		t.Errorf("incoming mails on the ticket %+v, want the reply to the list", in)
	}
	if got := h.handledAt(2).Record; got.Outcome != "ticket" {
		t.Errorf("reply to a foreign list handled as %+v, want a new ticket", got)
	}
}

func TestReplyToTaskReminderMakesNoTicket(t *testing.T) {
	const reminderID = "<mailbot.task.3.00112233aabbccdd@stadt.example>"
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	before := len(h.sentTo(clerk))

	h.deliver(demo.SupportAddr, reply(clerk, "AW: Erinnerung: Aufgabe 3 fällig am 01.02.2027", "task-thanks-1@stadt.example",
		reminderID, "Danke!\n\n> Erinnerung an Aufgabe 3\n"))
	h.deliver(demo.SupportAddr, reply(clerk, "AW: Erinnerung: Aufgabe 3 fällig am 01.02.2027", "task-new-1@stadt.example",
		reminderID, "Mein Drucker druckt nur noch leere Seiten.\n"))
	h.waitIdle(3)

	list, err := mailbot.ListTickets(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d tickets, want only the fault report's", len(list))
	}
	if got := h.handledAt(1).Record; got.Outcome != "ignored" || !got.Ticket.IsZero() {
		t.Errorf("thanks to a reminder handled as %+v, want ignored without ticket", got)
	}
	if got := h.handledAt(2).Record; got.Outcome != "answered" || !got.Ticket.IsZero() {
		t.Errorf("new text in a reply to a reminder handled as %+v, want answered without ticket", got)
	}
	if got := sentSubjects(h, clerk)[before:]; len(got) != 1 || got[0] != "Bitte neue Anliegen als neue Mail senden" {
		t.Errorf("mails to the clerk %q, want one hint", got)
	}
}
