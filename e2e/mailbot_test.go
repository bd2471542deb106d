package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"mailbot/config"
	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// deliveryTimeout bounds one round trip through Postfix, mailbot and Dovecot.
const deliveryTimeout = 30 * time.Second

// robotSetup is a mailbot configured against the real servers, with
// mailbox and role addresses unique to one test.
type robotSetup struct {
	srv     *e2e.Servers
	cfg     *config.Config
	support string
	digi    string
	it      string
	db      *store.DB
	cancel  context.CancelFunc
	done    chan error
}

func newRobotSetup(t *testing.T) *robotSetup {
	t.Helper()
	srv := e2e.Start(t)
	s := &robotSetup{srv: srv, support: e2e.NewAddress(t, "stadt.example"),
		digi: e2e.NewAddress(t, "stadt.example"), it: e2e.NewAddress(t, "stadt.example")}
	c := config.Defaults()
	host, port := splitHostPort(t, srv.IMAPAddr)
	c.IMAP = config.IMAP{Host: host, Port: port, Security: "none", PollInterval: 5 * time.Second,
		Idle: true, Timeout: 15 * time.Second, FetchBatch: 50}
	host, port = splitHostPort(t, srv.SMTPAddr)
	c.SMTP = config.SMTP{Host: host, Port: port, Security: "none", FromName: "IT-Ticketsystem",
		HeloName: "stadt.example", Timeout: 15 * time.Second}
	c.Mailboxes = []config.Mailbox{
		{Name: "support", Address: s.support, Username: s.support, Password: srv.Password, Folder: "INBOX",
			ProcessedFolder: "Bearbeitet", QuarantineFolder: "Quarantaene", DefaultType: "a"},
		{Name: "digitalisierung", Address: s.digi, Username: s.digi, Password: srv.Password, Folder: "INBOX",
			ProcessedFolder: "Bearbeitet", QuarantineFolder: "Quarantaene", DefaultType: "c"},
	}
	c.Store.Path = filepath.Join(t.TempDir(), "mailbot.db")
	c.Roles.IT = []string{s.it}
	c.Outbox.RetryMin = 500 * time.Millisecond
	c.Outbox.RetryMax = 5 * time.Second
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	s.cfg = &c
	return s
}

func splitHostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}

// start runs mailbot until the test ends.
func (s *robotSetup) start(t *testing.T) {
	t.Helper()
	db, err := store.Open(s.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := mailbot.New(s.cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.db, s.cancel, s.done = db, cancel, make(chan error, 1)
	go func() { s.done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-s.done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
}

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

type received struct {
	header mail.Header
	body   string
}

func parseReceived(t *testing.T, raw []byte) received {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse delivered mail: %v", err)
	}
	defer mr.Close()
	p, err := mr.NextPart()
	if err != nil {
		t.Fatalf("delivered mail has no body: %v", err)
	}
	body, err := io.ReadAll(p.Body)
	if err != nil {
		t.Fatal(err)
	}
	return received{header: mr.Header, body: string(body)}
}

func TestFaultReportRoundTrip(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	msgID := fmt.Sprintf("<e2e-%d@stadt.example>", time.Now().UnixNano())
	mailText := `From: Erika Beispiel <` + clerk + `>
To: ` + s.support + `
Subject: =?utf-8?q?Scanner_im_B=C3=BCro_3.07_st=C3=BCrzt_ab?=
Date: ` + time.Now().Format(time.RFC1123Z) + `
Message-ID: ` + msgID + `
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Der Scanner st=C3=BCrzt bei jedem zweiten Auftrag ab, Fehlermeldung =E2=80=
=9EE-17=E2=80=9C.

Gru=C3=9F, Erika
`
	start := time.Now()
	s.srv.Send(t, clerk, []string{s.support}, crlf(mailText))
	s.start(t)

	acks := s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	t.Logf("acknowledgement arrived %s after submission", time.Since(start).Round(time.Millisecond))
	ack := parseReceived(t, acks[0])
	subject, _ := ack.header.Subject()
	number := store.Number{Year: time.Now().Year(), Seq: 1}
	if want := number.Tag("IT") + " Scanner im Büro 3.07 stürzt ab"; subject != want {
		t.Errorf("acknowledgement subject %q, want %q", subject, want)
	}
	if v := ack.header.Get("In-Reply-To"); v != msgID {
		t.Errorf("In-Reply-To %q, want %q", v, msgID)
	}
	if v := ack.header.Get("Auto-Submitted"); v != "auto-replied" {
		t.Errorf("Auto-Submitted %q, want auto-replied", v)
	}
	if !strings.Contains(ack.body, "das Ticket "+number.String()) || !strings.Contains(ack.body, "a) Support") {
		t.Errorf("acknowledgement body:\n%s", ack.body)
	}
	if len(ack.header.Values("Received")) == 0 {
		t.Error("acknowledgement has no Received header: it did not pass through Postfix")
	}

	notes := s.srv.WaitFor(t, s.it, "INBOX", 1, deliveryTimeout)
	note := parseReceived(t, notes[0])
	if !strings.Contains(note.body, "E-17") {
		t.Errorf("IT notice lacks the mail text:\n%s", note.body)
	}
	// The clerk's mail has left the INBOX for the processed folder.
	deadline := time.Now().Add(deliveryTimeout)
	for len(s.srv.Fetch(t, s.support, "INBOX")) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the clerk's mail is still in the support INBOX")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(s.srv.Fetch(t, s.support, "Bearbeitet")); n != 1 {
		t.Errorf("Bearbeitet holds %d mails, want 1", n)
	}
	tk, err := mailbot.ShowTicket(s.db, number)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Type != "a" || tk.Requester != clerk || tk.Status != store.StatusNew {
		t.Errorf("ticket type %q requester %q status %q", tk.Type, tk.Requester, tk.Status)
	}
}

func TestAnnouncementToBothAddressesOneTicket(t *testing.T) {
	s := newRobotSetup(t)
	orga := e2e.NewAddress(t, "stadt.example")
	mailText := `From: Clara Probe <` + orga + `>
To: ` + s.support + `, ` + s.digi + `
Subject: =?utf-8?b?Vm9ya2zDpHJ1bmcgUHJvamVrdCBmw7xyIElULzUwLUpGOiBTY2Fuc3RyYcOfZQ==?=
Date: ` + time.Now().Format(time.RFC1123Z) + `
Message-ID: <e2e-announce-` + strconv.FormatInt(time.Now().UnixNano(), 10) + `@stadt.example>
Content-Type: text/plain; charset=utf-8

Beschreibung: Eine Scanstraße für die Poststelle.
Dringlichkeit: Klärung im nächsten IT-JF ausreichend.
`
	// One submission, two recipients: Postfix delivers one copy to each
	// mailbox, with different trace headers.
	s.cfg.Roles.Orga = []string{orga}
	s.srv.Send(t, orga, []string{s.support, s.digi}, crlf(mailText))
	s.start(t)
	acks := s.srv.WaitFor(t, orga, "INBOX", 1, deliveryTimeout)
	ack := parseReceived(t, acks[0])
	if !strings.Contains(ack.body, "Projektname: Scanstraße") {
		t.Errorf("acknowledgement lacks the project name:\n%s", ack.body)
	}
	for _, mb := range []string{s.support, s.digi} {
		deadline := time.Now().Add(deliveryTimeout)
		for len(s.srv.Fetch(t, mb, "Bearbeitet")) != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("the announcement never reached Bearbeitet of %s", mb)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Give a second acknowledgement, if one were queued, time to arrive.
	time.Sleep(time.Second)
	if n := len(s.srv.Fetch(t, orga, "INBOX")); n != 1 {
		t.Errorf("orga contact got %d acknowledgements, want 1", n)
	}
	list, err := mailbot.ListTickets(s.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Type != "c" {
		t.Fatalf("tickets = %d (first type %q), want one of type c", len(list), firstType(list))
	}
}

func firstType(list []*store.Ticket) string {
	if len(list) == 0 {
		return ""
	}
	return list[0].Type
}

func TestOutOfOfficeGetsNoReplyThroughPostfix(t *testing.T) {
	s := newRobotSetup(t)
	away := e2e.NewAddress(t, "stadt.example")
	s.srv.Send(t, away, []string{s.support}, crlf(`From: <`+away+`>
To: `+s.support+`
Subject: Automatische Antwort: Ihre Anfrage
Message-ID: <e2e-ooo-`+strconv.FormatInt(time.Now().UnixNano(), 10)+`@stadt.example>
Auto-Submitted: auto-replied

Ich bin bis Montag nicht im Haus.
`))
	s.start(t)
	deadline := time.Now().Add(deliveryTimeout)
	for len(s.srv.Fetch(t, s.support, "Bearbeitet")) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the out-of-office reply was never handled")
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	if n := len(s.srv.Fetch(t, away, "INBOX")); n != 0 {
		t.Errorf("out-of-office sender got %d mails, want 0", n)
	}
	if n := len(s.srv.Fetch(t, s.it, "INBOX")); n != 0 {
		t.Errorf("IT got %d notices for an out-of-office reply, want 0", n)
	}
}

// TestServiceAndTicketsCommand runs the real binary: `mailbot run` on the
// servers, then `mailbot tickets list` and `show` through its socket.
func TestServiceAndTicketsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	s := newRobotSetup(t)
	dir, err := os.MkdirTemp("", "mbe2e")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := buildBinary(t, dir)
	cfgPath := writeConfig(t, s, dir)

	clerk := e2e.NewAddress(t, "stadt.example")
	s.srv.Send(t, clerk, []string{s.support}, crlf(`From: <`+clerk+`>
To: `+s.support+`
Subject: Monitor defekt
Message-ID: <e2e-bin-`+strconv.FormatInt(time.Now().UnixNano(), 10)+`@stadt.example>

Der Monitor bleibt schwarz.
`))
	svc := startService(t, bin, cfgPath)
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)

	out := runCommand(t, bin, "--config", cfgPath, "tickets", "list")
	if !strings.Contains(out, "Monitor defekt") || !strings.Contains(out, clerk) {
		t.Errorf("tickets list while running:\n%s", out)
	}
	out = runCommand(t, bin, "--config", cfgPath, "tickets", "list", "--all", "--limit", "1", "--requester", clerk)
	if !strings.Contains(out, "Monitor defekt") {
		t.Errorf("tickets list --requester while running:\n%s", out)
	}
	number := store.Number{Year: time.Now().Year(), Seq: 1}
	out = runCommand(t, bin, "--config", cfgPath, "tickets", "show", number.String(), "--json")
	if !strings.Contains(out, `"status": "new"`) {
		t.Errorf("tickets show --json lacks the status:\n%s", out)
	}
	svc.stop(t)

	// With the service stopped the commands read the file directly.
	out = runCommand(t, bin, "--config", cfgPath, "tickets", "show", "IT-"+number.String())
	if !strings.Contains(out, "Monitor bleibt schwarz") {
		t.Errorf("tickets show after stop:\n%s", out)
	}
}
