package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// exampleConfig writes config.example.yaml with its register paths
// pointed at the example registers, and returns its path.
func exampleConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := filepath.Abs("../../docs/registers")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("/etc/mailbot/budget_items.yaml", filepath.Join(docs, "budget_items.yaml"),
		"/etc/mailbot/applications.csv", filepath.Join(docs, "applications.csv"),
		"/etc/mailbot/positions.yaml", filepath.Join(docs, "positions.yaml")).Replace(string(data))
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestClassifyPrintsTriageDetails(t *testing.T) {
	corpus := "../../testdata/triage/"
	files := []string{"003-wohngeld-absturz.eml", "024-budget-scanner.eml", "056-monitor-mitnehmen.eml",
		"068-vorankuendigung-weitergeleitet.eml", "070-vorankuendigung-leerzeichen.eml"}
	args := []string{"classify", "--config", exampleConfig(t)}
	for _, f := range files {
		args = append(args, corpus+f)
	}
	out, err := runCLI(t, args...)
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, out)
	}

	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(files) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(files), out)
	}
	res := make([]map[string]any, len(lines))
	for i, line := range lines {
		if err := json.Unmarshal([]byte(line), &res[i]); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"file", "message_id", "from", "subject", "type", "subtype", "rule", "reason", "auto_submitted"} {
			if _, ok := res[i][key]; !ok {
				t.Errorf("%s lacks %q", files[i], key)
			}
		}
	}

	check := func(i int, key string, want any) {
		t.Helper()
		if got := res[i][key]; got != want {
			t.Errorf("%s: %s = %v, want %v", files[i], key, got, want)
		}
	}
	check(0, "application", "Wohngeldverfahren")
	check(0, "responsibility", "shared")
	check(0, "position", "50.3.12")
	check(0, "position_status", "planned")
	check(0, "matched", "stuerzt")
	check(1, "budget_item", "2026-14")
	check(1, "budget_status", "approved")
	check(1, "subtype", "b2")
	check(2, "rule", "ausstattung-mitnehmen")
	if c, _ := res[2]["cite"].(string); !strings.Contains(c, "Stelle") {
		t.Errorf("%s: cite %q", files[2], c)
	}
	check(3, "project", "Wohngeld-Antrag online")
	ann, _ := res[4]["announcement"].(map[string]any)
	if ann == nil || ann["urgency"] != "digi-jf" || len(ann["missing"].([]any)) != 1 {
		t.Errorf("%s: announcement %v", files[4], res[4]["announcement"])
	}
	if roles, _ := res[4]["sender_roles"].([]any); len(roles) != 1 || roles[0] != "orga" {
		t.Errorf("%s: sender_roles %v", files[4], res[4]["sender_roles"])
	}
}

func TestClassifyExplainListsCandidates(t *testing.T) {
	out, err := runCLI(t, "classify", "--explain", "../../testdata/triage/"+"048-umzug-mit-fehler.eml")
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, out)
	}
	var res struct {
		Rule       string   `json:"rule"`
		Candidates []string `json:"candidates"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) < 2 || res.Candidates[0] != res.Rule || res.Candidates[0] != "umzug" {
		t.Errorf("rule %q candidates %v, want umzug first and at least one more", res.Rule, res.Candidates)
	}
	out, err = runCLI(t, "classify", "../../testdata/triage/"+"048-umzug-mit-fehler.eml")
	if err != nil || strings.Contains(out, "candidates") {
		t.Errorf("candidates without --explain: %v\n%s", err, out)
	}
}

func TestTicketsShowTriageDetails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	tk := &store.Ticket{Number: store.Number{Year: 2026, Seq: 7}, Type: "c", Rule: "vorklaerung-betreff",
		Status: store.StatusNew, Requester: "orga.amt50@stadt.example", Subject: "Vorklärung", Project: "Digitale Post",
		Created: now, Updated: now}
	tk.Position, tk.PositionStatus = "50.3.12", "planned"
	tk.Application, tk.Responsibility = "Wohngeldverfahren", "shared"
	tk.Responsible = []string{"fachbetreuung-wohngeld@stadt.example"}
	tk.BudgetItem, tk.BudgetTitle, tk.BudgetStatus = "2026-14", "Dokumentenscanner", "approved"
	tk.Cite = "Ausstattung bleibt an der Stelle."
	tk.Announcement = &store.Announcement{Description: true, Missing: []string{"die Dringlichkeit"}}
	if err := db.Update(func(tx *store.Tx) error { return tx.PutTicket(tk) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out, err := runCLI(t, "tickets", "show", "--db", path, "2026-7")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Position:", "50.3.12 (planned)", "Wohngeldverfahren (shared)", "fachbetreuung-wohngeld@stadt.example",
		"2026-14 Dokumentenscanner (approved)", "Ausstattung bleibt an der Stelle.",
		"description present, urgency not stated, sketch missing", "Missing:", "die Dringlichkeit"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "tickets", "show", "--db", path, "--json", "2026-7")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"position": "50.3.12"`, `"budget_item": "2026-14"`, `"application": "Wohngeldverfahren"`, `"missing": [`} {
		if !strings.Contains(out, want) {
			t.Errorf("show --json lacks %s:\n%s", want, out)
		}
	}
}
