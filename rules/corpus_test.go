package rules_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/register"
	"mailbot/rules"
)

const corpusDir = "../testdata/triage"

// label is the expected triage of one corpus mail.
type label struct {
	File        string  `yaml:"file"`
	Mailbox     string  `yaml:"mailbox"`
	Type        string  `yaml:"type"`
	Subtype     string  `yaml:"subtype"`
	Rule        string  `yaml:"rule"`
	Position    string  `yaml:"position"`
	Application string  `yaml:"application"`
	BudgetItem  string  `yaml:"budget_item"`
	Project     *string `yaml:"project"`
	Urgency     string  `yaml:"urgency"`
	Missing     *int    `yaml:"missing"`
	Cite        bool    `yaml:"cite"`
	Quantity    *int    `yaml:"quantity"`
}

// corpusRoles are the role holders the corpus mails are written by.
var corpusRoles = config.Roles{
	IT:     []string{"it-support@stadt.example"},
	Orga:   []string{"orga.amt50@stadt.example"},
	Budget: []string{"it-budget.amt50@stadt.example"},
	Digi:   []string{"digitalisierung-team@stadt.example"},
}

var mailboxDefaults = map[string]string{"support": "a", "digitalisierung": "c"}

func exampleEngine(t testing.TB) *rules.Engine {
	t.Helper()
	regs, err := register.Load(register.Files{BudgetItems: "../docs/registers/budget_items.yaml",
		Applications: "../docs/registers/applications.csv", Positions: "../docs/registers/positions.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := rules.New(rules.Options{Registers: regs})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func loadCorpus(t testing.TB) ([]label, []rules.Input) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []label
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&labels); err != nil {
		t.Fatalf("labels.yaml: %v", err)
	}
	inputs := make([]rules.Input, len(labels))
	for i, l := range labels {
		raw, err := os.ReadFile(filepath.Join(corpusDir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		msg, err := parse.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		inputs[i] = rules.Input{Mailbox: l.Mailbox, SenderRoles: corpusRoles.RolesOf(msg.From.Addr),
			Subject: msg.Subject, Body: msg.Text}
	}
	return labels, inputs
}

func TestCorpusLabels(t *testing.T) {
	e := exampleEngine(t)
	labels, inputs := loadCorpus(t)
	if len(labels) < 80 {
		t.Errorf("corpus has %d mails, want at least 80", len(labels))
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if len(files) != len(labels) {
		t.Errorf("%d .eml files but %d labels", len(files), len(labels))
	}
	for i, l := range labels {
		t.Run(l.File, func(t *testing.T) {
			d := e.Classify(inputs[i], mailboxDefaults[l.Mailbox])
			check := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q (rule %s, reason %q)", field, got, want, d.Rule, d.Reason)
				}
			}
			check("type", d.Type, l.Type)
			check("subtype", d.Subtype, l.Subtype)
			check("rule", d.Rule, l.Rule)
			check("position", d.Position, l.Position)
			check("budget item", d.BudgetID, l.BudgetItem)
			app := ""
			if d.Application != nil {
				app = d.Application.Name
			}
			check("application", app, l.Application)
			if l.Project != nil {
				check("project", d.Project, *l.Project)
			}
			if l.Quantity != nil && d.Quantity != *l.Quantity {
				t.Errorf("quantity = %d, want %d (rule %s)", d.Quantity, *l.Quantity, d.Rule)
			}
			if d.Reason == "" {
				t.Error("empty reason")
			}
			if got := d.Cite != ""; got != l.Cite {
				t.Errorf("cite %q, want one: %v", d.Cite, l.Cite)
			}
			if l.Missing == nil {
				if d.Announcement != nil {
					t.Errorf("announcement check on a mail that is none: %+v", d.Announcement)
				}
				return
			}
			if d.Announcement == nil {
				t.Fatal("no announcement check")
			}
			check("urgency", d.Announcement.Urgency, l.Urgency)
			if len(d.Announcement.Missing) != *l.Missing {
				t.Errorf("missing %q, want %d parts", d.Announcement.Missing, *l.Missing)
			}
		})
	}
}

// BenchmarkClassify measures triage of the corpus mails, already parsed,
// and reports mails per second. Run on one core with
// go test -run '^$' -bench Classify -cpu 1 ./rules/
func BenchmarkClassify(b *testing.B) {
	e := exampleEngine(b)
	labels, inputs := loadCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		i := n % len(inputs)
		e.Classify(inputs[i], mailboxDefaults[labels[i].Mailbox])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "mails/s")
}
