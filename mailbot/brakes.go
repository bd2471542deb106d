package mailbot

import (
	"fmt"
	"strings"
	"time"

	"mailbot/config"
	"mailbot/store"
)

// kindAlert marks notices to the admin role. The brakes let them through,
// because the circuit breaker's own alert must not be held by it.
const kindAlert = "alert"

// applyBrakes runs inside the transaction that queues m and reports
// whether m is held back. Recipients whose address bounced recently or
// who reached brakes.recipient_daily are dropped from m.To. The whole
// mail is held when none remain, when its ticket reached
// brakes.ticket_burst or when the circuit breaker is open. A held mail is
// logged, counted and noted on the ticket, and never sent later. A mail
// that passes is counted toward the limits.
func (r *Robot) applyBrakes(tx *store.Tx, tk *store.Ticket, m *store.OutMail) (bool, error) {
	now := r.Now()
	if m.Kind == kindAlert {
		return false, tx.CountAutomatic(m.To, now)
	}
	// The digest of new tickets passes the breaker and the daily cap: it
	// is one mail per batch to IT, and when the breaker holds the
	// acknowledgements of a backlog, IT is the one who must hear of those
	// tickets. An IT address that bounced is still left out.
	if m.Kind == kindDigest {
		return r.digestBrakes(tx, m, now)
	}

	var keep, dropped []string
	var reasons []string
	for _, addr := range m.To {
		reason, err := r.recipientHold(tx, addr, now, m.Kind != kindAgenda)
		if err != nil {
			return false, err
		}
		if reason == "" {
			keep = append(keep, addr)
			continue
		}
		dropped = append(dropped, addr)
		reasons = append(reasons, reason)
	}
	if len(keep) == 0 {
		return true, r.hold(tk, m, strings.Join(reasons, "; "))
	}
	if len(dropped) > 0 {
		held := *m
		held.To = dropped
		if err := r.hold(tk, &held, strings.Join(reasons, "; ")); err != nil {
			return false, err
		}
		m.To = keep
	}

	if held, err := r.burstHold(tk, m, now); err != nil || held {
		return held, err
	}

	open, err := r.breakerOpen(tx, now)
	if err != nil {
		return false, err
	}
	if open != "" {
		r.counters.HeldBreaker.Add(1)
		r.metrics.suppressed.WithLabelValues("circuit_breaker").Inc()
		return true, r.hold(tk, m, open)
	}
	return false, tx.CountAutomatic(m.To, now)
}

// digestBrakes drops the recipients of the digest m whose mail bounced
// recently and reports whether none remain.
func (r *Robot) digestBrakes(tx *store.Tx, m *store.OutMail, now time.Time) (bool, error) {
	var keep, reasons []string
	for _, addr := range m.To {
		reason, err := r.recipientHold(tx, addr, now, false)
		if err != nil {
			return false, err
		}
		if reason == "" {
			keep = append(keep, addr)
		} else {
			reasons = append(reasons, reason)
		}
	}
	if len(keep) == 0 {
		return true, r.hold(nil, m, strings.Join(reasons, "; "))
	}
	if len(reasons) > 0 {
		r.log.Warn("digest recipients left out", "msgid", m.MessageID, "reason", strings.Join(reasons, "; "))
	}
	m.To = keep
	return false, tx.CountAutomatic(m.To, now)
}

// burstHold applies brakes.ticket_burst to the recipients of m who hold
// no role, and reports whether none remain. Mails to role holders neither
// count nor get held: a jour fixe exchange makes two or three mails to
// staff per command, and a loop between the robot and staff is stopped by
// the header checks and the circuit breaker. The cap is for outside and
// requester addresses, where an auto-responder could answer each mail.
func (r *Robot) burstHold(tk *store.Ticket, m *store.OutMail, now time.Time) (bool, error) {
	b := r.cfg.Brakes
	if b.TicketBurst <= 0 || tk == nil {
		return false, nil
	}

	var staff, others []string
	for _, addr := range m.To {
		if r.cfg.IsRoleAddress(addr) {
			staff = append(staff, addr)
		} else {
			others = append(others, addr)
		}
	}
	if len(others) == 0 {
		return false, nil
	}

	n := 0
	for _, ev := range tk.History {
		if ev.Kind == store.EventMailOut && now.Sub(ev.At) < b.TicketWindow && r.countsForBurst(ev) {
			n++
		}
	}
	if n < b.TicketBurst {
		return false, nil
	}

	r.counters.HeldTicket.Add(1)
	r.metrics.suppressed.WithLabelValues("ticket_burst").Inc()
	reason := fmt.Sprintf("ticket had %d automatic mails to addresses without a role in %s (brakes.ticket_burst)", n, b.TicketWindow)
	if len(staff) == 0 {
		return true, r.hold(tk, m, reason)
	}
	held := *m
	held.To = others
	m.To = staff
	return false, r.hold(tk, &held, reason)
}

// countsForBurst reports whether the sent mail ev went to an address
// without a role. Events recorded before their recipients were kept
// count, to be safe.
func (r *Robot) countsForBurst(ev store.Event) bool {
	if len(ev.To) == 0 {
		return true
	}
	for _, addr := range ev.To {
		if !r.cfg.IsRoleAddress(addr) {
			return true
		}
	}
	return false
}

// recipientHold returns why no automatic mail may go to addr now, or "".
// capped is false for kinds exempt from brakes.recipient_daily.
func (r *Robot) recipientHold(tx *store.Tx, addr string, now time.Time, capped bool) (string, error) {
	p, err := tx.Pause(addr)
	if err != nil {
		return "", err
	}
	if p != nil && now.Before(p.Until) {
		r.counters.HeldBounced.Add(1)
		r.metrics.suppressed.WithLabelValues("bounce_pause").Inc()
		return fmt.Sprintf("%s bounced, paused until %s", addr, p.Until.Format(time.RFC3339)), nil
	}
	limit := r.cfg.Brakes.RecipientDaily
	if limit <= 0 || !capped || r.cfg.IsRoleAddress(addr) {
		return "", nil
	}
	n, err := tx.RecipientCount(addr, now)
	if err != nil {
		return "", err
	}
	if n >= limit {
		r.counters.HeldRecipient.Add(1)
		r.metrics.suppressed.WithLabelValues("recipient_daily").Inc()
		return fmt.Sprintf("%s got %d automatic mails today (brakes.recipient_daily)", addr, n), nil
	}
	return "", nil
}

// breakerOpen returns why the circuit breaker holds automatic mail, or "".
// It trips the breaker, and alerts the admin role, when one more mail
// would put the last hour above max(breaker_min_hourly, breaker_factor ×
// the hourly average of the week before).
func (r *Robot) breakerOpen(tx *store.Tx, now time.Time) (string, error) {
	b := r.cfg.Brakes
	if b.BreakerMinHourly <= 0 {
		return "", nil
	}
	br, err := tx.Breaker()
	if err != nil {
		return "", err
	}
	if now.Before(br.Until) {
		return fmt.Sprintf("circuit breaker open until %s", br.Until.Format(time.RFC3339)), nil
	}

	last, err := tx.LastHourCount(now)
	if !br.ResetAt.IsZero() && now.Sub(br.ResetAt) < time.Hour {
		// After a reset, the mails that tripped it do not trip it again.
		last, err = tx.CountSince(br.ResetAt, now)
		last = max(0, last-br.ResetMinute)
	}
	if err != nil {
		return "", err
	}
	avg, err := tx.WeekHourlyAverage(now)
	if err != nil {
		return "", err
	}
	limit := max(b.BreakerMinHourly, int(b.BreakerFactor*avg))
	if last+1 <= limit {
		return "", nil
	}

	br = store.Breaker{TrippedAt: now, Until: now.Add(b.BreakerPause), LastHour: last, Limit: limit}
	if err := tx.PutBreaker(br); err != nil {
		return "", err
	}
	r.counters.BreakerTrips.Add(1)
	r.log.Error("circuit breaker tripped, automatic mail stopped", "last_hour", last, "limit", limit,
		"week_hourly_average", avg, "until", br.Until)
	body := fmt.Sprintf("Guten Tag,\n\nmailbot hat in der letzten Stunde %d automatische Mails verschickt; "+
		"erlaubt sind %d (brakes.breaker_min_hourly, brakes.breaker_factor). "+
		"Das deutet auf eine Mailschleife hin, oder auf einen großen Rückstau, etwa nach einer Störung "+
		"(dann hilft ein höherer Wert für brakes.breaker_min_hourly).\n\n"+
		"Bis %s verschickt mailbot keine automatischen Mails. Zurückgehaltene Mails werden nicht nachgesendet; "+
		"sie stehen in der Historie ihrer Tickets.\n\nBitte prüfen Sie das Protokoll von mailbot. Ist die Ursache behoben, "+
		"schaltet „mailbot breaker reset“ die automatischen Mails vorzeitig wieder ein.\n\n"+
		"Diese Mail wurde automatisch erstellt.\n", last, limit, br.Until.Local().Format("02.01.2006 15:04"))
	if err := r.noticeAdmin(tx, nil, "mailbot: Notbremse ausgelöst, automatische Mails angehalten", body); err != nil {
		return "", err
	}
	return fmt.Sprintf("circuit breaker tripped: %d automatic mails in the last hour, limit %d", last, limit), nil
}

// hold notes a held-back mail in the log and on its ticket.
func (r *Robot) hold(tk *store.Ticket, m *store.OutMail, reason string) error {
	r.log.Warn("automatic mail held back", "ticket", m.Ticket, "kind", m.Kind, "to", strings.Join(m.To, ","), "reason", reason)
	if tk == nil {
		return nil
	}
	tk.History = append(tk.History, store.Event{At: r.Now(), Kind: store.EventHeld, Actor: m.From, Subject: m.Subject,
		Text: fmt.Sprintf("Automatische Mail (%s) an %s zurückgehalten, sie wird nicht nachgesendet: %s.", m.Kind, strings.Join(m.To, ", "), reason)})
	return nil
}

// noticeAdmin queues a notice to the admin role outside any ticket. It is
// sent from the mailbox of in, or from the first mailbox when in is nil.
func (r *Robot) noticeAdmin(tx *store.Tx, in *Incoming, subject, body string) error {
	to := r.cfg.Roles.Admin
	if len(to) == 0 {
		r.log.Warn("no admin role configured, notice not sent", "subject", subject)
		return nil
	}
	var mb *config.Mailbox
	if in != nil {
		mb = in.Mailbox
	} else {
		mb = &r.cfg.Mailboxes[0]
	}
	m := &store.OutMail{Kind: kindAlert, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: mb.Address,
		To: to, Subject: subject, Body: body, AutoSubmitted: "auto-generated"}
	id, err := plainMessageID(m.Kind, config.Domain(m.From))
	if err != nil {
		return err
	}
	m.MessageID = id
	if _, err := r.applyBrakes(tx, nil, m); err != nil {
		return err
	}
	return tx.Enqueue(m)
}
