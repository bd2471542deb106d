package mailbot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"mailbot/mailbot"
	"mailbot/store"
)

// outboxOf returns the queued mails of ticket n.
func (tr *triageRobot) outboxOf(n store.Number) []*store.OutMail {
	tr.t.Helper()
	var out []*store.OutMail
	err := tr.db.View(func(tx *store.Tx) error {
		due, err := tx.Due(time.Now().Add(24*time.Hour), 1000)
		for _, m := range due {
			if m.Ticket == n {
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

func TestAnnouncementContinuesClerkTicket(t *testing.T) {
	tr := newTriageRobot(t)
	req, _ := tr.handle("support", "Anna Beispiel <anna.beispiel@stadt.example>", "Terminbuchung online",
		"Wir bräuchten eine Online-Terminbuchung für das Bürgerbüro, das wäre ein neues Verfahren.")
	if req.Type != "c" || req.Status != store.StatusNew {
		t.Fatalf("clerk's ticket %+v, want a new c ticket", req)
	}
	ann, _ := tr.handle("support", "Orga Amt 50 <orga.amt50@stadt.example>",
		"Vorklärung Projekt für IT/50-JF: Terminbuchung",
		"Hallo,\n\nwie in Ticket "+req.Number.String()+" angefragt: Das Bürgerbüro möchte Termine online vergeben.\n\nDringlichkeit: nächstes IT-JF reicht.")

	got, err := mailbot.ShowTicket(tr.db, req.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.StatusMerged || got.MergedInto != ann.Number {
		t.Errorf("clerk's ticket status %s merged into %s, want merged into %s", got.Status, got.MergedInto, ann.Number)
	}
	last := got.History[len(got.History)-1]
	if !slices.ContainsFunc(got.History, func(e store.Event) bool { return e.Kind == store.EventMerged }) {
		t.Errorf("clerk's ticket history lacks the link: %+v", got.History)
	}
	if last.Kind != store.EventMailOut {
		t.Errorf("last event of the clerk's ticket %+v, want the status mail", last)
	}

	annNow, err := mailbot.ShowTicket(tr.db, ann.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(annNow.History, func(e store.Event) bool { return e.Kind == store.EventMerged }) {
		t.Errorf("announcement history lacks the link: %+v", annNow.History)
	}
	if !slices.Contains(annNow.Cc, "anna.beispiel@stadt.example") {
		t.Errorf("announcement cc %q, want the clerk", annNow.Cc)
	}

	var status *store.OutMail
	for _, m := range tr.outboxOf(req.Number) {
		if m.Kind == "status" {
			status = m
		}
	}
	if status == nil {
		t.Fatal("no status mail to the clerk")
	}
	if !slices.Equal(status.To, []string{"anna.beispiel@stadt.example"}) {
		t.Errorf("status mail to %q, want the clerk", status.To)
	}
	wantContains(t, "status mail", status.Body, "Vorankündigung "+ann.Number.String(), "„Terminbuchung“",
		ann.Number.Tag("IT"), "Orga-Ansprechperson")
}

func TestAnnouncementIgnoresOtherTickets(t *testing.T) {
	tr := newTriageRobot(t)
	fault, _ := tr.handle("support", "Anna Beispiel <anna.beispiel@stadt.example>", "Drucker",
		"Der Drucker druckt nicht.")
	ann, _ := tr.handle("support", "Orga Amt 50 <orga.amt50@stadt.example>",
		"Vorklärung Projekt für IT/50-JF: Druckerkonzept",
		"Siehe auch Ticket "+fault.Number.String()+" und Ticket 2026-99999. Wir brauchen ein neues Druckerkonzept für das ganze Amt.")
	got, err := mailbot.ShowTicket(tr.db, fault.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.StatusNew || !got.MergedInto.IsZero() {
		t.Errorf("support ticket %s: status %s merged into %s, want untouched", got.Number, got.Status, got.MergedInto)
	}
	if slices.ContainsFunc(ann.History, func(e store.Event) bool { return e.Kind == store.EventMerged }) {
		t.Errorf("announcement linked a ticket that awaits no announcement: %+v", ann.History)
	}
}

func TestClerkWithAnnouncementSubject(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Anna Beispiel <anna.beispiel@stadt.example>",
		"Vorklärung Projekt für IT/50-JF: Terminbuchung", "Wir möchten Termine online vergeben.")
	if tk.Type != "c" {
		t.Fatalf("type %s, want c", tk.Type)
	}
	ack := out["ack"]
	if ack == nil {
		t.Fatal("no acknowledgement")
	}
	wantContains(t, "reply", ack.Body, "bereits die Form einer Vorankündigung", "orga.amt50@stadt.example")
	if strings.Contains(ack.Body, "<Projektname>") {
		t.Errorf("reply asks for the subject format the clerk used:\n%s", ack.Body)
	}
	if out["orga"] == nil {
		t.Error("orga contact not notified")
	}
}
