package mailbot

import (
	"fmt"
	"strings"
	"time"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/store"
	"mailbot/templates"
	"mailbot/workday"
)

// finalStatuses are the ticket states in which nothing is escalated.
// The store's open index leaves out the same statuses.
var finalStatuses = store.FinalStatuses

// stateless are history kinds that do not change a ticket's state: mail in
// and out, deliveries, notes and the jour fixe's own entries. Every other
// kind, including kinds added by later code, counts as a change of state.
var stateless = map[string]bool{
	store.EventMailIn: true, store.EventMailOut: true, store.EventRobotIn: true, store.EventBounce: true,
	store.EventDelivery: true, store.EventNote: true, store.EventEscalated: true, store.EventTask: true,
	store.EventOutside: true, store.EventDenied: true, store.EventInternal: true,
}

// lastStateChange returns when tk last changed state.
func lastStateChange(tk *store.Ticket) time.Time {
	at := tk.Created
	for _, e := range tk.History {
		if !stateless[e.Kind] && e.At.After(at) {
			at = e.At
		}
	}
	return at
}

// calendar returns the working-day calendar in the jour fixe time zone.
func (r *Robot) calendar() *workday.Calendar {
	return workday.New(r.cfg.JourFixe.Location())
}

// escalationLimit returns the working days a ticket of tk's type may stay
// without a change of state; 0 means never escalate.
func (r *Robot) escalationLimit(tk *store.Ticket) int {
	if tk.Subtype != "" {
		if n, ok := r.cfg.Escalation.Limits[tk.Subtype]; ok {
			return n
		}
	}
	return r.cfg.Escalation.Limits[tk.Type]
}

// ScanEscalations escalates every open ticket that has been left without a
// change of state for longer than its type's limit and is not on an agenda
// yet. It commits each escalation in its own transaction and returns the
// numbers escalated.
func (r *Robot) ScanEscalations() ([]store.Number, error) {
	now := r.Now()
	cal := r.calendar()
	var due []store.Number
	err := r.db.View(func(tx *store.Tx) error {
		items, err := tx.AgendaItems()
		if err != nil {
			return err
		}
		onAgenda := map[store.Number]bool{}
		for _, it := range items {
			onAgenda[it.Ticket] = true
		}
		// The open index and the summaries rule out closed tickets and
		// those too young to be overdue, because the last change of state
		// is never before Created. Only the rest are read with history.
		var readErr error
		err = tx.OpenSummaries(func(sum *store.Ticket) bool {
			if finalStatuses[sum.Status] || onAgenda[sum.Number] {
				return true
			}
			if !cal.Past(sum.Created, now, r.escalationLimit(sum)) {
				return true
			}
			tk, err := tx.Ticket(sum.Number)
			if err != nil {
				readErr = err
				return false
			}
			if cal.Past(lastStateChange(tk), now, r.escalationLimit(tk)) {
				due = append(due, tk.Number)
			}
			return true
		})
		if err != nil {
			return err
		}
		return readErr
	})
	if err != nil {
		return nil, fmt.Errorf("scan for overdue tickets: %w", err)
	}
	var done []store.Number
	for _, n := range due {
		err := r.db.Update(func(tx *store.Tx) error {
			tk, err := tx.Ticket(n)
			if err != nil {
				return err
			}
			// Check again: a mail may have changed the ticket since the scan.
			if it, err := tx.AgendaItem(n); err != nil || it != nil {
				return err
			}
			limit := r.escalationLimit(tk)
			since := lastStateChange(tk)
			if finalStatuses[tk.Status] || !cal.Past(since, now, limit) {
				return nil
			}
			reason := fmt.Sprintf("Seit %s (%d Arbeitstage) ohne Änderung des Bearbeitungsstands.",
				since.In(cal.Location()).Format("02.01.2006"), limit)
			if err := r.escalate(tx, tk, "", reason, true); err != nil {
				return err
			}
			done = append(done, n)
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("escalate ticket %s: %w", n, err)
		}
		r.log.Info("ticket escalated", "ticket", n, "by", "limit")
	}
	if len(done) > 0 {
		r.Kick()
	}
	return done, nil
}

// escalate puts tk on the next IT jour fixe agenda, notes it in the
// history, notifies the orga contact and the IT leads and sends the requester
// a status mail unless tellRequester is false, all inside tx. by is the
// address of who escalated, empty for the scanner.
func (r *Robot) escalate(tx *store.Tx, tk *store.Ticket, by, reason string, tellRequester bool) error {
	now := r.Now()
	item := &store.AgendaItem{Ticket: tk.Number, Series: config.SeriesIT, Reason: store.AgendaEscalated,
		Since: now, By: by, Text: reason}
	if err := tx.PutAgendaItem(item); err != nil {
		return err
	}
	who := "automatisch nach Fristablauf"
	if by != "" {
		who = "von " + by
	}
	tk.Escalated = true
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventEscalated, Actor: by,
		Text: "Eskaliert " + who + ": " + reason})
	tk.Updated = now

	loc := r.cfg.JourFixe.Location()
	tag := tk.Number.Tag(r.cfg.Tickets.Prefix)
	title := jourfixe.TicketTitle(tk)
	data := templates.EscalationData{Tag: tag, Title: title, Who: who, Reason: reason, Requester: tk.Requester,
		Created: tk.Created.In(loc).Format("02.01.2006"), LastState: jourfixe.LastState(tk, loc),
		Next: r.nextMeetingText(config.SeriesIT, now)}
	to := joinAddresses(r.cfg.Roles.Orga, r.cfg.Roles.ITLeads)
	if len(to) > 0 {
		body, err := r.tmpl.Render(templates.Escalation, data)
		if err != nil {
			return err
		}
		m := r.ticketMail(tk, "escalation", to, tag+" Eskalation: "+title, body)
		if err := r.enqueue(tx, tk, m); err != nil {
			return err
		}
	}
	if tellRequester && tk.Requester != "" {
		body, err := r.tmpl.Render(templates.EscalationStatus, data)
		if err != nil {
			return err
		}
		m := r.ticketMail(tk, "status", []string{tk.Requester}, tag+" Stand Ihrer Anfrage: "+title, body)
		if err := r.enqueue(tx, tk, m); err != nil {
			return err
		}
	}
	return tx.PutTicket(tk)
}

// nextMeetingText returns the next meeting of a series as German text.
func (r *Robot) nextMeetingText(series string, now time.Time) string {
	s := r.cfg.JourFixe.SeriesByName(series)
	if s == nil {
		return "Termin noch offen"
	}
	at, err := jourfixe.Next(s, r.cfg.JourFixe.Location(), now)
	if err != nil {
		return "Termin noch offen"
	}
	return (&jourfixe.Agenda{Start: at}).When()
}

// ticketMail builds an automatic mail in the thread of tk, sent from the
// mailbox the ticket arrived in.
func (r *Robot) ticketMail(tk *store.Ticket, kind string, to []string, subject, body string) *store.OutMail {
	m := &store.OutMail{Ticket: tk.Number, Kind: kind, Date: r.Now(), FromName: r.cfg.SMTP.FromName,
		From: r.mailboxFor(tk.Mailbox).Address, To: to, Subject: subject, Body: body, AutoSubmitted: "auto-generated"}
	if len(tk.MessageIDs) > 0 {
		m.InReplyTo = tk.MessageIDs[0]
		m.References = []string{tk.MessageIDs[0]}
	}
	return m
}

// mailboxFor returns the configured mailbox called name, else the first.
func (r *Robot) mailboxFor(name string) *config.Mailbox {
	for i := range r.cfg.Mailboxes {
		if r.cfg.Mailboxes[i].Name == name {
			return &r.cfg.Mailboxes[i]
		}
	}
	return &r.cfg.Mailboxes[0]
}

// joinAddresses merges address lists, each address once.
func joinAddresses(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, a := range l {
			k := strings.ToLower(a)
			if !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	return out
}
