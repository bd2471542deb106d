package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"mailbot/bench/fill"
	"mailbot/store"
)

var benchSizes = []int{1000, 10000, 100000}

// openFilled opens, read-only, a cached store of size generated tickets.
func openFilled(b *testing.B, size int) *store.DB {
	b.Helper()
	path, err := fill.Cached(os.TempDir(), size)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkCommitTicket writes the state of one handled mail (ticket,
// summary, two sent mails, Message-IDs, content hash) per transaction,
// so each op includes one commit and its fsync.
func BenchmarkCommitTicket(b *testing.B) {
	f, err := fill.New()
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(filepath.Join(b.TempDir(), "mailbot.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n := 0
	for b.Loop() {
		if err := f.Grow(db, n, n+1); err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkCommitBatch writes the same in transactions of fill.Batch
// tickets; ns/op is per ticket.
func BenchmarkCommitBatch(b *testing.B) {
	f, err := fill.New()
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(filepath.Join(b.TempDir(), "mailbot.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	if err := f.Grow(db, 0, b.N); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkTicketLookup loads one ticket by number in a read transaction.
func BenchmarkTicketLookup(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("tickets=%d", size), func(b *testing.B) {
			db := openFilled(b, size)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				n := store.Number{Year: fill.Year, Seq: (i*7919)%size + 1}
				err := db.View(func(tx *store.Tx) error {
					_, err := tx.Ticket(n)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkMessageIDLookup finds a ticket by the Message-ID of its
// acknowledgement, as threading a reply without subject tag does.
func BenchmarkMessageIDLookup(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("tickets=%d", size), func(b *testing.B) {
			db := openFilled(b, size)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				seq := (i*7919)%size + 1
				id := fmt.Sprintf("%d-%05d.0.%d@stadt.example", fill.Year, seq, seq-1)
				err := db.View(func(tx *store.Tx) error {
					if _, ok := tx.TicketByMessageID(id); !ok {
						return fmt.Errorf("message id %s not found", id)
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
