package mailbot_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
	"mailbot/templates"
)

// breakAckTemplate gives h an acknowledgement template that fails when
// rendered, so that every new ticket fails in processing, and returns the
// function that removes it again.
func breakAckTemplate(t *testing.T, h *harness) (fix func()) {
	t.Helper()
	dir := t.TempDir()
	h.cfg.Templates.Dir = dir
	path := filepath.Join(dir, templates.Ack)
	// The start renders every template once with sample data, which
	// triages by hand; only a mail triaged by a rule reaches the bad field.
	if err := os.WriteFile(path, []byte("{{if not .ManualTriage}}{{.NoSuchField}}{{end}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProcessorFailureQuarantinedThenReleased(t *testing.T) {
	h := newHarness(t)
	fix := breakAckTemplate(t, h)
	h.deliver(demo.SupportAddr, faultReport)
	// A robot mail needs no template: the loop must go on after the
	// failing mail and handle it.
	h.deliver(demo.SupportAddr, `From: Dieter Beispiel <dieter.beispiel@stadt.example>
To: 3344@stadt.example
Subject: Automatische Antwort: Dienstbesprechung
Message-ID: <ooo-q@stadt.example>
Auto-Submitted: auto-replied

Ich bin nicht im Büro.
`)
	h.start()
	h.waitIdle(2)
	h.waitFor("quarantine move", func() bool { return h.count(demo.SupportAddr, "Quarantaene") == 1 })

	first := h.handledAt(0)
	if first.Record.Outcome != store.OutcomeQuarantine || !strings.Contains(first.Record.Reason, "processing failed") {
		t.Fatalf("first mail record %+v, want quarantine for a processing failure", first.Record)
	}
	if got := h.handledAt(1).Record.Outcome; got != store.OutcomeIgnored {
		t.Errorf("second mail outcome %q, want ignored: the loop must go on", got)
	}
	notices := h.sentTo("mailbot-admin@stadt.example")
	if len(notices) != 1 {
		t.Fatalf("%d admin notices, want 1", len(notices))
	}
	n := notices[0]
	if s := n.subject(); s != "Mail in Quarantäne: Störung Fachverfahren" {
		t.Errorf("notice subject %q", s)
	}
	for _, want := range []string{"Postfach support", "„Quarantaene“", "UID:        1", "fault-1@stadt.example",
		"Bearbeitung der Mail ist ein Fehler", "NoSuchField", "mailbot quarantine release --mailbox support 1"} {
		if !strings.Contains(n.body, want) {
			t.Errorf("notice body lacks %q:\n%s", want, n.body)
		}
	}
	if got := n.header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("notice Auto-Submitted %q, want auto-generated", got)
	}
	if len(h.sentTo("anna.beispiel@stadt.example")) != 0 {
		t.Error("the sender of the failing mail got a reply")
	}

	list, err := mailbot.ListQuarantine(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].UID != 1 || list[0].MessageID != "fault-1@stadt.example" || list[0].FolderUID == 0 {
		t.Fatalf("quarantine list %+v, want uid 1 with its Message-ID and folder UID", list)
	}

	// Fix the cause, restart and release: the mail becomes a ticket.
	h.stop()
	fix()
	h.start()
	e, err := mailbot.Release(context.Background(), h.cfg, h.db, testLogger(t), "support", 1)
	if err != nil {
		t.Fatalf("Release: %v", err)
	}
	if e.MessageID != "fault-1@stadt.example" {
		t.Errorf("released %+v", e)
	}
	h.waitIdle(3)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeTicket {
		t.Fatalf("released mail outcome %q, want ticket", got)
	}
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements after release, want 1", n)
	}
	if n := h.count(demo.SupportAddr, "Quarantaene"); n != 0 {
		t.Errorf("Quarantaene holds %d mails after release, want 0", n)
	}
	if list, _ := mailbot.ListQuarantine(h.db); len(list) != 0 {
		t.Errorf("quarantine list after release: %+v", list)
	}
	if _, err := mailbot.Release(context.Background(), h.cfg, h.db, testLogger(t), "support", 1); err == nil {
		t.Error("second release of the same UID succeeded")
	}
}

// TestQuarantinedMailMovedBackByHand moves a quarantined mail back to the
// inbox with an IMAP client, as an admin would in a mail program. While
// the cause lasts it is quarantined again under its one entry; once the
// cause is fixed it becomes a ticket and leaves the list.
func TestQuarantinedMailMovedBackByHand(t *testing.T) {
	h := newHarness(t)
	fix := breakAckTemplate(t, h)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	h.waitFor("quarantine move", func() bool { return h.count(demo.SupportAddr, "Quarantaene") == 1 })

	moveBack := func() {
		t.Helper()
		c, err := imapclient.DialInsecure(h.srv.IMAPAddr, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login(demo.SupportAddr, "demo").Wait(); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Select("Quarantaene", nil).Wait(); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Move(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, "INBOX").Wait(); err != nil {
			t.Fatal(err)
		}
	}
	moveBack()
	h.waitIdle(2)
	if got := h.lastHandled(); got.Record.Outcome != store.OutcomeQuarantine || got.UID == 1 {
		t.Errorf("moved-back mail record %+v, want quarantine under a new UID", got)
	}
	list, err := mailbot.ListQuarantine(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].UID != h.lastHandled().UID {
		t.Errorf("quarantine list %+v, want one entry with the new UID", list)
	}

	h.stop()
	fix()
	h.start()
	h.waitFor("quarantine move", func() bool { return h.count(demo.SupportAddr, "Quarantaene") == 1 })
	moveBack()
	h.waitIdle(3)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeTicket {
		t.Errorf("mail moved back after the fix: outcome %q, want ticket", got)
	}
	if list, _ := mailbot.ListQuarantine(h.db); len(list) != 0 {
		t.Errorf("quarantine list after the fix: %+v", list)
	}
}

func TestReleaseBeforeMoveOnlyForgetsRecord(t *testing.T) {
	h := newHarness(t)
	h.cfg.Limits.MaxMessageBytes = 4096
	h.deliver(demo.SupportAddr, faultReport+strings.Repeat("Füllzeile mit Text.\n", 400))
	// Record the quarantine as the poller would, then "crash" before the
	// move: the mail is still in the inbox.
	db, err := store.Open(h.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := mailbot.New(h.cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mb := &h.cfg.Mailboxes[0]
	if _, err := r.Handle(mailbot.Incoming{Mailbox: mb, UIDValidity: 1, UID: 1, Size: 9000, Oversize: true}); err != nil {
		t.Fatal(err)
	}
	// The limit is raised; releasing needs no IMAP move.
	h.cfg.Limits.MaxMessageBytes = 1 << 20
	if _, err := mailbot.Release(context.Background(), h.cfg, db, testLogger(t), "", 1); err != nil {
		t.Fatalf("Release: %v", err)
	}
	db.Close()
	h.start()
	h.waitIdle(1)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeTicket {
		t.Errorf("released mail outcome %q, want ticket", got)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.deliver(demo.SupportAddr, "Kein Kopf, nur Text.\n")
	h.start()
	h.waitIdle(2)
	h.waitFor("healthy", func() bool { return h.robot.Health().Status == "ok" })

	srv := httptest.NewServer(h.robot.MetricsHandler())
	defer srv.Close()
	wants := []string{
		"mailbot_mails_fetched_total 2",
		`mailbot_tickets_created_total{type="a"} 1`,
		"mailbot_mails_quarantined_total 1",
		`mailbot_outgoing_sent_total{kind="ack"} 1`,
		`mailbot_outgoing_sent_total{kind="quarantine"} 1`,
		"mailbot_outbox_depth 0",
		`mailbot_imap_connected{mailbox="support"} 1`,
	}
	// The sender counts a mail as sent just after the outbox commit that
	// makes the robot idle, so the counters may lag a moment behind.
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		body = get(t, srv.URL+"/metrics")
		complete := true
		for _, want := range wants {
			complete = complete && strings.Contains(body, want)
		}
		if complete {
			break
		}
	}
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if body := get(t, srv.URL+"/healthz"); !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthz = %s", body)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (h *harness) handledAt(i int) mailbot.Handled {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.handled[i]
}

func TestOversizeMailListedWithHeader(t *testing.T) {
	h := newHarness(t)
	h.cfg.Limits.MaxMessageBytes = 4096
	h.deliver(demo.SupportAddr, faultReport+strings.Repeat("Füllzeile mit Text.\n", 400))
	h.start()
	h.waitIdle(1)
	list, err := mailbot.ListQuarantine(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("quarantine list %+v, want one entry", list)
	}
	e := list[0]
	if e.MessageID != "fault-1@stadt.example" || e.Subject != "Störung Fachverfahren" ||
		e.From != "Anna Beispiel <anna.beispiel@stadt.example>" {
		t.Errorf("entry %+v, want Message-ID, subject and sender from the header", e)
	}
	if h.lastHandled().MessageID != "fault-1@stadt.example" {
		t.Errorf("handled %+v lacks the Message-ID", h.lastHandled())
	}
}
