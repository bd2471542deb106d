package e2e_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mailbot/e2e"
)

// opsConfig writes the setup's configuration with an admin role, a small
// size limit and metrics on a free loopback port, and returns its path
// and the metrics address.
func opsConfig(t *testing.T, s *robotSetup, dir, admin string, maxBytes int) (string, string) {
	t.Helper()
	path := writeConfig(t, s, dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(data), "roles: {it: [", "roles: {admin: ["+admin+"], it: [", 1)
	yaml += "limits: {max_message_bytes: " + strconv.Itoa(maxBytes) + "}\nmetrics: {listen: \"" + addr + "\"}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, addr
}

// TestQuarantineReleaseAndOpsCommands runs the binary against Dovecot and
// Postfix. An oversized mail is quarantined with a notice to the admin.
// While the service runs, check-config, backup, metrics and a second
// instance are tried. Then the limit is raised, the mail is released
// without the service, and it becomes a ticket once the service runs.
func TestQuarantineReleaseAndOpsCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	s := newRobotSetup(t)
	dir, err := os.MkdirTemp("", "mbops")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := buildBinary(t, dir)
	admin := e2e.NewAddress(t, "stadt.example")
	cfgPath, metricsAddr := opsConfig(t, s, dir, admin, 4096)

	clerk := e2e.NewAddress(t, "stadt.example")
	msgID := "e2e-ops-" + strconv.FormatInt(time.Now().UnixNano(), 10) + "@stadt.example"
	s.srv.Send(t, clerk, []string{s.support}, crlf(`From: <`+clerk+`>
To: `+s.support+`
Subject: Scanner defekt, Protokoll anbei
Message-ID: <`+msgID+`>

Der Scanner bricht ab, das Protokoll folgt.
`+strings.Repeat("Protokollzeile mit Fehler E-213.\n", 200)))

	svc := startService(t, bin, cfgPath)
	notices := s.srv.WaitFor(t, admin, "INBOX", 1, deliveryTimeout)
	notice := parseReceived(t, notices[0])
	if subject, _ := notice.header.Subject(); subject != "Mail in Quarantäne: Scanner defekt, Protokoll anbei" {
		t.Errorf("admin notice subject %q", subject)
	}
	if !strings.Contains(notice.body, msgID) || !strings.Contains(notice.body, "limits.max_message_bytes") {
		t.Errorf("admin notice lacks the Message-ID or the limit:\n%s", notice.body)
	}
	s.srv.WaitFor(t, s.support, "Quarantaene", 1, deliveryTimeout)

	// The list comes from the running service; the reason names the limit.
	out := runCommand(t, bin, "--config", cfgPath, "quarantine", "list")
	if !strings.Contains(out, "support") || !strings.Contains(out, "exceeds limits.max_message_bytes") {
		t.Errorf("quarantine list:\n%s", out)
	}
	uid := regexp.MustCompile(`(?m)^support\s+(\d+)\s`).FindStringSubmatch(out)
	if uid == nil {
		t.Fatalf("no UID in quarantine list:\n%s", out)
	}

	out = runCommand(t, bin, "--config", cfgPath, "check-config", "--connect")
	if !strings.Contains(out, "IMAP and SMTP logins work") {
		t.Errorf("check-config --connect:\n%s", out)
	}
	backup := dir + "/backup.db"
	out = runCommand(t, bin, "--config", cfgPath, "backup", backup)
	if !strings.Contains(out, "from the running service") {
		t.Errorf("backup while running:\n%s", out)
	}
	if out := runCommand(t, bin, "--db", backup, "quarantine", "list"); !strings.Contains(out, "exceeds limits") {
		t.Errorf("backup lacks the quarantine entry:\n%s", out)
	}

	// A second instance on the same store stops at once with the reason.
	start := time.Now()
	second, err := exec.Command(bin, "run", "--config", cfgPath).CombinedOutput()
	if err == nil || !strings.Contains(string(second), "database is locked by another process") {
		t.Errorf("second instance: %v\n%s", err, second)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("second instance took %s to give up", waited)
	}

	metrics := httpGet(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{"mailbot_mails_quarantined_total 1", `mailbot_outgoing_sent_total{kind="quarantine"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if health := httpGet(t, "http://"+metricsAddr+"/healthz"); !strings.Contains(health, `"status":"ok"`) {
		t.Errorf("healthz: %s", health)
	}
	svc.stop(t)

	// Raise the limit and release without the service: the release moves
	// the mail back over IMAP itself.
	cfgPath, _ = opsConfig(t, s, dir, admin, 1<<20)
	out = runCommand(t, bin, "--config", cfgPath, "quarantine", "release", "--mailbox", "support", uid[1])
	if !strings.Contains(out, "released uid "+uid[1]) {
		t.Errorf("release:\n%s", out)
	}
	if out := runCommand(t, bin, "--config", cfgPath, "quarantine", "list"); !strings.Contains(out, "no mails in quarantine") {
		t.Errorf("quarantine list after release:\n%s", out)
	}
	startService(t, bin, cfgPath)
	acks := s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	ack := parseReceived(t, acks[0])
	if subject, _ := ack.header.Subject(); !strings.Contains(subject, "Scanner defekt") {
		t.Errorf("ack subject %q", subject)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}
