package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// runCLI runs the command line with args and returns stdout.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestClassifyDemoSamples(t *testing.T) {
	files, err := filepath.Glob("../../demo/samples/*.eml")
	if err != nil || len(files) != 4 {
		t.Fatalf("samples: %v %v", files, err)
	}
	out, err := runCLI(t, append([]string{"classify"}, files...)...)
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d output lines, want 4:\n%s", len(lines), out)
	}
	want := []struct {
		typ, subtype, rule string
		robot              bool
	}{
		{"a", "", "stoerung", false},
		{"b", "b1", "ersatzbeschaffung", false},
		{"c", "", "vorklaerung-betreff", false},
		{"", "", "", true},
	}
	for i, line := range lines {
		var res map[string]any
		if err := json.Unmarshal([]byte(line), &res); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i, err, line)
		}
		for _, key := range []string{"file", "message_id", "from", "subject", "type", "subtype", "rule", "reason", "auto_submitted"} {
			if _, ok := res[key]; !ok {
				t.Errorf("line %d lacks %q: %s", i, key, line)
			}
		}
		if res["type"] != want[i].typ || res["subtype"] != want[i].subtype || res["rule"] != want[i].rule {
			t.Errorf("line %d: type %v subtype %v rule %v, want %+v", i, res["type"], res["subtype"], res["rule"], want[i])
		}
		if res["auto_submitted"] != want[i].robot {
			t.Errorf("line %d: auto_submitted %v, want %v", i, res["auto_submitted"], want[i].robot)
		}
	}
	if !strings.Contains(lines[2], `"subject":"Vorklärung Projekt für IT/50-JF: Digitale Wohngeldakte"`) {
		t.Errorf("subject not decoded: %s", lines[2])
	}
	if !strings.Contains(lines[2], `"project":"Digitale Wohngeldakte"`) {
		t.Errorf("project missing: %s", lines[2])
	}
}

func TestClassifyMailboxDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frage.eml")
	mail := "From: a@stadt.example\r\nSubject: Frage\r\nMessage-ID: <q@stadt.example>\r\n\r\nWie geht das?\r\n"
	if err := os.WriteFile(path, []byte(mail), 0o600); err != nil {
		t.Fatal(err)
	}
	for mailbox, want := range map[string]string{"support": `"type":"a"`, "digitalisierung": `"type":"c"`} {
		out, err := runCLI(t, "classify", "--mailbox", mailbox, path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, want) || !strings.Contains(out, `"rule":"fallback"`) {
			t.Errorf("mailbox %s: %s", mailbox, out)
		}
	}
	if _, err := runCLI(t, "classify", "--mailbox", "nix", path); err == nil || !strings.Contains(err.Error(), "unknown mailbox") {
		t.Errorf("unknown mailbox error = %v", err)
	}
	if out, err := runCLI(t, "classify", filepath.Join(t.TempDir(), "missing.eml")); err == nil || !strings.Contains(out, `"error"`) {
		t.Errorf("missing file: err %v, out %s", err, out)
	}
}

func TestTicketsFromStoreFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *store.Tx) error {
		return tx.PutTicket(&store.Ticket{Number: store.Number{Year: 2026, Seq: 42}, Type: "b", Subtype: "b3",
			Status: store.StatusNew, Requester: "anna.beispiel@stadt.example", Subject: "Neuer Standardarbeitsplatz",
			Created: now, Updated: now, History: []store.Event{{At: now, Kind: store.EventCreated, Text: "Bitte einrichten."}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	out, err := runCLI(t, "tickets", "list", "--db", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "IT-2026-00042") || !strings.Contains(out, "b3") || !strings.Contains(out, "Neuer Standardarbeitsplatz") {
		t.Errorf("list:\n%s", out)
	}
	out, err = runCLI(t, "tickets", "show", "--db", path, "--json", "IT-2026-00042")
	if err != nil {
		t.Fatal(err)
	}
	var shown map[string]any
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	if shown["status"] != "new" || shown["number"] != "2026-00042" {
		t.Errorf("show --json: status %v number %v", shown["status"], shown["number"])
	}
	out, err = runCLI(t, "tickets", "show", "--db", path, "2026-42")
	if err != nil || !strings.Contains(out, "Bitte einrichten.") {
		t.Errorf("show: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "tickets", "show", "--db", path, "2026-43"); err == nil {
		t.Error("show of a missing ticket succeeded")
	}
	if _, err := runCLI(t, "tickets", "show", "--db", path, "zweiundvierzig"); err == nil {
		t.Error("show of an invalid number succeeded")
	}
	if _, err := runCLI(t, "tickets", "list"); err == nil {
		t.Error("list without store succeeded")
	}
}

func TestRunNeedsConfig(t *testing.T) {
	if _, err := runCLI(t, "run"); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("run without config: %v", err)
	}
	if _, err := runCLI(t, "run", "--config", "x.yaml", "--log-format", "xml"); err == nil || !strings.Contains(err.Error(), "log-format") {
		t.Errorf("bad log format: %v", err)
	}
}
