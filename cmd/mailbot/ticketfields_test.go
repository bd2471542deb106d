package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

func TestShowPrintsCommandsAndHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *store.Tx) error {
		return tx.PutTicket(&store.Ticket{Number: store.Number{Year: 2026, Seq: 7}, Type: "a", Status: store.StatusClosed,
			Requester: "anna.beispiel@stadt.example", Subject: "Drucker", Created: now, Updated: now,
			Assignee: "bernd.muster@stadt.example", Cc: []string{"chef@stadt.example"},
			History: []store.Event{
				{At: now, Kind: store.EventCreated, Actor: "anna.beispiel@stadt.example", MessageID: "a1@stadt.example", Text: "Drucker defekt."},
				{At: now, Kind: store.EventCommand, Actor: "bernd.muster@stadt.example", MessageID: "b1@stadt.example", Text: "#erledigt: Ticket erledigt."},
				{At: now, Kind: store.EventDenied, Actor: "anna.beispiel@stadt.example", MessageID: "a2@stadt.example", Text: "#zuweisen x: nicht berechtigt"},
			}})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, err := runCLI(t, "tickets", "show", "--db", path, "2026-7")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Assignee:", "bernd.muster@stadt.example", "Cc:", "chef@stadt.example",
		"command", "<b1@stadt.example>", "#erledigt: Ticket erledigt.", "command_denied", "nicht berechtigt"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}
