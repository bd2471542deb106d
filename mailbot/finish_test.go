package mailbot

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"mailbot/config"
	"mailbot/store"
)

// newFinishRobot returns a robot with the default configuration on a
// new store, never started.
func newFinishRobot(t *testing.T) (*Robot, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "mailbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := config.Defaults()
	r, err := New(&cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return r, db
}

// enqueueAll puts mails into the outbox of db.
func enqueueAll(t *testing.T, db *store.DB, mails []*store.OutMail) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		for _, o := range mails {
			if err := tx.Enqueue(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFinishRecordsBatchDespiteMissingTicket(t *testing.T) {
	r, db := newFinishRobot(t)
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	known := store.Number{Year: 2026, Seq: 1}
	due := []*store.OutMail{
		{Ticket: store.Number{Year: 2026, Seq: 99}, Kind: "ack", MessageID: "a@stadt.example", Date: now, To: []string{"x@stadt.example"}},
		{Ticket: known, Kind: "ack", MessageID: "b@stadt.example", Date: now, To: []string{"y@stadt.example"}},
		{Ticket: known, Kind: "notify", MessageID: "c@stadt.example", Date: now, To: []string{"it@stadt.example"}},
	}
	if err := db.Update(func(tx *store.Tx) error { return tx.PutTicket(&store.Ticket{Number: known, Status: store.StatusNew}) }); err != nil {
		t.Fatal(err)
	}
	enqueueAll(t, db, due)

	r.finish(due, []error{nil, nil, errors.New("421 try later")}, now)

	err := db.View(func(tx *store.Tx) error {
		var sent []string
		if err := tx.Sent(func(o *store.OutMail) bool { sent = append(sent, o.MessageID); return true }); err != nil {
			return err
		}
		if len(sent) != 2 || sent[0] != "a@stadt.example" || sent[1] != "b@stadt.example" {
			t.Errorf("sent = %v, want a@ and b@", sent)
		}
		if n := tx.OutboxLen(); n != 1 {
			t.Errorf("outbox holds %d mails, want the one to retry", n)
		}
		tk, err := tx.Ticket(known)
		if err != nil {
			return err
		}
		if len(tk.History) != 1 || tk.History[0].Kind != store.EventDelivery {
			t.Errorf("history = %+v, want one delivery", tk.History)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if due[2].Attempts != 1 || due[2].NextAttempt.IsZero() {
		t.Errorf("failed mail: attempts %d, next attempt %v", due[2].Attempts, due[2].NextAttempt)
	}
}

// TestRecordResultsCommitsWhatHasArrived feeds send results the way the
// connections do. Each group commit takes the results that are there, so
// a result is recorded before the later ones arrive. A crash can then
// lose only the records of mails still in flight.
func TestRecordResultsCommitsWhatHasArrived(t *testing.T) {
	r, db := newFinishRobot(t)
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	var due []*store.OutMail
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		due = append(due, &store.OutMail{Kind: "help", MessageID: id + "@stadt.example", Date: now, To: []string{"x@stadt.example"}})
	}
	enqueueAll(t, db, due)

	results := make(chan sendResult, len(due))
	sent := make(chan *store.OutMail, len(due))
	r.OnSent = func(o *store.OutMail) { sent <- o }
	before := db.Commits()
	done := make(chan struct{})
	go func() {
		r.recordResults(due, results)
		close(done)
	}()
	// Three results at once make one commit.
	for i := range 3 {
		results <- sendResult{i, nil}
	}
	for range 3 {
		<-sent
	}
	if got := db.Commits() - before; got < 1 || got > 3 {
		t.Errorf("%d commits for the first three results, want 1 to 3", got)
	}
	// The first three are recorded while two mails are still in flight.
	err := db.View(func(tx *store.Tx) error {
		if n := tx.OutboxLen(); n != 2 {
			t.Errorf("outbox holds %d mails while two are in flight, want 2", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	results <- sendResult{3, nil}
	results <- sendResult{4, errors.New("421 try later")}
	<-done
	err = db.View(func(tx *store.Tx) error {
		if n := tx.OutboxLen(); n != 1 {
			t.Errorf("outbox holds %d mails, want the one to retry", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
