package mailbot

import (
	"slices"
	"strings"
	"testing"

	"mailbot/command"
	"mailbot/config"
	"mailbot/store"
)

func TestDefaultRoleMatrix(t *testing.T) {
	tbl, err := newCommandTable(config.Commands{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cmd   string
		arg   string
		roles []string
		want  bool
	}{
		{"assign", "x@stadt.example", []string{"it"}, true},
		{"assign", "x@stadt.example", []string{config.RoleRequester}, false},
		{"assign", "x@stadt.example", []string{"orga"}, false},
		{"close", "", []string{config.RoleAssignee}, true},
		{"close", "", []string{config.RoleRequester}, false},
		{"close", "", []string{"orga"}, false},
		{"digi", "", []string{"it"}, false},
		{"digi", "", []string{"it_leads"}, true},
		{"order", "", []string{"it_head"}, true},
		{"itjf", "", []string{"orga"}, false},
		{"escalate", "", []string{"orga"}, true},
		{"escalate", "", []string{config.RoleRequester}, false},
		{"withdraw", "", []string{config.RoleRequester}, true},
		{"withdraw", "", []string{"it"}, false},
		{"status", "", []string{config.RoleRequester}, true},
		{"status", "", []string{config.RoleCc}, true},
		{"status", "in Arbeit", []string{config.RoleRequester}, true},
		{"status", "in Arbeit", []string{"it"}, true},
		{"status", "", nil, false},
		{"help", "", []string{config.RoleCc}, true},
		{"help", "", nil, false},
		{"note", "x", []string{"budget"}, true},
		{"note", "x", []string{config.RoleRequester}, false},
		{"merge", "2026-1", []string{"it"}, true},
	}
	for _, tc := range tests {
		got := tbl.allowed(commandSpecs[tc.cmd], command.Command{Name: tc.cmd, Arg: tc.arg}, tc.roles)
		if got != tc.want {
			t.Errorf("allowed(%s %q, %v) = %v, want %v", tc.cmd, tc.arg, tc.roles, got, tc.want)
		}
	}
}

func TestConfiguredVocabularyAndRoles(t *testing.T) {
	tbl, err := newCommandTable(config.Commands{
		Vocabulary: map[string][]string{"close": {"fertig", "#Abgeschlossen"}},
		Roles:      map[string][]string{"close": {"it_head"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"fertig", "abgeschlossen", "ABGESCHLOSSEN"} {
		if name, ok := tbl.vocab.Lookup(w); !ok || name != "close" {
			t.Errorf("Lookup(%q) = %q, %v", w, name, ok)
		}
	}
	if _, ok := tbl.vocab.Lookup("erledigt"); ok {
		t.Error("replaced keyword erledigt still known")
	}
	if name, _ := tbl.vocab.Lookup("zuweisen"); name != "assign" {
		t.Error("other commands lost their default keywords")
	}
	if tbl.allowed(commandSpecs["close"], command.Command{Name: "close"}, []string{"it"}) {
		t.Error("it may still close after roles.close = [it_head]")
	}
	help := strings.Join(tbl.helpFor([]string{"it_head"}), "\n")
	if !strings.Contains(help, "#fertig [TEXT]") {
		t.Errorf("help does not show the configured keyword:\n%s", help)
	}
	if _, err := newCommandTable(config.Commands{Roles: map[string][]string{"schliessen": {"it"}}}); err == nil ||
		!strings.Contains(err.Error(), "commands.roles.schliessen") {
		t.Errorf("unknown command name: err = %v", err)
	}
}

func TestRolesOf(t *testing.T) {
	r := &Robot{cfg: &config.Config{Roles: config.Roles{IT: []string{"IT@stadt.example"}, Orga: []string{"orga@stadt.example"}}}}
	tk := &store.Ticket{Requester: "anna@stadt.example", Cc: []string{"chef@stadt.example"}, Assignee: "it@stadt.example"}
	tests := map[string][]string{
		"Anna@Stadt.example": {config.RoleRequester},
		"chef@stadt.example": {config.RoleCc},
		"it@stadt.example":   {config.RoleAssignee, "it"},
		"orga@stadt.example": {"orga"},
		"fremd@example.net":  nil,
		"":                   nil,
	}
	for addr, want := range tests {
		if got := r.rolesOf(tk, addr); !slices.Equal(got, want) {
			t.Errorf("rolesOf(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestRoleNamesGerman(t *testing.T) {
	if got := roleNames([]string{"it", "it_leads"}); got != "die IT-Sachbearbeitung (it) oder die IT-Teamleitung (it_leads)" {
		t.Errorf("roleNames = %q", got)
	}
	if got := roleNames(nil); got != "niemand" {
		t.Errorf("roleNames(nil) = %q", got)
	}
}
