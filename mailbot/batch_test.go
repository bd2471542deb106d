package mailbot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
	"mailbot/templates"
)

// batchMail is a clerk's mail with CRLF line ends.
func batchMail(from, id, inReplyTo, subject, body string) []byte {
	h := "From: " + from + "\nTo: support@stadt.example\nSubject: " + subject +
		"\nDate: Fri, 04 Dec 2026 09:00:00 +0100\nMessage-ID: <" + id + ">\n"
	if inReplyTo != "" {
		h += "In-Reply-To: <" + inReplyTo + ">\n"
	}
	h += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n"
	return []byte(strings.ReplaceAll(h, "\n", "\r\n"))
}

func incoming(mb *config.Mailbox, uid uint32, raw []byte) mailbot.Incoming {
	return mailbot.Incoming{Mailbox: mb, UIDValidity: 7, UID: uid, Raw: raw, Size: int64(len(raw))}
}

// TestBatchSharesOneCommit hands three mails to one HandleBatch: a fault
// report, a reply to it and a second copy of the report. The reply must
// find the ticket opened earlier in the same transaction, the copy must be
// known as a duplicate, and the batch must cost one commit.
func TestBatchSharesOneCommit(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	report := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "batch-1@stadt.example", "",
		"Scanner im Bürgerbüro defekt", "Der Scanner zieht kein Papier mehr ein.")
	reply := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "batch-2@stadt.example", "batch-1@stadt.example",
		"AW: Scanner im Bürgerbüro defekt", "Nachtrag: es ist der Scanner in Zimmer 1.04.")
	before := db.Commits()
	hs, err := r.HandleBatch([]mailbot.Incoming{incoming(mb, 1, report), incoming(mb, 2, reply), incoming(mb, 3, report)})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Commits() - before; got != 1 {
		t.Errorf("%d commits for a batch of three mails, want 1", got)
	}
	want := []string{store.OutcomeTicket, store.OutcomeFollowUp, store.OutcomeDuplicate}
	if len(hs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(hs), len(want), hs)
	}
	for i, h := range hs {
		if h.UID != uint32(i+1) || h.Record.Outcome != want[i] {
			t.Errorf("result %d: uid %d outcome %q, want uid %d outcome %q", i, h.UID, h.Record.Outcome, i+1, want[i])
		}
		if h.Record.Ticket != hs[0].Record.Ticket {
			t.Errorf("result %d names ticket %s, want %s", i, h.Record.Ticket, hs[0].Record.Ticket)
		}
	}
	tk, err := mailbot.ShowTicket(db, hs[0].Record.Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(eventTexts(tk), "Zimmer 1.04") {
		t.Errorf("ticket history lacks the reply:\n%s", eventTexts(tk))
	}
	err = db.View(func(tx *store.Tx) error {
		for uid := uint32(1); uid <= 3; uid++ {
			rec, err := tx.UID("support", 7, uid)
			if err != nil {
				return err
			}
			if rec == nil {
				t.Errorf("uid %d has no record", uid)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBatchFailureQuarantinesOnlyTheFailingMail breaks the acknowledgement
// template, so that a new ticket fails in processing, and hands a batch of
// a new report between two mails that need no acknowledgement. The batch
// must fall back to one commit per mail: the report goes to quarantine and
// the two others are handled.
func TestBatchFailureQuarantinesOnlyTheFailingMail(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	seed := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "seed@stadt.example", "",
		"Monitor flackert", "Der Monitor flackert seit heute früh.")
	first, err := r.Handle(incoming(mb, 1, seed))
	if err != nil || first.Record.Outcome != store.OutcomeTicket {
		t.Fatalf("seed mail: %+v, %v", first.Record, err)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, templates.Ack), []byte("{{if not .ManualTriage}}{{.NoSuchField}}{{end}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Templates.Dir = dir
	broken, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	reply := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "reply-a@stadt.example", "seed@stadt.example",
		"AW: Monitor flackert", "Jetzt bleibt er ganz schwarz.")
	report := batchMail("Tom Muster <tom.muster@stadt.example>", "new@stadt.example", "",
		"Störung Fachverfahren", "Das Fachverfahren startet nicht, Fehlermeldung „Keine Verbindung“.")
	ooo := strings.ReplaceAll(string(batchMail("Tom Muster <tom.muster@stadt.example>", "ooo@stadt.example", "",
		"Automatische Antwort: Urlaub", "Ich bin nicht im Büro.")), "MIME-Version", "Auto-Submitted: auto-replied\r\nMIME-Version")
	hs, err := broken.HandleBatch([]mailbot.Incoming{incoming(mb, 2, reply), incoming(mb, 3, report), incoming(mb, 4, []byte(ooo))})
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint32]string{2: store.OutcomeFollowUp, 3: store.OutcomeQuarantine, 4: store.OutcomeIgnored}
	if len(hs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(hs), len(want), hs)
	}
	for _, h := range hs {
		if h.Record.Outcome != want[h.UID] {
			t.Errorf("uid %d: outcome %q, want %q (%s)", h.UID, h.Record.Outcome, want[h.UID], h.Record.Reason)
		}
	}
	list, err := mailbot.ListQuarantine(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].UID != 3 {
		t.Errorf("quarantine %+v, want uid 3 alone", list)
	}
	tickets, err := mailbot.ListTickets(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(tickets) != 1 {
		t.Errorf("%d tickets, want only the seed's: the failed batch must leave no half", len(tickets))
	}
}

// TestBatchQuarantinesUnreadableMailFirst puts an oversized mail into a
// batch: it goes to quarantine in a transaction of its own, and the
// readable mails still share one.
func TestBatchQuarantinesUnreadableMailFirst(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	a := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "a@stadt.example", "", "Maus defekt", "Die Maus klemmt.")
	b := batchMail("Tom Muster <tom.muster@stadt.example>", "b@stadt.example", "", "Drucker defekt", "Der Drucker druckt nicht.")
	big := mailbot.Incoming{Mailbox: mb, UIDValidity: 7, UID: 2, Size: 1 << 40, Oversize: true,
		Header: []byte("From: x@example.org\r\nSubject: riesig\r\n\r\n")}
	before := db.Commits()
	hs, err := r.HandleBatch([]mailbot.Incoming{incoming(mb, 1, a), big, incoming(mb, 3, b)})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Commits() - before; got != 2 {
		t.Errorf("%d commits, want 2: one for the quarantine, one for the batch", got)
	}
	got := map[uint32]string{}
	for _, h := range hs {
		got[h.UID] = h.Record.Outcome
	}
	if got[1] != store.OutcomeTicket || got[2] != store.OutcomeQuarantine || got[3] != store.OutcomeTicket {
		t.Errorf("outcomes %v", got)
	}
}

func eventTexts(tk *store.Ticket) string {
	var b strings.Builder
	for _, e := range tk.History {
		b.WriteString(e.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

