package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// OutBounced marks a sent mail that a delivery report later reported as
// failed.
const OutBounced = "bounced"

// EventHeld is a history event for an automatic mail the loop brakes held
// back; it is never sent later.
const EventHeld = "held"

// bounceScanLimit bounds how many of the newest sent mails MarkBounced
// looks at. Delivery reports come within days, so the mail is near the end.
const bounceScanLimit = 10000

// MarkBounced finds the sent mail with Message-ID id among the newest sent
// mails, sets its state to OutBounced with reason as its error and returns
// it. It returns nil when no such mail is found.
func (t *Tx) MarkBounced(id, reason string) (*OutMail, error) {
	if id == "" {
		return nil, nil
	}
	b, err := t.bucket(bucketSent)
	if err != nil {
		return nil, err
	}
	c := b.Cursor()
	n := 0
	for k, v := c.Last(); k != nil && n < bounceScanLimit; k, v = c.Prev() {
		n++
		var m OutMail
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, fmt.Errorf("decode sent mail %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if m.MessageID != id {
			continue
		}
		m.State, m.LastError = OutBounced, reason
		if err := putJSON(b, idKey(m.ID), &m); err != nil {
			return nil, fmt.Errorf("store bounced mail %d: %w", m.ID, err)
		}
		return &m, nil
	}
	return nil, nil
}
