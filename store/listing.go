package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ListFilter selects the tickets of a listing. The zero value selects the
// open tickets, those whose status is not in FinalStatuses.
type ListFilter struct {
	// All includes the tickets whose status is final.
	All bool
	// Before, when not zero, keeps only the tickets numbered below it.
	Before Number
	// Requester, when not empty, keeps only the tickets this address
	// requested, compared without regard to case.
	Requester string
}

// listFields are the fields of a summary that ListFilter checks.
type listFields struct {
	Status    string `json:"status"`
	Requester string `json:"requester"`
}

// ListSummaryJSON calls fn with the number and summary JSON of each
// ticket f selects, newest first, until fn returns false. The JSON is a
// Ticket without History and is valid only during the call.
//
// The walk starts at the last key below f.Before and goes backwards
// through the smallest index that covers f: the address index for a
// requester, else the open index, else the summaries. A call that stops
// after k tickets therefore costs O(log n + k) index reads, plus the
// tickets of the requester that it skips as closed or as only assigned
// or copied. A store below schema 3 opened read-only lacks some of these
// indexes. The walk then reads the summaries, or below schema 2 decodes
// the tickets, and may read every ticket to fill a page.
func (t *Tx) ListSummaryJSON(f ListFilter, fn func(n Number, data []byte) bool) error {
	sums := t.tx.Bucket(bucketSummaries)
	if sums == nil {
		return t.listFromTickets(f, fn)
	}
	w := listWalk{ListFilter: f, open: t.tx.Bucket(bucketOpen), addr: strings.ToLower(strings.TrimSpace(f.Requester))}
	addrs := t.tx.Bucket(bucketAddresses)
	c, prefix, onSums := sums.Cursor(), []byte(nil), true
	switch {
	case w.addr != "" && addrs != nil:
		c, prefix, onSums = addrs.Cursor(), append([]byte(w.addr), 0), false
	case !f.All && w.open != nil:
		c, onSums, w.onOpen = w.open.Cursor(), false, true
	}
	for k, v := lastBelow(c, prefix, f.Before); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		key, data := k[len(prefix):], v
		if !onSums {
			data = sums.Get(key)
		}
		if data == nil {
			return fmt.Errorf("ticket %s has no summary", numberFromKey(key))
		}
		keep, err := w.keeps(key, data)
		if err != nil {
			return err
		}
		if keep && !fn(numberFromKey(key), data) {
			return nil
		}
	}
	return nil
}

// listFromTickets is ListSummaryJSON for a store of schema 1, which has
// neither summaries nor indexes.
func (t *Tx) listFromTickets(f ListFilter, fn func(n Number, data []byte) bool) error {
	b, err := t.bucket(bucketTickets)
	if err != nil {
		return err
	}
	w := listWalk{ListFilter: f, addr: strings.ToLower(strings.TrimSpace(f.Requester))}
	c := b.Cursor()
	for k, v := lastBelow(c, nil, f.Before); k != nil; k, v = c.Prev() {
		data, err := summaryOfStored(k, v)
		if err != nil {
			return err
		}
		keep, err := w.keeps(k, data)
		if err != nil {
			return err
		}
		if keep && !fn(numberFromKey(k), data) {
			return nil
		}
	}
	return nil
}

// listWalk is the state of one ListSummaryJSON call.
type listWalk struct {
	ListFilter
	// open is the open index, nil in a store of schema 1. The status of a
	// ticket is read from it where it exists, so that no summary is
	// decoded for it.
	open *bolt.Bucket
	// onOpen is set when the walk goes through the open index, so every
	// ticket it meets is open.
	onOpen bool
	// addr is Requester in lower case.
	addr string
}

// keeps reports whether the ticket with key and summary data passes the
// filter.
func (w *listWalk) keeps(key, data []byte) (bool, error) {
	if w.All && w.addr == "" {
		return true, nil
	}
	if !w.All && !w.onOpen && w.open != nil && w.open.Get(key) == nil {
		return false, nil
	}
	if w.addr == "" && w.open != nil {
		return true, nil
	}
	var s listFields
	if err := json.Unmarshal(data, &s); err != nil {
		return false, fmt.Errorf("decode summary of ticket %s: %w", numberFromKey(key), err)
	}
	if !w.All && FinalStatuses[s.Status] {
		return false, nil
	}
	return w.addr == "" || strings.ToLower(strings.TrimSpace(s.Requester)) == w.addr, nil
}

// lastBelow moves c to the last key that starts with prefix and sorts
// below prefix + before.key(), or below every key with that prefix when
// before is zero, and returns that key and its value. When no such key
// exists, the key returned lacks the prefix or is nil, so the caller
// checks the prefix.
func lastBelow(c *bolt.Cursor, prefix []byte, before Number) ([]byte, []byte) {
	var bound []byte
	switch {
	case !before.IsZero():
		bound = append(append([]byte(nil), prefix...), before.key()...)
	case len(prefix) > 0:
		// The prefix ends in the 0x00 separator, so 0x01 in its place
		// sorts after every key with the prefix.
		bound = append([]byte(nil), prefix...)
		bound[len(bound)-1] = 1
	default:
		return c.Last()
	}
	if k, _ := c.Seek(bound); k == nil {
		return c.Last()
	}
	return c.Prev()
}
