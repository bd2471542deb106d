package mailbot

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
)

// Incoming is one mail fetched from a watched mailbox.
type Incoming struct {
	Mailbox     *config.Mailbox
	UIDValidity uint32
	UID         uint32
	Raw         []byte
	Size        int64
	Oversize    bool   // larger than limits.max_message_bytes; Raw is empty
	Header      []byte // of an oversized mail: its header block, when fetched
}

// Handle decides what one mail means and commits the result, with its
// outgoing mails and UID record, in a single store transaction.
func (r *Robot) Handle(in Incoming) (Handled, error) {
	log := r.log.With("mailbox", in.Mailbox.Name, "uid", in.UID)
	h := Handled{Mailbox: in.Mailbox.Name, UID: in.UID}
	if in.Oversize {
		return r.quarantine(in, h, nil, oversizeCause(in.Size, r.cfg.Limits.MaxMessageBytes))
	}
	r.metrics.fetched.Inc()
	msg, err := parseSafely(in.Raw)
	if err != nil {
		return r.quarantine(in, h, nil, unreadableCause(err))
	}
	h.MessageID, h.From, h.Subject = msg.MessageID, msg.From.Addr, msg.Subject
	log = log.With("msgid", msg.MessageID)
	for _, w := range msg.Warnings {
		log.Warn("mail repaired while parsing", "warning", w)
	}
	if err := failpoint(FailBeforeCommit); err != nil {
		return h, err
	}
	var rec store.UIDRecord
	err = r.db.Update(func(tx *store.Tx) error {
		var err error
		rec, err = r.decideSafely(tx, in, msg, &h)
		if err != nil {
			return err
		}
		// A mail moved back from quarantine by hand is handled now.
		if err := tx.DeleteQuarantine(rawHash(in.Raw)); err != nil {
			return err
		}
		if err := tx.MarkSeen(msg.ContentHash, store.Seen{Ticket: rec.Ticket, Outcome: rec.Outcome,
			Mailbox: in.Mailbox.Name, MessageID: msg.MessageID, At: r.Now()}); err != nil {
			return err
		}
		if err := tx.PutUID(in.Mailbox.Name, in.UIDValidity, in.UID, rec); err != nil {
			return err
		}
		return failpoint(FailCommit)
	})
	if perr := (processError{}); errors.As(err, &perr) {
		return r.quarantine(in, h, msg, processingCause(perr.err))
	}
	if err != nil {
		return h, fmt.Errorf("commit mail uid %d of %s: %w", in.UID, in.Mailbox.Name, err)
	}
	if err := failpoint(FailAfterCommit); err != nil {
		return h, err
	}
	h.Record = rec
	r.metrics.observeHandled(h)
	typ := h.Type
	if h.Subtype != "" {
		typ = h.Subtype
	}
	log.Info("mail handled", "outcome", rec.Outcome, "ticket", rec.Ticket, "type", typ, "rule", h.Rule, "reason", rec.Reason)
	r.Kick()
	if r.OnHandled != nil {
		r.OnHandled(h)
	}
	return h, nil
}

// decide runs inside the store transaction and returns the UID record.
func (r *Robot) decide(tx *store.Tx, in Incoming, msg *parse.Message, h *Handled) (store.UIDRecord, error) {
	now := r.Now()
	rec := store.UIDRecord{At: now, Folder: in.Mailbox.ProcessedFolder, MessageID: msg.MessageID}

	if seen, err := tx.Seen(msg.ContentHash); err != nil {
		return rec, err
	} else if seen != nil {
		rec.Outcome, rec.Ticket = store.OutcomeDuplicate, seen.Ticket
		rec.Reason = fmt.Sprintf("same mail already handled in mailbox %s", seen.Mailbox)
		return rec, nil
	}
	if n, ok := tx.TicketByMessageID(msg.MessageID); ok {
		first, err := tx.Ticket(n)
		if err != nil {
			return rec, err
		}
		if sameMail(first, msg) {
			// The same announcement sent to both robot addresses, with
			// trace headers that differ: one ticket.
			rec.Outcome, rec.Ticket = store.OutcomeDuplicate, first.Number
			rec.Reason = "same Message-ID, sender and subject as the mail that opened the ticket"
			return rec, nil
		}
	}
	tk, err := r.findTicket(tx, msg)
	if err == nil && tk == nil {
		tk, err = r.listReplyTicket(tx, msg)
	}
	if err != nil {
		return rec, err
	}

	if reason := r.robots.Reason(msg); reason != "" {
		return r.fileRobotMail(tx, in, msg, tk, reason, rec)
	}

	if tk != nil {
		rec.Outcome, rec.Ticket = store.OutcomeFollowUp, tk.Number
		rec.Reason = "reply to an existing ticket"
		if err := r.followUp(tx, in, msg, tk); err != nil {
			return rec, err
		}
		h.Type, h.Subtype, h.Rule = tk.Type, tk.Subtype, tk.Rule
		return rec, tx.PutTicket(tk)
	}
	if isStatusQuery(msg) {
		rec.Outcome, rec.Reason = store.OutcomeAnswered, "status query: list of open tickets sent"
		return rec, r.answerStatusQuery(tx, in, msg)
	}
	if r.isHelpQuery(msg) {
		rec.Outcome, rec.Reason = store.OutcomeAnswered, "help query: command list sent"
		return rec, r.answerHelpQuery(tx, in, msg, nil)
	}
	if ok, err := r.answerJourFixeMail(tx, in, msg); ok || err != nil {
		rec.Outcome, rec.Reason = store.OutcomeAnswered, "jour fixe commands without a ticket: confirmation sent"
		return rec, err
	}
	if ok, err := r.answerAgendaReply(tx, in, msg); ok || err != nil {
		rec.Outcome, rec.Reason = store.OutcomeAnswered, "reply to an agenda mail: note sent, no ticket"
		return rec, err
	}

	refused, echoed, err := r.ticketCommands(tx, msg)
	if err != nil {
		return rec, err
	}
	if len(refused) > 0 {
		rec.Outcome, rec.Reason = store.OutcomeAnswered, "ticket commands in a mail of no ticket: hint sent"
		return rec, r.answerHelpQuery(tx, in, msg, refused)
	}
	if echoed > 0 {
		// An auto-responder's copy of a mail of no ticket, such as the
		// hint above: answering it again would start a loop.
		rec.Outcome, rec.Reason = store.OutcomeIgnored, "copy of mailbot's own mail of no ticket: its command lines were not run"
		return rec, nil
	}

	if ok, err := r.answerNoTicketReply(tx, in, msg, &rec); ok || err != nil {
		return rec, err
	}

	d := r.rules.Classify(triageInput(r.cfg, in.Mailbox, msg), in.Mailbox.DefaultType)
	h.Type, h.Subtype, h.Rule = d.Type, d.Subtype, d.Rule
	tk, err = r.newTicket(tx, in, msg, d)
	if err != nil {
		return rec, err
	}
	if err := r.linkAnnouncedTickets(tx, tk, in.Mailbox, msg); err != nil {
		return rec, err
	}
	rec.Outcome, rec.Ticket, rec.Reason = store.OutcomeTicket, tk.Number, d.Reason
	return rec, nil
}

// sameMail reports whether msg is another copy of the mail that opened tk.
func sameMail(tk *store.Ticket, msg *parse.Message) bool {
	if msg.MessageID == "" || len(tk.MessageIDs) == 0 || tk.MessageIDs[0] != msg.MessageID ||
		!strings.EqualFold(tk.Requester, msg.From.Addr) || tk.Subject != msg.Subject {
		return false
	}
	// A sender that reuses a Message-ID for a new mail with the same
	// subject still differs in the text.
	if len(tk.History) == 0 {
		return true
	}
	first := tk.History[0]
	return first.Kind != store.EventCreated || len(msg.Text) > store.MaxEventText || first.Text == msg.Text
}

// findTicket returns the ticket a mail refers to by subject tag or by
// In-Reply-To and References; nil when it refers to none.
func (r *Robot) findTicket(tx *store.Tx, msg *parse.Message) (*store.Ticket, error) {
	if n, ok := FindTag(msg.Subject, r.cfg.Tickets.Prefix); ok {
		tk, err := r.survivor(tx, n)
		if err == nil {
			return tk, nil
		}
		if !isNotFound(err) {
			return nil, err
		}
	}
	ids := slices.Clone(msg.InReplyTo)
	// The newest references come last; try them first.
	for i := len(msg.References) - 1; i >= 0; i-- {
		ids = append(ids, msg.References[i])
	}
	for _, id := range ids {
		if n, ok := tx.TicketByMessageID(id); ok {
			return r.survivor(tx, n)
		}
	}
	return nil, nil
}

func attachments(msg *parse.Message) []store.Attachment {
	var out []store.Attachment
	for _, a := range msg.Attachments {
		out = append(out, store.Attachment{Name: a.Name, ContentType: a.ContentType, Size: a.Size, MessageID: msg.MessageID})
	}
	return out
}

func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}
