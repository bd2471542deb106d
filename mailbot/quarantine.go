package mailbot

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/textproto"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-message/charset"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// processError marks a failure of the processing of one mail, as opposed to
// a failure to commit its result: the same mail would fail again, so it is
// quarantined instead of retried.
type processError struct{ err error }

func (e processError) Error() string { return e.err.Error() }
func (e processError) Unwrap() error { return e.err }

// parseSafely runs parse.Parse and turns a panic into an error, so that one
// mail that trips a parser bug cannot stop the poller.
func parseSafely(raw []byte) (msg *parse.Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			msg, err = nil, fmt.Errorf("parser panicked: %v", p)
		}
	}()
	return parse.Parse(raw)
}

// decideSafely runs decide and marks its errors and panics as processing
// failures. A panic inside the store transaction rolls it back.
func (r *Robot) decideSafely(tx *store.Tx, in Incoming, msg *parse.Message, h *Handled) (rec store.UIDRecord, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = processError{fmt.Errorf("processing panicked: %v", p)}
		}
	}()
	rec, err = r.decide(tx, in, msg, h)
	if err != nil {
		return rec, processError{err}
	}
	return rec, nil
}

// rawHash returns the hex SHA-256 of a mail's raw bytes, the quarantine id
// of a mail that was read.
func rawHash(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// quarantineCause is the reason a mail goes to quarantine, in English for
// the log and in German for the admin notice.
type quarantineCause struct {
	Reason string // English, for logs and `mailbot quarantine list`
	German string // one German sentence for the admin role
	Detail string // technical cause, may be empty
}

func oversizeCause(size, limit int64) quarantineCause {
	return quarantineCause{
		Reason: fmt.Sprintf("mail of %d bytes exceeds limits.max_message_bytes (%d)", size, limit),
		German: fmt.Sprintf("Die Mail ist %d Bytes groß und überschreitet die Grenze limits.max_message_bytes (%d Bytes).", size, limit),
	}
}

func unreadableCause(err error) quarantineCause {
	return quarantineCause{Reason: "unreadable mail: " + err.Error(),
		German: "Die Mail konnte nicht gelesen werden.", Detail: err.Error()}
}

func processingCause(err error) quarantineCause {
	return quarantineCause{Reason: "processing failed: " + err.Error(),
		German: "Bei der Bearbeitung der Mail ist ein Fehler aufgetreten.", Detail: err.Error()}
}

// quarantine records a mail that cannot be handled, queues a notice to the
// admin role and has the poller move the mail to the quarantine folder.
// msg is nil when the mail could not be parsed.
func (r *Robot) quarantine(in Incoming, h Handled, msg *parse.Message, cause quarantineCause) (Handled, error) {
	e := &store.QuarantineEntry{
		ID:      store.QuarantineID(rawHash(in.Raw), in.Mailbox.Name, in.UIDValidity, in.UID),
		Mailbox: in.Mailbox.Name, UIDValidity: in.UIDValidity, UID: in.UID, Size: in.Size,
		Reason: cause.Reason, At: r.Now(), Folder: in.Mailbox.QuarantineFolder,
	}
	if msg != nil {
		// Cleaned like header text, since the list prints them to a terminal.
		e.MessageID, e.ContentHash = msg.MessageID, msg.ContentHash
		e.From, e.Subject = sanitizeHeaderText(msg.From.Addr, 200), sanitizeHeaderText(msg.Subject, 200)
	} else if len(in.Raw) > 0 {
		e.MessageID, e.From, e.Subject = rawHeaderFields(in.Raw)
	} else {
		e.MessageID, e.From, e.Subject = rawHeaderFields(in.Header)
	}
	h.MessageID, h.From, h.Subject = e.MessageID, e.From, e.Subject
	rec := store.UIDRecord{Outcome: store.OutcomeQuarantine, Folder: in.Mailbox.QuarantineFolder,
		MessageID: e.MessageID, Reason: cause.Reason, At: e.At}
	notice, err := r.quarantineNotice(in.Mailbox, e, cause)
	if err != nil {
		// The notice is a courtesy; the mail must still go aside.
		r.log.Error("build quarantine notice", "mailbox", in.Mailbox.Name, "uid", in.UID, "err", err)
	}
	err = r.db.Update(func(tx *store.Tx) error {
		if err := tx.PutQuarantine(e); err != nil {
			return err
		}
		if notice != nil {
			if err := r.queueQuarantineNotice(tx, notice); err != nil {
				return err
			}
		}
		return tx.PutUID(in.Mailbox.Name, in.UIDValidity, in.UID, rec)
	})
	if err != nil {
		return h, fmt.Errorf("record quarantine of uid %d in %s: %w", in.UID, in.Mailbox.Name, err)
	}
	h.Record = rec
	r.metrics.quarantined.Inc()
	r.log.Warn("mail quarantined", "mailbox", in.Mailbox.Name, "uid", in.UID, "msgid", e.MessageID,
		"folder", rec.Folder, "reason", cause.Reason)
	r.Kick()
	if r.OnHandled != nil {
		r.OnHandled(h)
	}
	return h, nil
}

// quarantineNotice builds the German notice to the admin role; nil when no
// admin address is configured.
func (r *Robot) quarantineNotice(mb *config.Mailbox, e *store.QuarantineEntry, cause quarantineCause) (*store.OutMail, error) {
	to := r.cfg.Roles.Admin
	if len(to) == 0 {
		r.log.Warn("no admin role configured, nobody is told of the quarantined mail", "mailbox", mb.Name, "uid", e.UID)
		return nil, nil
	}
	body, err := r.tmpl.Render(templates.Quarantine, templates.QuarantineData{
		Mailbox: mb.Name, Folder: e.Folder, Watched: mb.Folder, Reason: cause.German, Detail: cause.Detail,
		UID: e.UID, MessageID: e.MessageID, From: e.From, Subject: e.Subject, Size: e.Size,
	})
	if err != nil {
		return nil, err
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("generate Message-ID: %w", err)
	}
	domain := config.Domain(mb.Address)
	if domain == "" {
		domain = "mailbot.invalid"
	}
	subject := "Mail in Quarantäne: " + e.Subject
	if e.Subject == "" {
		subject = "Mail in Quarantäne (ohne Betreff)"
	}
	return &store.OutMail{
		Kind: kindQuarantine, MessageID: "mailbot.quarantine." + hex.EncodeToString(b[:]) + "@" + domain,
		Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: mb.Address, To: to,
		Subject: subject, Body: body, AutoSubmitted: "auto-generated",
	}, nil
}

// maxRawHeaderBytes bounds the header scan of an unparsable mail.
const maxRawHeaderBytes = 64 << 10

// rawHeaderFields pulls Message-ID, From and Subject out of a mail the
// parser rejected or did not read, leniently, for the log line and the
// quarantine list. Encoded-words are decoded where possible. Missing
// fields are empty.
func rawHeaderFields(raw []byte) (msgID, from, subject string) {
	head := raw[:min(len(raw), maxRawHeaderBytes)]
	if i := bytes.Index(head, []byte("\r\n\r\n")); i >= 0 {
		head = head[:i+2]
	} else if i := bytes.Index(head, []byte("\n\n")); i >= 0 {
		head = head[:i+1]
	}
	tr := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(bytes.Clone(head), "\r\n"...))))
	h, _ := tr.ReadMIMEHeader() // keeps the fields read before a bad line
	clean := func(s string) string {
		dec := &mime.WordDecoder{CharsetReader: charset.Reader}
		if d, err := dec.DecodeHeader(s); err == nil {
			s = d
		}
		return sanitizeHeaderText(s, 200)
	}
	msgID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
	return clean(msgID), clean(h.Get("From")), clean(h.Get("Subject"))
}

// fetchHeaders fetches BODY.PEEK[HEADER] of uids, each cut to
// maxRawHeaderBytes. A UID the server did not answer for is missing from
// the result.
func fetchHeaders(ic *imapConn, uids []imap.UID) (map[imap.UID][]byte, error) {
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
	headers := map[imap.UID][]byte{}
	err := ic.do("uid fetch headers", func() error {
		msgs, err := ic.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true,
			BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		for _, m := range msgs {
			if b := m.FindBodySection(section); b != nil {
				headers[m.UID] = b[:min(len(b), maxRawHeaderBytes)]
			}
		}
		return err
	})
	return headers, err
}

// moved is the result of a server-side move where the server reported
// COPYUID: the source UIDs and the UIDs the mails got in the target folder.
type moved struct {
	uidValidity uint32
	dest        map[imap.UID]imap.UID
}

func newMoved(uidValidity uint32, src, dst imap.NumSet) moved {
	m := moved{uidValidity: uidValidity}
	srcSet, ok1 := src.(imap.UIDSet)
	dstSet, ok2 := dst.(imap.UIDSet)
	if !ok1 || !ok2 {
		return m
	}
	from, ok1 := srcSet.Nums()
	to, ok2 := dstSet.Nums()
	if !ok1 || !ok2 || len(from) != len(to) {
		return m
	}
	m.dest = make(map[imap.UID]imap.UID, len(from))
	for i := range from {
		m.dest[from[i]] = to[i]
	}
	return m
}

// noteQuarantineMove stores where quarantined mails landed, so that a
// release finds them by UID.
func noteQuarantineMove(tx *store.Tx, mb *config.Mailbox, uv uint32, res moved) error {
	if len(res.dest) == 0 {
		return nil
	}
	var changed []*store.QuarantineEntry
	err := tx.Quarantined(func(e *store.QuarantineEntry) bool {
		if e.Mailbox != mb.Name || e.UIDValidity != uv {
			return true
		}
		if dst, ok := res.dest[imap.UID(e.UID)]; ok {
			e.FolderUIDValidity, e.FolderUID = res.uidValidity, uint32(dst)
			changed = append(changed, e)
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, e := range changed {
		if err := tx.PutQuarantine(e); err != nil {
			return err
		}
	}
	return nil
}

// ListQuarantine returns the quarantined mails in id order.
func ListQuarantine(db *store.DB) ([]*store.QuarantineEntry, error) {
	var list []*store.QuarantineEntry
	err := db.View(func(tx *store.Tx) error {
		return tx.Quarantined(func(e *store.QuarantineEntry) bool {
			list = append(list, e)
			return true
		})
	})
	return list, err
}

// ErrNotLocated means a quarantined mail was not found in its folder.
var ErrNotLocated = errors.New("mail not found in the quarantine folder")

// Release puts the mail quarantined from uid of mailbox (empty: any
// mailbox) back into its watched folder, where the poller handles it
// again as a new mail, and deletes its quarantine entry. A mail not yet
// moved to the quarantine folder only loses its UID record. The caller
// holds the store open for writing; cfg needs resolved passwords.
func Release(ctx context.Context, cfg *config.Config, db *store.DB, log *slog.Logger, mailbox string, uid uint32) (*store.QuarantineEntry, error) {
	if mailbox != "" && mailboxByName(cfg, mailbox) == nil {
		return nil, fmt.Errorf("%w %q: the configured mailboxes are %s", ErrUnknownMailbox, mailbox, strings.Join(mailboxNames(cfg), ", "))
	}
	var e *store.QuarantineEntry
	var pendingMove bool
	err := db.View(func(tx *store.Tx) error {
		var err error
		if e, err = tx.FindQuarantined(mailbox, uid); err != nil {
			return err
		}
		rec, err := tx.UID(e.Mailbox, e.UIDValidity, e.UID)
		pendingMove = rec != nil && rec.Outcome == store.OutcomeQuarantine
		return err
	})
	if err != nil {
		return nil, err
	}
	mb := mailboxByName(cfg, e.Mailbox)
	if mb == nil {
		return nil, fmt.Errorf("quarantined mail uid %d belongs to mailbox %q, which the configuration no longer has", e.UID, e.Mailbox)
	}
	log = log.With("mailbox", mb.Name, "uid", e.UID, "msgid", e.MessageID)
	// Forget the records first, so a poller that sees the mail back in
	// the watched folder takes it for a new one.
	err = db.Update(func(tx *store.Tx) error {
		if err := tx.DeleteUID(e.Mailbox, e.UIDValidity, e.UID); err != nil {
			return err
		}
		return tx.ForgetQuarantinedSeen(e.ContentHash)
	})
	if err != nil {
		return nil, fmt.Errorf("forget records of quarantined uid %d: %w", e.UID, err)
	}
	// NOTE: a running poller moves the mails of a batch after handling
	// all of them; a release that lands in between leaves the mail in the
	// quarantine folder without an entry, to be moved back by hand.
	if !pendingMove {
		if err := moveBack(ctx, cfg, mb, e, log); err != nil {
			return nil, err
		}
	}
	err = db.Update(func(tx *store.Tx) error {
		// A running poller may have handled the released mail already
		// and, if it failed again, stored a new entry under the same id:
		// keep that one.
		now, err := tx.Quarantine(e.ID)
		if err != nil || now == nil || now.UIDValidity != e.UIDValidity || now.UID != e.UID {
			return err
		}
		return tx.DeleteQuarantine(e.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("forget quarantine entry %s: %w", e.ID, err)
	}
	log.Info("mail released from quarantine", "folder", mb.Folder, "moved", !pendingMove)
	return e, nil
}

// ErrUnknownMailbox means a request names a mailbox the configuration
// does not have.
var ErrUnknownMailbox = errors.New("unknown mailbox")

func mailboxNames(cfg *config.Config) []string {
	names := make([]string, len(cfg.Mailboxes))
	for i, mb := range cfg.Mailboxes {
		names[i] = mb.Name
	}
	return names
}

func mailboxByName(cfg *config.Config, name string) *config.Mailbox {
	for i := range cfg.Mailboxes {
		if cfg.Mailboxes[i].Name == name {
			return &cfg.Mailboxes[i]
		}
	}
	return nil
}

// moveBack finds a quarantined mail in the quarantine folder, by the UID
// the server gave it there or else by its Message-ID, and moves it to the
// watched folder.
func moveBack(ctx context.Context, cfg *config.Config, mb *config.Mailbox, e *store.QuarantineEntry, log *slog.Logger) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	ic, err := dialIMAP(cfg.IMAP, mb, log)
	if err != nil {
		return err
	}
	defer ic.close()
	var sel *imap.SelectData
	err = ic.do("select "+e.Folder, func() error {
		var err error
		sel, err = ic.c.Select(e.Folder, nil).Wait()
		return err
	})
	if err != nil {
		return err
	}
	var criteria []*imap.SearchCriteria
	if e.FolderUID != 0 && e.FolderUIDValidity == sel.UIDValidity {
		criteria = append(criteria, &imap.SearchCriteria{UID: []imap.UIDSet{imap.UIDSetNum(imap.UID(e.FolderUID))},
			NotFlag: []imap.Flag{imap.FlagDeleted}})
	}
	if e.MessageID != "" {
		criteria = append(criteria, &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted},
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: "<" + e.MessageID + ">"}}})
	}
	for _, c := range criteria {
		var uids []imap.UID
		err := ic.do("uid search in "+e.Folder, func() error {
			data, err := ic.c.UIDSearch(c, nil).Wait()
			if err == nil {
				uids = data.AllUIDs()
			}
			return err
		})
		if err != nil {
			return err
		}
		switch {
		case len(uids) == 1:
			_, err := ic.move(uids, mb.Folder)
			return err
		case len(uids) > 1:
			return fmt.Errorf("%d mails in %s carry Message-ID <%s>: move the right one to %s by hand", len(uids), e.Folder, e.MessageID, mb.Folder)
		}
	}
	return fmt.Errorf("uid %d of mailbox %s: %w %s; move it back to %s by hand", e.UID, mb.Name, ErrNotLocated, e.Folder, mb.Folder)
}
