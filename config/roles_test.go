package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRolesOf(t *testing.T) {
	r := Roles{IT: []string{"it@stadt.example"}, Orga: []string{" Orga@Stadt.example"}, Budget: []string{"orga@stadt.example"}}
	if got := r.RolesOf("ORGA@stadt.example"); !reflect.DeepEqual(got, []string{"budget", "orga"}) {
		t.Errorf("RolesOf = %v, want [budget orga]", got)
	}
	if got := r.RolesOf("someone@stadt.example"); got != nil {
		t.Errorf("RolesOf of a clerk = %v, want none", got)
	}
	if got := r.RolesOf(""); got != nil {
		t.Errorf("RolesOf(\"\") = %v", got)
	}
}

func TestTriageKeys(t *testing.T) {
	c, err := LoadWithoutSecrets("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules.Mode != "replace" || len(c.Rules.AnnouncementCC) != 1 || c.Registers.BudgetItems == "" {
		t.Errorf("example triage keys: %+v %+v", c.Rules, c.Registers)
	}

	data, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := strings.NewReplacer("mode: replace", "mode: merge",
		"announcement_cc: [digitalisierung@stadt.example]", "announcement_cc: [kein-mail]",
		"budget_items: /etc/mailbot/budget_items.yaml", "budget_items: budget.csv").Replace(string(data))
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadWithoutSecrets(path)
	for _, want := range []string{`rules.mode: "merge" is invalid`, `rules.announcement_cc: "kein-mail"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %q", err, want)
		}
	}
	text = strings.Replace(strings.Replace(text, "mode: merge", "mode: extend", 1), "[kein-mail]", "[]", 1)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = LoadWithoutSecrets(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "budget.csv"); c.Registers.BudgetItems != want {
		t.Errorf("budget_items = %q, want %q (relative to the config file)", c.Registers.BudgetItems, want)
	}
}
