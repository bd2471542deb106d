package register

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const examples = "../docs/registers/"

func TestLoadExamples(t *testing.T) {
	s, err := Load(Files{BudgetItems: examples + "budget_items.yaml", Applications: examples + "applications.csv",
		Positions: examples + "positions.yaml"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.Budget) != 4 || len(s.Applications) != 4 || len(s.Positions) != 5 {
		t.Fatalf("got %d budget items, %d applications, %d positions; want 4, 4, 5",
			len(s.Budget), len(s.Applications), len(s.Positions))
	}
	b := s.BudgetItem("2026-21")
	if b == nil || b.Approved || b.Quantity != 8 || b.Note == "" {
		t.Errorf("budget item 2026-21 = %+v, want reserved, 8 pieces, with a note", b)
	}
	if s.BudgetItem("2026-99") != nil {
		t.Error("unknown budget item found")
	}
	if p := s.Position("50.4.9"); p == nil || p.Planned {
		t.Errorf("position 50.4.9 = %+v, want unplanned", p)
	}
	app := s.Applications[0]
	if app.Name != "Wohngeldverfahren" || !reflect.DeepEqual(app.Aliases, []string{"WoGeld", "Wohngeld-Software"}) || app.Model != ModelShared {
		t.Errorf("first application = %+v", app)
	}
}

func TestBudgetCSVEqualsYAML(t *testing.T) {
	y, err := Load(Files{BudgetItems: examples + "budget_items.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(Files{BudgetItems: examples + "budget_items.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(y.Budget, c.Budget) {
		t.Errorf("CSV and YAML differ:\n yaml %+v\n csv  %+v", y.Budget, c.Budget)
	}
}

func TestResponsibleByModel(t *testing.T) {
	it := []string{"it-support@stadt.example"}
	tests := []struct {
		app  Application
		want []string
	}{
		{Application{Model: ModelOffice, Contacts: []string{"key@stadt.example"}}, []string{"key@stadt.example"}},
		{Application{Model: ModelOffice}, it},
		{Application{Model: ModelShared, Contacts: []string{"key@stadt.example"}}, []string{"key@stadt.example", "it-support@stadt.example"}},
		{Application{Model: ModelShared, Contacts: []string{"Key@stadt.example"}, ITContacts: []string{"key@stadt.example"}}, []string{"Key@stadt.example"}},
		{Application{Model: ModelIT, Contacts: []string{"key@stadt.example"}}, it},
		{Application{Model: ModelIT, ITContacts: []string{"dms@stadt.example"}}, []string{"dms@stadt.example"}},
	}
	for _, tc := range tests {
		if got := tc.app.Responsible(it); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Responsible(%+v) = %v, want %v", tc.app, got, tc.want)
		}
	}
}

func TestLoadRejectsInvalid(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		files Files
		want  string
	}{
		{Files{BudgetItems: write("b.yaml", "- id: '1'\n- id: '1'\n")}, "used twice"},
		{Files{BudgetItems: write("typo.yaml", "- id: '1'\n  aproved: true\n")}, "aproved"},
		{Files{BudgetItems: write("b.csv", "id,approved\n1,vielleicht\n")}, `approved "vielleicht" is invalid`},
		{Files{BudgetItems: write("q.csv", "id,quantity\n1,zwei\n")}, "row 2"},
		{Files{Applications: write("a.yaml", "- name: X\n  model: sometimes\n")}, "model \"sometimes\" is invalid"},
		{Files{Applications: write("dup.yaml", "- name: X\n  model: it\n- name: Y\n  aliases: [x]\n  model: it\n")}, "used twice"},
		{Files{Positions: write("p.yaml", "- number: '50'\n")}, "number \"50\" is invalid"},
		{Files{Positions: write("p.txt", "")}, "unknown file type"},
		{Files{Positions: filepath.Join(dir, "missing.yaml")}, "read register"},
	}
	for _, tc := range tests {
		_, err := Load(tc.files)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%+v) error = %v, want one containing %q", tc.files, err, tc.want)
		}
	}
}

func TestNilSetFindsNothing(t *testing.T) {
	var s *Set
	if s.BudgetItem("2026-14") != nil || s.Position("50.3.12") != nil {
		t.Error("nil set found something")
	}
}
