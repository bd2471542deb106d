package mailbot

import (
	"fmt"
	"time"

	"mailbot/config"
	"mailbot/store"
	"mailbot/templates"
)

// Brakes of the mails that belong to no ticket. The circuit breaker and
// the bounce pause hold each of them; the rest depends on the kind:
//
//   - agenda mails, scheduled or asked for with #agenda, go to the
//     participants a few times a month and are exempt from
//     brakes.recipient_daily, so that a busy day does not cost a
//     department head the invitation;
//   - task reminders and the budget overview count toward
//     brakes.recipient_daily like any other automatic mail;
//   - quarantine notices to the admin role pass the circuit breaker like
//     its alerts, but only quarantineBurst of them per quarantineWindow;
//     the rest are summed up in one mail when the window ends.
const (
	quarantineBurst  = 5
	quarantineWindow = time.Hour
)

// Kinds of mails that belong to no ticket.
const (
	kindAgenda     = "agenda"
	kindQuarantine = "quarantine"
)

// queueOwn queues m, a mail that belongs to no ticket, unless the brakes
// hold it back, and reports whether they did.
func (r *Robot) queueOwn(tx *store.Tx, m *store.OutMail) (bool, error) {
	held, err := r.applyBrakes(tx, nil, m)
	if err != nil || held {
		return held, err
	}
	return false, tx.Enqueue(m)
}

// queueQuarantineNotice queues the notice m of a quarantined mail, or,
// past quarantineBurst notices in the window, counts it for the summary.
func (r *Robot) queueQuarantineNotice(tx *store.Tx, m *store.OutMail) error {
	now := r.Now()
	w, err := r.rollQuarantineWindow(tx, now)
	if err != nil {
		return err
	}
	if w.Sent >= quarantineBurst {
		w.Held++
		r.metrics.suppressed.WithLabelValues("quarantine_burst").Inc()
		r.log.Warn("quarantine notice left for the summary", "msgid", m.MessageID, "held", w.Held)
		return tx.PutNoticeWindow(m.Kind, w)
	}
	w.Sent++
	if err := tx.PutNoticeWindow(m.Kind, w); err != nil {
		return err
	}
	if err := tx.CountAutomatic(m.To, now); err != nil {
		return err
	}
	return tx.Enqueue(m)
}

// rollQuarantineWindow returns the quarantine notice window at now. When
// the stored one has ended it queues the summary of its held notices and
// starts a new window.
func (r *Robot) rollQuarantineWindow(tx *store.Tx, now time.Time) (store.NoticeWindow, error) {
	w, err := tx.NoticeWindow(kindQuarantine)
	if err != nil {
		return w, err
	}
	if now.Sub(w.Start) < quarantineWindow {
		return w, nil
	}
	if w.Held > 0 {
		if err := r.queueQuarantineSummary(tx, w); err != nil {
			return w, err
		}
	}
	return store.NoticeWindow{Start: now}, nil
}

// SendQuarantineSummary queues the summary of the quarantine notices held
// back in a window that has ended. JourFixeTick calls it, so the summary
// also goes out when no further mail is quarantined.
func (r *Robot) SendQuarantineSummary() error {
	sent := false
	err := r.db.Update(func(tx *store.Tx) error {
		w, err := tx.NoticeWindow(kindQuarantine)
		if err != nil || w.Held == 0 {
			return err
		}
		next, err := r.rollQuarantineWindow(tx, r.Now())
		if err != nil || next.Start.Equal(w.Start) {
			return err
		}
		sent = true
		return tx.PutNoticeWindow(kindQuarantine, next)
	})
	if err != nil {
		return fmt.Errorf("send quarantine summary: %w", err)
	}
	if sent {
		r.Kick()
	}
	return nil
}

// maxSummaryEntries bounds the list in the quarantine summary.
const maxSummaryEntries = 30

// queueQuarantineSummary queues the summary of window w to the admin role.
func (r *Robot) queueQuarantineSummary(tx *store.Tx, w store.NoticeWindow) error {
	to := r.cfg.Roles.Admin
	if len(to) == 0 {
		return nil
	}
	d := templates.QuarantineSummaryData{Since: w.Start.In(r.cfg.JourFixe.Location()).Format("02.01.2006 15:04"),
		Count: w.Held, Burst: quarantineBurst}
	err := tx.Quarantined(func(e *store.QuarantineEntry) bool {
		if e.At.Before(w.Start) {
			return true
		}
		if len(d.Entries) == maxSummaryEntries {
			d.More++
			return true
		}
		d.Entries = append(d.Entries, templates.QuarantineData{Mailbox: e.Mailbox, UID: e.UID, From: e.From,
			Subject: e.Subject, Reason: e.Reason})
		return true
	})
	if err != nil {
		return err
	}
	body, err := r.tmpl.Render(templates.QuarantineSummary, d)
	if err != nil {
		return err
	}
	from := r.cfg.Mailboxes[0].Address
	id, err := plainMessageID("quarantine.summary", config.Domain(from))
	if err != nil {
		return err
	}
	m := &store.OutMail{Kind: kindQuarantine, MessageID: id, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: from,
		To: to, Subject: fmt.Sprintf("%d weitere Mails in Quarantäne", w.Held), Body: body, AutoSubmitted: "auto-generated"}
	if err := tx.CountAutomatic(m.To, m.Date); err != nil {
		return err
	}
	r.log.Warn("quarantine summary queued", "held", w.Held, "since", w.Start)
	return tx.Enqueue(m)
}
