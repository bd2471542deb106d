package e2e_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles cmd/mailbot into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "mailbot")
	cmd := exec.Command("go", "build", "-o", bin, "mailbot/cmd/mailbot")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeConfig writes the setup's configuration as a YAML file, with the
// mailbox passwords in a password file as an operator would.
func writeConfig(t *testing.T, s *robotSetup, dir string) string {
	t.Helper()
	secret := filepath.Join(dir, "mailbox.secret")
	if err := os.WriteFile(secret, []byte(s.srv.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := s.cfg
	yaml := fmt.Sprintf(`imap: {host: %s, port: %d, security: none, poll_interval: 2s, idle: true, timeout: 15s}
smtp: {host: %s, port: %d, security: none, helo_name: stadt.example}
mailboxes:
  - {name: support, address: %s, password_file: %s, processed_folder: Bearbeitet, quarantine_folder: Quarantaene, default_type: a}
  - {name: digitalisierung, address: %s, password_file: %s, processed_folder: Bearbeitet, quarantine_folder: Quarantaene, default_type: c}
store: {path: %s}
roles: {it: [%s]}
outbox: {retry_min: 500ms, retry_max: 5s}
`, c.IMAP.Host, c.IMAP.Port, c.SMTP.Host, c.SMTP.Port, s.support, secret, s.digi, secret,
		filepath.Join(dir, "mailbot.db"), s.it)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type service struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan error
}

// startService runs `mailbot run` and waits for its API socket.
func startService(t *testing.T, bin, cfgPath string) *service {
	t.Helper()
	s := &service{cmd: exec.Command(bin, "run", "--config", cfgPath), stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	s.cmd.Stderr = &lockedWriter{w: s.stderr}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.stop(t)
		}
	})
	socket := filepath.Join(filepath.Dir(cfgPath), "mailbot.db.sock")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := os.Stat(socket); err == nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailbot run made no API socket %s within 15 s; its log:\n%s", socket, s.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop sends SIGTERM and expects a clean exit.
func (s *service) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal mailbot: %v", err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("mailbot run exited with %v; its log:\n%s", err, s.stderr)
		}
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Fatalf("mailbot run did not stop within 30 s of SIGTERM; its log:\n%s", s.stderr)
	}
	if !strings.Contains(s.stderr.String(), "mailbot stopped") {
		t.Errorf("log lacks the stop line:\n%s", s.stderr)
	}
}

func runCommand(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("mailbot %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
