package store

import (
	"bytes"
	"fmt"
)

// DeleteUIDsBefore deletes the UID records of mailbox under every
// UIDVALIDITY other than keep. After a UIDVALIDITY change those UIDs name
// no message any more; the content hashes still recognise the mails.
func (t *Tx) DeleteUIDsBefore(mailbox string, keep uint32) (int, error) {
	b, err := t.bucket(bucketUIDs)
	if err != nil {
		return 0, err
	}
	prefix := append([]byte(mailbox), 0)
	keepPrefix := uidKey(mailbox, keep, 0)[:len(prefix)+4]
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); {
		if len(k) != len(prefix)+8 || bytes.HasPrefix(k, keepPrefix) {
			k, _ = c.Next()
			continue
		}
		next := bytes.Clone(k)
		if err := c.Delete(); err != nil {
			return n, fmt.Errorf("delete stale uid record of %s: %w", mailbox, err)
		}
		n++
		k, _ = c.Seek(next)
	}
	return n, nil
}
