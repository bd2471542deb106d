package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLoadExample(t *testing.T) {
	t.Setenv("MAILBOT_SUPPORT_PASSWORD", "s1")
	t.Setenv("MAILBOT_DIGI_PASSWORD", "s2")
	secret := filepath.Join(t.TempDir(), "smtp.secret")
	if err := os.WriteFile(secret, []byte("s3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MAILBOT_SMTP_PASSWORD_FILE", secret)
	t.Setenv("MAILBOT_IMAP_HOST", "127.0.0.1")
	t.Setenv("MAILBOT_IMAP_POLL_INTERVAL", "5s")
	c, err := Load("../config.example.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.IMAP.Host != "127.0.0.1" || c.IMAP.PollInterval != 5*time.Second {
		t.Errorf("env override not applied: host %q, poll %s", c.IMAP.Host, c.IMAP.PollInterval)
	}
	if len(c.Mailboxes) != 2 || c.Mailboxes[0].Password != "s1" || c.Mailboxes[1].Password != "s2" {
		t.Errorf("mailbox passwords not resolved: %+v", c.Mailboxes)
	}
	if c.SMTP.Password != "s3" {
		t.Errorf("smtp password = %q, want s3", c.SMTP.Password)
	}
	if c.Mailboxes[1].Username != "digitalisierung@stadt.example" || c.Mailboxes[1].DefaultType != "c" {
		t.Errorf("mailbox defaults: %+v", c.Mailboxes[1])
	}
	if c.Tickets.DigestMin != 10 {
		t.Errorf("tickets.digest_min = %d, want 10", c.Tickets.DigestMin)
	}
	if c.API.Socket != "/var/lib/mailbot/mailbot.db.sock" {
		t.Errorf("socket = %q", c.API.Socket)
	}
}

func TestLoadReportsAllProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := `
imap: {host: "", port: 0, security: ssl, timeout: 0s}
smtp: {host: x, port: 25, security: none, timeout: -5s}
mailboxes:
  - {name: support, address: "kein-mail", default_type: d}
  - {name: support, address: a@stadt.example, quarantine_folder: Q, password: x, password_env: Y}
roles: {it: ["nicht gültig"]}
tickets: {digest_min: 1}
`
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"imap.host: missing", "imap.port", "imap.security", "mailboxes[0].address",
		"mailboxes[0].default_type", "mailboxes[0].quarantine_folder", "mailboxes[1].name", "only one of", "roles.it",
		"tickets.digest_min: 1 is invalid", "imap.timeout: 0s is too short", "smtp.timeout: -5s is too short"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestDigestMinDefaultFollowsFetchBatch(t *testing.T) {
	for _, tt := range []struct {
		batch, want int
	}{{5, 5}, {1, 0}, {100, 10}} {
		path := filepath.Join(t.TempDir(), "digest.yaml")
		yaml := "imap: {host: x, fetch_batch: " + strconv.Itoa(tt.batch) + "}\nsmtp: {host: x}\nstore: {path: m.db}\n" +
			"mailboxes: [{name: support, address: support@stadt.example, password_env: MB_TEST_PW}]\n"
		if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		c, probs, err := LoadProblems(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			if strings.Contains(p, "digest_min") {
				t.Errorf("fetch_batch %d: problem %q", tt.batch, p)
			}
		}
		if c.Tickets.DigestMin != tt.want {
			t.Errorf("fetch_batch %d: digest_min %d, want %d", tt.batch, c.Tickets.DigestMin, tt.want)
		}
	}
}

func TestDigestMinAboveFetchBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digest.yaml")
	if err := os.WriteFile(path, []byte("imap: {host: x, fetch_batch: 5}\ntickets: {digest_min: 10}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "tickets.digest_min: 10 is above imap.fetch_batch 5") {
		t.Fatalf("Load: %v, want the digest_min problem", err)
	}
}

func TestLoadRejectsUnknownKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.yaml")
	if err := os.WriteFile(path, []byte("imap:\n  hots: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "hots") {
		t.Errorf("Load error = %v, want one naming the unknown key", err)
	}
}

func TestMissingPasswordEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	cfg := `
imap: {host: h, port: 143, security: none}
smtp: {host: h, port: 25, security: none}
mailboxes:
  - {name: support, address: a@stadt.example, quarantine_folder: Q, password_env: MAILBOT_TEST_UNSET_PW}
`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "MAILBOT_TEST_UNSET_PW is not set") {
		t.Errorf("Load error = %v", err)
	}
}

func TestPasswordFileRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "support.secret"), []byte("s1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "smtp.secret"), []byte("s2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := `
imap: {host: 127.0.0.1, port: 143, security: none}
smtp: {host: 127.0.0.1, port: 25, security: none, username: robot, password_file: smtp.secret}
mailboxes:
  - {name: support, address: 3344@stadt.example, password_file: support.secret,
     processed_folder: Bearbeitet, quarantine_folder: Quarantaene}
store: {path: mailbot.db}
roles: {it: [it-support@stadt.example]}
`
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // a different working directory must not matter
	c, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Mailboxes[0].Password != "s1" {
		t.Errorf("mailbox password = %q, want s1", c.Mailboxes[0].Password)
	}
	if c.SMTP.Password != "s2" {
		t.Errorf("smtp password = %q, want s2", c.SMTP.Password)
	}
}

func TestEnvOverridesListsAndMailboxes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := `imap: {host: h, port: 143, security: none}
smtp: {host: h, port: 25, security: none}
mailboxes:
  - {name: support, address: a@stadt.example, quarantine_folder: Q, password_env: OLD_PW}
  - {name: digitalisierung, address: d@stadt.example, quarantine_folder: Q, password_env: DIGI_PW}
roles: {it: [x@stadt.example]}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MAILBOT_ROLES_IT", "a@stadt.example, b@stadt.example")
	t.Setenv("MAILBOT_MAILBOXES_0_PASSWORD_ENV", "NEW_PW")
	t.Setenv("MAILBOT_MAILBOXES_1_FOLDER", "Eingang")
	c, p, err := LoadProblems(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
	if got := strings.Join(c.Roles.IT, "|"); got != "a@stadt.example|b@stadt.example" {
		t.Errorf("roles.it = %q", got)
	}
	if c.Mailboxes[0].PasswordEnv != "NEW_PW" || c.Mailboxes[1].Folder != "Eingang" {
		t.Errorf("mailbox overrides not applied: %+v", c.Mailboxes)
	}

	t.Setenv("MAILBOT_MAILBOXES_2_FOLDER", "x")
	t.Setenv("MAILBOT_MAILBOXES_0_PASWORD_ENV", "x")
	_, p, err = LoadProblems(path)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(p, "\n")
	for _, want := range []string{"MAILBOT_MAILBOXES_2_FOLDER: the file has 2 mailboxes", "MAILBOT_MAILBOXES_0_PASWORD_ENV: mailboxes[0].pasword_env: unknown key"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems %q lack %q", p, want)
		}
	}
}
