package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// States of an outgoing mail.
const (
	OutQueued = "queued"
	OutSent   = "sent"
	OutFailed = "failed" // permanently rejected or out of attempts
)

// OutMail is one outgoing mail. Its Message-ID and Date are fixed when it
// is queued, so a resend after a crash is the same message to the receiver.
type OutMail struct {
	ID            uint64    `json:"id"`
	Ticket        Number    `json:"ticket,omitzero"`
	Kind          string    `json:"kind"` // ack, notify, …
	MessageID     string    `json:"message_id"`
	Date          time.Time `json:"date"`
	FromName      string    `json:"from_name"`
	From          string    `json:"from"`
	To            []string  `json:"to"`
	Subject       string    `json:"subject"`
	Body          string    `json:"body"`
	HTML          string    `json:"html,omitempty"` // alternative HTML part, when set
	Attachments   []OutFile `json:"attachments,omitempty"`
	InReplyTo     string    `json:"in_reply_to,omitempty"`
	References    []string  `json:"references,omitempty"`
	AutoSubmitted string    `json:"auto_submitted"` // auto-replied or auto-generated (RFC 3834)
	State         string    `json:"state"`
	Attempts      int       `json:"attempts"`
	NextAttempt   time.Time `json:"next_attempt"`
	LastError     string    `json:"last_error,omitempty"`
	SentAt        time.Time `json:"sent_at,omitzero"`
}

// OutFile is a file attached to an outgoing mail, such as an iCalendar
// invitation.
type OutFile struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// Enqueue adds m to the outbox, assigns its ID and records its Message-ID
// on the ticket index.
func (t *Tx) Enqueue(m *OutMail) error {
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return err
	}
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("outbox sequence: %w", err)
	}
	m.ID = id
	if m.State == "" {
		m.State = OutQueued
	}
	if m.NextAttempt.IsZero() {
		m.NextAttempt = m.Date
	}
	if err := putJSON(b, idKey(id), m); err != nil {
		return fmt.Errorf("store outgoing mail %d: %w", id, err)
	}
	if err := t.indexOutMail(m); err != nil {
		return err
	}
	if !m.Ticket.IsZero() {
		return t.IndexMessageID(m.MessageID, m.Ticket)
	}
	return nil
}

// Due returns up to limit queued mails whose next attempt is at or before now,
// oldest first.
func (t *Tx) Due(now time.Time, limit int) ([]*OutMail, error) {
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return nil, err
	}
	var due []*OutMail
	c := b.Cursor()
	for k, v := c.First(); k != nil && len(due) < limit; k, v = c.Next() {
		var m OutMail
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, fmt.Errorf("decode outgoing mail %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if !m.NextAttempt.After(now) {
			due = append(due, &m)
		}
	}
	return due, nil
}

// NextDue returns the earliest next attempt in the outbox, and false when
// the outbox is empty.
func (t *Tx) NextDue() (time.Time, bool, error) {
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return time.Time{}, false, err
	}
	var next time.Time
	found := false
	err = b.ForEach(func(_, v []byte) error {
		var m OutMail
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if !found || m.NextAttempt.Before(next) {
			next, found = m.NextAttempt, true
		}
		return nil
	})
	return next, found, err
}

// OutboxLen counts the mails still to send.
func (t *Tx) OutboxLen() int {
	b := t.tx.Bucket(bucketOutbox)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// Finish moves m out of the outbox into the sent bucket, in state
// OutSent or OutFailed.
func (t *Tx) Finish(m *OutMail) error {
	out, err := t.bucket(bucketOutbox)
	if err != nil {
		return err
	}
	sent, err := t.bucket(bucketSent)
	if err != nil {
		return err
	}
	if err := out.Delete(idKey(m.ID)); err != nil {
		return fmt.Errorf("remove outgoing mail %d: %w", m.ID, err)
	}
	return putJSON(sent, idKey(m.ID), m)
}

// Reschedule stores a changed attempt count, error and next attempt.
func (t *Tx) Reschedule(m *OutMail) error {
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return err
	}
	return putJSON(b, idKey(m.ID), m)
}

// Sent calls fn for every finished outgoing mail, oldest first.
func (t *Tx) Sent(fn func(*OutMail) bool) error {
	b, err := t.bucket(bucketSent)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var m OutMail
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("decode sent mail %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if !fn(&m) {
			return nil
		}
	}
	return nil
}

type putter interface{ Put(k, v []byte) error }

func putJSON(b putter, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}
