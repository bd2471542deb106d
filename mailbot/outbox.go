package mailbot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"mailbot/store"
)

// Outbox tuning.
const (
	sendBatch     = 50               // mails sent over one SMTP connection
	sendConns     = 4                // SMTP connections used at once for a backlog
	idleRecheck   = time.Minute      // outbox re-read when nothing wakes the sender
	sendGraceTime = 30 * time.Second // how long a send in hand may finish after shutdown
)

// sendLoop sends due outbox mails until ctx is done.
func (r *Robot) sendLoop(ctx context.Context) {
	for ctx.Err() == nil {
		var due []*store.OutMail
		var next time.Time
		var pending bool
		err := r.db.View(func(tx *store.Tx) error {
			var err error
			if due, err = tx.Due(r.Now(), sendBatch*sendConns); err != nil {
				return err
			}
			next, pending, err = tx.NextDue()
			return err
		})
		if err != nil {
			r.log.Error("read outbox", "err", err)
			if !sleep(ctx, r.cfg.Outbox.RetryMin) {
				return
			}
			continue
		}
		if len(due) > 0 {
			r.sendMails(ctx, due)
			continue
		}
		wait := idleRecheck
		if pending {
			wait = min(max(time.Until(next), 10*time.Millisecond), idleRecheck)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-r.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// sendMails sends due over up to sendConns connections and records the
// results as they come in. A crash after the server's 250 but before the
// record is written sends that mail again with the same Message-ID:
// delivery is at least once. Recording in groups of whatever has arrived
// while the previous commit ran keeps that window to a few mails and
// still costs one commit for many of them under load.
func (r *Robot) sendMails(ctx context.Context, due []*store.OutMail) {
	// The sends in hand go on after a shutdown for sendGraceTime plus
	// smtp.timeout, counted from the shutdown; a busy batch is never cut.
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	grace := sendGraceTime + r.cfg.SMTP.Timeout
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancel) })
	defer stopGrace()
	results := make(chan sendResult, len(due))
	msgs := make([]*mail.Msg, len(due))
	var sendable []int
	for i, o := range due {
		m, err := buildMsg(o)
		if err != nil {
			results <- sendResult{i, permanent(err)}
			continue
		}
		msgs[i] = m
		sendable = append(sendable, i)
	}
	if len(sendable) > 0 {
		if err := failpoint(FailBeforeSend); err != nil {
			for _, i := range sendable {
				results <- sendResult{i, err}
			}
		} else {
			go r.deliverConcurrently(sendCtx, msgs, sendable, results)
		}
	}
	r.recordResults(due, results)
}

// Bounds of one group commit of send results: at most maxRecordGroup
// results, gathered for at most recordLinger after the first. The wait
// lets results of the other connections join, so a backlog costs a few
// commits a second. A crash repeats only the mails the server accepted
// in that time as well.
const (
	maxRecordGroup = 100
	recordLinger   = 5 * time.Millisecond
)

// recordResults commits the results of due from results, one group per
// commit: the first result to arrive and every other one already there.
func (r *Robot) recordResults(due []*store.OutMail, results <-chan sendResult) {
	for left := len(due); left > 0; {
		group := []sendResult{<-results}
		linger := time.NewTimer(recordLinger)
	drain:
		for len(group) < min(left, maxRecordGroup) {
			select {
			case res := <-results:
				group = append(group, res)
			case <-linger.C:
				break drain
			}
		}
		linger.Stop()
		mails := make([]*store.OutMail, len(group))
		errs := make([]error, len(group))
		for k, res := range group {
			mails[k], errs[k] = due[res.i], res.err
		}
		r.finish(mails, errs, r.Now())
		left -= len(group)
	}
}

type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

// finish records the result of one send attempt of each mail in due, in
// one transaction, and logs each result once it is recorded, so that a
// "mail sent" line in the log means the outbox records it too.
func (r *Robot) finish(due []*store.OutMail, sendErrs []error, now time.Time) {
	// rejected holds, for a mail whose server refused some recipients
	// but not all, the mail as it was sent, for the bounce handling.
	rejected := make([]*store.OutMail, len(due))
	rejections := make([]error, len(due))
	for i, o := range due {
		if rest, se := otherRecipients(o, sendErrs[i]); rest != nil {
			sent := *o
			rejected[i], rejections[i] = &sent, se
			o.To = rest
			sendErrs[i] = partlyRefused{fmt.Sprintf("recipients rejected, sending again to %s: %s", strings.Join(rest, ", "), se)}
		}
		r.settle(o, sendErrs[i], now)
	}
	err := r.db.Update(func(tx *store.Tx) error {
		for i, o := range due {
			if rejected[i] != nil {
				if err := r.noteRejected(tx, rejected[i], rejections[i]); err != nil {
					r.log.Error("record rejected recipients", "ticket", o.Ticket, "msgid", o.MessageID, "err", err)
				}
			}
			if err := r.record(tx, o, sendErrs[i]); err != nil {
				// A missing ticket must not make the whole batch go out
				// again, so the error stays with this mail.
				r.log.Error("record send result", "ticket", o.Ticket, "msgid", o.MessageID, "err", err)
			}
		}
		return nil
	})
	if err != nil {
		r.log.Error("record send results, the mails go out again", "count", len(due), "first_msgid", due[0].MessageID, "err", err)
		return
	}
	for i, o := range due {
		r.logSettled(o, sendErrs[i])
		r.metrics.observeSent(o)
		if o.State != store.OutQueued && r.OnSent != nil {
			r.OnSent(o)
		}
	}
}

// partlyRefused is the result of a mail the server refused for some of
// its recipients: it goes again at once to the others.
type partlyRefused struct{ msg string }

func (e partlyRefused) Error() string { return e.msg }

// otherRecipients returns the recipients of o that the SMTP server did
// not refuse, and the refusal, when sendErr is a 5xx reply to RCPT TO for
// only some of them. go-mail then sends the mail to none, so it goes
// again to the others. It returns nil in every other case.
func otherRecipients(o *store.OutMail, sendErr error) ([]string, *mail.SendError) {
	var se *mail.SendError
	if !errors.As(sendErr, &se) || !smtpRejected(se) || se.Reason != mail.ErrSMTPRcptTo {
		return nil, nil
	}
	refused := rejectedRecipients(o.To, se.Error())
	if len(refused) == 0 || len(refused) >= len(o.To) {
		return nil, nil
	}
	var rest []string
	for _, addr := range o.To {
		if !slices.ContainsFunc(refused, func(a string) bool { return strings.EqualFold(a, addr) }) {
			rest = append(rest, addr)
		}
	}
	return rest, se
}

// settle sets the state of o after one send attempt.
func (r *Robot) settle(o *store.OutMail, sendErr error, now time.Time) {
	var untried notTried
	var partly partlyRefused
	if errors.As(sendErr, &untried) || errors.As(sendErr, &partly) {
		// No attempt is used up: the mail was not offered, or goes at
		// once to the recipients the server accepted.
		o.LastError, o.NextAttempt = sendErr.Error(), now
		return
	}
	o.Attempts++
	var perm permanentError
	switch {
	case sendErr == nil:
		o.State, o.SentAt, o.LastError = store.OutSent, now, ""
	case errors.As(sendErr, &perm) || o.Attempts >= r.cfg.Outbox.MaxAttempts:
		o.State, o.LastError = store.OutFailed, sendErr.Error()
	default:
		o.LastError = sendErr.Error()
		o.NextAttempt = now.Add(r.retryDelay(o.Attempts))
	}
}

// logSettled logs the recorded result of a send attempt of o.
func (r *Robot) logSettled(o *store.OutMail, sendErr error) {
	log := r.log.With("ticket", o.Ticket, "msgid", o.MessageID, "kind", o.Kind)
	switch o.State {
	case store.OutSent:
		log.Info("mail sent", "to", strings.Join(o.To, ","), "attempts", o.Attempts)
	case store.OutFailed:
		log.Error("mail given up", "to", strings.Join(o.To, ","), "attempts", o.Attempts, "err", sendErr)
	default:
		log.Warn("mail send failed, will retry", "attempts", o.Attempts, "next_attempt", o.NextAttempt, "err", sendErr)
	}
}

// record writes the settled state of o after a send attempt that failed
// with sendErr, or succeeded when it is nil.
func (r *Robot) record(tx *store.Tx, o *store.OutMail, sendErr error) error {
	if o.State == store.OutQueued {
		return tx.Reschedule(o)
	}
	if err := tx.Finish(o); err != nil {
		return err
	}
	if err := r.noteDelivery(tx, o); err != nil {
		return err
	}
	return r.noteRejected(tx, o, sendErr)
}

// noteDelivery adds the send result to the ticket's history.
func (r *Robot) noteDelivery(tx *store.Tx, o *store.OutMail) error {
	if o.Ticket.IsZero() {
		return nil
	}
	tk, err := tx.Ticket(o.Ticket)
	if err != nil {
		return err
	}
	ev := store.Event{At: r.Now(), Kind: store.EventDelivery, MessageID: o.MessageID, Subject: o.Subject,
		Text: "Zugestellt an " + strings.Join(o.To, ", ")}
	if o.State == store.OutFailed {
		ev.Kind, ev.Text = store.EventBounce, "Nicht zustellbar an "+strings.Join(o.To, ", ")+": "+o.LastError
	}
	tk.History = append(tk.History, ev)
	return tx.PutTicket(tk)
}

func (r *Robot) retryDelay(attempts int) time.Duration {
	d := r.cfg.Outbox.RetryMin
	for i := 1; i < attempts && d < r.cfg.Outbox.RetryMax; i++ {
		d *= 2
	}
	return min(d, r.cfg.Outbox.RetryMax)
}

func (r *Robot) smtpClient() (*mail.Client, error) {
	s := r.cfg.SMTP
	tlsConfig, err := TLSConfig(s.Host, s.CAFile, s.InsecureSkipVerify)
	if err != nil {
		return nil, fmt.Errorf("smtp.ca_file: %w", err)
	}
	// Each mail is sent with its own call on the connection (see deliver),
	// so the NOOP that go-mail sends ahead of every call would double the
	// round trips. A dead connection shows at MAIL FROM instead.
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(s.Timeout), mail.WithHELO(s.HeloName), mail.WithoutNoop(),
		mail.WithTLSConfig(tlsConfig)}
	switch s.Security {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if s.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.Username), mail.WithPassword(s.Password))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP client for %s: %w", s.Host, err)
	}
	return c, nil
}

// buildMsg turns a stored outgoing mail into a go-mail message. Every
// header is fixed by the stored fields, so a resend is byte-for-byte the
// same message but for the transport.
func buildMsg(o *store.OutMail) (*mail.Msg, error) {
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	// Subject, names and ids may come from incoming mail: sanitised here,
	// at the one place every outgoing mail passes, so no path can put a
	// CR or LF (a header of its own) into a header.
	if err := m.FromFormat(sanitizeHeaderText(o.FromName, maxDisplayNameRunes), o.From); err != nil {
		return nil, fmt.Errorf("invalid From %q: %w", o.From, err)
	}
	if err := m.To(o.To...); err != nil {
		return nil, fmt.Errorf("invalid To %q: %w", o.To, err)
	}
	m.Subject(sanitizeHeaderText(o.Subject, maxSubjectRunes))
	m.SetMessageIDWithValue(o.MessageID)
	m.SetDateWithValue(o.Date)
	if id := sanitizeMsgID(o.InReplyTo); id != "" {
		m.SetGenHeader(mail.HeaderInReplyTo, "<"+id+">")
	}
	var refs []string
	for _, id := range o.References {
		if id = sanitizeMsgID(id); id != "" {
			refs = append(refs, id)
		}
	}
	if len(refs) > 0 {
		// One space-separated value: go-mail joins several values with
		// commas, which is not valid for References (RFC 5322 §3.6.4).
		m.SetGenHeader(mail.HeaderReferences, "<"+strings.Join(refs, "> <")+">")
	}
	// RFC 3834: mark the mail as automatic so that other robots stay quiet.
	auto := o.AutoSubmitted
	if auto == "" {
		auto = "auto-generated"
	}
	m.SetGenHeader(mail.Header("Auto-Submitted"), auto)
	m.SetBulk() // Precedence: bulk and X-Auto-Response-Suppress: All
	m.SetGenHeader(mail.Header(LoopHeader), o.From)
	if !o.Ticket.IsZero() {
		m.SetGenHeader(mail.Header(TicketHeader), o.Ticket.String())
	}
	m.SetUserAgent("mailbot")
	m.SetBodyString(mail.TypeTextPlain, o.Body)
	if o.HTML != "" {
		m.AddAlternativeString(mail.TypeTextHTML, o.HTML)
	}
	for _, f := range o.Attachments {
		err := m.AttachReader(f.Name, bytes.NewReader(f.Data), mail.WithFileContentType(mail.ContentType(f.ContentType)))
		if err != nil {
			return nil, fmt.Errorf("attach %s: %w", f.Name, err)
		}
	}
	return m, nil
}
