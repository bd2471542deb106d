package mailbot

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/config"
	"mailbot/store"
)

// TestLogsNameNoZeroTicket: mails and commands that belong to no ticket,
// such as agendas, log ticket=none instead of ticket=0000-00000.
func TestLogsNameNoZeroTicket(t *testing.T) {
	c := config.Builtin()
	c.IMAP.Host, c.SMTP.Host = "127.0.0.1", "127.0.0.1"
	for i := range c.Mailboxes {
		c.Mailboxes[i].QuarantineFolder = "Quarantaene"
	}
	c.Store.Path = filepath.Join(t.TempDir(), "mailbot.db")
	c.Roles = config.Roles{IT: []string{"it@stadt.example"}, ITLeads: []string{"leitung@stadt.example"},
		Orga: []string{"orga@stadt.example"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(c.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	r, err := New(&c, db, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { return now }

	// A command mail without a ticket: "mail handled" and "task created".
	raw := "From: leitung@stadt.example\r\nTo: 3344@stadt.example\r\nSubject: Aufgabe\r\nMessage-ID: <log-1@stadt.example>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n#aufgabe an@stadt.example Toner prüfen\r\n"
	if _, err := r.Handle(Incoming{Mailbox: &c.Mailboxes[0], UIDValidity: 1, UID: 1, Raw: []byte(raw)}); err != nil {
		t.Fatal(err)
	}
	// Sending a mail without a ticket, and holding one.
	o := &store.OutMail{Kind: kindAgenda, MessageID: "agenda-1@stadt.example", Date: now, From: "3344@stadt.example",
		To: []string{"orga@stadt.example"}, Subject: "Tagesordnung", Body: "x"}
	if err := db.Update(func(tx *store.Tx) error { return tx.Enqueue(o) }); err != nil {
		t.Fatal(err)
	}
	r.finish([]*store.OutMail{o}, []error{nil}, now)
	if err := r.hold(nil, o, "test"); err != nil {
		t.Fatal(err)
	}

	for _, want := range []string{"mail handled", "task created", "mail sent", "automatic mail held back"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	if n := strings.Count(logs.String(), "ticket=none"); n < 4 {
		t.Errorf("%d log lines with ticket=none, want 4:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "0000-00000") {
		t.Errorf("log names the zero ticket:\n%s", logs.String())
	}
}
