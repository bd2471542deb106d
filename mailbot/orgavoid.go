package mailbot

import (
	"fmt"
	"strings"

	"mailbot/store"
	"mailbot/templates"
)

// orgaVoidKind is the kind of the mail informing the orga contact that an
// earlier notice (kind "orga", see queueOrgaNotice) no longer applies.
const orgaVoidKind = "orga_void"

// orgaNoticeRecipients returns the recipients of the orga notice of tk,
// or nil when there is none or a later mail has withdrawn it.
func orgaNoticeRecipients(tk *store.Ticket) []string {
	for i := len(tk.History) - 1; i >= 0; i-- {
		e := tk.History[i]
		if e.Kind != store.EventMailOut {
			continue
		}
		switch {
		case strings.HasSuffix(e.Text, " (orga)"):
			return e.To
		case strings.HasSuffix(e.Text, " ("+orgaVoidKind+")"):
			return nil
		}
	}
	return nil
}

// voidOrgaNotice queues a short mail to the orga contacts who were asked
// for an announcement of tk, after IT changed its type away from c.
func (r *Robot) voidOrgaNotice(c *commandRun) error {
	tk := c.Ticket
	to := orgaNoticeRecipients(tk)
	if len(to) == 0 {
		return nil
	}
	d := templates.TicketData{Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: tk.Subject,
		Requester: tk.Requester, RequesterName: tk.RequesterName, TypeName: templates.TypeName(tk.Type, tk.Subtype)}
	body, err := r.tmpl.Render(templates.OrgaVoid, d)
	if err != nil {
		return fmt.Errorf("render %s for ticket %s: %w", templates.OrgaVoid, tk.Number, err)
	}
	m := r.threadMail(tk, c.mailbox, orgaVoidKind, to, d.Tag+" Keine Vorankündigung nötig: "+tk.Subject, body)
	return r.enqueue(c.tx, tk, m)
}
