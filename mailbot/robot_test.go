package mailbot_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"mailbot/config"
	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

// harness runs one robot against the in-process servers.
type harness struct {
	t      *testing.T
	srv    *demo.Servers
	cfg    *config.Config
	db     *store.DB
	robot  *mailbot.Robot
	cancel context.CancelFunc
	done   chan error

	mu      sync.Mutex
	handled []mailbot.Handled
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	srv, err := demo.Start(demo.Accounts(), demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	h := &harness{t: t, srv: srv, cfg: demo.Config(srv, t.TempDir())}
	h.cfg.IMAP.PollInterval = 200 * time.Millisecond
	return h
}

// start opens the store and runs the robot until the test ends or stop.
func (h *harness) start() {
	h.t.Helper()
	db, err := store.Open(h.cfg.Store.Path, store.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	h.db = db
	r, err := mailbot.New(h.cfg, db, testLogger(h.t))
	if err != nil {
		h.t.Fatal(err)
	}
	r.OnHandled = func(x mailbot.Handled) {
		h.mu.Lock()
		h.handled = append(h.handled, x)
		h.mu.Unlock()
	}
	h.robot = r
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- r.Run(ctx) }()
	h.t.Cleanup(h.stop)
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	if err := <-h.done; err != nil {
		h.t.Errorf("Run: %v", err)
	}
	h.cancel = nil
	if err := h.db.Close(); err != nil {
		h.t.Errorf("close store: %v", err)
	}
}

func (h *harness) deliver(mailbox string, raw string) {
	h.t.Helper()
	if err := h.srv.Deliver(mailbox, "INBOX", []byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		h.t.Fatal(err)
	}
}

// waitFor polls cond until it holds or 10 s pass.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (h *harness) handledCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.handled)
}

func (h *harness) lastHandled() mailbot.Handled {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.handled[len(h.handled)-1]
}

// waitIdle waits until n mails are handled and the outbox is empty.
func (h *harness) waitIdle(n int) {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("%d handled mails and an empty outbox", n), func() bool {
		if h.handledCount() < n {
			return false
		}
		idle, err := h.robot.Idle()
		return err == nil && idle
	})
}

func (h *harness) ticket(n store.Number) *store.Ticket {
	h.t.Helper()
	tk, err := mailbot.ShowTicket(h.db, n)
	if err != nil {
		h.t.Fatal(err)
	}
	return tk
}

func (h *harness) count(user, folder string) uint32 {
	h.t.Helper()
	n, err := h.srv.Status(user, folder)
	if err != nil {
		h.t.Fatalf("status %s/%s: %v", user, folder, err)
	}
	return n
}

// sentTo returns the parsed mails the SMTP sink accepted for rcpt.
func (h *harness) sentTo(rcpt string) []*sentMail {
	var out []*sentMail
	for _, s := range h.srv.Sent() {
		for _, to := range s.To {
			if strings.EqualFold(to, rcpt) {
				out = append(out, parseSent(h.t, s.Raw))
			}
		}
	}
	return out
}

type sentMail struct {
	header mail.Header
	body   string
}

func parseSent(t *testing.T, raw []byte) *sentMail {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse sent mail: %v\n%s", err, raw)
	}
	defer mr.Close()
	p, err := mr.NextPart()
	if err != nil {
		t.Fatalf("sent mail has no body: %v", err)
	}
	body, _ := io.ReadAll(p.Body)
	return &sentMail{header: mr.Header, body: string(body)}
}

func (s *sentMail) subject() string {
	v, _ := s.header.Subject()
	return v
}

func thisYear(seq int) store.Number { return store.Number{Year: time.Now().Year(), Seq: seq} }

const faultReport = `From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: =?iso-8859-1?q?St=F6rung_Fachverfahren?=
Date: Fri, 04 Dec 2026 08:12:00 +0100
Message-ID: <fault-1@stadt.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Das Fachverfahren startet nicht, Fehlermeldung =E2=80=9EKeine Verbindung=E2=80=9C.

Gr=C3=BC=C3=9Fe
Anna
`

func TestNewMailMakesTicketAndAck(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)

	got := h.lastHandled()
	if got.Record.Outcome != store.OutcomeTicket || got.Record.Ticket != thisYear(1) {
		t.Fatalf("handled = %+v, want new ticket %s", got.Record, thisYear(1))
	}
	tk := h.ticket(thisYear(1))
	if tk.Type != "a" || tk.Rule != "stoerung" || tk.Status != store.StatusNew {
		t.Errorf("ticket type %q rule %q status %q, want a stoerung new", tk.Type, tk.Rule, tk.Status)
	}
	if tk.Subject != "Störung Fachverfahren" || tk.Requester != "anna.beispiel@stadt.example" {
		t.Errorf("ticket subject %q requester %q", tk.Subject, tk.Requester)
	}

	acks := h.sentTo("anna.beispiel@stadt.example")
	if len(acks) != 1 {
		t.Fatalf("%d mails to the requester, want 1", len(acks))
	}
	ack := acks[0]
	tag := thisYear(1).Tag("IT")
	if want := tag + " Störung Fachverfahren"; ack.subject() != want {
		t.Errorf("ack subject %q, want %q", ack.subject(), want)
	}
	for key, want := range map[string]string{
		"In-Reply-To":              "<fault-1@stadt.example>",
		"References":               "<fault-1@stadt.example>",
		"Auto-Submitted":           "auto-replied",
		"Precedence":               "bulk",
		"X-Auto-Response-Suppress": "All",
		"X-Mailbot-Loop":           demo.SupportAddr,
	} {
		if v := ack.header.Get(key); v != want {
			t.Errorf("ack %s = %q, want %q", key, v, want)
		}
	}
	if !strings.HasPrefix(ack.header.Get("Message-Id"), "<mailbot."+thisYear(1).String()+".") {
		t.Errorf("ack Message-ID %q lacks the ticket number", ack.header.Get("Message-Id"))
	}
	for _, want := range []string{"das Ticket " + thisYear(1).String(), "a) Support", "Betreff:     Störung Fachverfahren"} {
		if !strings.Contains(ack.body, want) {
			t.Errorf("ack body lacks %q:\n%s", want, ack.body)
		}
	}

	notes := h.sentTo("it-support@stadt.example")
	if len(notes) != 1 || notes[0].header.Get("Auto-Submitted") != "auto-generated" {
		t.Fatalf("IT notices = %d, want 1 auto-generated", len(notes))
	}
	if !strings.Contains(notes[0].body, "Keine Verbindung") {
		t.Errorf("IT notice lacks the mail text:\n%s", notes[0].body)
	}
	if n := h.count(demo.SupportAddr, "INBOX"); n != 0 {
		t.Errorf("INBOX holds %d mails after handling, want 0", n)
	}
	if n := h.count(demo.SupportAddr, "Bearbeitet"); n != 1 {
		t.Errorf("Bearbeitet holds %d mails, want 1", n)
	}
	// The outgoing Message-IDs are on the ticket, for threading replies.
	if len(tk.MessageIDs) != 3 {
		t.Errorf("ticket knows %d Message-IDs, want 3 (incoming, ack, notice)", len(tk.MessageIDs))
	}
}

const announcement = `From: Clara Probe <orga.amt50@stadt.example>
To: 3344@stadt.example, digitalisierung@stadt.example
Subject: =?utf-8?b?Vm9ya2zDpHJ1bmcgUHJvamVrdCBmw7xyIElULzUwLUpGOiBEaWdpdGFsZSBBa3Rl?=
Date: Fri, 04 Dec 2026 09:05:00 +0100
Message-ID: <announce-1@stadt.example>
Content-Type: text/plain; charset=utf-8

Beschreibung: digitale Akte.
Dringlichkeit: nächster IT-JF reicht.
`

func TestSameMailInBothMailboxesMakesOneTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, "Delivered-To: 3344@stadt.example\n"+announcement)
	h.deliver(demo.DigiAddr, "Delivered-To: digitalisierung@stadt.example\n"+announcement)
	h.start()
	h.waitIdle(2)

	var outcomes []string
	h.mu.Lock()
	for _, x := range h.handled {
		outcomes = append(outcomes, x.Record.Outcome)
	}
	h.mu.Unlock()
	list, err := mailbot.ListTickets(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d tickets, want 1 (outcomes %v)", len(list), outcomes)
	}
	if list[0].Type != "c" || list[0].Project != "Digitale Akte" {
		t.Errorf("ticket type %q project %q, want c and Digitale Akte", list[0].Type, list[0].Project)
	}
	if n := len(h.sentTo("orga.amt50@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements to the orga contact, want 1", n)
	}
	for _, mb := range []string{demo.SupportAddr, demo.DigiAddr} {
		if n := h.count(mb, "INBOX"); n != 0 {
			t.Errorf("INBOX of %s holds %d mails, want 0", mb, n)
		}
	}
}

func TestOutOfOfficeGetsNoReply(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, `From: Dieter Beispiel <dieter.beispiel@stadt.example>
To: 3344@stadt.example
Subject: Automatische Antwort: Dienstbesprechung
Message-ID: <ooo-1@stadt.example>
Auto-Submitted: auto-replied

Ich bin nicht im Büro.
`)
	h.start()
	h.waitIdle(1)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeIgnored {
		t.Errorf("outcome %q, want ignored", got)
	}
	if n := len(h.srv.Sent()); n != 0 {
		t.Errorf("%d mails sent for an out-of-office reply, want 0", n)
	}
	if list, _ := mailbot.ListTickets(h.db); len(list) != 0 {
		t.Errorf("%d tickets made for an out-of-office reply, want 0", len(list))
	}
}

func TestFollowUpLandsOnTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, `From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: AW: `+tag+` Störung Fachverfahren
Message-ID: <fault-2@stadt.example>
Content-Type: text/plain; charset=utf-8

Es geht wieder, danke!
`)
	acks := h.sentTo("anna.beispiel@stadt.example")
	h.deliver(demo.SupportAddr, `From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: Nachtrag
Message-ID: <fault-3@stadt.example>
In-Reply-To: `+acks[0].header.Get("Message-Id")+`
Content-Type: text/plain; charset=utf-8

Noch ein Nachtrag ohne Ticketnummer im Betreff.
`)
	h.waitIdle(3)
	list, _ := mailbot.ListTickets(h.db)
	if len(list) != 1 {
		t.Fatalf("%d tickets, want 1", len(list))
	}
	tk := h.ticket(thisYear(1))
	var texts []string
	for _, e := range tk.History {
		if e.Kind == store.EventMailIn {
			texts = append(texts, e.Text)
		}
	}
	if len(texts) != 2 || !strings.Contains(texts[0], "Es geht wieder") || !strings.Contains(texts[1], "Nachtrag") {
		t.Errorf("follow-up texts = %q", texts)
	}
}

func TestUnknownTagMakesNewTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, `From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: AW: [IT-2019-00999] Drucker defekt
Message-ID: <old-tag@stadt.example>

Der Drucker ist wieder defekt.
`)
	h.start()
	h.waitIdle(1)
	tk := h.ticket(thisYear(1))
	found := false
	for _, e := range tk.History {
		if e.Kind == store.EventNote && strings.Contains(e.Text, "2019-00999") {
			found = true
		}
	}
	if !found {
		t.Errorf("history does not say the tagged ticket is missing: %+v", tk.History)
	}
}

func TestSMTPOutageIsRetried(t *testing.T) {
	h := newHarness(t)
	// Each refused connection uses two sessions (EHLO, then go-mail's
	// HELO fallback), and the ack and the IT notice go out on two
	// connections at once: four make the first attempt of both fail.
	h.srv.FailSessions(4)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Fatalf("%d acknowledgements after SMTP outage, want 1", n)
	}
	var attempts []int
	err := h.db.View(func(tx *store.Tx) error {
		return tx.Sent(func(m *store.OutMail) bool {
			attempts = append(attempts, m.Attempts)
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0] < 2 {
		t.Errorf("attempts per sent mail = %v, want 2 mails with at least 2 attempts for the first", attempts)
	}
}

func TestRedeliveredMailMakesNoSecondTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	h.stop()

	// The server hands out the same mail again under a new UID, as after
	// a UIDVALIDITY change or a restore from backup.
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(2)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeDuplicate {
		t.Errorf("second delivery outcome %q, want duplicate", got)
	}
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements, want 1", n)
	}
}

func TestReusedMessageIDIsStillProcessed(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.deliver(demo.SupportAddr, strings.Replace(strings.Replace(faultReport, "St=F6rung_Fachverfahren", "Neuer_Monitor_defekt", 1),
		"startet nicht", "bleibt schwarz", 1))
	h.start()
	h.waitIdle(2)
	if list, _ := mailbot.ListTickets(h.db); len(list) != 2 {
		t.Errorf("%d tickets, want 2 for two different mails sharing a Message-ID", len(list))
	}
}

func TestCommittedButUnmovedMailIsOnlyMoved(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	// Commit the mail as the poller would, then "crash" before the move.
	db, err := store.Open(h.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := mailbot.New(h.cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mb := &h.cfg.Mailboxes[0]
	// The memserver gives the first folder of a user UIDVALIDITY 1 and the
	// first mail UID 1.
	raw := []byte(strings.ReplaceAll(faultReport, "\n", "\r\n"))
	if _, err := r.Handle(mailbot.Incoming{Mailbox: mb, UIDValidity: 1, UID: 1, Raw: raw, Size: int64(len(raw))}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	h.start()
	h.waitFor("the committed mail to be moved", func() bool { return h.count(demo.SupportAddr, "INBOX") == 0 })
	h.waitIdle(0)
	if n := h.handledCount(); n != 0 {
		t.Errorf("mail handled %d more times after restart, want 0", n)
	}
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements, want exactly 1 (queued before the crash)", n)
	}
}

func TestOversizeAndBrokenMailQuarantined(t *testing.T) {
	h := newHarness(t)
	h.cfg.Limits.MaxMessageBytes = 4096
	h.deliver(demo.SupportAddr, faultReport+strings.Repeat("Füllzeile mit Text.\n", 400))
	h.start()
	h.waitIdle(1)
	if got := h.lastHandled().Record; got.Outcome != store.OutcomeQuarantine || !strings.Contains(got.Reason, "max_message_bytes") {
		t.Errorf("oversize mail record %+v, want quarantine naming the limit", got)
	}
	h.waitFor("quarantine move", func() bool { return h.count(demo.SupportAddr, "Quarantaene") == 1 })
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 0 {
		t.Errorf("%d mails sent to the sender of a quarantined mail, want 0", n)
	}
	if n := len(h.sentTo("mailbot-admin@stadt.example")); n != 1 {
		t.Errorf("%d notices to the admin role, want 1", n)
	}
}

func TestAPIServesTickets(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	// Unix socket paths are limited to about 100 bytes; t.TempDir may be longer.
	dir, err := os.MkdirTemp("", "mb")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "api.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mailbot.ServeAPI(ctx, socket, h.db, testLogger(t)) }()
	c := mailbot.NewClient(socket)
	h.waitFor("API socket", func() bool { _, err := c.Tickets(); return err == nil })
	list, err := c.Tickets()
	if err != nil || len(list) != 1 || list[0].Number != thisYear(1) {
		t.Fatalf("Tickets = %v, %v", list, err)
	}
	tk, err := c.Ticket(thisYear(1))
	if err != nil || tk.Status != store.StatusNew || len(tk.History) == 0 {
		t.Fatalf("Ticket = %+v, %v", tk, err)
	}
	if _, err := c.Ticket(thisYear(99)); err == nil {
		t.Error("missing ticket returned no error")
	}
	if err := c.Ping(); err != nil {
		t.Errorf("Ping: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ServeAPI: %v", err)
	}
	if _, err := c.Tickets(); err == nil {
		t.Error("API still answers after shutdown")
	}
}
