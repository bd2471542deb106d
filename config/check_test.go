package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogValueHidesPasswords(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	log.Info("settings", "mailbox", Mailbox{Name: "support", Password: "Geheim-4711"},
		"smtp", SMTP{Host: "smtp.stadt.example", Password: "Geheim-0815"})
	out := buf.String()
	if strings.Contains(out, "Geheim") {
		t.Errorf("log shows a password: %s", out)
	}
	if !strings.Contains(out, "mailbox.password_set=true") || !strings.Contains(out, "smtp.host=smtp.stadt.example") {
		t.Errorf("log lacks the settings: %s", out)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true,
		"imap.stadt.example": false, "10.0.0.1": false, "": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestWarningsForPlainRemoteHosts(t *testing.T) {
	c := Builtin()
	c.IMAP.Host, c.IMAP.Security = "127.0.0.1", "none"
	c.SMTP.Host, c.SMTP.Security = "smtp.stadt.example", "none"
	w := strings.Join(c.Warnings(), "\n")
	if strings.Contains(w, "imap.security") {
		t.Errorf("warning for plain IMAP on loopback: %s", w)
	}
	if !strings.Contains(w, "smtp.security: none") {
		t.Errorf("no warning for plain SMTP to another host: %s", w)
	}
	c.SMTP.Security = "starttls"
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warnings for a TLS configuration: %v", w)
	}
}

func TestPasswordOnlyFromFileOrEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	base := `imap: {host: h, port: 143, security: none}
smtp: {host: h, port: 25, security: none, username: robot%s}
mailboxes:
  - {name: support, address: a@stadt.example, quarantine_folder: Q, password_env: MAILBOT_TEST_PW%s}
`
	write := func(smtpExtra, mailboxExtra string) {
		t.Helper()
		if err := os.WriteFile(path, fmt.Appendf(nil, base, smtpExtra, mailboxExtra), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("MAILBOT_TEST_PW", "aus-der-umgebung")

	write(", password: geheim", "")
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "smtp.password: passwords may not be written") {
		t.Errorf("SMTP password in the file: err %v", err)
	}
	write("", ", password: geheim")
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "mailboxes[0].password") {
		t.Errorf("mailbox password in the file: err %v", err)
	}

	// The environment override of the key is an environment variable too.
	write("", "")
	t.Setenv("MAILBOT_SMTP_PASSWORD", "smtp-aus-der-umgebung")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Password != "smtp-aus-der-umgebung" || c.Mailboxes[0].Password != "aus-der-umgebung" {
		t.Errorf("passwords smtp %q mailbox %q", c.SMTP.Password, c.Mailboxes[0].Password)
	}
}

func TestSMTPAuthComplete(t *testing.T) {
	for _, tt := range []struct {
		smtp, want string
	}{
		{"username: robot, password_file: a, password_env: B", "smtp.password_file, smtp.password_env: set only one of them"},
		{"username: robot", `smtp.username: "robot" is set but no password`},
		{"password_env: B", "smtp.password_env: set but smtp.username is empty"},
		{"username: robot, password_env: B", ""},
		{"", ""},
	} {
		c := Defaults()
		c.IMAP.Host, c.SMTP.Host = "imap.stadt.example", "smtp.stadt.example"
		c.Mailboxes = []Mailbox{{Name: "support", Address: "3344@stadt.example", QuarantineFolder: "Q", DefaultType: "a"}}
		for _, kv := range strings.Split(tt.smtp, ", ") {
			k, v, _ := strings.Cut(kv, ": ")
			switch k {
			case "username":
				c.SMTP.Username = v
			case "password_file":
				c.SMTP.PasswordFile = v
			case "password_env":
				c.SMTP.PasswordEnv = v
			}
		}
		got := strings.Join(c.problems(), "\n")
		if tt.want == "" && got != "" {
			t.Errorf("smtp {%s}: problems %q", tt.smtp, got)
		}
		if tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("smtp {%s}: problems %q lack %q", tt.smtp, got, tt.want)
		}
	}
}
