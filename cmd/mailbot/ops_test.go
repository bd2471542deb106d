package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/config"
	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

// demoConfig writes a configuration for the in-process demo servers with
// the mailbox password in a file and returns its path.
func demoConfig(t *testing.T, srv *demo.Servers, dir, password, extra string) string {
	t.Helper()
	secret := filepath.Join(dir, "mailbox.secret")
	if err := os.WriteFile(secret, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := demo.Config(srv, dir)
	yaml := fmt.Sprintf(`imap: {host: %s, port: %d, security: none, timeout: 5s}
smtp: {host: %s, port: %d, security: none}
mailboxes:
  - {name: support, address: %s, password_file: %s, processed_folder: Bearbeitet, quarantine_folder: Quarantaene}
store: {path: %s}
roles: {it: [it-support@stadt.example], admin: [mailbot-admin@stadt.example]}
%s`, c.IMAP.Host, c.IMAP.Port, c.SMTP.Host, c.SMTP.Port, demo.SupportAddr, secret, filepath.Join(dir, "mailbot.db"), extra)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckConfigConnect(t *testing.T) {
	srv, err := demo.Start(demo.Accounts(), demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	good := demoConfig(t, srv, t.TempDir(), "demo", "")
	out, err := runCLI(t, "check-config", "--config", good, "--connect")
	if err != nil || !strings.Contains(out, "configuration is valid; IMAP and SMTP logins work") {
		t.Errorf("check-config --connect on a good config: %v\n%s", err, out)
	}
	// Loopback needs no warning about security: none.
	if strings.Contains(out, "warning: imap") || strings.Contains(out, "warning: smtp") {
		t.Errorf("warnings for a loopback server:\n%s", out)
	}

	bad := demoConfig(t, srv, t.TempDir(), "falsch", "")
	out, err = runCLI(t, "check-config", "--config", bad, "--connect")
	if err == nil || !strings.Contains(out, "error: mailboxes[0] (support): imap.host") {
		t.Errorf("check-config --connect with a wrong password: %v\n%s", err, out)
	}
	if strings.Contains(out, "falsch") {
		t.Errorf("output shows the password:\n%s", out)
	}
	// Without --connect the same file is valid.
	if out, err := runCLI(t, "check-config", "--config", bad); err != nil {
		t.Errorf("check-config without --connect: %v\n%s", err, out)
	}
}

func TestCheckConfigNamesKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	yaml := `imap: {host: imap.stadt.example, port: 143, security: none, hots: x}
smtp: {host: smtp.stadt.example, port: 587, security: starttls, password: geheim}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Q, pasword: x}
metrics: {listen: "kein-port"}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "check-config", "--config", path)
	if err == nil {
		t.Fatalf("invalid file accepted:\n%s", out)
	}
	for _, want := range []string{"imap.hots: unknown key", "mailboxes[0].pasword: unknown key",
		"smtp.password: passwords may not be written", "metrics.listen"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "geheim") {
		t.Errorf("output shows the password:\n%s", out)
	}

	// Valid keys, but no roles and plain IMAP to another host.
	yaml = `imap: {host: imap.stadt.example, port: 143, security: none}
smtp: {host: smtp.stadt.example, port: 587, security: starttls}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Q}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, "check-config", "--config", path)
	if err == nil {
		t.Fatalf("config without roles accepted:\n%s", out)
	}
	for _, want := range []string{"error: roles.it: missing", "error: roles.admin: missing",
		"warning: roles.orga: no address", "warning: imap.security: none sends passwords and mail unencrypted to imap.stadt.example"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckConfigCAFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), []byte("kein Zertifikat"), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := `imap: {host: imap.stadt.example, ca_file: ca.pem}
smtp: {host: smtp.stadt.example, ca_file: fehlt.pem}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Q}
roles: {it: [it@stadt.example], admin: [admin@stadt.example]}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "check-config", "--config", path)
	if err == nil {
		t.Fatalf("bad CA files accepted:\n%s", out)
	}
	for _, want := range []string{"imap.ca_file: CA file " + filepath.Join(dir, "ca.pem") + " contains no PEM certificate",
		"smtp.ca_file: read CA file " + filepath.Join(dir, "fehlt.pem")} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func putTicket(t *testing.T, db *store.DB) {
	t.Helper()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.PutQuarantine(&store.QuarantineEntry{ID: "q1", Mailbox: "support", UIDValidity: 1, UID: 9,
			Subject: "Kaputt", Reason: "unreadable mail: no header fields found", At: now}); err != nil {
			return err
		}
		return tx.PutTicket(&store.Ticket{Number: store.Number{Year: 2026, Seq: 1}, Type: "a", Status: store.StatusNew,
			Subject: "Drucker", Created: now, Updated: now})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBackupAndQuarantineFromStoreFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	putTicket(t, db)
	db.Close()

	target := filepath.Join(dir, "copy.db")
	out, err := runCLI(t, "backup", "--db", path, target)
	if err != nil || !strings.Contains(out, "from "+path) {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	out, err = runCLI(t, "tickets", "list", "--db", target)
	if err != nil || !strings.Contains(out, "IT-2026-00001") {
		t.Errorf("tickets of the backup: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "tickets", "show", "--db", target, "2026-00099"); err == nil || err.Error() != "ticket 2026-00099 not found" {
		t.Errorf("show of a missing ticket: %q", err)
	}
	out, err = runCLI(t, "quarantine", "list", "--db", path)
	if err != nil || !strings.Contains(out, "support") || !strings.Contains(out, "no header fields found") {
		t.Errorf("quarantine list: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "quarantine", "release", "--db", path, "9"); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("release without service and config: %v", err)
	}
}

func TestBackupThroughService(t *testing.T) {
	db, dir, path := shortPathStore(t)
	putTicket(t, db)
	socket := serveOps(t, db, path)

	target := filepath.Join(dir, "copy.db")
	out, err := runCLI(t, "backup", "--db", path, "--socket", socket, target)
	if err != nil || !strings.Contains(out, "from the running service") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if err := store.VerifyFile(target); err != nil {
		t.Error(err)
	}
	out, err = runCLI(t, "quarantine", "list", "--db", path, "--socket", socket, "--json")
	if err != nil || !strings.Contains(out, `"reason": "unreadable mail: no header fields found"`) {
		t.Errorf("quarantine list through the service: %v\n%s", err, out)
	}
	_, err = runCLI(t, "quarantine", "release", "--db", path, "--socket", socket, "12")
	if err == nil || err.Error() != "uid 12: mail not in quarantine" {
		t.Errorf("release of an unknown UID: %q", err)
	}
	_, err = runCLI(t, "quarantine", "release", "--db", path, "--socket", socket, "--mailbox", "suport", "9")
	if err == nil || !strings.Contains(err.Error(), `unknown mailbox "suport"`) ||
		!strings.Contains(err.Error(), "support, digitalisierung") {
		t.Errorf("release from an unknown mailbox: %q", err)
	}
	for _, args := range [][]string{
		{"tickets", "show", "--db", path, "--socket", socket, "2026-00099"},
		{"tickets", "show", "--db", path, "--socket", socket, "--json", "2026-00099"},
	} {
		if _, err := runCLI(t, args...); err == nil || err.Error() != "ticket 2026-00099 not found" {
			t.Errorf("%v: %q", args, err)
		}
	}
}

// shortPathStore opens a new store in a folder of its own under the
// system's temporary folder, whose path is short enough for the API
// socket beside it: Unix socket paths are limited to about 100 bytes,
// and t.TempDir may be longer. The store and folder go when the test ends.
func shortPathStore(t *testing.T) (db *store.DB, dir, path string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "mb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path = filepath.Join(dir, "mailbot.db")
	db, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir, path
}

// serveOps serves the API with the operator endpoints for db, whose file
// is path, until the test ends, and returns its socket once it responds.
func serveOps(t *testing.T, db *store.DB, path string) string {
	t.Helper()
	cfg := config.Builtin()
	log := testLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	socket := path + ".sock"
	go func() { done <- mailbot.ServeAPI(ctx, socket, db, log, mailbot.OpsHandlers(&cfg, db, log)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeAPI: %v", err)
		}
	})
	client := mailbot.NewClient(socket)
	deadline := time.Now().Add(5 * time.Second)
	for _, err := client.Quarantine(); err != nil; _, err = client.Quarantine() {
		if time.Now().After(deadline) {
			t.Fatalf("API did not come up: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return socket
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// TestSystemdUnitCommands checks that the commands and flags the systemd
// unit runs exist, and that it keeps its main hardening options.
func TestSystemdUnitCommands(t *testing.T) {
	data, err := os.ReadFile("../../deploy/mailbot.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(data)
	execs := 0
	for line := range strings.SplitSeq(unit, "\n") {
		key, val, ok := strings.Cut(line, "=")
		if !ok || (key != "ExecStart" && key != "ExecStartPre") {
			continue
		}
		execs++
		args := strings.Fields(val)[1:]
		cmd, rest, err := newRoot().Find(args)
		if err != nil || cmd.Name() == "mailbot" {
			t.Errorf("%s: unknown command in %q: %v", key, val, err)
			continue
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("%s: %q: %v", key, val, err)
		}
	}
	if execs != 2 {
		t.Errorf("found %d Exec lines, want ExecStartPre and ExecStart", execs)
	}
	for _, want := range []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet=\n",
		"StateDirectory=mailbot", "UMask=0077", "SystemCallFilter=@system-service", "RestrictAddressFamilies="} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q", want)
		}
	}
}

func TestBackupRejectsLiveStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	putTicket(t, db)
	db.Close()
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{path, path + ".sock", dir} {
		_, err := runCLI(t, "backup", "--db", path, target)
		if err == nil {
			t.Errorf("backup onto %s accepted", target)
		}
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("store file replaced by its own backup")
	}
}

func TestCheckConfigListsAllProblemsAlike(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := `imap: {host: imap.stadt.example, port: 993, password: geheim}
smtp: {host: smtp.stadt.example, port: 587, username: robot, password_file: a.secret, password_env: SMTP_PW}
mailboxes:
  - {name: support, address: 3344@stadt.example, quarantine_folder: Q, password_env: SUPPORT_PW}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "check-config", "--config", path)
	if err == nil {
		t.Fatalf("invalid file accepted:\n%s", out)
	}
	for _, want := range []string{
		"error: imap.password: passwords may not be written in the configuration file",
		"error: smtp.password_file, smtp.password_env: set only one of them",
		"error: roles.it: missing",
		"error: roles.admin: missing",
		"invalid configuration, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "error: ") && !strings.HasPrefix(line, "warning: ") && !strings.HasPrefix(line, path+": ") {
			t.Errorf("line outside the list: %q", line)
		}
	}
	if strings.Contains(out, "unknown key") || strings.Contains(out, "geheim") {
		t.Errorf("imap.password reported as unknown or shown:\n%s", out)
	}
}
