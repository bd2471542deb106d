package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

var bucketQuarantine = []byte("quarantine")

// ErrNotQuarantined means no quarantine entry matches the request.
var ErrNotQuarantined = errors.New("mail not in quarantine")

// QuarantineEntry describes one mail that mailbot moved to a mailbox's
// quarantine folder instead of handling it.
type QuarantineEntry struct {
	ID          string    `json:"id"` // bucket key, see QuarantineID
	Mailbox     string    `json:"mailbox"`
	UIDValidity uint32    `json:"uidvalidity"` // of the watched folder
	UID         uint32    `json:"uid"`         // in the watched folder, when it was quarantined
	MessageID   string    `json:"message_id,omitempty"`
	ContentHash string    `json:"content_hash,omitempty"` // parse.Message.ContentHash, when parsed
	From        string    `json:"from,omitempty"`
	Subject     string    `json:"subject,omitempty"`
	Size        int64     `json:"size"`
	Reason      string    `json:"reason"`
	At          time.Time `json:"at"`
	Folder      string    `json:"folder"` // the quarantine folder
	// FolderUIDValidity and FolderUID locate the mail in Folder once it
	// was moved there and the server returned COPYUID; zero otherwise.
	FolderUIDValidity uint32 `json:"folder_uidvalidity,omitempty"`
	FolderUID         uint32 `json:"folder_uid,omitempty"`
}

// QuarantineID returns the key of a quarantined mail: the hex SHA-256 of its
// raw bytes when they were read, so that the same mail quarantined again
// under a new UID replaces its old entry, and otherwise the mailbox,
// UIDVALIDITY and UID.
func QuarantineID(rawHash, mailbox string, uidValidity, uid uint32) string {
	if rawHash != "" {
		return rawHash
	}
	return fmt.Sprintf("%s/%d/%d", mailbox, uidValidity, uid)
}

// PutQuarantine stores or replaces a quarantine entry under e.ID.
func (t *Tx) PutQuarantine(e *QuarantineEntry) error {
	if e.ID == "" {
		return errors.New("store quarantine entry: empty id")
	}
	b, err := t.bucket(bucketQuarantine)
	if err != nil {
		return err
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode quarantine entry %s: %w", e.ID, err)
	}
	if err := b.Put([]byte(e.ID), data); err != nil {
		return fmt.Errorf("store quarantine entry %s: %w", e.ID, err)
	}
	return nil
}

// Quarantine returns the entry stored under id, or nil.
func (t *Tx) Quarantine(id string) (*QuarantineEntry, error) {
	b, err := t.bucket(bucketQuarantine)
	if err != nil {
		return nil, err
	}
	v := b.Get([]byte(id))
	if v == nil {
		return nil, nil
	}
	var e QuarantineEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return nil, fmt.Errorf("decode quarantine entry %s: %w", id, err)
	}
	return &e, nil
}

// DeleteQuarantine removes an entry; a missing one is no error.
func (t *Tx) DeleteQuarantine(id string) error {
	if id == "" {
		return nil
	}
	b, err := t.bucket(bucketQuarantine)
	if err != nil {
		return err
	}
	return b.Delete([]byte(id))
}

// Quarantined calls fn for every entry in key order until fn returns false.
func (t *Tx) Quarantined(fn func(*QuarantineEntry) bool) error {
	b, err := t.bucket(bucketQuarantine)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e QuarantineEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decode quarantine entry %s: %w", k, err)
		}
		if !fn(&e) {
			return nil
		}
	}
	return nil
}

// FindQuarantined returns the entry for a mail quarantined from uid of a
// watched folder. An empty mailbox matches any mailbox; a UID found in two
// mailboxes is an error that asks for the mailbox.
func (t *Tx) FindQuarantined(mailbox string, uid uint32) (*QuarantineEntry, error) {
	var found []*QuarantineEntry
	err := t.Quarantined(func(e *QuarantineEntry) bool {
		if e.UID == uid && (mailbox == "" || e.Mailbox == mailbox) {
			found = append(found, e)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		if mailbox == "" {
			return nil, fmt.Errorf("uid %d: %w", uid, ErrNotQuarantined)
		}
		return nil, fmt.Errorf("uid %d of mailbox %s: %w", uid, mailbox, ErrNotQuarantined)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("uid %d is quarantined in several mailboxes (%s, %s): name the mailbox", uid, found[0].Mailbox, found[1].Mailbox)
}

// ForgetQuarantinedSeen deletes the dedupe record of a content hash when
// it records a quarantine, so that a mail released from quarantine is not
// taken for a duplicate of itself. Records of handled mails stay.
func (t *Tx) ForgetQuarantinedSeen(hash string) error {
	s, err := t.Seen(hash)
	if err != nil || s == nil || s.Outcome != OutcomeQuarantine {
		return err
	}
	b, err := t.bucket(bucketDedupe)
	if err != nil {
		return err
	}
	return b.Delete([]byte(hash))
}
