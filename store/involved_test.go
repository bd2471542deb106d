package store

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// updateTicket loads ticket seq of 2026, changes it with fn and stores it.
func updateTicket(t *testing.T, db *DB, seq int, fn func(*Ticket)) {
	t.Helper()
	err := db.Update(func(tx *Tx) error {
		tk, err := tx.Ticket(Number{2026, seq})
		if err != nil {
			return err
		}
		fn(tk)
		return tx.PutTicket(tk)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func numbersOf(t *testing.T, db *DB, addr string) []int {
	t.Helper()
	var got []int
	err := db.View(func(tx *Tx) error {
		return tx.SummariesOf(addr, func(tk *Ticket) bool { got = append(got, tk.Number.Seq); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func orderNumbers(t *testing.T, db *DB) []int {
	t.Helper()
	var got []int
	err := db.View(func(tx *Tx) error {
		return tx.OrderTickets(func(tk *Ticket) bool {
			if len(tk.History) == 0 {
				t.Errorf("order ticket %s without history", tk.Number)
			}
			got = append(got, tk.Number.Seq)
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAddressIndexFollowsTicket(t *testing.T) {
	db := openTemp(t)
	putTickets(t, db, 3)
	updateTicket(t, db, 1, func(tk *Ticket) { tk.Requester = "Anna.Beispiel@stadt.example" })
	updateTicket(t, db, 2, func(tk *Ticket) { tk.Requester = "bert@stadt.example"; tk.Cc = []string{"anna.beispiel@stadt.example"} })
	updateTicket(t, db, 3, func(tk *Ticket) { tk.Requester = "bert@stadt.example"; tk.Assignee = "anna.beispiel@stadt.example" })

	if got := numbersOf(t, db, "anna.beispiel@STADT.example"); len(got) != 3 {
		t.Errorf("tickets of anna = %v, want [1 2 3]", got)
	}
	if got := numbersOf(t, db, "bert@stadt.example"); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("tickets of bert = %v, want [2 3]", got)
	}

	// A new assignee replaces the old one in the index.
	updateTicket(t, db, 3, func(tk *Ticket) { tk.Assignee = "it@stadt.example" })
	if got := numbersOf(t, db, "anna.beispiel@stadt.example"); len(got) != 2 || got[1] != 2 {
		t.Errorf("tickets of anna after reassignment = %v, want [1 2]", got)
	}
	if got := numbersOf(t, db, "it@stadt.example"); len(got) != 1 || got[0] != 3 {
		t.Errorf("tickets of it = %v, want [3]", got)
	}
	if got := numbersOf(t, db, "anna.beispiel@stadt.example.other"); len(got) != 0 {
		t.Errorf("tickets of a longer address = %v, want none", got)
	}
}

func TestOrderIndexFollowsType(t *testing.T) {
	db := openTemp(t)
	putTickets(t, db, 3)
	updateTicket(t, db, 1, func(tk *Ticket) { tk.Type = "b"; tk.Subtype = "b2" })
	updateTicket(t, db, 3, func(tk *Ticket) { tk.Type = "b" })
	if got := orderNumbers(t, db); len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("order tickets = %v, want [1 3]", got)
	}
	updateTicket(t, db, 1, func(tk *Ticket) { tk.Type = "c" })
	if got := orderNumbers(t, db); len(got) != 1 || got[0] != 3 {
		t.Errorf("order tickets after retyping = %v, want [3]", got)
	}
}

func TestSchema2MigrationBuildsAddressIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putTickets(t, db, 3)
	updateTicket(t, db, 2, func(tk *Ticket) { tk.Requester = "anna.beispiel@stadt.example"; tk.Type = "b" })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketAddresses, bucketOrders} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put([]byte("schema"), []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// Read-only, the old store gives every ticket to the caller to check.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := numbersOf(t, ro, "anna.beispiel@stadt.example"); len(got) != 3 {
		t.Errorf("read-only schema 2 store gives %v, want all 3 tickets", got)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := numbersOf(t, db, "anna.beispiel@stadt.example"); len(got) != 1 || got[0] != 2 {
		t.Errorf("tickets of anna after migration = %v, want [2]", got)
	}
	if got := orderNumbers(t, db); len(got) != 1 || got[0] != 2 {
		t.Errorf("order tickets after migration = %v, want [2]", got)
	}
}
