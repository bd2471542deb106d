package mailbot_test

import (
	"testing"

	"mailbot/store"
)

// TestHashLinesInNewMail sends new mails with lines that look like
// commands: an announcement becomes a ticket with those lines as text,
// while other mails get the hint that commands need a ticket, since a
// clerk may well have meant them as commands.
func TestHashLinesInNewMail(t *testing.T) {
	r, cfg, _ := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	for i, tt := range []struct {
		name, from, subject, body, want string
	}{
		{"announcement", "Orga Amt50 <orga.amt50@stadt.example>", "Vorklärung Projekt für IT/50-JF: Digitale Akte",
			"Beschreibung: Wir wollen die Akten digital führen.\n#Status: Entwurf, bitte im nächsten IT-JF.", store.OutcomeTicket},
		{"announcement spelled out", "Orga Amt50 <orga.amt50@stadt.example>", "Vorklaerung Projekt fuer IT/50-JF: E-Akte",
			"Beschreibung: Wir wollen die Akten digital führen.\n#Status: Entwurf.", store.OutcomeTicket},
		{"clerk with greeting", "Jana Beispiel <jana.beispiel@stadt.example>", "Drucker",
			"#zurückziehen\n\nViele Grüße\nJana Beispiel", store.OutcomeAnswered},
		{"clerk question", "Tom Muster <tom.muster@stadt.example>", "Drucker", "#status\nWie ist der Stand bei meinem Drucker?",
			store.OutcomeAnswered},
		{"it clerk", "it@stadt.example", "Drucker", "#erledigt\nToner getauscht.", store.OutcomeAnswered},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw := batchMail(tt.from, "hash-"+tt.name+"@stadt.example", "", tt.subject, tt.body)
			h, err := r.Handle(incoming(mb, uint32(i+1), raw))
			if err != nil {
				t.Fatal(err)
			}
			if h.Record.Outcome != tt.want {
				t.Errorf("outcome %q (%s), want %q", h.Record.Outcome, h.Record.Reason, tt.want)
			}
		})
	}
}
