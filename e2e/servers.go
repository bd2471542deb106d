// Package e2e runs end-to-end tests against a real Postfix and a real Dovecot
// on 127.0.0.1, started by scripts/mailservers.sh.
//
// A test calls [Start] to get the shared [Servers], sends mail through
// Postfix with [Servers.Send] and reads it back from Dovecot with
// [Servers.WaitFor] or [Servers.Fetch]:
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
//
//	func TestTicket(t *testing.T) {
//		s := e2e.Start(t)
//		user := e2e.NewAddress(t, "stadt.example")
//		s.Send(t, "anna.beispiel@stadt.example", []string{user}, raw)
//		msgs := s.WaitFor(t, user, "INBOX", 1, 5*time.Second)
//		...
//	}
//
// Any address at stadt.example or example.org is a mailbox, created on first
// delivery or login. The IMAP login name is the full address and every
// mailbox has the password [Servers.Password]. Mail to any other domain is
// rejected at RCPT TO, and nothing is relayed off this host.
//
// All tests of a test process share one server instance, and servers named
// by MAILBOT_E2E_IMAP and MAILBOT_E2E_SMTP may also be shared between runs.
// Give every mailbox that a test writes to a unique local part, for example
// from [NewAddress], so that tests never see each other's mail.
//
// The servers run only as root and need the packages from
// scripts/install-mailservers.sh. Without them [Start] skips the test, or
// fails it when CI=true.
package e2e

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Environment variables that name already running servers. When
// MAILBOT_E2E_IMAP and MAILBOT_E2E_SMTP are both set, Start uses those servers
// and starts none. scripts/mailservers.sh writes them to DIR/env.
const (
	EnvIMAP     = "MAILBOT_E2E_IMAP"
	EnvSMTP     = "MAILBOT_E2E_SMTP"
	EnvPassword = "MAILBOT_E2E_PASSWORD"
	EnvDir      = "MAILBOT_E2E_DIR"
)

// DefaultPassword is the mailbox password when MAILBOT_E2E_PASSWORD is unset.
const DefaultPassword = "e2e-secret"

const (
	startTimeout   = 90 * time.Second
	networkTimeout = 30 * time.Second
	logTailLines   = 30
)

// Servers describes one running Postfix and Dovecot pair.
type Servers struct {
	// IMAPAddr is the host:port of Dovecot's plain-text IMAP listener.
	IMAPAddr string
	// SMTPAddr is the host:port of Postfix's smtpd, without auth or TLS.
	SMTPAddr string
	// Password is the IMAP password of every mailbox.
	Password string
	// Dir contains the servers' configs, queues, logs (Dir/log) and Maildirs
	// (Dir/mail/DOMAIN/LOCALPART/Maildir). It is empty for servers from the
	// environment when MAILBOT_E2E_DIR is unset.
	Dir string
}

// startResult is the outcome of the one start attempt per test process.
type startResult struct {
	servers *Servers
	skip    string // reason to skip, when the servers cannot run here
	err     error
}

var (
	startOnce sync.Once
	started   startResult

	// ownedMu guards ownedDir, the directory of servers that this process
	// started and StopAll must stop.
	ownedMu  sync.Mutex
	ownedDir string
)

// Start returns the servers for this test process. The first call starts
// them with "scripts/mailservers.sh start DIR" in a new directory under
// os.TempDir, unless MAILBOT_E2E_IMAP and MAILBOT_E2E_SMTP name running
// servers. Later calls return the same servers, or fail the same way.
//
// Ports are picked free at random, unless MAILBOT_E2E_IMAP_PORT,
// MAILBOT_E2E_LMTP_PORT and MAILBOT_E2E_SMTP_PORT set them.
//
// When dovecot or postfix is not installed, or the process is not root,
// Start skips the test, but with CI=true it fails the test instead. Servers
// that Start launched keep running until StopAll, so a package that calls
// Start needs a TestMain that calls Main or StopAll.
func Start(tb testing.TB) *Servers {
	tb.Helper()
	startOnce.Do(func() { started = startServers() })
	switch {
	case started.err != nil:
		tb.Fatalf("e2e: %v", started.err)
	case started.skip != "" && os.Getenv("CI") == "true":
		tb.Fatalf("e2e: %s (CI=true, so this is a failure and not a skip)", started.skip)
	case started.skip != "":
		tb.Skipf("e2e: %s", started.skip)
	}
	return started.servers
}

func startServers() startResult {
	imapAddr, smtpAddr := os.Getenv(EnvIMAP), os.Getenv(EnvSMTP)
	if imapAddr != "" || smtpAddr != "" {
		return useRunningServers(imapAddr, smtpAddr)
	}

	for _, name := range []string{"dovecot", "postfix"} {
		if findBinary(name) == "" {
			return startResult{skip: fmt.Sprintf("%s is not installed; install Dovecot and Postfix "+
				"with 'sudo scripts/install-mailservers.sh' (Debian) to run the end-to-end tests", name)}
		}
	}
	if os.Geteuid() != 0 {
		return startResult{skip: "the mail servers must be started as root: run the tests as root, " +
			"or start them with 'sudo scripts/mailservers.sh start DIR' and export the lines of DIR/env"}
	}

	servers, err := launchServers()
	if err != nil {
		return startResult{err: err}
	}
	return startResult{servers: servers}
}

// useRunningServers checks that the servers named in the environment answer.
func useRunningServers(imapAddr, smtpAddr string) startResult {
	if imapAddr == "" || smtpAddr == "" {
		return startResult{err: fmt.Errorf("%s=%q and %s=%q: set both or neither", EnvIMAP, imapAddr, EnvSMTP, smtpAddr)}
	}
	for _, addr := range []string{imapAddr, smtpAddr} {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return startResult{err: fmt.Errorf("servers from %s and %s are not reachable: %w; "+
				"start them with scripts/mailservers.sh or unset both", EnvIMAP, EnvSMTP, err)}
		}
		conn.Close()
	}
	password := os.Getenv(EnvPassword)
	if password == "" {
		password = DefaultPassword
	}
	return startResult{servers: &Servers{
		IMAPAddr: imapAddr,
		SMTPAddr: smtpAddr,
		Password: password,
		Dir:      os.Getenv(EnvDir),
	}}
}

// launchServers runs "scripts/mailservers.sh start" in a new directory and
// reads the addresses from the env file that the script writes.
func launchServers() (*Servers, error) {
	script, err := findScript()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mailbot-e2e-")
	if err != nil {
		return nil, fmt.Errorf("create server directory: %w", err)
	}

	env := os.Environ()
	portVars := []string{"MAILBOT_E2E_IMAP_PORT", "MAILBOT_E2E_LMTP_PORT", "MAILBOT_E2E_SMTP_PORT"}
	ports, err := freePorts(len(portVars))
	if err != nil {
		return nil, err
	}
	for i, name := range portVars {
		if os.Getenv(name) == "" {
			env = append(env, name+"="+strconv.Itoa(ports[i]))
		}
	}

	// The directory is recorded before the script runs, so StopAll also
	// stops the servers of a start that timed out halfway.
	ownedMu.Lock()
	ownedDir = dir
	ownedMu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script, "start", dir)
	cmd.Env = env
	output, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s start %s failed: %w\n%s", script, dir, err, output)
	}

	vars, err := readEnvFile(filepath.Join(dir, "env"))
	if err != nil {
		return nil, err
	}
	servers := &Servers{
		IMAPAddr: vars[EnvIMAP],
		SMTPAddr: vars[EnvSMTP],
		Password: vars[EnvPassword],
		Dir:      dir,
	}
	if servers.IMAPAddr == "" || servers.SMTPAddr == "" || servers.Password == "" {
		return nil, fmt.Errorf("%s/env lacks %s, %s or %s", dir, EnvIMAP, EnvSMTP, EnvPassword)
	}
	return servers, nil
}

// findBinary returns the path of a server binary, also looking in /usr/sbin
// because a non-root PATH often lacks it, or "" when it is not installed.
func findBinary(name string) string {
	if path, err := exec.LookPath(name); err == nil {
		return path
	}
	path := filepath.Join("/usr/sbin", name)
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		return path
	}
	return ""
}

// findScript locates scripts/mailservers.sh by walking up from this source
// file, or from the working directory when the binary was built with
// -trimpath, to the directory that contains go.mod.
func findScript() (string, error) {
	var starts []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for {
			script := filepath.Join(dir, "scripts", "mailservers.sh")
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if _, err := os.Stat(script); err == nil {
					return script, nil
				}
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("scripts/mailservers.sh not found in the module root above %v", starts)
}

// freePorts returns n distinct TCP ports that are free on 127.0.0.1 now.
// Another process may still take one before the servers bind it.
func freePorts(n int) ([]int, error) {
	// All listeners stay open until the end, so the ports differ.
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// readEnvFile parses the "export NAME=VALUE" lines that
// scripts/mailservers.sh writes. Values are simple words, and single quotes
// around one are removed.
func readEnvFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read server environment: %w", err)
	}
	vars := make(map[string]string)
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			continue
		}
		vars[name] = strings.Trim(value, "'")
	}
	return vars, nil
}

// StopAll stops the servers that Start launched in this process and removes
// their directory. Servers from the environment are left running. Start must
// not be called after StopAll.
func StopAll() {
	stopOwned(false)
}

// stopOwned stops the servers that this process started, and removes their
// directory unless keepDir is set.
func stopOwned(keepDir bool) {
	ownedMu.Lock()
	dir := ownedDir
	ownedDir = ""
	ownedMu.Unlock()
	if dir == "" {
		return
	}

	script, err := findScript()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: cannot stop the mail servers in %s: %v\n", dir, err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	output, err := exec.CommandContext(ctx, "bash", script, "stop", dir).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %s stop %s failed: %v\n%s", script, dir, err, output)
		return
	}
	if keepDir {
		fmt.Fprintf(os.Stderr, "e2e: stopped the mail servers; configs, logs and mail stay in %s\n", dir)
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: remove %s: %v\n", dir, err)
	}
}

// Main runs the tests, then stops the servers that Start launched, and exits
// with the tests' exit code. After a failed run it keeps the server directory
// for inspection and prints its path. SIGINT and SIGTERM also stop the
// servers. Use it as
//
//	func TestMain(m *testing.M) { e2e.Main(m) }
func Main(m *testing.M) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		fmt.Fprintf(os.Stderr, "e2e: received %v, stopping the mail servers\n", sig)
		stopOwned(true)
		os.Exit(1)
	}()

	code := m.Run()
	signal.Stop(signals)
	stopOwned(code != 0)
	os.Exit(code)
}

var addressCounter atomic.Int64

// NewAddress returns an address at domain with a local part that no other
// test, test process or earlier run uses: the test name, the process ID, a
// counter and the time.
func NewAddress(tb testing.TB, domain string) string {
	tb.Helper()
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		default:
			return '-'
		}
	}, tb.Name())
	if len(name) > 32 {
		name = name[:32]
	}
	name = strings.Trim(name, "-")
	return fmt.Sprintf("%s-%d-%d-%d@%s", name, os.Getpid(), addressCounter.Add(1), time.Now().UnixMilli()%1e6, domain)
}

// Send submits raw, a complete RFC 5322 message with CRLF line endings, to
// Postfix with envelope sender from and recipients to. It fails the test when
// Postfix rejects the sender, any recipient or the message.
func (s *Servers) Send(tb testing.TB, from string, to []string, raw []byte) {
	tb.Helper()
	if err := s.send(from, to, raw); err != nil {
		tb.Fatalf("e2e: send mail from %s to %v via %s: %v\n%s", from, to, s.SMTPAddr, err, s.logTails())
	}
}

func (s *Servers) send(from string, to []string, raw []byte) error {
	conn, err := net.DialTimeout("tcp", s.SMTPAddr, networkTimeout)
	if err != nil {
		return err
	}
	if err := conn.SetDeadline(time.Now().Add(networkTimeout)); err != nil {
		conn.Close()
		return err
	}
	host, _, _ := net.SplitHostPort(s.SMTPAddr)
	client, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer client.Close()

	if err := client.Hello("e2e.stadt.example"); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if err := client.Mail(from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	for _, rcpt := range to {
		if err := client.Rcpt(rcpt); err != nil {
			return fmt.Errorf("RCPT TO <%s>: %w", rcpt, err)
		}
	}
	data, err := client.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := data.Write(raw); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	if err := data.Close(); err != nil {
		return fmt.Errorf("end of DATA: %w", err)
	}
	return client.Quit()
}

// IMAPClient returns an IMAP client logged in as user, which the test's
// cleanup logs out. options may be nil.
func (s *Servers) IMAPClient(tb testing.TB, user string, options *imapclient.Options) *imapclient.Client {
	tb.Helper()
	client, err := s.login(user, options)
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	tb.Cleanup(func() { closeIMAP(client) })
	return client
}

func (s *Servers) login(user string, options *imapclient.Options) (*imapclient.Client, error) {
	if options == nil {
		options = &imapclient.Options{}
	}
	if options.Dialer == nil {
		options.Dialer = &net.Dialer{Timeout: networkTimeout}
	}
	client, err := imapclient.DialInsecure(s.IMAPAddr, options)
	if err != nil {
		return nil, fmt.Errorf("connect to IMAP %s: %w", s.IMAPAddr, err)
	}
	if err := client.Login(user, s.Password).Wait(); err != nil {
		client.Close()
		return nil, fmt.Errorf("IMAP login as %s at %s: %w", user, s.IMAPAddr, err)
	}
	return client, nil
}

func closeIMAP(client *imapclient.Client) {
	// Logout fails when the connection is already gone, which is fine here.
	_ = client.Logout().Wait()
	client.Close()
}

// Fetch returns the full raw messages (BODY.PEEK[], so the \Seen flag is not
// set) in folder of user, ordered by UID. It returns nil when the folder
// does not exist or is empty.
func (s *Servers) Fetch(tb testing.TB, user, folder string) [][]byte {
	tb.Helper()
	messages, err := s.fetch(user, folder)
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	return messages
}

func (s *Servers) fetch(user, folder string) ([][]byte, error) {
	client, err := s.login(user, nil)
	if err != nil {
		return nil, err
	}
	defer closeIMAP(client)

	selected, err := client.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		// Dovecot 2.3 answers NO without the NONEXISTENT response code for a
		// missing folder, so LIST tells a missing folder from other errors.
		var imapErr *imap.Error
		if errors.As(err, &imapErr) && imapErr.Type == imap.StatusResponseTypeNo {
			exists, listErr := folderExists(client, folder)
			if listErr == nil && !exists {
				return nil, nil
			}
			// mailbot may have created the folder between SELECT and LIST.
			if listErr == nil {
				selected, err = client.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
			}
		}
		if err != nil {
			return nil, fmt.Errorf("IMAP select %q as %s: %w", folder, user, err)
		}
	}
	if selected.NumMessages == 0 {
		return nil, nil
	}

	section := &imap.FetchItemBodySection{Peek: true}
	all := imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}} // Stop 0 is "*"
	buffers, err := client.Fetch(all, &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{section},
	}).Collect()
	if err != nil {
		return nil, fmt.Errorf("IMAP UID FETCH in %q as %s: %w", folder, user, err)
	}
	slices.SortFunc(buffers, func(a, b *imapclient.FetchMessageBuffer) int {
		return cmp.Compare(a.UID, b.UID)
	})
	messages := make([][]byte, 0, len(buffers))
	for _, buf := range buffers {
		messages = append(messages, buf.FindBodySection(section))
	}
	return messages, nil
}

// folderExists reports whether LIST finds folder as a selectable mailbox.
func folderExists(client *imapclient.Client, folder string) (bool, error) {
	list, err := client.List("", folder, nil).Collect()
	if err != nil {
		return false, err
	}
	for _, data := range list {
		if data.Mailbox == folder && !slices.Contains(data.Attrs, imap.MailboxAttrNonExistent) &&
			!slices.Contains(data.Attrs, imap.MailboxAttrNoSelect) {
			return true, nil
		}
	}
	return false, nil
}

// WaitFor polls folder of user until it contains at least n messages and
// returns all of them. It fails the test after timeout, reporting how many
// messages it saw and the end of both server logs.
func (s *Servers) WaitFor(tb testing.TB, user, folder string, n int, timeout time.Duration) [][]byte {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		messages, err := s.fetch(user, folder)
		if err != nil {
			tb.Fatalf("e2e: %v", err)
		}
		if len(messages) >= n {
			return messages
		}
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: timed out after %v waiting for %d messages in %q of %s: found %d%s\n%s",
				timeout, n, folder, user, len(messages), describeMessages(messages), s.logTails())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// describeMessages lists the Subject header of each message, for failure
// output.
func describeMessages(messages [][]byte) string {
	var sb strings.Builder
	for i, raw := range messages {
		subject := "(no Subject header)"
		header, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for line := range strings.SplitSeq(string(header), "\r\n") {
			if value, ok := strings.CutPrefix(line, "Subject:"); ok {
				subject = strings.TrimSpace(value)
				break
			}
		}
		fmt.Fprintf(&sb, "\n  message %d: Subject: %s", i+1, subject)
	}
	return sb.String()
}

// Folders returns the names of all folders of user (LIST "" "*").
func (s *Servers) Folders(tb testing.TB, user string) []string {
	tb.Helper()
	client, err := s.login(user, nil)
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	defer closeIMAP(client)

	list, err := client.List("", "*", nil).Collect()
	if err != nil {
		tb.Fatalf("e2e: IMAP LIST as %s: %v", user, err)
	}
	names := make([]string, 0, len(list))
	for _, data := range list {
		names = append(names, data.Mailbox)
	}
	return names
}

// PostfixLog returns the whole Postfix log, or "" when Dir is unknown.
func (s *Servers) PostfixLog() string {
	return s.readLog("postfix.log")
}

// DovecotLog returns the whole Dovecot log, or "" when Dir is unknown.
func (s *Servers) DovecotLog() string {
	return s.readLog("dovecot.log")
}

func (s *Servers) readLog(name string) string {
	if s.Dir == "" {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, "log", name))
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", name, err)
	}
	return string(data)
}

// logTails returns the last lines of both logs, for failure output.
func (s *Servers) logTails() string {
	if s.Dir == "" {
		return "(no server logs: MAILBOT_E2E_DIR is unset)"
	}
	var sb strings.Builder
	for _, log := range []struct{ name, text string }{
		{"Postfix", s.PostfixLog()},
		{"Dovecot", s.DovecotLog()},
	} {
		lines := strings.Split(strings.TrimRight(log.text, "\n"), "\n")
		if len(lines) > logTailLines {
			lines = lines[len(lines)-logTailLines:]
		}
		fmt.Fprintf(&sb, "--- last lines of the %s log in %s/log:\n%s\n", log.name, s.Dir, strings.Join(lines, "\n"))
	}
	return sb.String()
}
