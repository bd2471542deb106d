package mailbot_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

// badMail is one file of testdata/badmail and what the robot must make of
// it. check, when set, looks at the ticket (nil for quarantined mail).
type badMail struct {
	file    string
	outcome string
	check   func(t *testing.T, h *harness, tk *store.Ticket)
}

var badMails = []badMail{
	{"unknown-charset.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if tk.Subject != "Drucker Störung im Amt" {
			t.Errorf("subject %q, want the unknown charset read as Latin-1", tk.Subject)
		}
		wantText(t, tk, "leere Seiten")
	}},
	{"broken-boundary.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		wantText(t, tk, "flackert")
	}},
	{"8bit-headers.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if tk.Subject != "Störung Drucker im Erdgeschoß" {
			t.Errorf("subject %q, want raw Latin-1 decoded", tk.Subject)
		}
		if tk.Requester != "joerg.mueller@stadt.example" || tk.RequesterName != "Jörg Müller" {
			t.Errorf("requester %q name %q", tk.Requester, tk.RequesterName)
		}
	}},
	{"missing-message-id.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		wantText(t, tk, "Tastatur")
		if n := len(h.sentTo("anna.beispiel@stadt.example")); n < 1 {
			t.Errorf("no acknowledgement for a mail without Message-ID")
		}
	}},
	{"missing-from.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if tk.Requester != "" {
			t.Errorf("requester %q, want none", tk.Requester)
		}
		wantText(t, tk, "Scanner")
	}},
	{"duplicated-headers.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if tk.Subject != "Telefon defekt" || tk.Requester != "anna.beispiel@stadt.example" {
			t.Errorf("subject %q requester %q, want the first of each header", tk.Subject, tk.Requester)
		}
		if n := len(h.sentTo("bernd.beispiel@stadt.example")); n != 0 {
			t.Errorf("%d mails to the second From address, want 0", n)
		}
	}},
	{"nested-forwards.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		wantText(t, tk, "kümmern")
		if len(tk.Attachments) != 1 {
			t.Errorf("attachments %+v, want the forwarded mail listed once", tk.Attachments)
		}
	}},
	{"winmail-broken.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if len(tk.Attachments) != 1 || tk.Attachments[0].Name != "winmail.dat" {
			t.Errorf("attachments %+v, want winmail.dat", tk.Attachments)
		}
		if !historyHas(tk, store.EventNote, "von Hand prüfen") {
			t.Errorf("history lacks the manual-review note: %+v", tk.History)
		}
	}},
	{"long-lines.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		wantText(t, tk, "Fehler E-213 beim Scannen.")
	}},
	{"many-recipients.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if tk.Requester != "anna.beispiel@stadt.example" {
			t.Errorf("requester %q", tk.Requester)
		}
	}},
	{"no-header.eml", store.OutcomeQuarantine, nil},
	{"header-injection.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		acks := h.sentTo("anna.beispiel@stadt.example")
		for _, a := range acks {
			if s := a.subject(); strings.ContainsAny(s, "\r\n") {
				t.Errorf("ack subject holds a line break: %q", s)
			}
			if v := a.header.Get("Bcc"); v != "" {
				t.Errorf("ack has a Bcc header %q", v)
			}
		}
	}},
	{"long-subject.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		for _, a := range h.sentTo("anna.beispiel@stadt.example") {
			if s := a.subject(); strings.Contains(s, "Sehr langer Betreff") && utf8.RuneCountInString(s) > 230 {
				t.Errorf("ack subject has %d characters, want it cut to about 200", utf8.RuneCountInString(s))
			}
		}
	}},
	{"deep-nesting.eml", store.OutcomeTicket, nil},
	{"binary-garbage.eml", store.OutcomeTicket, func(t *testing.T, h *harness, tk *store.Ticket) {
		if !utf8.ValidString(tk.Subject) || !utf8.ValidString(historyText(tk)) {
			t.Error("ticket holds invalid UTF-8")
		}
	}},
}

// TestBadMailCorpus runs every mail of testdata/badmail through the robot
// and checks its outcome; the robot must handle all of them and go on.
func TestBadMailCorpus(t *testing.T) {
	files, err := filepath.Glob("../testdata/badmail/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, c := range badMails {
		listed = append(listed, c.file)
	}
	for _, f := range files {
		if !slices.Contains(listed, filepath.Base(f)) {
			t.Errorf("%s has no expected outcome in badMails", f)
		}
	}

	h := newHarness(t)
	// The corpus arrives in one batch; each ticket keeps its own IT
	// notice here, so the notices can be counted per ticket.
	h.cfg.Tickets.DigestMin = 0
	for _, c := range badMails {
		raw, err := os.ReadFile(filepath.Join("../testdata/badmail", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := h.srv.Deliver(demo.SupportAddr, "INBOX", raw); err != nil {
			t.Fatal(err)
		}
	}
	h.start()
	h.waitIdle(len(badMails))

	// The memserver numbers the mails 1, 2, … in the order delivered.
	byUID := map[uint32]mailbot.Handled{}
	h.mu.Lock()
	for _, x := range h.handled {
		byUID[x.UID] = x
	}
	h.mu.Unlock()
	tickets := 0
	for i, c := range badMails {
		t.Run(strings.TrimSuffix(c.file, ".eml"), func(t *testing.T) {
			got, ok := byUID[uint32(i+1)]
			if !ok {
				t.Fatalf("mail not handled")
			}
			if got.Record.Outcome != c.outcome {
				t.Fatalf("outcome %q (%s), want %q", got.Record.Outcome, got.Record.Reason, c.outcome)
			}
			var tk *store.Ticket
			if c.outcome == store.OutcomeTicket {
				tickets++
				tk = h.ticket(got.Record.Ticket)
			}
			if c.check != nil {
				c.check(t, h, tk)
			}
		})
	}

	// Every mail left the inbox, and only the one unreadable mail is in
	// quarantine.
	if n := h.count(demo.SupportAddr, "INBOX"); n != 0 {
		t.Errorf("INBOX holds %d mails, want 0", n)
	}
	if n := h.count(demo.SupportAddr, "Quarantaene"); n != 1 {
		t.Errorf("Quarantaene holds %d mails, want 1", n)
	}
	// Replies go to the sender and the roles only, never to the other
	// recipients of a mail, and every line fits RFC 5322's 998 octets.
	allowed := []string{"anna.beispiel@stadt.example", "joerg.mueller@stadt.example",
		"it-support@stadt.example", "mailbot-admin@stadt.example"}
	for _, s := range h.srv.Sent() {
		for _, to := range s.To {
			if !slices.Contains(allowed, strings.ToLower(to)) {
				t.Errorf("mail sent to %s", to)
			}
		}
		for line := range bytes.SplitSeq(s.Raw, []byte("\r\n")) {
			if len(line) > 998 {
				t.Errorf("sent mail to %v has a line of %d octets", s.To, len(line))
				break
			}
		}
	}
	if n := len(h.sentTo("it-support@stadt.example")); n != tickets {
		t.Errorf("%d IT notices, want one per ticket (%d)", n, tickets)
	}
	if n := len(h.sentTo("mailbot-admin@stadt.example")); n != 1 {
		t.Errorf("%d admin notices, want 1 for the quarantined mail", n)
	}
}

func wantText(t *testing.T, tk *store.Ticket, want string) {
	t.Helper()
	if len(tk.History) == 0 || !strings.Contains(tk.History[0].Text, want) {
		t.Errorf("ticket text lacks %q: %.300q", want, historyText(tk))
	}
}

func historyText(tk *store.Ticket) string {
	if len(tk.History) == 0 {
		return ""
	}
	return tk.History[0].Text
}

func historyHas(tk *store.Ticket, kind, text string) bool {
	for _, e := range tk.History {
		if e.Kind == kind && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}
