package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "mailbot.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestNumberingPerYearGapFree(t *testing.T) {
	db := openTemp(t)
	var got []Number
	for _, year := range []int{2026, 2026, 2027, 2026} {
		err := db.Update(func(tx *Tx) error {
			n, err := tx.NextNumber(year)
			got = append(got, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A rolled-back transaction must not use up a number.
	_ = db.Update(func(tx *Tx) error {
		if _, err := tx.NextNumber(2026); err != nil {
			t.Fatal(err)
		}
		return errors.New("roll back")
	})
	err := db.Update(func(tx *Tx) error {
		n, err := tx.NextNumber(2026)
		got = append(got, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-00001", "2026-00002", "2027-00001", "2026-00003", "2026-00004"}
	for i, n := range got {
		if n.String() != want[i] {
			t.Errorf("number %d = %s, want %s", i, n, want[i])
		}
	}
}

func TestParseNumberForms(t *testing.T) {
	for _, s := range []string{"2026-00042", "2026-42", "IT-2026-00042", "[IT-2026-00042]", "[#IT-2026-0042]"} {
		n, err := ParseNumber(s)
		if err != nil {
			t.Errorf("ParseNumber(%q): %v", s, err)
			continue
		}
		if n != (Number{2026, 42}) {
			t.Errorf("ParseNumber(%q) = %v, want 2026-00042", s, n)
		}
	}
	for _, s := range []string{"", "42", "2026-0", "IT-26-1", "2026-abc"} {
		if _, err := ParseNumber(s); err == nil {
			t.Errorf("ParseNumber(%q) succeeded, want error", s)
		}
	}
}

func TestTicketAndMessageIDIndex(t *testing.T) {
	db := openTemp(t)
	now := time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)
	tk := &Ticket{Number: Number{2026, 7}, Type: "a", Status: StatusNew, Requester: "anna.beispiel@stadt.example",
		Subject: "Drucker druckt nicht", Created: now, Updated: now, MessageIDs: []string{"m1@stadt.example"},
		History: []Event{{At: now, Kind: EventCreated, Text: string(make([]byte, MaxEventText+10))}}}
	err := db.Update(func(tx *Tx) error { return tx.PutTicket(tk) })
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		n, ok := tx.TicketByMessageID("m1@stadt.example")
		if !ok || n != tk.Number {
			t.Errorf("TicketByMessageID = %v, %v, want %v, true", n, ok, tk.Number)
		}
		if _, ok := tx.TicketByMessageID("other@stadt.example"); ok {
			t.Error("unknown Message-ID found")
		}
		got, err := tx.Ticket(tk.Number)
		if err != nil {
			return err
		}
		if got.Subject != tk.Subject || got.Status != StatusNew {
			t.Errorf("ticket = %+v", got)
		}
		if len(got.History[0].Text) > MaxEventText+10 {
			t.Errorf("history text not capped: %d bytes", len(got.History[0].Text))
		}
		_, err = tx.Ticket(Number{2026, 8})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("missing ticket error = %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOutboxLifecycle(t *testing.T) {
	db := openTemp(t)
	now := time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		for i := 0; i < 3; i++ {
			m := &OutMail{Ticket: Number{2026, 1}, MessageID: "out" + string(rune('a'+i)) + "@stadt.example",
				Date: now.Add(time.Duration(i) * time.Minute), To: []string{"anna.beispiel@stadt.example"}}
			if err := tx.Enqueue(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var due []*OutMail
	err = db.View(func(tx *Tx) error {
		var err error
		due, err = tx.Due(now.Add(90*time.Second), 10)
		if n, ok := tx.TicketByMessageID("outa@stadt.example"); !ok || n != (Number{2026, 1}) {
			t.Errorf("outgoing Message-ID not indexed: %v %v", n, ok)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].ID != 1 || due[1].ID != 2 {
		t.Fatalf("due = %d mails, want ids 1 and 2", len(due))
	}
	err = db.Update(func(tx *Tx) error {
		due[0].State, due[0].SentAt = OutSent, now
		if err := tx.Finish(due[0]); err != nil {
			return err
		}
		due[1].Attempts++
		due[1].NextAttempt = now.Add(time.Hour)
		return tx.Reschedule(due[1])
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		if n := tx.OutboxLen(); n != 2 {
			t.Errorf("OutboxLen = %d, want 2", n)
		}
		next, ok, err := tx.NextDue()
		if err != nil || !ok || !next.Equal(now.Add(2*time.Minute)) {
			t.Errorf("NextDue = %v %v %v, want %v", next, ok, err, now.Add(2*time.Minute))
		}
		var sent []uint64
		if err := tx.Sent(func(m *OutMail) bool { sent = append(sent, m.ID); return true }); err != nil {
			return err
		}
		if len(sent) != 1 || sent[0] != 1 {
			t.Errorf("sent = %v, want [1]", sent)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUIDRecordsAndDedupe(t *testing.T) {
	db := openTemp(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutUID("support", 5, 4711, UIDRecord{Outcome: OutcomeTicket, Ticket: Number{2026, 3}, Folder: "Processed"}); err != nil {
			return err
		}
		return tx.MarkSeen("abc", Seen{Ticket: Number{2026, 3}, Outcome: OutcomeTicket, Mailbox: "support"})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		rec, err := tx.UID("support", 5, 4711)
		if err != nil || rec == nil || rec.Ticket != (Number{2026, 3}) {
			t.Errorf("UID = %+v, %v", rec, err)
		}
		// Another UIDVALIDITY is another mailbox generation.
		if rec, _ := tx.UID("support", 6, 4711); rec != nil {
			t.Errorf("record found under other UIDVALIDITY: %+v", rec)
		}
		if rec, _ := tx.UID("digitalisierung", 5, 4711); rec != nil {
			t.Errorf("record found under other mailbox: %+v", rec)
		}
		s, err := tx.Seen("abc")
		if err != nil || s == nil || s.Ticket != (Number{2026, 3}) {
			t.Errorf("Seen = %+v, %v", s, err)
		}
		if s, _ := tx.Seen("abd"); s != nil {
			t.Errorf("unknown hash seen: %+v", s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenLockedAndReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing file succeeded")
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second open error = %v, want ErrLocked", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer ro.Close()
	err = ro.View(func(tx *Tx) error { return tx.Tickets(func(*Ticket) bool { return true }) })
	if err != nil {
		t.Errorf("read-only view: %v", err)
	}
}
