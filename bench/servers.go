package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"mailbot/config"
)

// servers is one private Dovecot and Postfix pair.
type servers struct {
	root     string
	dir      string
	imapAddr string
	smtpAddr string
	password string
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory: run bench from the repository")
		}
		dir = parent
	}
}

func buildMailbot(root, bin string) error {
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/mailbot")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/mailbot: %w\n%s", err, out)
	}
	return nil
}

// startServers runs scripts/mailservers.sh start on free ports.
func startServers(root, dir string) (*servers, error) {
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "mailservers.sh"), "start", dir)
	cmd.Env = append(os.Environ(),
		"MAILBOT_E2E_IMAP_PORT="+strconv.Itoa(ports[0]),
		"MAILBOT_E2E_LMTP_PORT="+strconv.Itoa(ports[1]),
		"MAILBOT_E2E_SMTP_PORT="+strconv.Itoa(ports[2]))
	s := &servers{root: root, dir: dir}
	if out, err := cmd.CombinedOutput(); err != nil {
		s.stop()
		return nil, fmt.Errorf("scripts/mailservers.sh start %s: %w\n%s", dir, err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "env"))
	if err != nil {
		s.stop()
		return nil, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		name, value, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		value = strings.Trim(value, "'")
		switch name {
		case "MAILBOT_E2E_IMAP":
			s.imapAddr = value
		case "MAILBOT_E2E_SMTP":
			s.smtpAddr = value
		case "MAILBOT_E2E_PASSWORD":
			s.password = value
		}
	}
	return s, nil
}

func (s *servers) stop() error {
	out, err := exec.Command("bash", filepath.Join(s.root, "scripts", "mailservers.sh"), "stop", s.dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("scripts/mailservers.sh stop %s: %w\n%s", s.dir, err, out)
	}
	return nil
}

func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func (s *servers) login(user string) (*imapclient.Client, error) {
	c, err := imapclient.DialInsecure(s.imapAddr, &imapclient.Options{Dialer: &net.Dialer{Timeout: 10 * time.Second}})
	if err != nil {
		return nil, err
	}
	if err := c.Login(user, s.password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("IMAP login as %s: %w", user, err)
	}
	return c, nil
}

// maildir returns the directory of new mail of address, as Dovecot lays it
// out for the servers of scripts/mailservers.sh.
func (s *servers) maildir(address string) string {
	local, domain, _ := strings.Cut(strings.ToLower(address), "@")
	return filepath.Join(s.dir, "mail", domain, local, "Maildir")
}

// count returns how many mails Dovecot has delivered to address. LMTP
// writes each to tmp/ and renames it into new/, so a file in new/ is
// complete; cur/ holds those a client has looked at.
func (s *servers) count(address string) int {
	n := 0
	for _, sub := range []string{"new", "cur"} {
		f, err := os.Open(filepath.Join(s.maildir(address), sub))
		if err != nil {
			continue
		}
		names, _ := f.Readdirnames(-1)
		f.Close()
		n += len(names)
	}
	return n
}

// delivered returns the modification time of each file in new/ and cur/
// of address: the moment Dovecot finished writing the mail.
func (s *servers) delivered(address string) []time.Time {
	var out []time.Time
	for _, sub := range []string{"new", "cur"} {
		entries, _ := os.ReadDir(filepath.Join(s.maildir(address), sub))
		for _, e := range entries {
			if info, err := e.Info(); err == nil {
				out = append(out, info.ModTime())
			}
		}
	}
	return out
}

// waitCount polls until the mailboxes in addrs hold want mails together
// and returns when the last of them was written: the newest modification
// time of their files. Polling only counts names, ten times a second, so
// that the wait takes little of the CPU the measured servers need. The
// end time comes from the files, not from the poll.
func (s *servers) waitCount(addrs []string, want int, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		got := 0
		for _, a := range addrs {
			got += s.count(a)
		}
		now := time.Now()
		if got >= want {
			var last time.Time
			for _, a := range addrs {
				for _, t := range s.delivered(a) {
					if t.After(last) {
						last = t
					}
				}
			}
			return last, nil
		}
		if now.After(deadline) {
			return now, fmt.Errorf("timed out after %v: %d of %d mails delivered", timeout, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// robotConfig is what differs between the mailbot configurations of the runs.
type robotConfig struct {
	support, digi, it string
	db                string
	batch             int
	pollInterval      time.Duration
	noticePerTicket   bool // tickets.digest_min: 0, no digest
}

// writeConfig writes a mailbot configuration and its password file into
// dir. The brakes on automatic mail are off, because a few thousand
// acknowledgements within minutes is just what they stop, and so is the
// metrics listener, whose default port is fixed.
func (b *bench) writeConfig(dir string, c robotConfig) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	secret := filepath.Join(dir, "mailbox.secret")
	if err := os.WriteFile(secret, []byte(b.srv.password+"\n"), 0o600); err != nil {
		return "", err
	}
	ihost, iport, _ := net.SplitHostPort(b.srv.imapAddr)
	shost, sport, _ := net.SplitHostPort(b.srv.smtpAddr)
	yaml := fmt.Sprintf(`imap: {host: %s, port: %s, security: none, poll_interval: %s, idle: true, timeout: 30s, fetch_batch: %d}
smtp: {host: %s, port: %s, security: none, helo_name: stadt.example, from_name: IT-Ticketsystem}
mailboxes:
  - {name: support, address: %s, password_file: %s, processed_folder: Bearbeitet, quarantine_folder: Quarantaene, default_type: a}
  - {name: digitalisierung, address: %s, password_file: %s, processed_folder: Bearbeitet, quarantine_folder: Quarantaene, default_type: c}
store: {path: %s}
roles: {it: [%s]}
outbox: {retry_min: 500ms, retry_max: 5s}
metrics: {listen: ""}
brakes: {recipient_daily: 0, breaker_min_hourly: 0}
`, ihost, iport, c.pollInterval, c.batch, shost, sport, c.support, secret, c.digi, secret, c.db, c.it)
	// A fetch batch below the default digest_min could never make a
	// digest, and the configuration check rejects that combination.
	if c.noticePerTicket || c.batch < config.Defaults().Tickets.DigestMin {
		yaml += "tickets: {digest_min: 0}\n"
	}
	path := filepath.Join(dir, "config.yaml")
	return path, os.WriteFile(path, []byte(yaml), 0o600)
}

// robot is a running `mailbot run` process.
type robot struct {
	cmd     *exec.Cmd
	done    chan error
	started time.Time
	logPath string
	socket  string
}

func (b *bench) startRobot(cfgPath, dbPath string) (*robot, error) {
	logPath := filepath.Join(filepath.Dir(cfgPath), "mailbot.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	r := &robot{cmd: exec.Command(b.bin, "run", "--config", cfgPath), done: make(chan error, 1),
		logPath: logPath, socket: dbPath + ".sock"}
	r.cmd.Stderr = logFile
	r.cmd.Stdout = logFile
	r.started = time.Now()
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { r.done <- r.cmd.Wait() }()
	return r, nil
}

// waitReady waits until the API socket exists and every mailbox logged
// "IMAP session ready", and returns both times since the start.
func (r *robot) waitReady(mailboxes int, timeout time.Duration) (socket, ready time.Duration, err error) {
	deadline := time.Now().Add(timeout)
	for {
		if socket == 0 {
			if _, err := os.Stat(r.socket); err == nil {
				socket = time.Since(r.started)
			}
		}
		if socket != 0 && r.countLog("IMAP session ready") >= mailboxes {
			return socket, time.Since(r.started), nil
		}
		select {
		case err := <-r.done:
			return 0, 0, fmt.Errorf("mailbot exited early: %v; log in %s", err, r.logPath)
		default:
		}
		if time.Now().After(deadline) {
			return 0, 0, fmt.Errorf("mailbot not ready after %v; log in %s", timeout, r.logPath)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (r *robot) countLog(substr string) int {
	f, err := os.Open(r.logPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), substr) {
			n++
		}
	}
	return n
}

// peakRSS returns VmHWM, the peak resident set size, in bytes. It counts
// the pages of the store file that bbolt's read-only mmap touched.
func (r *robot) peakRSS() int64 { return r.status("VmHWM") }

// anonRSS returns RssAnon, the resident memory not backed by a file
// (heap, stacks), in bytes: what mailbot itself holds now.
func (r *robot) anonRSS() int64 { return r.status("RssAnon") }

// status returns a field in kB of /proc/PID/status, in bytes.
func (r *robot) status(field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// stop sends SIGTERM and waits for the exit.
func (r *robot) stop() error {
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case err := <-r.done:
		if err != nil {
			return fmt.Errorf("mailbot exited with %w; log in %s", err, r.logPath)
		}
		return nil
	case <-ctx.Done():
		r.cmd.Process.Kill()
		return fmt.Errorf("mailbot did not stop within 30 s; log in %s", r.logPath)
	}
}

// cpuSecs returns the user and system CPU time the process used so far.
func (r *robot) cpuSecs() float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(data), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	// Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s.
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100
}

// machineCPU returns the busy and total CPU time of all cores, in clock
// ticks, from the first line of /proc/stat.
func machineCPU() (busy, total float64) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	for i, f := range strings.Fields(line)[1:] {
		v, _ := strconv.ParseFloat(f, 64)
		total += v
		if i != 3 && i != 4 { // idle and iowait
			busy += v
		}
	}
	return busy, total
}

// loadAvg returns the 1-minute load average from /proc/loadavg.
func loadAvg() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}
