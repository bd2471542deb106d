package mailbot_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"mailbot/mailbot"
	"mailbot/store"
)

// typCommand feeds IT's reply with text to the ticket tk and returns
// every "orga_void" mail of tk queued so far.
func (tr *triageRobot) typCommand(tk *store.Ticket, uid uint32, text string) []*store.OutMail {
	tr.t.Helper()
	raw := "From: it-support@stadt.example\r\nTo: 3344@stadt.example\r\nSubject: AW: " + tk.Number.Tag("IT") +
		" " + tk.Subject + "\r\nMessage-ID: <typ-" + fmt.Sprint(uid) + "@stadt.example>\r\n" +
		"Date: Fri, 04 Dec 2026 11:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n"
	if _, err := tr.robot.Handle(mailbot.Incoming{Mailbox: &tr.cfg.Mailboxes[0], UIDValidity: 1, UID: uid, Raw: []byte(raw)}); err != nil {
		tr.t.Fatal(err)
	}
	var out []*store.OutMail
	err := tr.db.View(func(tx *store.Tx) error {
		due, err := tx.Due(time.Now().Add(24*time.Hour), 1000)
		for _, m := range due {
			if m.Ticket == tk.Number && m.Kind == "orga_void" {
				out = append(out, m)
			}
		}
		return err
	})
	if err != nil {
		tr.t.Fatal(err)
	}
	return out
}

func TestTypeAwayFromCTellsOrga(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Anna Beispiel <anna.beispiel@stadt.example>", "Monitor mitnehmen",
		"Ich wechsle auf Stelle 50.3.14 und möchte meinen Monitor mitnehmen.")
	if tk.Type != "c" || out["orga"] == nil {
		t.Fatalf("ticket type %q, orga notice %v: want c and a notice", tk.Type, out["orga"])
	}

	void := tr.typCommand(tk, 50, "#typ b3")
	if len(void) != 1 {
		t.Fatalf("%d mails to the orga contact after #typ b3, want 1", len(void))
	}
	m := void[0]
	if !slices.Equal(m.To, []string{"orga.amt50@stadt.example"}) {
		t.Errorf("mail to %v, want the orga contact", m.To)
	}
	wantContains(t, "subject", m.Subject, tk.Number.Tag("IT"), "Keine Vorankündigung nötig")
	wantContains(t, "body", m.Body, "Ticket "+tk.Number.String(), "anna.beispiel@stadt.example",
		"b3) Einfache Bestellung – neuer Standardarbeitsplatz", "entfällt")
	if m.AutoSubmitted == "" {
		t.Error("mail lacks Auto-Submitted")
	}

	// A second change away from c tells the orga contact nothing new.
	if void := tr.typCommand(tk, 51, "#typ a"); len(void) != 1 {
		t.Errorf("%d mails to the orga contact after #typ a, want still 1", len(void))
	}
}

func TestTypeAwayFromCWithoutOrgaNotice(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Clara Probe <orga.amt50@stadt.example>", "Vorklärung Projekt für IT/50-JF: Digitale Post",
		"Die Poststelle soll eingehende Briefe scannen.")
	if tk.Type != "c" || out["orga"] != nil {
		t.Fatalf("ticket type %q, orga notice %v: want c and no notice", tk.Type, out["orga"])
	}
	if void := tr.typCommand(tk, 60, "#typ b3"); len(void) != 0 {
		t.Errorf("%d mails to the orga contact, want none", len(void))
	}
}
