package mailbot

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/register"
	"mailbot/rules"
	"mailbot/store"
	"mailbot/templates"
)

// announcementForm is the subject prefix of a mini-project announcement,
// as the rulebook spells it.
const announcementForm = "Vorklärung Projekt für IT/50-JF:"

// routingRoles take part in routing mini-projects. A c-type mail from one
// of them gets the plain acknowledgement, because the explanation that such
// requests go through the orga contact is meant for other staff.
var routingRoles = []string{"orga", "it", "it_leads", "it_head", "digi"}

// triageInput builds what the rules look at for msg in mailbox mb.
func triageInput(cfg *config.Config, mb *config.Mailbox, msg *parse.Message) rules.Input {
	return rules.Input{Mailbox: mb.Name, SenderRoles: cfg.Roles.RolesOf(msg.From.Addr),
		Subject: msg.Subject, Body: msg.Text}
}

// Candidates returns the ids of every rule that matches msg in mailbox mb,
// the deciding rule first.
func Candidates(cfg *config.Config, eng *rules.Engine, mb *config.Mailbox, msg *parse.Message) []string {
	return eng.Candidates(triageInput(cfg, mb, msg))
}

// LoadRegisters reads the register files the configuration names.
func LoadRegisters(cfg *config.Config) (*register.Set, error) {
	return register.Load(register.Files{BudgetItems: cfg.Registers.BudgetItems,
		Applications: cfg.Registers.Applications, Positions: cfg.Registers.Positions})
}

// applyTriage copies the details of a decision onto a new ticket.
func (r *Robot) applyTriage(tk *store.Ticket, d rules.Decision) {
	tk.Cite = d.Cite
	tk.Position, tk.PositionStatus = d.Position, d.PositionStatus
	tk.BudgetItem, tk.BudgetStatus = d.BudgetID, d.BudgetStatus
	if d.Budget != nil {
		tk.BudgetTitle = d.Budget.Title
	}
	if d.Application != nil {
		tk.Application, tk.Responsibility = d.Application.Name, d.Application.Model
		tk.Responsible = d.Application.Responsible(r.cfg.Roles.IT)
	}
	if a := d.Announcement; a != nil {
		tk.Announcement = &store.Announcement{Description: a.Description, Urgency: a.Urgency,
			Sketch: a.Sketch, Missing: slices.Clone(a.Missing)}
	}
}

// triageData adds the triage details of tk to template data.
func (r *Robot) triageData(d *templates.TicketData, tk *store.Ticket) {
	d.Cite, d.Position, d.Application = tk.Cite, tk.Position, tk.Application
	if tk.Responsibility != "" {
		d.Responsibility = register.ModelName(tk.Responsibility)
	}
	d.Responsible = tk.Responsible
	d.BudgetItem, d.BudgetTitle, d.BudgetStatus = tk.BudgetItem, tk.BudgetTitle, tk.BudgetStatus
	if a := tk.Announcement; a != nil {
		d.Announcement, d.HasDescription, d.HasSketch = true, a.Description, a.Sketch
		d.Urgency, d.Missing = rules.UrgencyName(a.Urgency), a.Missing
	}
	d.OrgaContacts = r.cfg.Roles.Orga
	for _, m := range r.cfg.Mailboxes {
		d.AnnouncementTo = append(d.AnnouncementTo, m.Address)
	}
	d.AnnouncementForm = announcementForm
}

// needsAnnouncement reports whether tk is a c-type request from someone
// outside the routing roles, whose reply explains the way through the orga
// contact.
func (r *Robot) needsAnnouncement(tk *store.Ticket) bool {
	if tk.Type != "c" {
		return false
	}
	for _, role := range r.cfg.Roles.RolesOf(tk.Requester) {
		if slices.Contains(routingRoles, role) {
			return false
		}
	}
	return true
}

// ackTemplate returns the template of the acknowledgement of a new ticket.
func (r *Robot) ackTemplate(tk *store.Ticket) string {
	switch {
	case r.needsAnnouncement(tk):
		return templates.AckNeedsAnnouncement
	case tk.Announcement != nil:
		return templates.AckAnnouncement
	}
	return templates.Ack
}

// ackRecipients returns who gets the acknowledgement: the requester, and
// for an announcement also the digitalisation address (rules.announcement_cc).
func (r *Robot) ackRecipients(tk *store.Ticket) []string {
	to := []string{tk.Requester}
	if tk.Announcement != nil && !r.needsAnnouncement(tk) {
		to = append(to, r.cfg.Rules.AnnouncementCC...)
	}
	return uniqueAddrs(to)
}

// notifyRecipients returns the addresses of IT's notice of a new ticket.
// That is the it role and, for a support ticket about a registered
// application, the addresses its responsibility model names (see
// withResponsible). Type c adds the IT leads, who route mini-projects, and
// an order from an approved budget item adds the item's owner.
func (r *Robot) notifyRecipients(tk *store.Ticket, d rules.Decision) []string {
	to := withResponsible(tk, r.newTicketRecipients(tk))
	if tk.Subtype == "b2" && d.Budget != nil && d.Budget.Owner != "" {
		if _, err := mail.ParseAddress(d.Budget.Owner); err == nil {
			to = append(to, d.Budget.Owner)
		}
	}
	return uniqueAddrs(to)
}

// withResponsible adds to IT's addresses it the contacts responsible for
// the application of a support ticket, first. Under the office's full
// responsibility (model office) those contacts replace IT, because IT
// then has no part in the application's support.
func withResponsible(tk *store.Ticket, it []string) []string {
	if tk.Type != "a" || len(tk.Responsible) == 0 {
		return slices.Clone(it)
	}
	if tk.Responsibility == register.ModelOffice {
		return slices.Clone(tk.Responsible)
	}
	return mergeAddrs(tk.Responsible, it)
}

// queueOrgaNotice queues a notice to the orga role of a c-type request
// that did not come through it.
func (r *Robot) queueOrgaNotice(tx *store.Tx, tk *store.Ticket, mb *config.Mailbox, msg *parse.Message, data templates.TicketData) error {
	if !r.needsAnnouncement(tk) || len(r.cfg.Roles.Orga) == 0 {
		return nil
	}
	body, err := r.tmpl.Render(templates.NotifyOrga, data)
	if err != nil {
		return err
	}
	subject := fmt.Sprintf("%s Anliegen mit Vorklärungsbedarf: %s", tk.Number.Tag(r.cfg.Tickets.Prefix), subjectOf(msg))
	note := r.reply(tk, mb, msg, "orga", uniqueAddrs(r.cfg.Roles.Orga), subject, body)
	note.AutoSubmitted = "auto-generated"
	return r.enqueue(tx, tk, note)
}

// registerBudget serves "#budget" from the budget register of the triage
// rules.
type registerBudget struct{ set *register.Set }

// ApprovedItems returns the items approved without reservation.
func (b registerBudget) ApprovedItems(*store.Tx) ([]BudgetItem, error) {
	var out []BudgetItem
	for _, it := range b.set.Budget {
		if !it.Approved {
			continue
		}
		out = append(out, BudgetItem{ID: it.ID, Title: it.Title, Amount: it.Amount, Quantity: it.Quantity})
	}
	return out, nil
}

// completeAnnouncement checks a reply of the requester or the orga contact
// on an announcement ticket for the parts the announcement lacked, and
// notes on the ticket what the reply added and what is still missing.
func (r *Robot) completeAnnouncement(tk *store.Ticket, roles []string, text string) {
	a := tk.Announcement
	if a == nil || len(a.Missing) == 0 || !slices.ContainsFunc(roles, func(role string) bool {
		// Not IT: its replies carry routing words such as "IT-JF" that
		// would read as the announcement's urgency.
		return role == config.RoleRequester || role == "orga"
	}) {
		return
	}
	merged := rules.Announcement{Description: a.Description, Urgency: a.Urgency, Sketch: a.Sketch, Missing: a.Missing}
	merged.Add(rules.CheckAnnouncement(text))
	if slices.Equal(merged.Missing, a.Missing) && merged.Urgency == a.Urgency {
		return
	}
	tk.Announcement = &store.Announcement{Description: merged.Description, Urgency: merged.Urgency,
		Sketch: merged.Sketch, Missing: merged.Missing}
	note := "Die Vorankündigung ist jetzt vollständig."
	if len(merged.Missing) > 0 {
		note = "Die Vorankündigung wurde ergänzt; es fehlt noch: " + strings.Join(merged.Missing, "; ") + "."
	}
	tk.History = append(tk.History, store.Event{At: r.Now(), Kind: store.EventNote, Text: note})
}

// uniqueAddrs drops empty and repeated addresses, compared without case.
func uniqueAddrs(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range list {
		k := strings.ToLower(strings.TrimSpace(a))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, strings.TrimSpace(a))
	}
	return out
}
