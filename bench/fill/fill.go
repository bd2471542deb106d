// Package fill builds large stores for benchmarks by writing, through the
// store package, what mailbot leaves behind for each handled mail: the
// ticket with its history, the acknowledgement and the IT notice in the
// sent bucket, the Message-ID index and the content-hash record.
package fill

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"mailbot/bench/gen"
	"mailbot/parse"
	"mailbot/rules"
	"mailbot/store"
	"mailbot/templates"
)

// Batch is the number of tickets written per transaction, so that a large
// store costs one fsync per Batch tickets.
const Batch = 1000

// Year is the ticket year of generated tickets.
const Year = 2026

// Generated ticket i was created (Span-i)*Spacing before the Filler was
// made, so 100,000 tickets cover about a year up to now. Tickets older
// than OpenFor are closed, as in an office where IT keeps up; the others
// are new and too young to be escalated.
const (
	Span    = 100000
	Spacing = 5 * time.Minute
	OpenFor = 3 * 24 * time.Hour
)

// Filler appends generated tickets to a store.
type Filler struct {
	rules *rules.Engine
	tmpl  *templates.Set
	staff []gen.Person
	end   time.Time
}

// New returns a Filler with the embedded rules and templates.
func New() (*Filler, error) {
	eng, err := rules.Default()
	if err != nil {
		return nil, err
	}
	tmpl, err := templates.Load("")
	if err != nil {
		return nil, err
	}
	return &Filler{rules: eng, tmpl: tmpl, staff: gen.People(200, "fill"), end: time.Now().UTC()}, nil
}

// Count returns the number of tickets in db.
func Count(db *store.DB) (int, error) {
	n := 0
	err := db.View(func(tx *store.Tx) error {
		return tx.Tickets(func(*store.Ticket) bool { n++; return true })
	})
	return n, err
}

// Grow adds tickets to db until it holds total tickets of year Year; have
// is the number it holds now.
func (f *Filler) Grow(db *store.DB, have, total int) error {
	for have < total {
		n := min(Batch, total-have)
		err := db.Update(func(tx *store.Tx) error {
			for i := range n {
				if err := f.add(tx, have+i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("fill tickets %d to %d: %w", have+1, have+n, err)
		}
		have += n
	}
	return nil
}

// add writes the state of one handled mail, generated mail i.
func (f *Filler) add(tx *store.Tx, i int) error {
	from := f.staff[i%len(f.staff)]
	at := f.end.Add(-time.Duration(Span-i) * Spacing)
	raw := gen.Mail(i, from, "support@stadt.example", "fill", at)
	msg, err := parse.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse generated mail %d: %w", i, err)
	}
	d := f.rules.Classify(rules.Input{Mailbox: "support", Subject: msg.Subject, Body: msg.Text}, "a")
	num, err := tx.NextNumber(Year)
	if err != nil {
		return err
	}
	tk := &store.Ticket{Number: num, Type: d.Type, Subtype: d.Subtype, Rule: d.Rule, Reason: d.Reason,
		Project: d.Project, Status: store.StatusNew, Requester: msg.From.Addr, RequesterName: msg.From.Name,
		Subject: msg.Subject, Mailbox: "support", Created: at, Updated: at, MessageIDs: []string{msg.MessageID}}
	tk.History = append(tk.History, store.Event{At: at, Kind: store.EventCreated, Actor: tk.Requester,
		Mailbox: "support", MessageID: msg.MessageID, Subject: msg.Subject, Text: msg.Text})
	data := templates.TicketData{Number: num.String(), Tag: num.Tag("IT"), Subject: msg.Subject,
		Requester: tk.Requester, RequesterName: tk.RequesterName, Mailbox: "support",
		TypeName: templates.TypeName(d.Type, d.Subtype), Next: templates.NextStep(d.Type),
		Rule: d.Rule, Reason: d.Reason, Project: d.Project, Text: msg.Text}
	for k, kind := range []string{"ack", "notify"} {
		name, to, subject := templates.Ack, tk.Requester, num.Tag("IT")+" "+msg.Subject
		if kind == "notify" {
			name, to, subject = templates.Notify, "it@stadt.example", num.Tag("IT")+" Neues Ticket: "+msg.Subject
		}
		body, err := f.tmpl.Render(name, data)
		if err != nil {
			return err
		}
		m := &store.OutMail{Ticket: num, Kind: kind, MessageID: fmt.Sprintf("%s.%d.%d@stadt.example", num, k, i),
			Date: at, FromName: "IT-Ticketsystem", From: "support@stadt.example", To: []string{to},
			Subject: subject, Body: body, InReplyTo: msg.MessageID, References: []string{msg.MessageID},
			AutoSubmitted: "auto-replied"}
		if err := tx.Enqueue(m); err != nil {
			return err
		}
		m.State, m.Attempts, m.SentAt = store.OutSent, 1, at.Add(time.Second)
		if err := tx.Finish(m); err != nil {
			return err
		}
		tk.MessageIDs = append(tk.MessageIDs, m.MessageID)
		tk.History = append(tk.History,
			store.Event{At: at, Kind: store.EventMailOut, Actor: m.From, MessageID: m.MessageID, Subject: m.Subject, Text: "An " + to + " (" + kind + ")"},
			store.Event{At: m.SentAt, Kind: store.EventDelivery, MessageID: m.MessageID, Subject: m.Subject, Text: "Zugestellt an " + to})
	}
	if f.end.Sub(at) > OpenFor {
		closed := at.Add(2 * time.Hour)
		tk.Status, tk.Updated = store.StatusClosed, closed
		tk.History = append(tk.History, store.Event{At: closed, Kind: store.EventCommand, Actor: "it@stadt.example",
			Text: "#erledigt"})
	}
	if err := tx.PutTicket(tk); err != nil {
		return err
	}
	return tx.MarkSeen(msg.ContentHash, store.Seen{Ticket: num, Outcome: store.OutcomeTicket, Mailbox: "support",
		MessageID: msg.MessageID, At: at})
}

// Cached returns the path of a store in dir holding size generated
// tickets, building it on the first call. Later calls, also from other
// processes, reuse the file, so benchmarks pay for a large store once.
// NOTE: the file name changes with the schema version and a generator
// version (g2) only, and a reused file's open tickets grow old.
func Cached(dir string, size int) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("mailbot-fill-v%d-g2-%d.db", store.SchemaVersion, size))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	f, err := New()
	if err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	db, err := store.Open(tmp, store.Options{})
	if err != nil {
		return "", err
	}
	err = f.Grow(db, 0, size)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return path, os.Rename(tmp, path)
}
