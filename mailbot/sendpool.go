package mailbot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/wneessen/go-mail"
)

// sendResult is the outcome of one send attempt of due[i] in sendMails.
type sendResult struct {
	i   int
	err error
}

// deliverConcurrently splits the mails msgs[i] for i in idx over up to
// sendConns SMTP connections and sends the parts at the same time. A
// relay like Postfix accepts mails faster on parallel connections,
// because it writes and syncs the queue files of each connection in its
// own process. Each mail's result goes to results as soon as the server
// has replied for it, one result per index.
func (r *Robot) deliverConcurrently(ctx context.Context, msgs []*mail.Msg, idx []int, results chan<- sendResult) {
	var wg sync.WaitGroup
	for _, part := range splitParts(idx, sendConns) {
		wg.Go(func() { r.deliver(ctx, msgs, part, results) })
	}
	wg.Wait()
}

// deliver dials the SMTP server and sends msgs[i] for each i in part, one
// after the other on one connection, and reports each result at once. A
// connection failure fails the mails not yet sent with it.
func (r *Robot) deliver(ctx context.Context, msgs []*mail.Msg, part []int, results chan<- sendResult) {
	failRest := func(rest []int, err error) {
		for _, i := range rest {
			results <- sendResult{i, err}
		}
	}
	c, err := r.smtpClient()
	if err != nil {
		failRest(part, permanent(err))
		return
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		failRest(part, fmt.Errorf("connect to SMTP server %s:%d: %w", r.cfg.SMTP.Host, r.cfg.SMTP.Port, err))
		return
	}
	defer func() {
		if err := c.CloseWithSMTPClient(sc); err != nil {
			r.log.Debug("close SMTP connection", "err", err)
		}
	}()
	for k, i := range part {
		if err := ctx.Err(); err != nil {
			// The grace time after a shutdown ran out: the rest waits in
			// the outbox for the next start.
			failRest(part[k:], fmt.Errorf("sending stopped at shutdown: %w", err))
			return
		}
		m := msgs[i]
		sendErr := c.SendWithSMTPClient(sc, m)
		switch {
		case m.IsDelivered():
			// The server accepted the mail, even if the RSET after it
			// failed. A failure here stands for a crash before the result
			// is recorded.
			results <- sendResult{i, failpoint(FailAfterSend)}
		case m.HasSendError() && smtpRejected(m.SendError()):
			results <- sendResult{i, permanent(m.SendError())}
		case m.HasSendError():
			// A 4xx reply, a broken connection or a timeout: this mail
			// and the rest of the part are tried again later, on a new
			// connection.
			results <- sendResult{i, m.SendError()}
			failRest(part[k+1:], notTried{fmt.Errorf("connection given up after an error on an earlier mail: %w", m.SendError())})
			return
		case sendErr != nil:
			// An error with no message blamed is about the connection
			// itself; the mails left wait for the next attempt.
			failRest(part[k:], fmt.Errorf("send over SMTP: %w", sendErr))
			return
		default:
			results <- sendResult{i, failpoint(FailAfterSend)}
		}
	}
}

// notTried marks the failure of a mail that was never offered to the
// server, because its connection was given up after another mail's
// error. It costs the mail no attempt.
type notTried struct{ error }

func (e notTried) Unwrap() error { return e.error }

// smtpRejected reports whether err carries a permanent rejection by the
// SMTP server, a 5xx reply. Network errors and timeouts have no reply
// code, and go-mail does not count them as temporary, but they are: the
// mail is tried again.
func smtpRejected(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	return code >= 500 && code < 600 && !anyTempReply(se.Error())
}

// anyTempReply reports whether a go-mail error text lists a 4xx reply.
// For RCPT TO, go-mail joins the reply of every refused recipient but
// keeps the code of the last one only, so one 5xx can hide a 4xx. In
// that case the whole mail is tried again and no recipient counts as
// refused.
func anyTempReply(text string) bool {
	replies, _, _ := strings.Cut(text, ", affected recipient(s): ")
	for _, part := range strings.Split(replies, ", ") {
		if _, after, ok := strings.Cut(part, ": "); ok {
			part = after // the reason before the first reply
		}
		if len(part) >= 3 && part[0] == '4' && part[1] >= '0' && part[1] <= '9' && part[2] >= '0' && part[2] <= '9' {
			return true
		}
	}
	return false
}

// splitParts cuts items into at most n parts of nearly equal length, in
// order, so that mails queued earlier are sent on earlier connections.
func splitParts[T any](items []T, n int) [][]T {
	n = min(n, len(items))
	parts := make([][]T, 0, n)
	for i := range n {
		lo, hi := i*len(items)/n, (i+1)*len(items)/n
		parts = append(parts, items[lo:hi])
	}
	return parts
}
