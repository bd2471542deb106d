package mailbot_test

import (
	"testing"

	"mailbot/store"
)

// TestHashLinesInClerkReport sends new mails with lines that look like
// commands: a clerk's report with more text becomes a ticket, while a
// clerk's mail of commands only and an IT clerk's mail get the hint.
func TestHashLinesInClerkReport(t *testing.T) {
	r, cfg, _ := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	for i, tt := range []struct {
		name, from, subject, body, want string
	}{
		{"clerk report", "Jana Beispiel <jana.beispiel@stadt.example>", "Frage? Drucker & Scanner #erledigt 100% kaputt",
			"#Status: Drucker zeigt Fehler E-17\nSeit heute früh geht nichts mehr.", store.OutcomeTicket},
		{"clerk commands only", "Tom Muster <tom.muster@stadt.example>", "Drucker", "#erledigt", store.OutcomeAnswered},
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
