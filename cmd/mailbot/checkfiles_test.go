package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validServers and validRoles make a valid configuration together.
const (
	validServers = `imap: {host: 127.0.0.1, port: 143, security: none}
smtp: {host: 127.0.0.1, port: 25, security: none}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Q}
`
	validRoles = "roles: {it: [it-support@stadt.example], admin: [mailbot-admin@stadt.example]}\n"
)

// checkConfigWith writes the configuration yaml and files into a new
// directory, runs check-config on it and returns the output.
func checkConfigWith(t *testing.T, yaml string, files map[string]string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return runCLI(t, "check-config", "--config", path)
}

func TestCheckConfigBaseIsValid(t *testing.T) {
	if out, err := checkConfigWith(t, validServers+validRoles, nil); err != nil || !strings.Contains(out, "configuration is valid") {
		t.Fatalf("base configuration rejected: %v\n%s", err, out)
	}
}

func TestCheckConfigMissingFiles(t *testing.T) {
	out, err := checkConfigWith(t, validServers+validRoles+`registers: {applications: apps.csv, budget_items: budget.csv}
rules: {file: rules.yaml}
templates: {dir: vorlagen}
`, nil)
	if err == nil {
		t.Fatalf("missing files accepted:\n%s", out)
	}
	for _, want := range []string{"error: registers.applications: file ", "apps.csv not found",
		"error: registers.budget_items: file ", "error: rules.file: file ", "error: templates.dir: directory "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "read register") {
		t.Errorf("a missing register is reported twice:\n%s", out)
	}
}

func TestCheckConfigBrokenRegister(t *testing.T) {
	out, err := checkConfigWith(t, validServers+validRoles+"registers: {applications: apps.csv}\n",
		map[string]string{"apps.csv": "name,model\nWohngeld,niemand\n"})
	if err == nil {
		t.Fatalf("register with an unknown model accepted:\n%s", out)
	}
}

func TestCheckConfigBrokenTemplate(t *testing.T) {
	out, err := checkConfigWith(t, validServers+validRoles+"templates: {dir: vorlagen}\n",
		map[string]string{"vorlagen/status.txt.tmpl": "Guten Tag {{.Anrede}},\n"})
	if err == nil {
		t.Fatalf("template naming an unknown field accepted:\n%s", out)
	}
	if !strings.Contains(out, "error: templates.dir: ") || !strings.Contains(out, "status.txt.tmpl") || !strings.Contains(out, "Anrede") {
		t.Errorf("output does not name the key, the template and the field:\n%s", out)
	}
}

func TestCheckConfigListsAllPasswords(t *testing.T) {
	out, err := checkConfigWith(t, validRoles+`imap: {host: 127.0.0.1, port: 143, security: none}
smtp: {host: 127.0.0.1, port: 25, security: none, password_file: fehlt.secret}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Q, password_env: MAILBOT_TEST_UNSET_A}
  - {name: digi, address: digitalisierung@stadt.example, quarantine_folder: Q, password_env: MAILBOT_TEST_UNSET_B}
`, nil)
	if err == nil {
		t.Fatalf("missing passwords accepted:\n%s", out)
	}
	for _, want := range []string{"error: smtp.password_file: ", "error: mailboxes[0] (support).password_env: environment variable MAILBOT_TEST_UNSET_A",
		"error: mailboxes[1] (digi).password_env: environment variable MAILBOT_TEST_UNSET_B"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckConfigBadTypeOneLine(t *testing.T) {
	t.Setenv("MAILBOT_IMAP_PORT", "abc")
	out, err := checkConfigWith(t, validServers+validRoles+"templates: {dir: vorlagen}\n", nil)
	if err == nil {
		t.Fatalf("port abc accepted:\n%s", out)
	}
	if !strings.Contains(out, `error: imap.port: invalid value "abc", want a whole number`) {
		t.Errorf("output lacks the one-line port error:\n%s", out)
	}
	if !strings.Contains(out, "error: templates.dir: ") {
		t.Errorf("the bad port hides the other problems:\n%s", out)
	}
	if strings.Contains(out, "decoding failed") {
		t.Errorf("output shows the decoder's raw error:\n%s", out)
	}
}
