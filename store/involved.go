package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// The addresses bucket has a key lower-case address + 0x00 + ticket key,
// with an empty value, for the requester, the assignee and each cc of
// every ticket. A status query reads the tickets of one address through
// it instead of decoding every ticket.
//
// The orders bucket holds the key of every ticket of type b (b1-b3), with
// an empty value, so that the budget view reads only order tickets.
// PutTicket keeps both current.
var (
	bucketAddresses = []byte("addresses")
	bucketOrders    = []byte("orders")
)

func init() { allBuckets = append(allBuckets, bucketAddresses, bucketOrders) }

// involvement is the part of a ticket the addresses and orders indexes
// depend on.
type involvement struct {
	Type      string   `json:"type"`
	Requester string   `json:"requester"`
	Assignee  string   `json:"assignee"`
	Cc        []string `json:"cc"`
}

func involvementOf(tk *Ticket) involvement {
	return involvement{Type: tk.Type, Requester: tk.Requester, Assignee: tk.Assignee, Cc: tk.Cc}
}

// addresses returns the distinct lower-case addresses of v.
func (v involvement) addresses() []string {
	var out []string
	for _, a := range append([]string{v.Requester, v.Assignee}, v.Cc...) {
		a = strings.ToLower(strings.TrimSpace(a))
		if a != "" && !containsString(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func addressKey(addr string, ticketKey []byte) []byte {
	k := make([]byte, 0, len(addr)+1+len(ticketKey))
	k = append(append(append(k, addr...), 0), ticketKey...)
	return k
}

// updateInvolvement moves the index entries of tk from old, its stored
// summary before this change (nil for a new ticket), to its current
// requester, assignee, cc and type.
func (t *Tx) updateInvolvement(tk *Ticket, old []byte) error {
	addrs, err := t.bucket(bucketAddresses)
	if err != nil {
		return err
	}
	orders, err := t.bucket(bucketOrders)
	if err != nil {
		return err
	}
	key := tk.Number.key()
	now := involvementOf(tk)
	if old != nil {
		var before involvement
		if err := json.Unmarshal(old, &before); err != nil {
			return fmt.Errorf("decode summary of ticket %s: %w", tk.Number, err)
		}
		for _, a := range before.addresses() {
			if containsString(now.addresses(), a) {
				continue
			}
			if err := addrs.Delete(addressKey(a, key)); err != nil {
				return fmt.Errorf("update address index for ticket %s: %w", tk.Number, err)
			}
		}
	}
	return indexInvolvement(addrs, orders, key, now)
}

func indexInvolvement(addrs, orders *bolt.Bucket, key []byte, v involvement) error {
	for _, a := range v.addresses() {
		if err := addrs.Put(addressKey(a, key), nil); err != nil {
			return fmt.Errorf("update address index for ticket %s: %w", numberFromKey(key), err)
		}
	}
	var err error
	if strings.HasPrefix(v.Type, "b") {
		err = orders.Put(key, nil)
	} else {
		err = orders.Delete(key)
	}
	if err != nil {
		return fmt.Errorf("update order index for ticket %s: %w", numberFromKey(key), err)
	}
	return nil
}

// SummariesOf calls fn, in number order until fn returns false, with the
// summary of every ticket that addr requested, is assigned to or is in
// copy of. A store below schema 3 opened read-only has no address index,
// so fn then gets every ticket and must check the addresses itself.
func (t *Tx) SummariesOf(addr string, fn func(*Ticket) bool) error {
	addrs, sums := t.tx.Bucket(bucketAddresses), t.tx.Bucket(bucketSummaries)
	if addrs == nil || sums == nil {
		return t.Summaries(fn)
	}
	prefix := append([]byte(strings.ToLower(strings.TrimSpace(addr))), 0)
	c := addrs.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		key := k[len(prefix):]
		data := sums.Get(key)
		if data == nil {
			return fmt.Errorf("ticket %s of %s has no summary", numberFromKey(key), addr)
		}
		var tk Ticket
		if err := json.Unmarshal(data, &tk); err != nil {
			return fmt.Errorf("decode summary of ticket %s: %w", numberFromKey(key), err)
		}
		if !fn(&tk) {
			return nil
		}
	}
	return nil
}

// OrderTickets calls fn, in number order until fn returns false, with
// every ticket of type b, history included. A store below schema 3
// opened read-only has no order index, so fn then gets every ticket and
// must check the type itself.
func (t *Tx) OrderTickets(fn func(*Ticket) bool) error {
	orders := t.tx.Bucket(bucketOrders)
	if orders == nil {
		return t.Tickets(fn)
	}
	c := orders.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		tk, err := t.Ticket(numberFromKey(k))
		if err != nil {
			return err
		}
		if !fn(tk) {
			return nil
		}
	}
	return nil
}

// migrateInvolvement builds the addresses and orders indexes of a store
// below schema 3 from its summaries, in the transaction that raises the
// schema to 3.
func migrateInvolvement(tx *bolt.Tx) error {
	addrs, orders := tx.Bucket(bucketAddresses), tx.Bucket(bucketOrders)
	return tx.Bucket(bucketSummaries).ForEach(func(k, v []byte) error {
		var inv involvement
		if err := json.Unmarshal(v, &inv); err != nil {
			return fmt.Errorf("decode summary of ticket %s: %w", numberFromKey(k), err)
		}
		return indexInvolvement(addrs, orders, k, inv)
	})
}
