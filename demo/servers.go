// Package demo runs in-process IMAP and SMTP servers on 127.0.0.1 for the
// demo and for integration tests: go-imap's imapmemserver holds the robot
// mailboxes, and a go-smtp sink records every mail mailbot sends, also
// delivering it into a mailbox when the recipient has one. Nothing here is
// meant to face a network.
package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
)

// Account is one IMAP user of the in-process server.
type Account struct {
	Username, Password string
}

// Sent is one mail the SMTP sink accepted.
type Sent struct {
	From string
	To   []string
	Raw  []byte
	At   time.Time
}

// Servers are the running in-process servers.
type Servers struct {
	IMAPAddr string
	SMTPAddr string

	imap     *imapserver.Server
	smtp     *smtp.Server
	mem      *imapmemserver.Server
	users    map[string]*imapmemserver.User
	mu       sync.Mutex
	sent     []Sent
	onSent   func(Sent)
	failNext int // SMTP sessions to reject with a temporary error
}

// Options adjust Start.
type Options struct {
	// Caps replaces the advertised IMAP capabilities, for tests of servers
	// without MOVE or IDLE. Nil means IMAP4rev2 (MOVE, UIDPLUS, IDLE …).
	Caps imap.CapSet
	// Logger receives the servers' error messages; nil discards them.
	Logger *log.Logger
}

// Start runs both servers with one IMAP user per account, each with an
// INBOX.
func Start(accounts []Account, opts Options) (*Servers, error) {
	s := &Servers{mem: imapmemserver.New(), users: map[string]*imapmemserver.User{}}
	for _, a := range accounts {
		u := imapmemserver.NewUser(a.Username, a.Password)
		if err := u.Create("INBOX", nil); err != nil {
			return nil, fmt.Errorf("create INBOX of %s: %w", a.Username, err)
		}
		s.mem.AddUser(u)
		s.users[strings.ToLower(a.Username)] = u
	}
	logger := opts.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	caps := opts.Caps
	if caps == nil {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	}
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return s.mem.NewSession(), nil, nil
		},
		Caps:         caps,
		Logger:       logger,
		InsecureAuth: true,
	})
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for IMAP: %w", err)
	}
	go s.imap.Serve(iln)
	s.IMAPAddr = iln.Addr().String()

	s.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.failNext > 0 {
			s.failNext--
			return nil, &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "demo sink refuses this session"}
		}
		return &sinkSession{s: s}, nil
	}))
	s.smtp.Domain = "localhost"
	s.smtp.ReadTimeout = 30 * time.Second
	s.smtp.WriteTimeout = 30 * time.Second
	s.smtp.MaxMessageBytes = 32 << 20
	s.smtp.ErrorLog = logger
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.imap.Close()
		return nil, fmt.Errorf("listen for SMTP: %w", err)
	}
	go s.smtp.Serve(sln)
	s.SMTPAddr = sln.Addr().String()
	return s, nil
}

// Close stops both servers.
func (s *Servers) Close() {
	s.imap.Close()
	s.smtp.Close()
}

// Deliver appends a raw mail to a user's folder, as a mail server would.
func (s *Servers) Deliver(user, folder string, raw []byte) error {
	u, ok := s.users[strings.ToLower(user)]
	if !ok {
		return fmt.Errorf("deliver: no IMAP user %q", user)
	}
	_, err := u.Append(folder, literal{bytes.NewReader(raw)}, &imap.AppendOptions{})
	if err != nil {
		return fmt.Errorf("deliver to %s/%s: %w", user, folder, err)
	}
	return nil
}

// Status returns the number of messages in a user's folder.
func (s *Servers) Status(user, folder string) (uint32, error) {
	u, ok := s.users[strings.ToLower(user)]
	if !ok {
		return 0, fmt.Errorf("status: no IMAP user %q", user)
	}
	st, err := u.Status(folder, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		return 0, err
	}
	return *st.NumMessages, nil
}

// Sent returns a copy of every mail the sink accepted so far.
func (s *Servers) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// OnSent sets a function called for every accepted mail.
func (s *Servers) OnSent(fn func(Sent)) {
	s.mu.Lock()
	s.onSent = fn
	s.mu.Unlock()
}

// FailSessions makes the next n SMTP sessions fail with 421, to test retries.
func (s *Servers) FailSessions(n int) {
	s.mu.Lock()
	s.failNext = n
	s.mu.Unlock()
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

type sinkSession struct {
	s    *Servers
	from string
	to   []string
}

func (ss *sinkSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *sinkSession) Logout() error { return nil }

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Sent{From: ss.from, To: ss.to, Raw: raw, At: time.Now()}
	var errs []error
	for _, rcpt := range ss.to {
		if _, ok := ss.s.users[strings.ToLower(rcpt)]; ok {
			errs = append(errs, ss.s.Deliver(rcpt, "INBOX", raw))
		}
	}
	ss.s.mu.Lock()
	ss.s.sent = append(ss.s.sent, m)
	fn := ss.s.onSent
	ss.s.mu.Unlock()
	if fn != nil {
		fn(m)
	}
	return errors.Join(errs...)
}
