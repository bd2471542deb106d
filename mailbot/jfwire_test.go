package mailbot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mailbot/mailbot"
	"mailbot/store"
)

// handle feeds one mail to the robot as if fetched from the support
// mailbox and returns the outgoing mails it queued.
func (j *jfRobot) handle(uid uint32, from, subject, inReplyTo, body string) (mailbot.Handled, []*store.OutMail) {
	j.t.Helper()
	before := len(j.outbox())
	raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <jf-%d@stadt.example>\r\n", from, supportAddr, subject, uid)
	if inReplyTo != "" {
		raw += "In-Reply-To: <" + inReplyTo + ">\r\nReferences: <" + inReplyTo + ">\r\n"
	}
	raw += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	h, err := j.robot.Handle(mailbot.Incoming{Mailbox: &j.cfg.Mailboxes[0], UIDValidity: 1, UID: uid, Raw: []byte(raw)})
	if err != nil {
		j.t.Fatal(err)
	}
	return h, j.outbox()[before:]
}

func mailsTo(mails []*store.OutMail, addr string) []*store.OutMail {
	var out []*store.OutMail
	for _, m := range mails {
		if slices.Contains(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

func TestJourFixeCommandsByMail(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2027, 1, 5, 9, 0, 0, 0, berlin)
	h, _ := j.handle(1, clerkAddr, "Drucker im Raum 2.14 defekt", "", "Der Drucker zeigt einen Papierstau.\n")
	n := h.Record.Ticket
	if n.IsZero() {
		t.Fatalf("first mail made no ticket: %+v", h.Record)
	}
	first := "jf-1@stadt.example"

	// #eskalation from the orga contact: on the agenda at once, IT leads
	// and orga notified, the requester told once.
	_, mails := j.handle(2, orgaAddr, "AW: "+n.Tag("IT")+" Drucker", first, "#eskalation Mitarbeitende nicht informiert\n")
	it := j.agendaItem(n)
	if it == nil || it.Reason != store.AgendaEscalated || it.By != orgaAddr {
		t.Fatalf("agenda item after #eskalation = %+v", it)
	}
	if !j.ticket(n).Escalated {
		t.Error("ticket not marked escalated")
	}
	if got := len(mailsTo(mails, leadAddr)); got != 1 {
		t.Errorf("IT leads got %d mails, want the escalation notice", got)
	}
	if got := len(mailsTo(mails, clerkAddr)); got != 1 {
		t.Errorf("requester got %d mails, want one status mail", got)
	}

	// #aufgabe from an IT lead on the ticket.
	j.handle(3, leadAddr, "AW: "+n.Tag("IT")+" Drucker", first, "#aufgabe an@stadt.example Toner prüfen mit x@stadt.example bis 20.01.2027\n")
	tasks, err := mailbot.ListTasks(j.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Ticket != n || !slices.Equal(tasks[0].With, []string{"x@stadt.example"}) {
		t.Fatalf("tasks = %+v, want one on %s", tasks, n)
	}

	// #beschluss from the IT head takes the escalation off the agenda.
	_, mails = j.handle(4, headAddr, "AW: "+n.Tag("IT")+" Drucker", first, "#beschluss freigegeben Austausch genehmigt\n")
	if it := j.agendaItem(n); it != nil {
		t.Errorf("agenda item after #beschluss = %+v, want none", it)
	}
	tk := j.ticket(n)
	if tk.Escalated {
		t.Error("ticket still marked escalated after the decision")
	}
	if got := mailsTo(mails, clerkAddr); len(got) != 1 || !strings.Contains(got[0].Body, "Austausch genehmigt") {
		t.Errorf("requester got %d mails after the decision, want the decision mail only", len(got))
	}
	if got := mailsTo(mails, orgaAddr); len(got) != 1 {
		t.Errorf("orga got %d mails after the decision, want 1", len(got))
	}

	// #agenda and #budget in a fresh mail belong to no ticket.
	h, mails = j.handle(5, orgaAddr, "Tagesordnung", "", "#agenda it\n")
	if h.Record.Outcome != store.OutcomeAnswered || !h.Record.Ticket.IsZero() {
		t.Errorf("#agenda mail outcome %q ticket %s, want answered without a ticket", h.Record.Outcome, h.Record.Ticket)
	}
	if len(mails) != 2 || mails[0].Kind != "agenda" || !slices.Equal(mails[0].To, []string{orgaAddr}) {
		t.Errorf("#agenda mails = %v, want the agenda and a confirmation to orga", kinds(mails))
	}
	if len(mails) == 2 && !strings.Contains(mails[0].Body, "Toner prüfen") {
		t.Errorf("agenda lacks the open task:\n%s", mails[0].Body)
	}
	_, mails = j.handle(6, budgetAddr, "Budget", "", "#budget\n")
	if len(mails) != 1 || !strings.Contains(mails[0].Body, "Nicht ausgeführt: Es ist kein Register") {
		t.Errorf("#budget without a register: mails %v", kinds(mails))
	}
	// A clerk's "#agenda" is no command for them: it becomes a ticket.
	h, _ = j.handle(7, clerkAddr, "Frage", "", "#agenda\n")
	if h.Record.Outcome != store.OutcomeTicket {
		t.Errorf("clerk's #agenda outcome %q, want a new ticket", h.Record.Outcome)
	}
}

func TestRoutingPutsProjectOnAgenda(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2027, 1, 5, 9, 0, 0, 0, berlin)
	h, _ := j.handle(1, orgaAddr, "Vorklärung Projekt für IT/50-JF: Scanstraße", "",
		"Beschreibung: Scanstraße für die Posteingangsstelle.\nDringlichkeit: nächster IT-JF reicht.\n")
	n := h.Record.Ticket
	if tk := j.ticket(n); tk.Type != "c" {
		t.Fatalf("announcement type %q, want c", tk.Type)
	}
	j.handle(2, leadAddr, "AW: "+n.Tag("IT"), "jf-1@stadt.example", "#digi\n")
	it := j.agendaItem(n)
	if it == nil || it.Series != "digi" || it.Reason != store.AgendaProject {
		t.Fatalf("agenda item after #digi = %+v, want the project on the digi agenda", it)
	}
	a, err := mailbot.AgendaFor(j.db, j.cfg, "digi", j.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Items) != 1 || a.Items[0].Title != "Scanstraße" {
		t.Errorf("digi agenda = %+v", a.Items)
	}
}

func TestTaskOwnerClosesByReplyToReminder(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2027, 1, 5, 9, 0, 0, 0, berlin)
	owner := "hausmeister@stadt.example" // holds no role
	h, _ := j.handle(1, clerkAddr, "Drucker im Raum 2.14 defekt", "", "Papierstau.\n")
	n := h.Record.Ticket
	j.handle(2, leadAddr, "AW: "+n.Tag("IT"), "jf-1@stadt.example", "#aufgabe "+owner+" Steckdose prüfen bis 08.01.2027\n")
	ids, err := j.robot.SendTaskReminders()
	if err != nil || len(ids) != 1 {
		t.Fatalf("SendTaskReminders = %v, %v; want one reminder", ids, err)
	}
	reminder := j.outbox()[len(j.outbox())-1]
	if !reminder.Ticket.IsZero() || strings.Contains(reminder.Subject, n.Tag("IT")) {
		t.Errorf("reminder %q belongs to ticket %s, want a mail outside the ticket's thread", reminder.Subject, reminder.Ticket)
	}

	// A stranger cannot close it; the mail becomes a ticket of its own.
	h, _ = j.handle(3, "fremd@example.org", "Aufgabe", "", "#aufgabe erledigt 1\n")
	if h.Record.Outcome != store.OutcomeTicket {
		t.Errorf("stranger's #aufgabe erledigt: outcome %q, want a new ticket", h.Record.Outcome)
	}
	h, mails := j.handle(4, owner, "AW: "+reminder.Subject, reminder.MessageID, "#aufgabe erledigt 1\n\nErledigt, Steckdose getauscht.\n")
	if h.Record.Outcome != store.OutcomeAnswered {
		t.Errorf("owner's reply: outcome %q, want answered", h.Record.Outcome)
	}
	tasks, err := mailbot.ListTasks(j.db)
	if err != nil {
		t.Fatal(err)
	}
	if tasks[0].State != store.TaskDone || tasks[0].ClosedBy != owner {
		t.Errorf("task = %+v, want done by the owner", tasks[0])
	}
	if len(mails) != 1 || !strings.Contains(mails[0].Body, "Aufgabe 1 ist erledigt") {
		t.Errorf("confirmation mails = %v", kinds(mails))
	}
}

// TestTaskConfirmationIndentedWithNote: the task block stays under its
// "Angelegt:" line in both confirmations, and a due date that moved off
// the weekend or was read from a vague form is named.
func TestTaskConfirmationIndentedWithNote(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 15, 0, 0, 0, berlin) // a Friday
	h, _ := j.handle(1, clerkAddr, "Drucker", "", "Papierstau.\n")
	n := h.Record.Ticket
	_, mails := j.handle(2, leadAddr, "AW: "+n.Tag("IT")+" Drucker", "jf-1@stadt.example",
		"#aufgabe an@stadt.example Toner prüfen bis morgen\n")
	got := mailsTo(mails, leadAddr)
	if len(got) != 1 {
		t.Fatalf("IT lead got %d mails, want the confirmation", len(got))
	}
	wantContains(t, "confirmation on the ticket", got[0].Body, "      Angelegt:\n      Aufgabe 1\n        Wer:      an@stadt.example\n",
		"        Bis:      07.12.2026\n", "Hinweis: Der 05.12.2026 ist ein Samstag", "Montag, 07.12.2026")

	_, mails = j.handle(3, leadAddr, "Aufgabe", "", "#aufgabe an@stadt.example Toner prüfen bis Mitte Januar\n")
	if len(mails) != 1 {
		t.Fatalf("got %d mails, want the confirmation", len(mails))
	}
	wantContains(t, "confirmation without a ticket", mails[0].Body, "#aufgabe an@stadt.example Toner prüfen bis Mitte Januar\n  Angelegt:\n  Aufgabe 2\n    Wer:",
		"„Mitte Januar“ gilt als Freitag, 15.01.2027")
}
