package demo

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-message/mail"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

//go:embed samples/*.eml
var samples embed.FS

// Addresses of the demo's robot mailboxes and the password of its users.
const (
	SupportAddr = "3344@stadt.example"
	DigiAddr    = "digitalisierung@stadt.example"
	password    = "demo"
)

// demoTimeout bounds the whole demo run.
const demoTimeout = 60 * time.Second

// Config returns a configuration for mailbot against s with its store in
// dir, validated and with derived values filled in like a loaded file. It
// panics when that fails, which can only be a bug in this function.
func Config(s *Servers, dir string) *config.Config {
	c := config.Defaults()
	host, port := splitAddr(s.IMAPAddr)
	c.IMAP = config.IMAP{Host: host, Port: port, Security: "none", PollInterval: time.Second,
		Idle: true, Timeout: 10 * time.Second, FetchBatch: 100}
	host, port = splitAddr(s.SMTPAddr)
	c.SMTP = config.SMTP{Host: host, Port: port, Security: "none", FromName: "IT-Ticketsystem",
		HeloName: "stadt.example", Timeout: 10 * time.Second}
	c.Mailboxes = []config.Mailbox{
		{Name: "support", Address: SupportAddr, Username: SupportAddr, Password: password, Folder: "INBOX",
			ProcessedFolder: "Bearbeitet", QuarantineFolder: "Quarantaene", DefaultType: "a"},
		{Name: "digitalisierung", Address: DigiAddr, Username: DigiAddr, Password: password, Folder: "INBOX",
			ProcessedFolder: "Bearbeitet", QuarantineFolder: "Quarantaene", DefaultType: "c"},
	}
	c.Store.Path = filepath.Join(dir, "mailbot.db")
	c.Roles = config.Roles{
		IT: []string{"it-support@stadt.example"}, ITLeads: []string{"it-leitung@stadt.example"},
		Orga: []string{"orga.amt50@stadt.example"}, Budget: []string{"it-budget.amt50@stadt.example"},
		Digi: []string{"digitalisierung-team@stadt.example"}, Admin: []string{"mailbot-admin@stadt.example"},
	}
	c.Outbox.RetryMin = 200 * time.Millisecond
	c.Outbox.RetryMax = 2 * time.Second
	// Derive what a loaded file would get, such as the API socket and the
	// jour fixe time zone.
	if err := c.Validate(); err != nil {
		panic(fmt.Sprintf("demo configuration is invalid: %v", err))
	}
	return &c
}

// Accounts returns the IMAP users of the demo servers.
func Accounts() []Account {
	return []Account{{SupportAddr, password}, {DigiAddr, password}}
}

func splitAddr(addr string) (string, int) {
	host, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	return host, port
}

// Run starts the servers, puts the sample mails into the mailboxes, runs
// mailbot until every mail is handled and answered, and writes a
// transcript to w.
func Run(ctx context.Context, w io.Writer, log *slog.Logger) error {
	srv, err := Start(Accounts(), Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "mailbot-demo-")
	if err != nil {
		return fmt.Errorf("create demo directory: %w", err)
	}
	defer os.RemoveAll(dir)
	cfg := Config(srv, dir)
	db, err := store.Open(cfg.Store.Path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	robot, err := mailbot.New(cfg, db, log)
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "mailbot demo: IMAP on %s, SMTP on %s, store in %s\n\n", srv.IMAPAddr, srv.SMTPAddr, dir)
	var mu sync.Mutex
	handled := 0
	print := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, format, args...)
	}
	robot.OnHandled = func(h mailbot.Handled) {
		print("%s", describeHandled(h))
		mu.Lock()
		handled++
		mu.Unlock()
	}
	srv.OnSent(func(s Sent) { print("%s", describeSent(s)) })

	want, err := deliverSamples(srv, w)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, demoTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- robot.Run(ctx) }()

	for {
		mu.Lock()
		n := handled
		mu.Unlock()
		if n >= want {
			idle, err := robot.Idle()
			if err != nil {
				cancel()
				<-done
				return err
			}
			if idle {
				break
			}
		}
		select {
		case <-ctx.Done():
			<-done
			return fmt.Errorf("demo did not finish within %s: %d of %d mails handled", demoTimeout, n, want)
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		return err
	}
	return summary(w, db)
}

// deliverSamples puts the embedded sample mails into the mailboxes named in
// their To header and returns how many deliveries it made.
func deliverSamples(srv *Servers, w io.Writer) (int, error) {
	entries, err := samples.ReadDir("samples")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		raw, err := samples.ReadFile("samples/" + e.Name())
		if err != nil {
			return 0, err
		}
		for _, rcpt := range recipients(raw) {
			if rcpt != SupportAddr && rcpt != DigiAddr {
				continue
			}
			if err := srv.Deliver(rcpt, "INBOX", raw); err != nil {
				return 0, err
			}
			fmt.Fprintf(w, "put %s into the INBOX of %s\n", e.Name(), rcpt)
			n++
		}
	}
	fmt.Fprintln(w)
	return n, nil
}

func recipients(raw []byte) []string {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	defer mr.Close()
	list, _ := mr.Header.AddressList("To")
	var out []string
	for _, a := range list {
		out = append(out, strings.ToLower(a.Address))
	}
	return out
}

func describeHandled(h mailbot.Handled) string {
	var b strings.Builder
	fmt.Fprintf(&b, "IN   %s uid %d from %s\n     subject: %s\n", h.Mailbox, h.UID, h.From, h.Subject)
	switch h.Record.Outcome {
	case store.OutcomeTicket:
		typ := h.Type
		if h.Subtype != "" {
			typ = h.Subtype
		}
		fmt.Fprintf(&b, "     -> new ticket %s, type %s (rule %s)\n     reason: %s\n", h.Record.Ticket, typ, h.Rule, h.Record.Reason)
	default:
		fmt.Fprintf(&b, "     -> %s", h.Record.Outcome)
		if !h.Record.Ticket.IsZero() {
			fmt.Fprintf(&b, " (ticket %s)", h.Record.Ticket)
		}
		fmt.Fprintf(&b, ": %s\n", h.Record.Reason)
	}
	b.WriteString("\n")
	return b.String()
}

// describeSent shows the subject and the first lines of an outgoing mail.
func describeSent(s Sent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "OUT  to %s\n", strings.Join(s.To, ", "))
	mr, err := mail.CreateReader(bytes.NewReader(s.Raw))
	if err != nil {
		fmt.Fprintf(&b, "     (unreadable: %v)\n\n", err)
		return b.String()
	}
	defer mr.Close()
	subject, _ := mr.Header.Subject()
	fmt.Fprintf(&b, "     subject: %s\n     auto-submitted: %s\n", subject, mr.Header.Get("Auto-Submitted"))
	if p, err := mr.NextPart(); err == nil {
		body, _ := io.ReadAll(p.Body)
		sc := bufio.NewScanner(bytes.NewReader(body))
		for i := 0; i < 6 && sc.Scan(); i++ {
			fmt.Fprintf(&b, "     | %s\n", sc.Text())
		}
	}
	b.WriteString("\n")
	return b.String()
}

func summary(w io.Writer, db *store.DB) error {
	list, err := mailbot.ListTickets(db)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d tickets in the store:\n", len(list))
	for _, t := range list {
		typ := t.Type
		if t.Subtype != "" {
			typ = t.Subtype
		}
		fmt.Fprintf(w, "  %s  %-3s %-4s %-32s %s\n", t.Number.Tag("IT"), typ, t.Status, t.Requester, t.Subject)
	}
	return nil
}
