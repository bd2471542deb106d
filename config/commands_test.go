package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	text := `
imap: {host: x}
smtp: {host: x}
mailboxes:
  - {name: support, address: a@stadt.example, quarantine_folder: Q}
commands:
  trusted_authserv_id: mx.stadt.example
  vocabulary: {close: [erledigt, fertig]}
  roles: {close: [it_head, assignee]}
`
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadWithoutSecrets(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Commands.TrustedAuthservID != "mx.stadt.example" {
		t.Errorf("trusted_authserv_id = %q", c.Commands.TrustedAuthservID)
	}
	if !slices.Equal(c.Commands.Vocabulary["close"], []string{"erledigt", "fertig"}) {
		t.Errorf("vocabulary = %v", c.Commands.Vocabulary)
	}
	if !slices.Equal(c.Commands.Roles["close"], []string{"it_head", "assignee"}) {
		t.Errorf("roles = %v", c.Commands.Roles)
	}
}

func TestCommandsRejectsUnknownRole(t *testing.T) {
	p := Commands{
		Roles:      map[string][]string{"close": {"chef"}},
		Vocabulary: map[string][]string{"assign": {"zwei worte"}, "take": {}},
	}.validate()
	got := strings.Join(p, "\n")
	for _, want := range []string{`commands.roles.close: unknown role "chef"`, `commands.vocabulary.assign: "zwei worte" is not a single word`,
		"commands.vocabulary.take: empty"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}
