package mailbot

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/rules"
	"mailbot/store"
	"mailbot/templates"
)

// Headers mailbot puts on its own mails.
const (
	// LoopHeader carries the address of the mailbot that sent a mail.
	// mailbot sends no automatic reply to a mail that has it.
	LoopHeader   = "X-Mailbot-Loop"
	TicketHeader = "X-Mailbot-Ticket"
)

// maxReferences bounds the References header of outgoing mail: the first
// id (the thread root) and the newest ones are kept (RFC 5322 §3.6.4 allows
// trimming), which keeps the header short even on long threads.
const maxReferences = 10

// newTicket allocates a number and stores a ticket for msg, with the
// acknowledgement to the requester and the notice to IT in the outbox.
func (r *Robot) newTicket(tx *store.Tx, in Incoming, msg *parse.Message, d rules.Decision) (*store.Ticket, error) {
	now := r.Now()
	n, err := tx.NextNumber(now.Year())
	if err != nil {
		return nil, err
	}
	requester := requesterOf(msg)
	tk := &store.Ticket{
		Number: n, Type: d.Type, Subtype: d.Subtype, Rule: d.Rule, Reason: d.Reason, Project: d.Project,
		Status: store.StatusNew, Requester: strings.ToLower(requester.Addr), RequesterName: requester.Name,
		Subject: msg.Subject, Mailbox: in.Mailbox.Name, Created: now, Updated: now,
		Attachments: attachments(msg),
	}
	r.applyTriage(tk, d)
	tk.MessageIDs = appendUnique(tk.MessageIDs, msg.MessageID)
	tk.Cc = r.ccOf(msg)
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventCreated, Actor: tk.Requester,
		Mailbox: in.Mailbox.Name, MessageID: msg.MessageID, Subject: msg.Subject, Text: msg.Text})
	if tag, ok := FindTag(msg.Subject, r.cfg.Tickets.Prefix); ok {
		tk.History = append(tk.History, store.Event{At: now, Kind: store.EventNote,
			Text: fmt.Sprintf("Der Betreff nennt das Ticket %s, das es nicht gibt; daher wurde ein neues Ticket angelegt.", tag)})
	}
	if msg.NeedsReview {
		tk.History = append(tk.History, store.Event{At: now, Kind: store.EventNote,
			Text: "Der Inhalt der Mail konnte nicht vollständig gelesen werden (winmail.dat); bitte von Hand prüfen."})
	}

	data := r.ticketData(tk, msg, in.Mailbox)
	data.Commands = r.cmds.helpFor(newTicketRoles(tk))
	data.RawFrom = msg.Header.Get("From")
	if requester.Addr == "" {
		r.log.Warn("new ticket has no valid requester address, no acknowledgement sent", "ticket", n, "msgid", msg.MessageID)
	} else {
		data.AckSent = true
		body, err := r.tmpl.Render(r.ackTemplate(tk), data)
		if err != nil {
			return nil, err
		}
		ack := r.reply(tk, in.Mailbox, msg, "ack", r.ackRecipients(tk), tk.Number.Tag(r.cfg.Tickets.Prefix)+" "+subjectOf(msg), body)
		ack.AutoSubmitted = "auto-replied"
		if err := r.enqueue(tx, tk, ack); err != nil {
			return nil, err
		}
		// The loop brakes may have held the acknowledgement back.
		data.AckSent, data.AckHeld = ack.MessageID != "", ack.MessageID == ""
	}
	to := r.notifyRecipients(tk, d)
	if data.AckSent {
		// The acknowledgement is enough for a requester who would also
		// get the notice, such as the budget contact ordering from an item.
		to = slices.DeleteFunc(to, func(a string) bool { return strings.EqualFold(a, tk.Requester) })
	}
	if len(to) > 0 && !r.gatherNotice(tk, msg, data, to) {
		if err := r.queueNewTicketNotice(tx, tk, in.Mailbox, msg, data, to); err != nil {
			return nil, err
		}
	}
	if err := r.queueOrgaNotice(tx, tk, in.Mailbox, msg, data); err != nil {
		return nil, err
	}
	return tk, tx.PutTicket(tk)
}

func (r *Robot) ticketData(tk *store.Ticket, msg *parse.Message, mb *config.Mailbox) templates.TicketData {
	d := templates.TicketData{
		Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: subjectOf(msg),
		Requester: tk.Requester, RequesterName: tk.RequesterName, Mailbox: mb.Name,
		TypeName: templates.TypeName(tk.Type, tk.Subtype), Next: templates.NextStep(tk.Type),
		Rule: tk.Rule, Reason: tk.Reason, Project: tk.Project, ManualTriage: tk.Rule == rules.FallbackRule,
		Text: noticeExcerpt(msg.Text),
	}
	r.triageData(&d, tk)
	for _, a := range msg.Attachments {
		d.Attachments = append(d.Attachments, templates.Attachment{Name: a.Name, Size: a.Size})
	}
	return d
}

// reply builds an outgoing mail in the thread of msg, sent from the
// mailbox the mail arrived in.
func (r *Robot) reply(tk *store.Ticket, mb *config.Mailbox, msg *parse.Message, kind string, to []string, subject, body string) *store.OutMail {
	m := &store.OutMail{
		Ticket: tk.Number, Kind: kind, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: mb.Address,
		To: to, Subject: subject, Body: body,
	}
	if msg.MessageID != "" {
		m.InReplyTo = msg.MessageID
		m.References = trimReferences(append(slices.Clone(msg.References), msg.MessageID))
	}
	return m
}

// enqueue gives m its Message-ID, records it on the ticket and queues it,
// unless the loop brakes hold it back (see applyBrakes).
func (r *Robot) enqueue(tx *store.Tx, tk *store.Ticket, m *store.OutMail) error {
	if held, err := r.applyBrakes(tx, tk, m); err != nil || held {
		return err
	}
	id, err := newMessageID(tk.Number, config.Domain(m.From))
	if err != nil {
		return err
	}
	m.MessageID = id
	if err := tx.Enqueue(m); err != nil {
		return err
	}
	tk.MessageIDs = appendUnique(tk.MessageIDs, id)
	tk.History = append(tk.History, store.Event{At: m.Date, Kind: store.EventMailOut, Actor: m.From,
		MessageID: id, Subject: m.Subject, Text: "An " + strings.Join(m.To, ", ") + " (" + m.Kind + ")", To: slices.Clone(m.To)})
	return nil
}

// newMessageID returns a Message-ID without brackets, unique by its random
// part and readable by its ticket number.
func newMessageID(n store.Number, domain string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate Message-ID: %w", err)
	}
	if domain == "" {
		domain = "mailbot.invalid"
	}
	return fmt.Sprintf("mailbot.%s.%s@%s", n, hex.EncodeToString(b[:]), domain), nil
}

func trimReferences(ids []string) []string {
	if len(ids) <= maxReferences {
		return ids
	}
	return append([]string{ids[0]}, ids[len(ids)-maxReferences+1:]...)
}

func subjectOf(msg *parse.Message) string {
	s := strings.TrimSpace(msg.Subject)
	if s == "" {
		return "(ohne Betreff)"
	}
	return s
}

func typeCode(tk *store.Ticket) string {
	if tk.Subtype != "" {
		return "Typ " + tk.Subtype
	}
	return "Typ " + tk.Type
}

// tagPattern finds a ticket tag such as "[IT-2026-00042]", also without
// brackets or with a "#" as some gateways write it.
func tagPattern(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\[?#?\b` + regexp.QuoteMeta(prefix) + `-(\d{4})-(\d{1,9})\b\]?`)
}

var (
	tagMu       sync.Mutex
	tagPatterns = map[string]*regexp.Regexp{}
)

// FindTag returns the ticket number tagged in a subject.
func FindTag(subject, prefix string) (store.Number, bool) {
	m := cachedTagPattern(prefix).FindStringSubmatch(subject)
	if m == nil {
		return store.Number{}, false
	}
	n, err := store.ParseNumber(m[1] + "-" + m[2])
	if err != nil {
		return store.Number{}, false
	}
	return n, true
}

// cachedTagPattern returns tagPattern(prefix), compiled once per prefix.
func cachedTagPattern(prefix string) *regexp.Regexp {
	tagMu.Lock()
	defer tagMu.Unlock()
	re, ok := tagPatterns[prefix]
	if !ok {
		re = tagPattern(prefix)
		tagPatterns[prefix] = re
	}
	return re
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
