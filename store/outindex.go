package store

import (
	"encoding/json"
	"fmt"
)

// bucketOutIDs maps the Message-ID of each outgoing mail to its key in the
// outbox or sent bucket, so that a reply can be compared with the mail it
// answers.
var bucketOutIDs = []byte("outids")

func init() { allBuckets = append(allBuckets, bucketOutIDs) }

// indexOutMail records the key of m under its Message-ID.
func (t *Tx) indexOutMail(m *OutMail) error {
	if m.MessageID == "" {
		return nil
	}
	b, err := t.bucket(bucketOutIDs)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(m.MessageID), idKey(m.ID)); err != nil {
		return fmt.Errorf("index outgoing mail %s: %w", m.MessageID, err)
	}
	return nil
}

// OutMailByMessageID returns the outgoing mail with Message-ID id, queued
// or finished, or nil when mailbot sent no such mail.
// NOTE: mails queued before this index existed are not found.
func (t *Tx) OutMailByMessageID(id string) (*OutMail, error) {
	idx := t.tx.Bucket(bucketOutIDs)
	if idx == nil || id == "" {
		return nil, nil
	}
	key := idx.Get([]byte(id))
	if key == nil {
		return nil, nil
	}
	for _, name := range [][]byte{bucketOutbox, bucketSent} {
		b := t.tx.Bucket(name)
		if b == nil {
			continue
		}
		if v := b.Get(key); v != nil {
			var m OutMail
			if err := json.Unmarshal(v, &m); err != nil {
				return nil, fmt.Errorf("decode outgoing mail %s: %w", id, err)
			}
			return &m, nil
		}
	}
	return nil, nil
}
