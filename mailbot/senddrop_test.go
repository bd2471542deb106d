package mailbot

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"mailbot/config"
	"mailbot/store"
)

// dropSMTP is a minimal SMTP server on 127.0.0.1 that accepts mails and
// closes the connection at the dropAt-th MAIL FROM over all connections.
type dropSMTP struct {
	ln     net.Listener
	dropAt int32
	refuse string // a recipient refused with 550
	mails  atomic.Int32
	from   atomic.Int32
}

func startDropSMTP(t *testing.T, dropAt int32) *dropSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dropSMTP{ln: ln, dropAt: dropAt}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

// serveFor points the SMTP settings of r at the server.
func (s *dropSMTP) serveFor(r *Robot) {
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	r.cfg.SMTP.Host, r.cfg.SMTP.Security, r.cfg.SMTP.Timeout, r.cfg.SMTP.HeloName = host, "none", 5*time.Second, "stadt.example"
	r.cfg.SMTP.Port, _ = strconv.Atoi(port)
}

func (s *dropSMTP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { c.Write([]byte(line + "\r\n")) }
	say("220 drop.example ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 drop.example")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			if s.from.Add(1) == s.dropAt {
				return // the connection breaks
			}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO"):
			if s.refuse != "" && strings.Contains(cmd, strings.ToUpper(s.refuse)) {
				say("550 5.1.1 no such user")
				continue
			}
			say("250 OK")
		case cmd == "DATA":
			say("354 go on")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			s.mails.Add(1)
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

// TestDroppedConnectionRetriesMail breaks the SMTP connection in the
// middle of a batch: the mails sent before stay sent, and the one in
// hand and the rest stay queued for another attempt, not given up.
func TestDroppedConnectionRetriesMail(t *testing.T) {
	r, db := newFinishRobot(t)
	srv := startDropSMTP(t, 3)
	srv.serveFor(r)
	now := time.Now()
	var due []*store.OutMail
	for i := range 6 {
		due = append(due, &store.OutMail{Kind: "help", MessageID: "drop-" + strconv.Itoa(i) + "@stadt.example", Date: now,
			From: "support@stadt.example", To: []string{"x@stadt.example"}, Subject: "Hilfe", Body: "Text"})
	}
	enqueueAll(t, db, due)

	r.sendMails(t.Context(), due)

	var sent, failed, queued int
	for _, o := range due {
		switch o.State {
		case store.OutSent:
			sent++
		case store.OutFailed:
			failed++
			t.Errorf("%s given up after a dropped connection: %s", o.MessageID, o.LastError)
		default:
			queued++
		}
	}
	if sent != int(srv.mails.Load()) || sent == 0 || queued == 0 || failed != 0 {
		t.Errorf("sent %d (server has %d), queued %d, failed %d", sent, srv.mails.Load(), queued, failed)
	}
}

// TestPartlyRefusedMailGoesToTheOthers has the server refuse one of two
// recipients: the mail is sent again to the other one alone, and the
// refused address is paused like a bounce.
func TestPartlyRefusedMailGoesToTheOthers(t *testing.T) {
	r, db := newFinishRobot(t)
	srv := startDropSMTP(t, 0)
	srv.refuse = "tippfehler@stadt.example"
	r.cfg.Mailboxes = []config.Mailbox{{Name: "support", Address: "support@stadt.example"}}
	r.cfg.Roles.Admin = []string{"admin@stadt.example"}
	srv.serveFor(r)
	o := &store.OutMail{Kind: "digest", MessageID: "partly@stadt.example", Date: time.Now(), From: "support@stadt.example",
		To: []string{"it@stadt.example", "tippfehler@stadt.example"}, Subject: "Sammelmeldung", Body: "Text"}
	enqueueAll(t, db, []*store.OutMail{o})

	r.sendMails(t.Context(), []*store.OutMail{o})
	if o.State != store.OutQueued || len(o.To) != 1 || o.To[0] != "it@stadt.example" {
		t.Fatalf("after the refusal: state %q, to %v, want queued for it@ alone", o.State, o.To)
	}
	if o.Attempts != 0 || o.NextAttempt.After(time.Now()) {
		t.Errorf("after the refusal: %d attempts, next at %v; want none used and no wait", o.Attempts, o.NextAttempt)
	}
	err := db.View(func(tx *store.Tx) error {
		p, err := tx.Pause("tippfehler@stadt.example")
		if err != nil {
			return err
		}
		if p == nil {
			t.Error("the refused address is not paused")
		}
		due, err := tx.Due(time.Now().Add(time.Hour), 10)
		alerts := 0
		for _, m := range due {
			if m.Kind != kindAlert {
				continue
			}
			alerts++
			if !strings.Contains(m.Body, "an die übrigen Empfänger geht die Mail erneut hinaus") {
				t.Errorf("admin notice does not say the mail goes to the others:\n%s", m.Body)
			}
		}
		if alerts != 1 {
			t.Errorf("%d admin notices of the refusal, want 1", alerts)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	r.sendMails(t.Context(), []*store.OutMail{o})
	if o.State != store.OutSent || srv.mails.Load() != 1 {
		t.Errorf("second attempt: state %q, server has %d mails, want sent once", o.State, srv.mails.Load())
	}
}

func TestAnyTempReplyInRcptError(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"failed to send SMTP RCPT TO command: 550 5.1.1 no such user, affected recipient(s): a@stadt.example", false},
		{"failed to send SMTP RCPT TO command: 450 4.2.0 try later, 550 5.1.1 no such user, affected recipient(s): c@x, a@x", true},
		{"failed to send SMTP RCPT TO command: 550 5.1.1 no such user, 451 4.3.0 busy, affected recipient(s): a@x, c@x", true},
		{"failed to send SMTP RCPT TO command: 550 5.7.1 denied, see 4xx, affected recipient(s): a@x", false},
	} {
		if got := anyTempReply(tt.text); got != tt.want {
			t.Errorf("anyTempReply(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
