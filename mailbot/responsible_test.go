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

// reply feeds a reply of from on tk to the support mailbox and returns the
// ticket afterwards and the mails queued since, by kind.
func (tr *triageRobot) reply(tk *store.Ticket, from, body string) (*store.Ticket, map[string][]*store.OutMail) {
	tr.t.Helper()
	before := map[string]bool{}
	tr.outbox(tk.Number, func(m *store.OutMail) { before[m.MessageID] = true })
	tr.uid++
	raw := fmt.Sprintf("From: %s\r\nTo: 3344@stadt.example\r\nSubject: AW: %s %s\r\nMessage-ID: <reply-%d@stadt.example>\r\n"+
		"Date: Fri, 04 Dec 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		from, tk.Number.Tag("IT"), tk.Subject, tr.uid, strings.ReplaceAll(body, "\n", "\r\n"))
	h, err := tr.robot.Handle(mailbot.Incoming{Mailbox: &tr.cfg.Mailboxes[0], UIDValidity: 1, UID: tr.uid, Raw: []byte(raw)})
	if err != nil {
		tr.t.Fatal(err)
	}
	if h.Record.Outcome != store.OutcomeFollowUp {
		tr.t.Fatalf("outcome %q, want a follow-up", h.Record.Outcome)
	}
	after, err := mailbot.ShowTicket(tr.db, tk.Number)
	if err != nil {
		tr.t.Fatal(err)
	}
	out := map[string][]*store.OutMail{}
	tr.outbox(tk.Number, func(m *store.OutMail) {
		if !before[m.MessageID] {
			out[m.Kind] = append(out[m.Kind], m)
		}
	})
	return after, out
}

// outbox calls fn for every queued mail of ticket n.
func (tr *triageRobot) outbox(n store.Number, fn func(*store.OutMail)) {
	tr.t.Helper()
	err := tr.db.View(func(tx *store.Tx) error {
		due, err := tx.Due(time.Now().Add(24*time.Hour), 1000)
		for _, m := range due {
			if m.Ticket == n {
				fn(m)
			}
		}
		return err
	})
	if err != nil {
		tr.t.Fatal(err)
	}
}

func TestApplicationNoticeReachesITRole(t *testing.T) {
	tr := newTriageRobot(t)
	_, out := tr.handle("support", "lukas.probe@stadt.example", "Wohngeldverfahren hängt beim Speichern", "Seit heute früh hängt es.")
	want := []string{"fachbetreuung-wohngeld@stadt.example", "it-fachverfahren@stadt.example", "it-support@stadt.example"}
	if note := out["notify"]; note == nil || !slices.Equal(note.To, want) {
		t.Errorf("notice %+v, want it to go to %v", note, want)
	}
}

func TestResponsibleContactsWorkTicket(t *testing.T) {
	tr := newTriageRobot(t)
	tk, _ := tr.handle("support", "lukas.probe@stadt.example", "Wohngeldverfahren hängt beim Speichern", "Seit heute früh hängt es.")

	tk, out := tr.reply(tk, "fachbetreuung-wohngeld@stadt.example", "#übernehmen\nIch schaue mir das an.")
	if tk.Assignee != "fachbetreuung-wohngeld@stadt.example" {
		t.Errorf("assignee %q, want the application's contact after #übernehmen", tk.Assignee)
	}
	if len(out["confirm"]) != 1 {
		t.Errorf("confirmations %d, want 1", len(out["confirm"]))
	}
	for _, m := range out["followup"] {
		if strings.Contains(m.Body, "außenstehend") {
			t.Errorf("follow-up notice calls the application's contact an outside sender:\n%s", m.Body)
		}
	}

	tk, out = tr.reply(tk, "it-fachverfahren@stadt.example", "#notiz Server neu gestartet.\n#status Der Server wurde neu gestartet.")
	if len(out["confirm"]) != 1 {
		t.Errorf("confirmations %d, want 1", len(out["confirm"]))
	}
	if slices.ContainsFunc(tk.History, func(e store.Event) bool { return e.Kind == store.EventDenied }) {
		t.Errorf("history has a denied command: %+v", tk.History)
	}
	if !slices.ContainsFunc(tk.History, func(e store.Event) bool { return e.Kind == store.EventInternal }) {
		t.Errorf("history lacks the #notiz of the IT contact: %+v", tk.History)
	}

	tk, _ = tr.reply(tk, "fachbetreuung-wohngeld@stadt.example", "#erledigt Läuft wieder.")
	if tk.Status != store.StatusClosed {
		t.Errorf("status %q after #erledigt of the application's contact, want %q", tk.Status, store.StatusClosed)
	}
}

func TestOfficeModelKeepsITOut(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "frieda.nachname@stadt.example", "Elterngeld Online stürzt ab", "Fehler beim Speichern.")
	if note := out["notify"]; note == nil || !slices.Equal(note.To, []string{"key-user-elterngeld@stadt.example"}) {
		t.Errorf("notice %+v, want it to go to the office's key user only", note)
	}
	tk, _ = tr.reply(tk, "key-user-elterngeld@stadt.example", "#übernehmen")
	if tk.Assignee != "key-user-elterngeld@stadt.example" {
		t.Errorf("assignee %q, want the key user after #übernehmen", tk.Assignee)
	}
}
