package e2e

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// serverControlTimeout bounds one stop or start of a server.
const serverControlTimeout = 20 * time.Second

// ownDir returns the directory of servers this process started, or skips
// the test: servers from the environment belong to someone else.
func (s *Servers) ownDir(tb testing.TB) string {
	tb.Helper()
	ownedMu.Lock()
	owned := ownedDir
	ownedMu.Unlock()
	if s.Dir == "" || owned != s.Dir {
		tb.Skipf("e2e: the servers were not started by this test process, so they are not stopped")
	}
	return s.Dir
}

// StopDovecot stops Dovecot, as a crash or a restart of the IMAP server
// would, and waits until its port is closed. Mail stays in its Maildirs.
func (s *Servers) StopDovecot(tb testing.TB) {
	tb.Helper()
	dir := s.ownDir(tb)
	stopMaster(tb, filepath.Join(dir, "dovecot", "run", "master.pid"), s.IMAPAddr)
}

// StartDovecot starts Dovecot again with its earlier configuration and
// waits for its greeting.
func (s *Servers) StartDovecot(tb testing.TB) {
	tb.Helper()
	dir := s.ownDir(tb)
	run(tb, findBinary("dovecot"), "-c", filepath.Join(dir, "dovecot", "dovecot.conf"))
	waitGreeting(tb, s.IMAPAddr, "* OK")
}

// StopPostfix stops Postfix and waits until its SMTP port is closed.
// Queued mail stays in its queue.
func (s *Servers) StopPostfix(tb testing.TB) {
	tb.Helper()
	dir := s.ownDir(tb)
	stopMaster(tb, filepath.Join(dir, "postfix-queue", "pid", "master.pid"), s.SMTPAddr)
}

// StartPostfix starts Postfix again and waits for its greeting.
func (s *Servers) StartPostfix(tb testing.TB) {
	tb.Helper()
	dir := s.ownDir(tb)
	run(tb, findBinary("postfix"), "-c", filepath.Join(dir, "postfix"), "start")
	waitGreeting(tb, s.SMTPAddr, "220 ")
}

// WaitQueueEmpty waits until Postfix has delivered or bounced every
// queued mail.
func (s *Servers) WaitQueueEmpty(tb testing.TB, timeout time.Duration) {
	tb.Helper()
	dir := s.ownDir(tb)
	postqueue := findBinary("postqueue")
	deadline := time.Now().Add(timeout)
	for {
		out, err := exec.Command(postqueue, "-c", filepath.Join(dir, "postfix"), "-p").CombinedOutput()
		if err == nil && strings.Contains(string(out), "Mail queue is empty") {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: Postfix queue not empty after %s (err %v):\n%s", timeout, err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Append stores raw with flags in folder of user over IMAP, creating the
// folder when it is missing, and returns the folder's UIDVALIDITY and the
// new UID.
func (s *Servers) Append(tb testing.TB, user, folder string, raw []byte, flags ...imap.Flag) (uint32, uint32) {
	tb.Helper()
	client, err := s.login(user, nil)
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	defer closeIMAP(client)
	if exists, err := folderExists(client, folder); err == nil && !exists {
		if err := client.Create(folder, nil).Wait(); err != nil {
			tb.Fatalf("e2e: create %q as %s: %v", folder, user, err)
		}
	}
	cmd := client.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: flags})
	if _, err := cmd.Write(raw); err != nil {
		tb.Fatalf("e2e: append to %q: %v", folder, err)
	}
	if err := cmd.Close(); err != nil {
		tb.Fatalf("e2e: append to %q: %v", folder, err)
	}
	data, err := cmd.Wait()
	if err != nil {
		tb.Fatalf("e2e: append to %q as %s: %v", folder, user, err)
	}
	return data.UIDValidity, uint32(data.UID)
}

// RecreateFolder deletes folder of user and creates it again until the
// server gives it a new UIDVALIDITY, which it returns. Dovecot derives
// UIDVALIDITY from the clock, so a folder recreated within the same
// second may keep the old value.
func (s *Servers) RecreateFolder(tb testing.TB, user, folder string) uint32 {
	tb.Helper()
	client, err := s.login(user, nil)
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	defer closeIMAP(client)
	status := func() uint32 {
		st, err := client.Status(folder, &imap.StatusOptions{UIDValidity: true}).Wait()
		if err != nil {
			tb.Fatalf("e2e: status %q: %v", folder, err)
		}
		return st.UIDValidity
	}
	old := status()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if err := client.Delete(folder).Wait(); err != nil {
			tb.Fatalf("e2e: delete %q as %s: %v", folder, user, err)
		}
		if err := client.Create(folder, nil).Wait(); err != nil {
			tb.Fatalf("e2e: create %q as %s: %v", folder, user, err)
		}
		if uv := status(); uv != old {
			return uv
		}
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: %q keeps UIDVALIDITY %d after being recreated", folder, old)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// run runs a server command. Its output goes to a file, not a pipe,
// because the daemon it forks keeps a pipe open and a wait for its end
// would never return.
func run(tb testing.TB, name string, args ...string) {
	tb.Helper()
	out, err := os.CreateTemp("", "e2e-run-*.log")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		text, _ := os.ReadFile(out.Name())
		tb.Fatalf("e2e: %s %s: %v\n%s", name, strings.Join(args, " "), err, text)
	}
}

// stopMaster sends SIGTERM to the master process named by pidFile and to
// its children, waits until they are gone and addr refuses connections.
func stopMaster(tb testing.TB, pidFile, addr string) {
	tb.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		tb.Fatalf("e2e: read %s: %v", pidFile, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		tb.Fatalf("e2e: invalid pid in %s: %q", pidFile, data)
	}
	children := childProcesses(pid)
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		tb.Fatalf("e2e: stop process %d: %v", pid, err)
	}
	waitGone(tb, append([]int{pid}, children...))
	deadline := time.Now().Add(serverControlTimeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: %s still accepts connections after stopping process %d", addr, pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// childProcesses returns the PIDs whose parent is pid, from /proc.
func childProcesses(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// After "PID (COMM) " come the state and the parent PID.
		rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
		fields := strings.Fields(rest)
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			out = append(out, child)
		}
	}
	return out
}

// waitGone waits until the processes exit; leftovers get SIGTERM once the
// master is gone, as Dovecot's imap processes may outlive it.
func waitGone(tb testing.TB, pids []int) {
	tb.Helper()
	deadline := time.Now().Add(serverControlTimeout)
	termed := false
	for {
		var alive []int
		for _, p := range pids {
			if processAlive(p) {
				alive = append(alive, p)
			}
		}
		if len(alive) == 0 {
			return
		}
		if !termed && !processAlive(pids[0]) {
			for _, p := range alive {
				syscall.Kill(p, syscall.SIGTERM)
			}
			termed = true
		}
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: processes %v still run %s after SIGTERM", alive, serverControlTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processAlive reports whether pid runs and is not a zombie.
func processAlive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
	fields := strings.Fields(rest)
	return len(fields) > 0 && fields[0] != "Z"
}

// waitGreeting waits until addr sends a line starting with prefix.
func waitGreeting(tb testing.TB, addr, prefix string) {
	tb.Helper()
	deadline := time.Now().Add(serverControlTimeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if strings.HasPrefix(line, prefix) {
				return
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: no greeting %q from %s within %s", prefix, addr, serverControlTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
