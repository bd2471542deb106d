package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// Outcomes of handling one incoming mail.
const (
	OutcomeTicket     = "ticket"     // a new ticket was made
	OutcomeFollowUp   = "followup"   // filed on an existing ticket
	OutcomeDuplicate  = "duplicate"  // the same mail was handled before
	OutcomeIgnored    = "ignored"    // robot mail, no ticket and no reply
	OutcomeQuarantine = "quarantine" // unreadable or too large, moved aside
	OutcomeAnswered   = "answered"   // a status query, answered without a ticket
)

// UIDRecord says what became of the mail at one (mailbox, UIDVALIDITY, UID)
// and where it should be moved on the server. It is written in the same
// transaction as the ticket change, so a crash before the server-side move
// only leaves a move to redo.
type UIDRecord struct {
	Outcome   string    `json:"outcome"`
	Ticket    Number    `json:"ticket,omitzero"`
	Folder    string    `json:"folder,omitempty"` // target folder; empty means leave in place
	MessageID string    `json:"message_id,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at"`
	Moved     bool      `json:"moved,omitempty"`
}

func uidKey(mailbox string, uidValidity, uid uint32) []byte {
	k := make([]byte, 0, len(mailbox)+9)
	k = append(k, mailbox...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint32(k, uidValidity)
	return binary.BigEndian.AppendUint32(k, uid)
}

// PutUID records the outcome for one message on the server.
func (t *Tx) PutUID(mailbox string, uidValidity, uid uint32, rec UIDRecord) error {
	b, err := t.bucket(bucketUIDs)
	if err != nil {
		return err
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode uid record: %w", err)
	}
	if err := b.Put(uidKey(mailbox, uidValidity, uid), data); err != nil {
		return fmt.Errorf("store uid record %s/%d/%d: %w", mailbox, uidValidity, uid, err)
	}
	return nil
}

// UID returns the outcome recorded for one message, if any.
func (t *Tx) UID(mailbox string, uidValidity, uid uint32) (*UIDRecord, error) {
	b, err := t.bucket(bucketUIDs)
	if err != nil {
		return nil, err
	}
	v := b.Get(uidKey(mailbox, uidValidity, uid))
	if v == nil {
		return nil, nil
	}
	var rec UIDRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("decode uid record %s/%d/%d: %w", mailbox, uidValidity, uid, err)
	}
	return &rec, nil
}

// DeleteUID forgets a record once its message has left the folder; the
// Message-ID and content indexes still recognise the mail should it return.
func (t *Tx) DeleteUID(mailbox string, uidValidity, uid uint32) error {
	b, err := t.bucket(bucketUIDs)
	if err != nil {
		return err
	}
	return b.Delete(uidKey(mailbox, uidValidity, uid))
}

// MailboxState is the remembered IMAP state of one watched mailbox.
type MailboxState struct {
	UIDValidity uint32    `json:"uidvalidity"`
	LastUID     uint32    `json:"last_uid"` // highest UID handled so far
	Changed     time.Time `json:"changed"`
}

// Mailbox returns the state of a mailbox; a zero state if none is stored.
func (t *Tx) Mailbox(name string) (MailboxState, error) {
	var st MailboxState
	b, err := t.bucket(bucketMailboxes)
	if err != nil {
		return st, err
	}
	v := b.Get([]byte(name))
	if v == nil {
		return st, nil
	}
	if err := json.Unmarshal(v, &st); err != nil {
		return st, fmt.Errorf("decode mailbox state %s: %w", name, err)
	}
	return st, nil
}

// PutMailbox stores the state of a mailbox.
func (t *Tx) PutMailbox(name string, st MailboxState) error {
	b, err := t.bucket(bucketMailboxes)
	if err != nil {
		return err
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode mailbox state: %w", err)
	}
	return b.Put([]byte(name), data)
}

// Seen is the record of a mail already handled, keyed by its content hash.
type Seen struct {
	Ticket    Number    `json:"ticket,omitzero"`
	Outcome   string    `json:"outcome"`
	Mailbox   string    `json:"mailbox"`
	MessageID string    `json:"message_id,omitempty"`
	At        time.Time `json:"at"`
}

// Seen looks up a content hash; nil means the mail is new.
func (t *Tx) Seen(hash string) (*Seen, error) {
	b, err := t.bucket(bucketDedupe)
	if err != nil {
		return nil, err
	}
	v := b.Get([]byte(hash))
	if v == nil {
		return nil, nil
	}
	var s Seen
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("decode dedupe record %s: %w", hash, err)
	}
	return &s, nil
}

// MarkSeen records a content hash as handled.
func (t *Tx) MarkSeen(hash string, s Seen) error {
	if hash == "" {
		return fmt.Errorf("mark seen: empty content hash")
	}
	b, err := t.bucket(bucketDedupe)
	if err != nil {
		return err
	}
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode dedupe record: %w", err)
	}
	return b.Put([]byte(hash), data)
}
