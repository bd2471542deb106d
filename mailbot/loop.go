package mailbot

import (
	"strings"
	"sync/atomic"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
)

// Counters are running totals of the loop guards, safe for concurrent use,
// for a metrics endpoint to read. They count inside store transactions, so
// a transaction that fails and is retried may count twice.
type Counters struct {
	RobotMails      atomic.Int64 // mails that got no reply because a program sent them
	OwnMails        atomic.Int64 // mailbot's own mails seen in a watched mailbox
	DeliveryReports atomic.Int64 // delivery reports filed
	HeldRecipient   atomic.Int64 // automatic mails held by brakes.recipient_daily
	HeldTicket      atomic.Int64 // automatic mails held by brakes.ticket_burst
	HeldBreaker     atomic.Int64 // automatic mails held while the circuit breaker is open
	HeldBounced     atomic.Int64 // automatic mails held because the address bounced
	BreakerTrips    atomic.Int64
}

// RobotCheck decides which mails must get no automatic reply (RFC 3834).
type RobotCheck struct {
	own   map[string]bool
	robot config.Robots
}

// NewRobotCheck returns the check for cfg's own addresses and allowlist.
func NewRobotCheck(cfg *config.Config) *RobotCheck {
	return &RobotCheck{own: OwnAddresses(cfg), robot: cfg.Robots}
}

// Reason returns why msg must get no automatic reply, or "" when a person
// wrote it. Mailbot's own mails, its loop header and delivery reports are
// recognised for every sender. The other header, sender and subject checks
// are skipped for senders on robots.allow.
func (c *RobotCheck) Reason(msg *parse.Message) string {
	if c.own[strings.ToLower(msg.From.Addr)] {
		return "sent from one of mailbot's own addresses"
	}
	if msg.Header.Get(LoopHeader) != "" {
		return "carries mailbot's loop header " + LoopHeader
	}
	if msg.Report != nil || msg.MediaType == "multipart/report" {
		return "delivery report"
	}
	if c.robot.Allowed(msg.From.Addr) {
		return ""
	}
	if robot, why := msg.Robot(); robot {
		return why
	}
	return ""
}

// Counters returns the robot's loop guard counters.
func (r *Robot) Counters() *Counters { return &r.counters }

// isOwnMail reports whether msg is a mail mailbot sent: one carrying the
// loop header with one of its addresses, or whose Message-ID it queued.
func (r *Robot) isOwnMail(tx *store.Tx, msg *parse.Message) bool {
	if v := strings.ToLower(strings.TrimSpace(msg.Header.Get(LoopHeader))); v != "" && r.ownAddrs[v] {
		return true
	}
	if strings.HasPrefix(msg.MessageID, "mailbot.") {
		_, ok := tx.TicketByMessageID(msg.MessageID)
		return ok
	}
	return false
}

// fileRobotMail records a mail that gets no reply on the ticket it belongs
// to, if any. Such mails are mailbot's own (a copy arriving at a watched
// address, or a sent copy saved in a watched folder), delivery reports and
// other automatic mail.
func (r *Robot) fileRobotMail(tx *store.Tx, in Incoming, msg *parse.Message, tk *store.Ticket, reason string, rec store.UIDRecord) (store.UIDRecord, error) {
	rec.Outcome, rec.Reason = store.OutcomeIgnored, reason
	r.counters.RobotMails.Add(1)
	own := r.isOwnMail(tx, msg)
	if own {
		r.counters.OwnMails.Add(1)
		rec.Reason = "mailbot's own mail"
		if n, ok := tx.TicketByMessageID(msg.MessageID); ok {
			t, err := tx.Ticket(n)
			if err != nil && !isNotFound(err) {
				return rec, err
			}
			if t != nil {
				tk = t
			}
		}
	} else if msg.Report != nil {
		return r.fileDeliveryReport(tx, in, msg, tk, rec)
	}

	if tk == nil {
		return rec, nil
	}
	rec.Ticket = tk.Number
	text := "Keine Antwort (" + reason + ")."
	if own {
		text = "Eigene Mail von mailbot, im Postfach " + in.Mailbox.Name + " eingegangen; keine Antwort."
	}
	now := r.Now()
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventRobotIn, Actor: msg.From.Addr, Mailbox: in.Mailbox.Name,
		MessageID: msg.MessageID, Subject: msg.Subject, Text: text})
	tk.Updated = now
	tk.MessageIDs = appendUnique(tk.MessageIDs, msg.MessageID)
	return rec, tx.PutTicket(tk)
}
