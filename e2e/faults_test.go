package e2e_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// startWithEnv runs `mailbot run` with extra environment variables and
// does not wait for it to get ready, since a failpoint may kill it first.
func startWithEnv(t *testing.T, bin, cfgPath string, env ...string) *service {
	t.Helper()
	s := &service{cmd: exec.Command(bin, "run", "--config", cfgPath), stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stderr = &lockedWriter{w: s.stderr}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

// lockedWriter lets the test read the log while the process writes it.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

func (s *service) log() string { return s.cmd.Stderr.(*lockedWriter).String() }

// waitKilled waits until the process dies by SIGKILL.
func (s *service) waitKilled(t *testing.T) {
	t.Helper()
	select {
	case err := <-s.done:
		ws, ok := s.cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("mailbot exited with %v, want death by SIGKILL at the failpoint; its log:\n%s", err, s.log())
		}
	case <-time.After(deliveryTimeout):
		t.Fatalf("mailbot did not reach the failpoint within %s; its log:\n%s", deliveryTimeout, s.log())
	}
}

// stopGracefully sends SIGTERM and waits for a clean exit.
func (s *service) stopGracefully(t *testing.T) {
	t.Helper()
	// SIGTERM before the handler is installed would kill the process.
	waitFor(t, "mailbot to start", func() bool { return strings.Contains(s.log(), "mailbot started") }, s.log)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal mailbot: %v", err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("mailbot run exited with %v; its log:\n%s", err, s.log())
		}
	case <-time.After(deliveryTimeout):
		s.cmd.Process.Kill()
		t.Fatalf("mailbot did not stop within %s of SIGTERM; its log:\n%s", deliveryTimeout, s.log())
	}
}

var sentLine = regexp.MustCompile(`msg="mail sent".*?msgid=(\S+)`)

// sentIDs returns the Message-IDs that the logs report as sent.
func sentIDs(logs ...string) map[string]bool {
	ids := map[string]bool{}
	for _, l := range logs {
		for _, m := range sentLine.FindAllStringSubmatch(l, -1) {
			ids[m[1]] = true
		}
	}
	return ids
}

// waitFor polls cond until it holds or the delivery timeout passes.
func waitFor(t *testing.T, what string, cond func() bool, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(deliveryTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; mailbot's log:\n%s", what, logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func clerkMail(clerk, support, subject, id, text string) []byte {
	return crlf(`From: Erika Beispiel <` + clerk + `>
To: ` + support + `
Subject: ` + subject + `
Date: ` + time.Now().Format(time.RFC1123Z) + `
Message-ID: <` + id + `>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

` + text + `
`)
}

// countByMessageID counts the mails in a folder by their Message-ID.
func countByMessageID(t *testing.T, msgs [][]byte) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, raw := range msgs {
		r := parseReceived(t, raw)
		out[strings.Trim(r.header.Get("Message-Id"), "<>")]++
	}
	return out
}

// TestKillAtEachStep kills mailbot with SIGKILL at every step of handling
// two mails, or fails its store commits as a full disk would, and restarts
// it. Then each mail must have exactly one ticket and every reply must have
// arrived once. Only a kill between the SMTP server's 250 and the outbox
// update may deliver a reply twice, with the same Message-ID.
func TestKillAtEachStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t, t.TempDir())
	steps := []struct {
		failpoint string
		kills     bool
		twice     bool // a reply may arrive twice (the documented edge) without a kill
		// copies is the most copies of one reply that may arrive without
		// a kill; 0 means two when twice is set, else one. An injected
		// send error may hit the same mail again on its retry.
		copies int
	}{
		{mailbot.FailBeforeCommit, true, false, 0},
		{mailbot.FailCommit, true, false, 0},
		{mailbot.FailAfterCommit, true, false, 0},
		{mailbot.FailAfterCommit + ":kill:2", true, false, 0},
		{mailbot.FailAfterMove, true, false, 0},
		{mailbot.FailBeforeSend, true, false, 0},
		{mailbot.FailAfterSend, true, true, 0},
		{mailbot.FailCommit + ":error:3", false, false, 0}, // full disk for three commits
		{mailbot.FailAfterSend + ":error:2", false, true, 3},
	}
	for _, step := range steps {
		t.Run(strings.ReplaceAll(step.failpoint, ":", "-"), func(t *testing.T) {
			t.Parallel()
			s := newRobotSetup(t)
			dir, err := os.MkdirTemp("", "mbkill")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			cfgPath := writeConfig(t, s, dir)
			clerk := e2e.NewAddress(t, "stadt.example")
			for i, subject := range []string{"Drucker defekt", "Monitor flackert"} {
				id := fmt.Sprintf("kill-%d-%d@stadt.example", time.Now().UnixNano(), i)
				s.srv.Send(t, clerk, []string{s.support}, clerkMail(clerk, s.support, subject, id, "Bitte um Hilfe: "+subject+"."))
			}
			s.srv.WaitFor(t, s.support, "INBOX", 2, deliveryTimeout)

			first := startWithEnv(t, bin, cfgPath, mailbot.EnvFailpoint+"="+step.failpoint)
			var logs []func() string
			logs = append(logs, first.log)
			svc := first
			if step.kills {
				first.waitKilled(t)
				svc = startWithEnv(t, bin, cfgPath)
				logs = append(logs, svc.log)
			}
			allLogs := func() string {
				var b strings.Builder
				for i, l := range logs {
					fmt.Fprintf(&b, "--- run %d\n%s", i+1, l())
				}
				return b.String()
			}
			// Two acknowledgements and two notices to IT.
			waitFor(t, "four mails reported sent", func() bool {
				var ls []string
				for _, l := range logs {
					ls = append(ls, l())
				}
				return len(sentIDs(ls...)) >= 4
			}, allLogs)
			waitFor(t, "both mails to leave the INBOX", func() bool {
				return len(s.srv.Fetch(t, s.support, "INBOX")) == 0
			}, allLogs)
			svc.stopGracefully(t)

			// A kill after the SMTP server's 250 leaves mails queued that a
			// later run sends again; run until the outbox is empty.
			dbPath := filepath.Join(dir, "mailbot.db")
			for round := 0; ; round++ {
				queued := queuedIDs(t, dbPath)
				if len(queued) == 0 {
					break
				}
				if round == 2 {
					t.Fatalf("outbox still holds %v after %d more runs", queued, round)
				}
				t.Logf("outbox holds %d mails after the runs, starting mailbot again", len(queued))
				svc = startWithEnv(t, bin, cfgPath)
				logs = append(logs, svc.log)
				waitFor(t, "the queued mails to be sent", func() bool {
					ids := sentIDs(svc.log())
					for _, id := range queued {
						if !ids[id] {
							return false
						}
					}
					return true
				}, allLogs)
				svc.stopGracefully(t)
			}

			db, err := store.Open(dbPath, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			list, err := mailbot.ListTickets(db)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 {
				t.Errorf("%d tickets, want 2; log:\n%s", len(list), allLogs())
			}
			sent := map[string]string{} // Message-ID → kind
			err = db.View(func(tx *store.Tx) error {
				return tx.Sent(func(m *store.OutMail) bool {
					sent[m.MessageID] = m.Kind
					return true
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(sent) != 4 {
				t.Errorf("sent bucket holds %d mails, want 4", len(sent))
			}
			if n := len(s.srv.Fetch(t, s.support, "Bearbeitet")); n != 2 {
				t.Errorf("Bearbeitet holds %d mails, want 2", n)
			}

			s.srv.WaitQueueEmpty(t, deliveryTimeout)
			for _, who := range []struct{ addr, kind string }{{clerk, "ack"}, {s.it, "notify"}} {
				got := countByMessageID(t, s.srv.Fetch(t, who.addr, "INBOX"))
				for id, kind := range sent {
					if kind != who.kind {
						continue
					}
					n := got[id]
					switch {
					case n == 0:
						t.Errorf("%s %s never arrived", kind, id)
					case n == 2 && (step.twice || step.kills):
						// A kill stops the outbox sender wherever it is, so
						// any kill may fall between a 250 and its record.
						t.Logf("%s %s arrived twice with the same Message-ID (at-least-once edge)", kind, id)
					case n > 2 && n <= step.copies:
						t.Logf("%s %s arrived %d times with the same Message-ID: each injected send error hit it", kind, id, n)
					case n > 1:
						t.Errorf("%s %s arrived %d times", kind, id, n)
					}
					delete(got, id)
				}
				for id, n := range got {
					t.Errorf("%d unexpected mails with Message-ID %s in the INBOX of %s", n, id, who.addr)
				}
			}
		})
	}
}

// queuedIDs returns the Message-IDs still in the outbox of the store at
// path.
func queuedIDs(t *testing.T, path string) []string {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	err = db.View(func(tx *store.Tx) error {
		due, err := tx.Due(time.Now().Add(24*time.Hour), 1000)
		for _, m := range due {
			ids = append(ids, m.MessageID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
