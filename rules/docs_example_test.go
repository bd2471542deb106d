package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailbot/register"
	"mailbot/rules"
)

// TestDocsKeywordExampleKeepsCorpus applies the rules file that
// docs/rules.md shows for adding a keyword, in extend mode, and checks
// that the new word decides while every corpus mail keeps its label: an
// example that replaced the fault rule's word list would make fault
// reports fall back.
func TestDocsKeywordExampleKeepsCorpus(t *testing.T) {
	data, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## Adding a keyword")
	if !ok {
		t.Fatal("docs/rules.md has no section on adding a keyword")
	}
	_, block, _ := strings.Cut(section, "```yaml\n")
	block, _, _ = strings.Cut(block, "```")
	indent := len(block) - len(strings.TrimLeft(block, " "))
	block = strings.ReplaceAll("\n"+block, "\n"+strings.Repeat(" ", indent), "\n")
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	regs, err := register.Load(register.Files{BudgetItems: "../docs/registers/budget_items.yaml",
		Applications: "../docs/registers/applications.csv", Positions: "../docs/registers/positions.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := rules.New(rules.Options{File: path, Mode: rules.ModeExtend, Registers: regs})
	if err != nil {
		t.Fatalf("docs example: %v\n%s", err, block)
	}
	d := e.Classify(rules.Input{Mailbox: "support", Subject: "PC", Body: "Mein PC zeigt ständig einen Bluescreen."}, "a")
	if d.Type != "a" || d.Rule != "stoerung-bluescreen" {
		t.Errorf("new word: type %s rule %s, want a stoerung-bluescreen", d.Type, d.Rule)
	}
	labels, inputs := loadCorpus(t)
	for i, l := range labels {
		if d := e.Classify(inputs[i], mailboxDefaults[l.Mailbox]); d.Rule != l.Rule || d.Type != l.Type {
			t.Errorf("%s: rule %s type %s with the docs example, want %s %s", l.File, d.Rule, d.Type, l.Rule, l.Type)
		}
	}
}
