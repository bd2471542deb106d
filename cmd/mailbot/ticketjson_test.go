package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

func TestTicketsJSONTagAndHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *store.Tx) error {
		return tx.PutTicket(&store.Ticket{Number: store.Number{Year: 2026, Seq: 7}, Type: "a",
			Status: store.StatusNew, Subject: "Drucker", Created: now, Updated: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	out, err := runCLI(t, "tickets", "list", "--db", path, "--json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"history": null`) {
		t.Errorf("list --json prints a null history:\n%s", out)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if list[0]["number"] != "2026-00007" || list[0]["tag"] != "IT-2026-00007" {
		t.Errorf("list --json: number %v tag %v", list[0]["number"], list[0]["tag"])
	}
	if _, ok := list[0]["history"]; ok {
		t.Errorf("list --json has a history key:\n%s", out)
	}

	out, err = runCLI(t, "tickets", "show", "--db", path, "--json", "2026-00007")
	if err != nil {
		t.Fatal(err)
	}
	var shown map[string]any
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	if h, ok := shown["history"].([]any); !ok || len(h) != 0 {
		t.Errorf("show --json history %#v, want an empty list", shown["history"])
	}
	if shown["tag"] != "IT-2026-00007" {
		t.Errorf("show --json tag %v", shown["tag"])
	}
}
