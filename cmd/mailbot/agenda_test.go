package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/mailbot"
	"mailbot/store"
)

// jourFixeStore writes a configuration with both series and a store with
// one escalated ticket and one task on it.
func jourFixeStore(t *testing.T) (cfgPath, dbPath string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "config.yaml")
	dbPath = filepath.Join(dir, "mailbot.db")
	cfg := `imap: {host: imap.stadt.example}
smtp: {host: smtp.stadt.example}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Quarantaene}
store: {path: mailbot.db}
roles: {orga: [orga@stadt.example]}
jourfixe:
  series:
    - {name: it, weekday: tuesday, time: "10:00", first: "2027-01-12"}
    - {name: digi}
`
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	n := store.Number{Year: 2026, Seq: 42}
	err = db.Update(func(tx *store.Tx) error {
		if err := tx.PutTicket(&store.Ticket{Number: n, Type: "a", Status: store.StatusNew, Subject: "Drucker defekt",
			Created: at, History: []store.Event{{At: at, Kind: store.EventCreated}}}); err != nil {
			return err
		}
		if err := tx.PutAgendaItem(&store.AgendaItem{Ticket: n, Series: "it", Reason: store.AgendaEscalated, Since: at}); err != nil {
			return err
		}
		return tx.AddTask(&store.Task{Ticket: n, Owner: "an@stadt.example", What: "Toner bestellen",
			With: []string{"x@stadt.example"}, Due: at.AddDate(1, 0, 0), Created: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

func TestAgendaAndTasksFromStoreFile(t *testing.T) {
	cfgPath, dbPath := jourFixeStore(t)
	out, err := runCLI(t, "agenda", "--config", cfgPath, "--series", "it")
	if err != nil {
		t.Fatalf("agenda: %v\n%s", err, out)
	}
	for _, want := range []string{"Jour fixe IT/Amt 50", "[IT-2026-00042] Eskalation: Drucker defekt", "Toner bestellen, mit x@stadt.example"} {
		if !strings.Contains(out, want) {
			t.Errorf("agenda output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "agenda", "--config", cfgPath, "--json")
	if err != nil {
		t.Fatalf("agenda --json: %v\n%s", err, out)
	}
	var agendas []struct {
		Series string `json:"series"`
		Items  []struct {
			Ticket string `json:"ticket"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &agendas); err != nil {
		t.Fatalf("agenda --json is not JSON: %v\n%s", err, out)
	}
	if len(agendas) != 2 || agendas[0].Series != "it" || len(agendas[0].Items) != 1 || agendas[0].Items[0].Ticket != "2026-00042" {
		t.Errorf("agenda --json = %+v, want the IT agenda with 2026-00042 and the digi agenda", agendas)
	}
	if len(agendas) == 2 && len(agendas[1].Items) != 0 {
		t.Errorf("digi agenda has %d items, want 0", len(agendas[1].Items))
	}
	if _, err := runCLI(t, "agenda", "--config", cfgPath, "--series", "hr"); err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("agenda --series hr: err = %v, want 'not configured'", err)
	}
	if _, err := runCLI(t, "agenda", "--db", dbPath); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("agenda without --config: err = %v, want it to ask for --config", err)
	}

	out, err = runCLI(t, "tasks", "--db", dbPath)
	if err != nil {
		t.Fatalf("tasks: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Toner bestellen") || !strings.Contains(out, "IT-2026-00042") {
		t.Errorf("tasks output:\n%s", out)
	}
}

func TestTasksThroughRunningService(t *testing.T) {
	cfgPath, dbPath := jourFixeStore(t)
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- mailbot.ServeAPI(ctx, dbPath+".sock", db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeAPI: %v", err)
		}
	}()
	// The service holds the bbolt lock, so the output proves the socket was used.
	var out string
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err = runCLI(t, "tasks", "--config", cfgPath, "--json")
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("tasks through the service: %v\n%s", err, out)
	}
	var tasks []store.Task
	if err := json.Unmarshal([]byte(out), &tasks); err != nil || len(tasks) != 1 || tasks[0].What != "Toner bestellen" {
		t.Errorf("tasks --json = %s (%v), want the one task", out, err)
	}
	out, err = runCLI(t, "agenda", "--config", cfgPath, "--series", "it")
	if err != nil || !strings.Contains(out, "[IT-2026-00042]") {
		t.Errorf("agenda through the service: %v\n%s", err, out)
	}
}
