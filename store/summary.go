package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The summaries bucket holds, for every ticket, its JSON without History,
// under the same key as in the tickets bucket.
// Listing reads it, so a list of 100,000 tickets decodes a few hundred
// bytes per ticket instead of every history. PutTicket keeps it current.

// The open bucket holds the key of every ticket whose status is not final,
// with an empty value, so that a scan of the open tickets does not read
// the closed ones. PutTicket keeps it current as well.

// FinalStatuses are the statuses after which a ticket needs no more work
// from IT: it is done, withdrawn, merged or decided by the jour fixe.
var FinalStatuses = map[string]bool{StatusClosed: true, StatusWithdrawn: true, StatusMerged: true,
	StatusApproved: true, StatusRejected: true}

// summaryOf returns the summary record of tk.
func summaryOf(tk *Ticket) ([]byte, error) {
	s := *tk
	s.History = nil
	data, err := json.Marshal(&s)
	if err != nil {
		return nil, fmt.Errorf("encode summary of ticket %s: %w", tk.Number, err)
	}
	return data, nil
}

func (t *Tx) putSummary(tk *Ticket) error {
	b, err := t.bucket(bucketSummaries)
	if err != nil {
		return err
	}
	data, err := summaryOf(tk)
	if err != nil {
		return err
	}
	if err := t.updateInvolvement(tk, b.Get(tk.Number.key())); err != nil {
		return err
	}
	if err := b.Put(tk.Number.key(), data); err != nil {
		return fmt.Errorf("store summary of ticket %s: %w", tk.Number, err)
	}
	return t.markOpen(tk.Number, tk.Status)
}

func (t *Tx) markOpen(n Number, status string) error {
	b, err := t.bucket(bucketOpen)
	if err != nil {
		return err
	}
	if FinalStatuses[status] {
		err = b.Delete(n.key())
	} else {
		err = b.Put(n.key(), nil)
	}
	if err != nil {
		return fmt.Errorf("update open index for ticket %s: %w", n, err)
	}
	return nil
}

// OpenSummaries calls fn with the summary of every ticket whose status is
// not in FinalStatuses, in number order, until fn returns false. A store of
// schema 1 opened read-only has no open index, so fn then gets every
// ticket and must check the status itself.
func (t *Tx) OpenSummaries(fn func(*Ticket) bool) error {
	open, sums := t.tx.Bucket(bucketOpen), t.tx.Bucket(bucketSummaries)
	if open == nil || sums == nil {
		return t.Summaries(fn)
	}
	c := open.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		data := sums.Get(k)
		if data == nil {
			return fmt.Errorf("open ticket %s has no summary", numberFromKey(k))
		}
		var tk Ticket
		if err := json.Unmarshal(data, &tk); err != nil {
			return fmt.Errorf("decode summary of ticket %s: %w", numberFromKey(k), err)
		}
		if !fn(&tk) {
			return nil
		}
	}
	return nil
}

// SummaryJSON calls fn with the number and summary JSON of each ticket
// from number from on, in number order, until fn returns false. A zero
// from starts at the first ticket. The JSON is a Ticket without History
// and is valid only during the call. A store
// of schema 1 opened read-only has no summaries, so they are built from
// the tickets.
func (t *Tx) SummaryJSON(from Number, fn func(n Number, data []byte) bool) error {
	b := t.tx.Bucket(bucketSummaries)
	if b == nil {
		return t.summariesFromTickets(from, fn)
	}
	c := b.Cursor()
	for k, v := c.Seek(from.key()); k != nil; k, v = c.Next() {
		if !fn(numberFromKey(k), v) {
			return nil
		}
	}
	return nil
}

func (t *Tx) summariesFromTickets(from Number, fn func(n Number, data []byte) bool) error {
	b, err := t.bucket(bucketTickets)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.Seek(from.key()); k != nil; k, v = c.Next() {
		data, err := summaryOfStored(k, v)
		if err != nil {
			return err
		}
		if !fn(numberFromKey(k), data) {
			return nil
		}
	}
	return nil
}

// summaryOfStored returns the summary of the ticket stored as v under k.
func summaryOfStored(k, v []byte) ([]byte, error) {
	var tk Ticket
	if err := json.Unmarshal(v, &tk); err != nil {
		return nil, fmt.Errorf("decode ticket %s: %w", numberFromKey(k), err)
	}
	return summaryOf(&tk)
}

// Summaries calls fn for every ticket in number order, without History,
// until fn returns false.
func (t *Tx) Summaries(fn func(*Ticket) bool) error {
	var decodeErr error
	err := t.SummaryJSON(Number{}, func(n Number, data []byte) bool {
		var tk Ticket
		if err := json.Unmarshal(data, &tk); err != nil {
			decodeErr = fmt.Errorf("decode summary of ticket %s: %w", n, err)
			return false
		}
		return fn(&tk)
	})
	if err != nil {
		return err
	}
	return decodeErr
}

// migrateSummaries builds the summaries bucket and the open index of a
// schema 1 store, in the transaction that raises the schema to 2.
func migrateSummaries(tx *bolt.Tx) error {
	tickets, sums, open := tx.Bucket(bucketTickets), tx.Bucket(bucketSummaries), tx.Bucket(bucketOpen)
	sums.FillPercent = appendFillPercent
	return tickets.ForEach(func(k, v []byte) error {
		var tk Ticket
		if err := json.Unmarshal(v, &tk); err != nil {
			return fmt.Errorf("decode ticket %s: %w", numberFromKey(k), err)
		}
		data, err := summaryOf(&tk)
		if err != nil {
			return err
		}
		if err := sums.Put(k, data); err != nil {
			return err
		}
		if FinalStatuses[tk.Status] {
			return nil
		}
		return open.Put(k, nil)
	})
}
