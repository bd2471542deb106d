package mailbot

import (
	"fmt"
	"regexp"
	"strings"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// ticketNumberText finds a ticket number such as 2026-00009 in running
// text. The orga notice requests that the orga contact name it. The year
// must start with 20, so that a phone number such as 0711-12345 in a
// signature is not taken for one.
var ticketNumberText = regexp.MustCompile(`\b20\d{2}-\d{5}\b`)

// linkAnnouncedTickets merges each clerk's request that a new
// announcement names ("wie in Ticket 2026-00009 angefragt") into the
// announcement's ticket ann, so that the request does not stay open and
// escalate. Only open requests waiting for an announcement are merged.
func (r *Robot) linkAnnouncedTickets(tx *store.Tx, ann *store.Ticket, mb *config.Mailbox, msg *parse.Message) error {
	if ann.Announcement == nil || r.needsAnnouncement(ann) {
		return nil
	}
	linked := false
	seen := map[store.Number]bool{ann.Number: true}
	for _, s := range ticketNumberText.FindAllString(msg.Subject+"\n"+msg.Text, -1) {
		n, err := store.ParseNumber(s)
		if err != nil || seen[n] {
			continue
		}
		seen[n] = true
		req, err := tx.Ticket(n)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if !r.awaitsAnnouncement(req) {
			continue
		}
		if err := r.continueIn(tx, req, ann, mb, msg); err != nil {
			return err
		}
		linked = true
	}
	if !linked {
		return nil
	}
	return tx.PutTicket(ann)
}

// awaitsAnnouncement reports whether tk is an open c-type request of a
// clerk, whose acknowledgement pointed to the orga contact's announcement.
func (r *Robot) awaitsAnnouncement(tk *store.Ticket) bool {
	switch tk.Status {
	case store.StatusClosed, store.StatusWithdrawn, store.StatusMerged:
		return false
	}
	return tk.Announcement == nil && r.needsAnnouncement(tk)
}

// continueIn merges the request req into the announcement ann. Both
// histories record the link, the clerk becomes a cc of ann and gets a
// status mail.
func (r *Robot) continueIn(tx *store.Tx, req, ann *store.Ticket, mb *config.Mailbox, msg *parse.Message) error {
	now := r.Now()
	sender := strings.ToLower(msg.From.Addr)
	project := ann.Project
	if project == "" {
		project = ann.Subject
	}
	ann.History = append(ann.History, store.Event{At: now, Kind: store.EventMerged, Actor: sender, MessageID: msg.MessageID,
		Text: fmt.Sprintf("Die Vorankündigung nennt Ticket %s (%s, von %s); das Anliegen wird hier weitergeführt.", req.Number, req.Subject, req.Requester)})
	if req.Requester != "" && !strings.EqualFold(req.Requester, ann.Requester) {
		ann.Cc = appendUnique(ann.Cc, req.Requester)
	}
	ann.Attachments = append(ann.Attachments, req.Attachments...)
	ann.Updated = now

	req.Status, req.MergedInto, req.Updated = store.StatusMerged, ann.Number, now
	req.History = append(req.History, store.Event{At: now, Kind: store.EventMerged, Actor: sender, MessageID: msg.MessageID,
		Text: fmt.Sprintf("Die Orga-Ansprechperson hat das Anliegen in der Vorankündigung %s (%s) aufgegriffen; es geht dort weiter.", ann.Number, project)})
	r.log.Info("request continued in announcement", "ticket", req.Number, "announcement", ann.Number, "msgid", msg.MessageID)

	if req.Requester != "" {
		tag := ann.Number.Tag(r.cfg.Tickets.Prefix)
		data := templates.StatusData{
			Number: req.Number.String(), Tag: req.Number.Tag(r.cfg.Tickets.Prefix), Subject: req.Subject,
			RequesterName: req.RequesterName, Actor: sender, ActorRole: actorRole(r.cfg.Roles.RolesOf(sender)),
			StatusName: templates.StatusName(req.Status),
			Changes:    []string{fmt.Sprintf("Die Orga-Ansprechperson hat Ihr Anliegen mit der Vorankündigung %s („%s“) aufgegriffen.", ann.Number, project)},
			Next:       fmt.Sprintf("Es geht bei Ticket %s weiter; Antworten zu diesem Ticket landen dort. Bitte nennen Sie künftig %s im Betreff.", ann.Number, tag),
		}
		body, err := r.tmpl.Render(templates.Status, data)
		if err != nil {
			return err
		}
		subject := data.Tag + " Statusänderung: " + req.Subject
		if err := r.enqueue(tx, req, r.threadMail(req, mb, "status", []string{req.Requester}, subject, body)); err != nil {
			return err
		}
	}
	return tx.PutTicket(req)
}
