package mailbot

import (
	"errors"
	"strings"

	"github.com/wneessen/go-mail"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
)

// noteRejected runs in the transaction that records o as failed. When the
// SMTP server rejected recipients for good (a 5xx reply to RCPT TO), it
// treats that like a delivery report: automatic mail to them pauses for
// brakes.bounce_pause and the it and admin roles get one notice. Other
// failures, such as a mail that could not be built or ran out of
// attempts, stay in the log and the ticket history.
func (r *Robot) noteRejected(tx *store.Tx, o *store.OutMail, sendErr error) error {
	var se *mail.SendError
	if !errors.As(sendErr, &se) || !smtpRejected(se) || se.Reason != mail.ErrSMTPRcptTo {
		return nil
	}
	// A notice about a failure that fails itself makes no further notice.
	if o.Kind == kindAlert || o.Kind == kindBounceNotice {
		return nil
	}
	rep := &parse.Report{OriginalMessageID: o.MessageID, OriginalSubject: o.Subject,
		Recipients: rejectedRecipients(o.To, se.Error()), Action: "failed", Status: se.EnhancedStatusCode()}
	reason := reasonRejected
	if len(rep.Recipients) < len(o.To) {
		reason = reasonRejectedPart
	}
	detail := "rejected by the SMTP server"
	if rep.Status != "" {
		detail += " " + rep.Status
	}
	now := r.Now()
	if pause := r.cfg.Brakes.BouncePause; pause > 0 {
		for _, addr := range rep.Recipients {
			if err := tx.PutPause(addr, store.Pause{Until: now.Add(pause), Reason: detail, Ticket: o.Ticket}); err != nil {
				return err
			}
			r.log.Warn("automatic mail to address paused after SMTP rejection", "addr", addr, "until", now.Add(pause),
				"ticket", o.Ticket, "msgid", o.MessageID)
		}
	}

	mb := r.mailboxByAddress(o.From)
	if o.Ticket.IsZero() {
		body, err := r.bounceNoticeBody(nil, rep, reason)
		if err != nil {
			return err
		}
		return r.noticeAdmin(tx, &Incoming{Mailbox: mb}, "Unzustellbar: "+o.Subject, body)
	}
	tk, err := tx.Ticket(o.Ticket)
	if err != nil {
		return err
	}
	if err := r.queueBounceNotice(tx, tk, mb, rep, reason); err != nil {
		return err
	}
	return tx.PutTicket(tk)
}

// rejectedRecipients returns the addresses of to that a go-mail SendError
// text lists as affected recipients, or all of to when it lists none.
func rejectedRecipients(to []string, errText string) []string {
	_, list, ok := strings.Cut(errText, "affected recipient(s): ")
	if !ok {
		return to
	}
	list, _, _ = strings.Cut(list, ", affected message ID")
	var out []string
	for _, addr := range to {
		for _, a := range strings.Split(list, ", ") {
			if strings.EqualFold(strings.Trim(a, "<> "), addr) {
				out = append(out, addr)
				break
			}
		}
	}
	if len(out) == 0 {
		return to
	}
	return out
}

// mailboxByAddress returns the configured mailbox with address addr, or
// the first mailbox.
func (r *Robot) mailboxByAddress(addr string) *config.Mailbox {
	for i := range r.cfg.Mailboxes {
		if strings.EqualFold(r.cfg.Mailboxes[i].Address, addr) {
			return &r.cfg.Mailboxes[i]
		}
	}
	return &r.cfg.Mailboxes[0]
}
