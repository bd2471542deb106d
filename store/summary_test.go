package store

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func putTickets(t *testing.T, db *DB, n int) {
	t.Helper()
	now := time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		for i := 1; i <= n; i++ {
			tk := &Ticket{Number: Number{2026, i}, Type: "a", Status: StatusNew, Subject: "Störung " + strconv.Itoa(i),
				Created: now, Updated: now, MessageIDs: []string{"m" + strconv.Itoa(i) + "@stadt.example"},
				Attachments: []Attachment{{Name: "foto.jpg"}},
				History:     []Event{{At: now, Kind: EventCreated, Text: "Der Drucker druckt nicht."}}}
			if err := tx.PutTicket(tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSummariesLeaveOutHistoryOnly(t *testing.T) {
	db := openTemp(t)
	putTickets(t, db, 3)
	var got []*Ticket
	err := db.View(func(tx *Tx) error {
		return tx.Summaries(func(tk *Ticket) bool { got = append(got, tk); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d summaries, want 3", len(got))
	}
	for i, tk := range got {
		if tk.Number != (Number{2026, i + 1}) || tk.Subject != "Störung "+strconv.Itoa(i+1) {
			t.Errorf("summary %d = %v %q", i, tk.Number, tk.Subject)
		}
		if tk.History != nil {
			t.Errorf("summary %d has history: %+v", i, tk.History)
		}
		if len(tk.MessageIDs) != 1 || len(tk.Attachments) != 1 {
			t.Errorf("summary %d lost Message-IDs or attachments: %+v", i, tk)
		}
	}
}

func TestSummaryJSONStartsAtNumber(t *testing.T) {
	db := openTemp(t)
	putTickets(t, db, 5)
	var got []Number
	err := db.View(func(tx *Tx) error {
		return tx.SummaryJSON(Number{2026, 3}, func(n Number, _ []byte) bool {
			got = append(got, n)
			return len(got) < 2
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Number{2026, 3}) || got[1] != (Number{2026, 4}) {
		t.Errorf("numbers = %v, want 2026-00003 and 2026-00004", got)
	}
}

// downgradeToSchema1 removes the summaries bucket and writes schema 1, as
// a store written before summaries existed looks.
func downgradeToSchema1(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketSummaries); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put([]byte("schema"), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countSummaries(t *testing.T, db *DB) int {
	t.Helper()
	n := 0
	err := db.View(func(tx *Tx) error {
		return tx.Summaries(func(*Ticket) bool { n++; return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSchema1StoreMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putTickets(t, db, 4)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	downgradeToSchema1(t, path)

	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := countSummaries(t, ro); n != 4 {
		t.Errorf("read-only schema 1 store lists %d tickets, want 4", n)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := countSummaries(t, db); n != 4 {
		t.Errorf("migrated store lists %d tickets, want 4", n)
	}
	err = db.View(func(tx *Tx) error {
		if v := tx.tx.Bucket(bucketMeta).Get([]byte("schema")); string(v) != strconv.Itoa(SchemaVersion) {
			t.Errorf("schema after migration = %q, want %d", v, SchemaVersion)
		}
		if tx.tx.Bucket(bucketSummaries).Stats().KeyN != 4 {
			t.Error("summaries bucket not filled by the migration")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func openNumbers(t *testing.T, db *DB) []int {
	t.Helper()
	var got []int
	err := db.View(func(tx *Tx) error {
		return tx.OpenSummaries(func(tk *Ticket) bool { got = append(got, tk.Number.Seq); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestOpenIndexFollowsStatus(t *testing.T) {
	db := openTemp(t)
	putTickets(t, db, 4)
	err := db.Update(func(tx *Tx) error {
		for _, c := range []struct {
			seq    int
			status string
		}{{2, StatusClosed}, {3, StatusApproved}, {4, StatusAssigned}} {
			tk, err := tx.Ticket(Number{2026, c.seq})
			if err != nil {
				return err
			}
			tk.Status = c.status
			if err := tx.PutTicket(tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := openNumbers(t, db); len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Errorf("open tickets = %v, want [1 4]", got)
	}

	// Reopening puts a ticket back.
	err = db.Update(func(tx *Tx) error {
		tk, err := tx.Ticket(Number{2026, 2})
		if err != nil {
			return err
		}
		tk.Status = StatusNew
		return tx.PutTicket(tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := openNumbers(t, db); len(got) != 3 {
		t.Errorf("open tickets after reopening = %v, want [1 2 4]", got)
	}
}

func TestSchema1MigrationBuildsOpenIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putTickets(t, db, 3)
	err = db.Update(func(tx *Tx) error {
		tk, err := tx.Ticket(Number{2026, 1})
		if err != nil {
			return err
		}
		tk.Status = StatusClosed
		return tx.PutTicket(tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	downgradeToSchema1(t, path)
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketOpen) }); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := openNumbers(t, db); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("open tickets after migration = %v, want [2 3]", got)
	}
}
