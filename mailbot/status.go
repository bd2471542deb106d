package mailbot

import (
	"slices"
	"strings"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// mailboxOf returns the configured mailbox a ticket arrived in, or fallback.
func (r *Robot) mailboxOf(tk *store.Ticket, fallback *config.Mailbox) *config.Mailbox {
	for i := range r.cfg.Mailboxes {
		if r.cfg.Mailboxes[i].Name == tk.Mailbox {
			return &r.cfg.Mailboxes[i]
		}
	}
	return fallback
}

// digiMailbox returns the digitalisation mailbox: the one named
// "digitalisierung", else the first whose default type is c.
func (r *Robot) digiMailbox() *config.Mailbox {
	for i := range r.cfg.Mailboxes {
		if r.cfg.Mailboxes[i].Name == "digitalisierung" {
			return &r.cfg.Mailboxes[i]
		}
	}
	for i := range r.cfg.Mailboxes {
		if r.cfg.Mailboxes[i].DefaultType == "c" {
			return &r.cfg.Mailboxes[i]
		}
	}
	return nil
}

// threadMail builds a mail in the thread of the ticket's first mail, sent
// from the mailbox the ticket arrived in. Status mails use it, so that the
// requester's client files every one of them under the original request.
func (r *Robot) threadMail(tk *store.Ticket, fallback *config.Mailbox, kind string, to []string, subject, body string) *store.OutMail {
	mb := r.mailboxOf(tk, fallback)
	m := &store.OutMail{
		Ticket: tk.Number, Kind: kind, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: mb.Address,
		To: to, Subject: subject, Body: body, AutoSubmitted: "auto-generated",
	}
	if len(tk.MessageIDs) > 0 {
		m.InReplyTo = tk.MessageIDs[0]
		m.References = []string{tk.MessageIDs[0]}
	}
	return m
}

// sendStatus queues the status mail about the changes of run to the
// requester and to the requesters of tickets merged into this one, except
// to whoever made the changes or was told already.
func (r *Robot) sendStatus(c *commandRun) error {
	tk := c.Ticket
	var to []string
	if !c.requesterInformed {
		to = appendUnique(to, strings.ToLower(tk.Requester))
	}
	for _, a := range tk.MergedRequesters {
		to = appendUnique(to, strings.ToLower(a))
	}
	to = slices.DeleteFunc(to, func(a string) bool { return strings.EqualFold(a, c.Sender) })
	if len(c.changes) == 0 || len(to) == 0 {
		return nil
	}
	next := c.next
	if next == "" {
		next = templates.NextStep(tk.Type)
	}
	data := templates.StatusData{
		Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: tk.Subject,
		RequesterName: tk.RequesterName, Changes: c.changes, Actor: c.Sender, ActorRole: actorRole(c.Roles),
		StatusName: templates.StatusName(tk.Status), Assignee: tk.Assignee, Message: c.message, Next: next,
	}
	subject := data.Tag + " Statusänderung: " + tk.Subject
	if tk.Status == store.StatusMerged {
		// Replies go on at the survivor, so the footer names its tag.
		data.Tag = tk.MergedInto.Tag(r.cfg.Tickets.Prefix)
	}
	body, err := r.tmpl.Render(templates.Status, data)
	if err != nil {
		return err
	}
	return r.enqueue(c.tx, tk, r.threadMail(tk, c.mailbox, "status", to, subject, body))
}

// sendConfirmation queues the answer to the sender of commands.
func (r *Robot) sendConfirmation(c *commandRun, results []commandResult, comment bool) error {
	tk := c.Ticket
	data := templates.ConfirmData{Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Comment: comment,
		Skipped: c.skipped, MaxCommands: r.cfg.Commands.MaxPerMail}
	for _, res := range results {
		data.Results = append(data.Results, templates.CommandResult{OK: res.ok, Command: written(res.cmd), Text: res.text})
	}
	if c.help {
		data.Help = r.cmds.helpFor(c.Roles)
	}
	body, err := r.tmpl.Render(templates.Confirm, data)
	if err != nil {
		return err
	}
	m := r.reply(tk, c.mailbox, c.msg, "confirm", []string{c.Sender}, data.Tag+" Bestätigung Ihrer Befehle: "+tk.Subject, body)
	m.AutoSubmitted = "auto-replied"
	return r.enqueue(c.tx, tk, m)
}

// itRecipients returns who hears of a ticket on IT's side: the assignee,
// else the it role and the contacts of the ticket's application.
func (r *Robot) itRecipients(tk *store.Ticket) []string {
	if tk.Assignee != "" {
		return []string{tk.Assignee}
	}
	return withResponsible(tk, r.cfg.Roles.IT)
}

// newTicketRoles returns the roles whose commands the notice of a new
// ticket lists: IT's, and for a mini-project the IT leads' routing.
func newTicketRoles(tk *store.Ticket) []string {
	roles := []string{"it", config.RoleAssignee}
	if tk.Type == "c" {
		roles = append(roles, "it_leads")
	}
	return roles
}

// newTicketRecipients returns who gets the notice of a new ticket: the it
// role, and for a mini-project also the it_leads role, who decide its
// routing.
func (r *Robot) newTicketRecipients(tk *store.Ticket) []string {
	to := slices.Clone(r.cfg.Roles.IT)
	if tk.Type == "c" {
		for _, a := range r.cfg.Roles.ITLeads {
			if !slices.ContainsFunc(to, func(b string) bool { return strings.EqualFold(a, b) }) {
				to = append(to, a)
			}
		}
	}
	return to
}

// notifyFollowUp queues the notice of a follow-up to the assignee or IT,
// with the commands they may answer with.
func (r *Robot) notifyFollowUp(tx *store.Tx, tk *store.Ticket, mb *config.Mailbox, msg *parse.Message, text string, roles []string) error {
	return r.notifyCommands(tx, tk, mb, msg, text, roles, nil)
}

// notifyCommands queues the notice of a follow-up like notifyFollowUp,
// listing the commands of the follow-up and whether they ran.
func (r *Robot) notifyCommands(tx *store.Tx, tk *store.Ticket, mb *config.Mailbox, msg *parse.Message, text string, roles []string, results []commandResult) error {
	to := r.itRecipients(tk)
	if len(to) == 0 {
		return nil
	}
	data := templates.FollowUpData{
		Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: subjectOf(msg),
		From: strings.ToLower(msg.From.Addr), FromRole: "außenstehender Absender", Outside: len(roles) == 0,
		StatusName: templates.StatusName(tk.Status), Assignee: tk.Assignee, Text: noticeExcerpt(text),
		Commands: r.cmds.helpFor([]string{"it", config.RoleAssignee}),
	}
	for _, res := range results {
		data.Results = append(data.Results, templates.CommandResult{OK: res.ok, Command: written(res.cmd), Text: res.text})
	}
	if len(roles) > 0 {
		data.FromRole = actorRole(roles)
	}
	body, err := r.tmpl.Render(templates.FollowUp, data)
	if err != nil {
		return err
	}
	subject := data.Tag + " Neue Nachricht: " + tk.Subject
	m := r.threadMail(tk, mb, "followup", slices.Clone(to), subject, body)
	return r.enqueue(tx, tk, m)
}

// notifyAssignee tells a newly assigned IT clerk of the ticket, with the
// comment of the assigning mail and the commands addr may use on it.
func (r *Robot) notifyAssignee(c *commandRun, addr string) error {
	tk := c.Ticket
	text := "Das Ticket wurde Ihnen zugewiesen."
	if comment := strings.TrimSpace(c.comment); comment != "" {
		text += "\n\nHinweis zur Zuweisung:\n" + noticeExcerpt(comment)
	}
	text += "\n\nDie Anfrage:\n" + noticeExcerpt(firstText(tk))
	data := templates.FollowUpData{
		Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: tk.Subject,
		From: c.Sender, FromRole: actorRole(c.Roles), StatusName: templates.StatusName(tk.Status), Assignee: addr,
		Text:     text,
		Commands: r.cmds.helpFor(r.rolesOf(tk, addr)),
		Heading:  "Ticket " + tk.Number.String() + " wurde Ihnen zugewiesen",
	}
	body, err := r.tmpl.Render(templates.FollowUp, data)
	if err != nil {
		return err
	}
	m := r.threadMail(tk, c.mailbox, "assigned", []string{addr}, data.Tag+" Ihnen zugewiesen: "+tk.Subject, body)
	return r.enqueue(c.tx, tk, m)
}

// notifyPreviousAssignee tells the clerk an assignment took a ticket from.
func (r *Robot) notifyPreviousAssignee(c *commandRun, addr string) error {
	tk := c.Ticket
	data := templates.FollowUpData{
		Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: tk.Subject,
		From: c.Sender, FromRole: actorRole(c.Roles), StatusName: templates.StatusName(tk.Status), Assignee: tk.Assignee,
		Heading: "Ticket " + tk.Number.String() + " wurde neu zugewiesen",
		Text:    "Das Ticket ist jetzt " + tk.Assignee + " zugewiesen. Sie sind dafür nicht mehr zuständig und erhalten keine Nachrichten mehr dazu.",
	}
	body, err := r.tmpl.Render(templates.FollowUp, data)
	if err != nil {
		return err
	}
	m := r.threadMail(tk, c.mailbox, "unassigned", []string{addr}, data.Tag+" Neu zugewiesen: "+tk.Subject, body)
	return r.enqueue(c.tx, tk, m)
}

// firstText returns the text of the mail that opened tk.
func firstText(tk *store.Ticket) string {
	for _, e := range tk.History {
		if e.Kind == store.EventCreated {
			return e.Text
		}
	}
	return ""
}
