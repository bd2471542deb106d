package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// storeWithTicket returns the path of a new store with one bare ticket
// 2026-seq.
func storeWithTicket(t *testing.T, seq int, subject string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *store.Tx) error {
		return tx.PutTicket(&store.Ticket{Number: store.Number{Year: 2026, Seq: seq}, Type: "a",
			Status: store.StatusNew, Subject: subject, Created: now, Updated: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTicketsJSONTagAndHistory(t *testing.T) {
	path := storeWithTicket(t, 7, "Drucker")

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

func TestTicketsJSONEmptyListFields(t *testing.T) {
	path := storeWithTicket(t, 8, "Monitor")
	fields := []string{"message_ids", "attachments", "cc", "merged_requesters", "responsible"}
	out, err := runCLI(t, "tickets", "list", "--db", path, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	for _, f := range fields {
		if v, ok := list[0][f].([]any); !ok || len(v) != 0 {
			t.Errorf("list --json %s = %#v, want []", f, list[0][f])
		}
	}

	out, err = runCLI(t, "tickets", "show", "--db", path, "--json", "2026-00008")
	if err != nil {
		t.Fatal(err)
	}
	var shown map[string]any
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	for _, f := range fields {
		if v, ok := shown[f].([]any); !ok || len(v) != 0 {
			t.Errorf("show --json %s = %#v, want []", f, shown[f])
		}
	}
	if strings.Contains(out, "null") {
		t.Errorf("show --json prints null:\n%s", out)
	}
}

func TestTicketJSONKeepsListValues(t *testing.T) {
	tk := &store.Ticket{MessageIDs: []string{"m1@stadt.example"}, Cc: []string{"bert@stadt.example"},
		Attachments: []store.Attachment{{Name: "foto.jpg"}}}
	tk.Responsible = []string{"fachamt@stadt.example"}
	for name, v := range map[string]any{"show": showJSON(tk, "IT"), "list": listJSON([]*store.Ticket{tk}, "IT")} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"message_ids":["m1@stadt.example"]`, `"cc":["bert@stadt.example"]`,
			`"responsible":["fachamt@stadt.example"]`, `"attachments":[{"name":"foto.jpg"`} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s JSON lacks %s:\n%s", name, want, data)
			}
		}
	}
}
