package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"mailbot/config"
	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// fakeClock is the robot's clock in the jour fixe test; the test moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// mailPart is one leaf part of a delivered mail.
type mailPart struct {
	contentType string
	filename    string
	body        string
}

func leafParts(t *testing.T, raw []byte) (mail.Header, []mailPart) {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse delivered mail: %v", err)
	}
	var parts []mailPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatalf("read part body: %v", err)
		}
		part := mailPart{body: string(body)}
		switch h := p.Header.(type) {
		case *mail.InlineHeader:
			part.contentType, _, _ = h.ContentType()
		case *mail.AttachmentHeader:
			part.contentType, _, _ = h.ContentType()
			part.filename, _ = h.Filename()
		}
		parts = append(parts, part)
	}
	return mr.Header, parts
}

// findSubject returns the first message whose subject contains s.
func findSubject(t *testing.T, messages [][]byte, s string) []byte {
	t.Helper()
	for _, raw := range messages {
		mr, err := mail.CreateReader(bytes.NewReader(raw))
		if err != nil {
			continue
		}
		subject, _ := mr.Header.Subject()
		if strings.Contains(subject, s) {
			return raw
		}
	}
	t.Fatalf("no message with a subject containing %q among %d", s, len(messages))
	return nil
}

// TestOverdueTicketReachesITJourFixeAgenda leaves a fault report alone
// over Christmas and the new year on a test clock, and expects the IT jour
// fixe agenda with that ticket in the participants' mailboxes two days
// before the meeting.
func TestOverdueTicketReachesITJourFixeAgenda(t *testing.T) {
	s := newRobotSetup(t)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	clerk := e2e.NewAddress(t, "stadt.example")
	orga := e2e.NewAddress(t, "stadt.example")
	lead := e2e.NewAddress(t, "stadt.example")
	head := e2e.NewAddress(t, "stadt.example")
	s.cfg.Roles.Orga, s.cfg.Roles.ITLeads, s.cfg.Roles.ITHead = []string{orga}, []string{lead}, []string{head}
	s.cfg.Escalation.Limits = map[string]int{"a": 5, "b1": 5, "b2": 5, "b3": 5, "c": 5}
	s.cfg.Escalation.Interval = time.Second
	s.cfg.JourFixe.Series = []config.Series{
		{Name: config.SeriesIT, Weekday: "tuesday", Time: "10:00", First: "2027-01-12", Location: "Raum 1.12"},
		{Name: config.SeriesDigi},
	}
	if err := s.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Date(2026, 12, 23, 10, 0, 0, 0, berlin)}

	db, err := store.Open(s.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := mailbot.New(s.cfg, db, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	r.Now = clock.Now
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})

	msgID := fmt.Sprintf("<e2e-jf-%d@stadt.example>", time.Now().UnixNano())
	s.srv.Send(t, clerk, []string{s.support}, crlf(`From: Erika Beispiel <`+clerk+`>
To: `+s.support+`
Subject: Drucker im Raum 2.14 defekt
Date: `+time.Now().Format(time.RFC1123Z)+`
Message-ID: `+msgID+`
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Der Drucker zeigt seit heute einen Papierstau, obwohl kein Papier klemmt.
`))
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	number := store.Number{Year: 2026, Seq: 1}
	tag := number.Tag("IT")

	// The ticket stays untouched while the clock jumps past the limit to two
	// days before the IT jour fixe of 12 January 2027.
	meeting := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	clock.Set(time.Date(2027, 1, 10, 10, 0, 0, 0, berlin))

	for _, who := range []string{orga, lead, head} {
		messages := s.srv.WaitFor(t, who, "INBOX", 1, deliveryTimeout)
		if who == orga || who == lead {
			messages = s.srv.WaitFor(t, who, "INBOX", 2, deliveryTimeout)
			findSubject(t, messages, tag+" Eskalation")
		}
		raw := findSubject(t, messages, "Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027")
		h, parts := leafParts(t, raw)
		date, err := h.Date()
		if err != nil || !date.Before(meeting) {
			t.Errorf("agenda to %s dated %s (%v), want before the meeting", who, date, err)
		}
		if v := h.Get("Auto-Submitted"); v != "auto-generated" {
			t.Errorf("agenda Auto-Submitted = %q, want auto-generated", v)
		}
		var text, html, ics string
		for _, p := range parts {
			switch p.contentType {
			case "text/plain":
				text = p.body
			case "text/html":
				html = p.body
			case "text/calendar":
				ics = p.body
			}
		}
		if !strings.Contains(text, tag+" Eskalation: Drucker im Raum 2.14 defekt") {
			t.Errorf("agenda text to %s lacks the escalated ticket:\n%s", who, text)
		}
		if !strings.Contains(html, "<td>"+tag+"</td>") {
			t.Errorf("agenda HTML to %s lacks the ticket row:\n%s", who, html)
		}
		if !strings.Contains(ics, "DTSTART:20270112T090000Z") || !strings.Contains(ics, "LOCATION:Raum 1.12") {
			t.Errorf("invitation to %s:\n%s", who, ics)
		}
	}
	// The clerk gets a status mail about the escalation.
	messages := s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)
	raw := findSubject(t, messages, tag+" Stand Ihrer Anfrage")
	if _, parts := leafParts(t, raw); len(parts) == 0 || !strings.Contains(parts[0].body, "Jour fixe IT/Amt 50") {
		t.Errorf("status mail to the clerk: %+v", parts)
	}
	// The agenda goes out once per meeting, however often the work runs.
	if sent, err := r.SendDueAgendas(); err != nil || len(sent) != 0 {
		t.Errorf("SendDueAgendas after the agenda went out = %+v, %v; want nothing", sent, err)
	}
	if !waitIdle(t, r) {
		t.Fatal("outbox still holds mail")
	}
	if n := len(s.srv.Fetch(t, head, "INBOX")); n != 1 {
		t.Errorf("IT head has %d mails, want exactly one agenda", n)
	}
}

// waitIdle polls until the robot has nothing left to send.
func waitIdle(t *testing.T, r *mailbot.Robot) bool {
	t.Helper()
	deadline := time.Now().Add(deliveryTimeout)
	for time.Now().Before(deadline) {
		idle, err := r.Idle()
		if err != nil {
			t.Fatal(err)
		}
		if idle {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
