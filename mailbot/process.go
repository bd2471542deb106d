package mailbot

import (
	"errors"
	"fmt"
	"log/slog"
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
	hs, err := r.HandleBatch([]Incoming{in})
	if err != nil {
		return Handled{Mailbox: in.Mailbox.Name, UID: in.UID}, err
	}
	return hs[0], nil
}

// maxBatchRetries is how many failing mails a batch may lose to
// quarantine before the rest is handled one mail per transaction.
const maxBatchRetries = 3

// mailFailure is the processing failure of the mail at index of a batch.
type mailFailure struct {
	index int
	err   processError
}

func (e mailFailure) Error() string { return e.err.Error() }
func (e mailFailure) Unwrap() error { return e.err }

// pendingMail is a parsed mail of a batch whose transaction has not run.
type pendingMail struct {
	in     Incoming
	msg    *parse.Message
	parsed Handled // what parsing found, before decide
	h      Handled // with decide's results once the transaction ran
	log    *slog.Logger
}

// HandleBatch handles the mails of one fetch batch and commits all their
// results in one store transaction, so that the batch costs one fsync
// instead of one per mail. Mails run through decide in their order, and
// each reads what the ones before it wrote: a reply to a ticket opened
// earlier in the batch finds it. Oversized and unreadable mails are
// quarantined first, each in a transaction of its own.
//
// When one mail fails in processing, the whole transaction is rolled back,
// that mail is quarantined and the rest is tried again together. After
// maxBatchRetries such failures, or a failure no mail is blamed for, the
// rest is handled one mail per transaction. A failing mail never costs
// another mail its ticket. A store error fails the batch: nothing of it
// is committed and the caller retries it.
//
// A reply is decided after the mail it answers when both are in the
// batch, even if the server delivered the reply first (threadOrder).
//
// It returns the results of the mails handled: the quarantined ones
// first, then the others in the order they were decided. After an error,
// the results cover the mails committed before it.
func (r *Robot) HandleBatch(ins []Incoming) ([]Handled, error) {
	out := make([]Handled, 0, len(ins))
	var ready []*pendingMail
	for _, in := range ins {
		p, h, err := r.prepare(in)
		if err != nil {
			return out, err
		}
		if p == nil {
			out = append(out, h)
			continue
		}
		ready = append(ready, p)
	}
	if len(ready) == 0 {
		return out, nil
	}
	ready = threadOrder(ready)
	err := r.commitBatch(ready)
	// A mail that fails in processing goes to quarantine, and the rest of
	// the batch is tried again together, so that it keeps its one commit
	// and its digest. After maxBatchRetries failures it goes mail by mail.
	for retry := 0; retry < maxBatchRetries && len(ready) > 1; retry++ {
		var mf mailFailure
		if !errors.As(err, &mf) {
			break
		}
		p := ready[mf.index]
		h, qerr := r.quarantine(p.in, p.parsed, p.msg, processingCause(mf.err.err))
		out = append(out, h)
		if qerr != nil {
			return out, qerr
		}
		ready = slices.Delete(ready, mf.index, mf.index+1)
		// NOTE: decide's in-memory counters and metrics (robot mails,
		// held mails) count the retried mails a second time.
		for _, p := range ready {
			p.h = p.parsed
		}
		err = r.commitBatch(ready)
	}
	if perr := (processError{}); errors.As(err, &perr) && len(ready) > 1 {
		r.log.Warn("a mail of the batch failed in processing, handling the batch one mail at a time",
			"mailbox", ready[0].in.Mailbox.Name, "count", len(ready), "err", perr.err)
		for _, p := range ready {
			p.h = p.parsed
			h, err := r.commitOne(p)
			if err != nil {
				return out, err
			}
			out = append(out, h)
		}
		return out, nil
	}
	if len(ready) == 1 {
		h, err := r.settleOne(ready[0], err)
		if err != nil {
			return out, err
		}
		return append(out, h), nil
	}
	if err != nil {
		first := ready[0].in
		return out, fmt.Errorf("commit %d mails from uid %d of %s: %w", len(ready), first.UID, first.Mailbox.Name, err)
	}
	return r.committed(out, ready)
}

// commitOne commits one mail of a batch in a transaction of its own.
func (r *Robot) commitOne(p *pendingMail) (Handled, error) {
	return r.settleOne(p, r.commitBatch([]*pendingMail{p}))
}

// settleOne finishes a mail committed alone: a processing failure sends it
// to quarantine, a store error is returned.
func (r *Robot) settleOne(p *pendingMail, err error) (Handled, error) {
	if perr := (processError{}); errors.As(err, &perr) {
		return r.quarantine(p.in, p.parsed, p.msg, processingCause(perr.err))
	}
	if err != nil {
		return p.parsed, fmt.Errorf("commit mail uid %d of %s: %w", p.in.UID, p.in.Mailbox.Name, err)
	}
	out, err := r.committed(nil, []*pendingMail{p})
	if err != nil {
		return p.h, err
	}
	return out[0], nil
}

// committed does what follows the commit of batch: it logs and counts each
// mail, appends its result to out and wakes the sender.
func (r *Robot) committed(out []Handled, batch []*pendingMail) ([]Handled, error) {
	for _, p := range batch {
		if err := failpoint(FailAfterCommit); err != nil {
			return out, err
		}
		r.metrics.observeHandled(p.h)
		typ := p.h.Type
		if p.h.Subtype != "" {
			typ = p.h.Subtype
		}
		rec := p.h.Record
		p.log.Info("mail handled", "outcome", rec.Outcome, "ticket", rec.Ticket, "type", typ, "rule", p.h.Rule, "reason", rec.Reason)
		out = append(out, p.h)
	}
	r.Kick()
	if r.OnHandled != nil {
		for _, p := range batch {
			r.OnHandled(p.h)
		}
	}
	return out, nil
}

// threadOrder returns batch in input order, except that a mail that
// names another mail of the batch in In-Reply-To or References comes
// after it. A relay may deliver a reply before its original, and a reply
// decided first would open a ticket of its own.
func threadOrder(batch []*pendingMail) []*pendingMail {
	first := map[string]int{}
	for i, p := range batch {
		if id := p.msg.MessageID; id != "" {
			if _, seen := first[id]; !seen {
				first[id] = i
			}
		}
	}
	out := make([]*pendingMail, 0, len(batch))
	const (
		unseen = iota
		visiting
		placed
	)
	state := make([]int, len(batch))
	var place func(i int)
	place = func(i int) {
		if state[i] != unseen {
			return // placed, or in a cycle of replies, which breaks where it was entered
		}
		state[i] = visiting
		for _, id := range append(slices.Clone(batch[i].msg.InReplyTo), batch[i].msg.References...) {
			if j, ok := first[id]; ok && j != i {
				place(j)
			}
		}
		state[i] = placed
		out = append(out, batch[i])
	}
	for i := range batch {
		place(i)
	}
	return out
}

// prepare parses one mail for its batch. It quarantines an oversized or
// unreadable mail at once and then returns a nil pendingMail with the
// result.
func (r *Robot) prepare(in Incoming) (*pendingMail, Handled, error) {
	log := r.log.With("mailbox", in.Mailbox.Name, "uid", in.UID)
	h := Handled{Mailbox: in.Mailbox.Name, UID: in.UID}
	if in.Oversize {
		h, err := r.quarantine(in, h, nil, oversizeCause(in.Size, r.cfg.Limits.MaxMessageBytes))
		return nil, h, err
	}
	r.metrics.fetched.Inc()
	msg, err := parseSafely(in.Raw)
	if err != nil {
		h, err := r.quarantine(in, h, nil, unreadableCause(err))
		return nil, h, err
	}
	h.MessageID, h.From, h.Subject = msg.MessageID, msg.From.Addr, msg.Subject
	log = log.With("msgid", msg.MessageID)
	for _, w := range msg.Warnings {
		log.Warn("mail repaired while parsing", "warning", w)
	}
	if err := failpoint(FailBeforeCommit); err != nil {
		return nil, h, err
	}
	return &pendingMail{in: in, msg: msg, parsed: h, h: h, log: log}, h, nil
}

// commitBatch runs decide for each mail in one transaction and records
// each one's UID and content hash with it. A processing failure of a
// mail rolls back all of them and comes back as a mailFailure naming it.
func (r *Robot) commitBatch(batch []*pendingMail) error {
	return r.db.Update(func(tx *store.Tx) error {
		// Transactions run one at a time, so the digest of this batch is
		// the only one while the function runs.
		if least := r.cfg.Tickets.DigestMin; least > 0 && len(batch) >= least {
			d, err := newNoticeDigest(batch[0].in.Mailbox)
			if err != nil {
				return err
			}
			r.digest = d
			defer func() { r.digest = nil }()
		}
		for k, p := range batch {
			rec, err := r.decideSafely(tx, p.in, p.msg, &p.h)
			if perr := (processError{}); errors.As(err, &perr) {
				return mailFailure{index: k, err: perr}
			}
			if err != nil {
				return err
			}
			// A mail moved back from quarantine by hand is handled now.
			if err := tx.DeleteQuarantine(rawHash(p.in.Raw)); err != nil {
				return err
			}
			if err := tx.MarkSeen(p.msg.ContentHash, store.Seen{Ticket: rec.Ticket, Outcome: rec.Outcome,
				Mailbox: p.in.Mailbox.Name, MessageID: p.msg.MessageID, At: r.Now()}); err != nil {
				return err
			}
			if err := tx.PutUID(p.in.Mailbox.Name, p.in.UIDValidity, p.in.UID, rec); err != nil {
				return err
			}
			p.h.Record = rec
		}
		if r.digest != nil {
			if err := r.flushDigest(tx, r.digest); err != nil {
				return processError{fmt.Errorf("notify IT of the new tickets: %w", err)}
			}
		}
		return failpoint(FailCommit)
	})
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
	if len(refused) > 0 && announcementMail(msg) {
		refused = nil // the "#" lines stay in the new ticket's text
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
