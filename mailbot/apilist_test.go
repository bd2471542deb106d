package mailbot

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"mailbot/store"
)

func TestTicketListSpansPages(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "mailbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 2*listPage + 3
	err = db.Update(func(tx *store.Tx) error {
		for i := 1; i <= n; i++ {
			tk := &store.Ticket{Number: store.Number{Year: 2026, Seq: i}, Status: store.StatusNew,
				History: []store.Event{{Kind: store.EventCreated, Text: "Bitte um Rückruf."}}}
			if err := tx.PutTicket(tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	writeTicketList(rec, db, slog.New(slog.DiscardHandler))
	var list []*store.Ticket
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
		t.Fatalf("decode list: %v", err)
	}
	if len(list) != n {
		t.Fatalf("%d tickets listed, want %d", len(list), n)
	}
	for i, tk := range list {
		if tk.Number.Seq != i+1 {
			t.Fatalf("ticket %d is %v, want sequence %d", i, tk.Number, i+1)
		}
		if tk.History != nil {
			t.Fatalf("ticket %v listed with history", tk.Number)
		}
	}
}

func TestTicketListEmpty(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "mailbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := httptest.NewRecorder()
	writeTicketList(rec, db, slog.New(slog.DiscardHandler))
	var list []*store.Ticket
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list) != 0 {
		t.Errorf("empty store listed %q (%v), want []", rec.Body.String(), err)
	}
}
