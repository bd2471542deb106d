package mailbot

import (
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"mailbot/config"
)

// imapConn is one logged-in IMAP connection with a watchdog on every
// command: go-imap's client has no deadline while it waits for a reply, so
// a stuck server would block the poller for ever.
type imapConn struct {
	c       *imapclient.Client
	timeout time.Duration
	newMail chan struct{} // signalled on EXISTS; buffered, so no signal is lost
	log     *slog.Logger
}

func dialIMAP(cfg config.IMAP, mb *config.Mailbox, log *slog.Logger) (*imapConn, error) {
	ic := &imapConn{timeout: cfg.Timeout, newMail: make(chan struct{}, 1), log: log}
	tlsConfig, err := TLSConfig(cfg.Host, cfg.CAFile, cfg.InsecureSkipVerify)
	if err != nil {
		return nil, fmt.Errorf("imap.ca_file: %w", err)
	}
	opts := &imapclient.Options{
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		Dialer:      &net.Dialer{Timeout: cfg.Timeout},
		TLSConfig:   tlsConfig,
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			// Runs on the client's reader goroutine: only signal here.
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					ic.signal()
				}
			},
		},
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	var c *imapclient.Client
	switch cfg.Security {
	case "tls":
		c, err = imapclient.DialTLS(addr, opts)
	case "starttls":
		c, err = imapclient.DialStartTLS(addr, opts)
	default:
		c, err = imapclient.DialInsecure(addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to IMAP server %s: %w", addr, err)
	}
	ic.c = c
	if err := ic.do("greeting", c.WaitGreeting); err != nil {
		c.Close()
		return nil, err
	}
	if err := ic.do("login", func() error { return c.Login(mb.Username, mb.Password).Wait() }); err != nil {
		c.Close()
		// The error text of a failed LOGIN is the server's; it holds no password.
		return nil, fmt.Errorf("log in to %s as %s: %w", addr, mb.Username, err)
	}
	return ic, nil
}

func (ic *imapConn) signal() {
	select {
	case ic.newMail <- struct{}{}:
	default:
	}
}

// do runs one command and closes the connection when it takes longer than
// the configured timeout, which makes the blocked Wait return an error.
func (ic *imapConn) do(what string, fn func() error) error {
	var timedOut atomic.Bool
	t := time.AfterFunc(ic.timeout, func() {
		timedOut.Store(true)
		ic.c.Close()
	})
	err := fn()
	t.Stop()
	if timedOut.Load() {
		return fmt.Errorf("IMAP %s: no reply within %s", what, ic.timeout)
	}
	if err != nil {
		return fmt.Errorf("IMAP %s: %w", what, err)
	}
	return nil
}

func (ic *imapConn) close() {
	_ = ic.do("logout", func() error { return ic.c.Logout().Wait() })
	ic.c.Close()
}

// ensureFolder creates a folder unless it exists.
func (ic *imapConn) ensureFolder(name string) error {
	if name == "" {
		return nil
	}
	err := ic.do("create "+name, func() error { return ic.c.Create(name, nil).Wait() })
	if err == nil {
		return nil
	}
	var ierr *imap.Error
	if errors.As(err, &ierr) && (ierr.Code == imap.ResponseCodeAlreadyExists ||
		strings.Contains(strings.ToLower(ierr.Text), "exist")) {
		return nil
	}
	return err
}

// move takes handled messages out of the watched folder. Without MOVE it
// copies, flags \Deleted and expunges only these UIDs, which needs UIDPLUS;
// without UIDPLUS the messages stay flagged \Deleted, and the poller skips
// them because it searches NOT DELETED. Where the server reports COPYUID,
// the result maps source to destination UIDs.
func (ic *imapConn) move(uids []imap.UID, folder string) (moved, error) {
	set := imap.UIDSetNum(uids...)
	caps := ic.c.Caps()
	var res moved
	if caps.Has(imap.CapMove) || caps.Has(imap.CapIMAP4rev2) {
		err := ic.do("move to "+folder, func() error {
			data, err := ic.c.Move(set, folder).Wait()
			if err == nil && data != nil {
				src, _ := data.SourceUIDs.(imap.UIDSet)
				res = newMoved(data.UIDValidity, src, data.DestUIDs)
			}
			return err
		})
		return res, err
	}
	err := ic.do("copy to "+folder, func() error {
		data, err := ic.c.Copy(set, folder).Wait()
		if err == nil && data != nil {
			res = newMoved(data.UIDValidity, data.SourceUIDs, data.DestUIDs)
		}
		return err
	})
	if err != nil {
		return res, err
	}
	flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := ic.do("store \\Deleted", func() error { return ic.c.Store(set, flags, nil).Close() }); err != nil {
		return res, err
	}
	if !caps.Has(imap.CapUIDPlus) {
		ic.log.Warn("server lacks MOVE and UIDPLUS, handled mails stay flagged \\Deleted in the watched folder", "count", len(uids))
		return res, nil
	}
	return res, ic.do("uid expunge", func() error { return ic.c.UIDExpunge(set).Close() })
}
