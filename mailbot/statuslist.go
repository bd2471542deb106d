package mailbot

import (
	"regexp"
	"slices"
	"strings"

	"mailbot/command"
	"mailbot/config"
	"mailbot/parse"
	"mailbot/rules"
	"mailbot/store"
	"mailbot/templates"
)

// replyPrefixes matches the reply and forward prefixes of subjects.
var replyPrefixes = regexp.MustCompile(`(?i)^\s*((re|aw|wg|fw|fwd|antw|sv|vs)\s*(\[\d+\])?\s*:\s*)+`)

// isStatusWord reports whether s is just "Status" or "#status".
func isStatusWord(s string) bool {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), ".!?:"))
	return s == "status" || s == "#status"
}

// isStatusQuery reports whether msg asks for the sender's open tickets:
// its subject, or its whole new text, is just "Status" or "#status".
func isStatusQuery(msg *parse.Message) bool {
	if isStatusWord(replyPrefixes.ReplaceAllString(msg.Subject, "")) {
		return true
	}
	return isStatusWord(parse.NewText(msg.Text))
}

// isHelpQuery reports whether msg, which belongs to no ticket, asks only
// for help: its subject or its whole new text is "#hilfe" in any of the
// configured spellings.
func (r *Robot) isHelpQuery(msg *parse.Message) bool {
	for _, s := range []string{replyPrefixes.ReplaceAllString(msg.Subject, ""), parse.NewText(msg.Text)} {
		s = strings.TrimSpace(s)
		if !strings.HasPrefix(s, "#") || strings.ContainsAny(s, " \n") {
			continue
		}
		if name, ok := r.cmds.vocab.Lookup(strings.Trim(s[1:], ".!?:")); ok && name == "help" {
			return true
		}
	}
	return false
}

// answerHelpQuery queues the guide with the commands the sender may use
// on the tickets they request. refused lists the commands of a mail that
// belongs to no ticket; the guide then starts by saying none of them ran.
func (r *Robot) answerHelpQuery(tx *store.Tx, in Incoming, msg *parse.Message, refused []string) error {
	sender := strings.ToLower(msg.From.Addr)
	roles := append([]string{config.RoleRequester}, r.rolesOf(nil, sender)...)
	data := templates.HelpData{Commands: r.cmds.helpFor(roles), Refused: refused,
		TagExample: store.Number{Year: r.Now().Year(), Seq: 42}.Tag(r.cfg.Tickets.Prefix),
		Digest:     len(refused) > 0 && slices.Contains(r.noTicketReplied(msg), kindDigest)}
	body, err := r.tmpl.Render(templates.Help, data)
	if err != nil {
		return err
	}
	subject := "Hilfe zum IT-Ticketsystem"
	if len(refused) > 0 {
		subject = "Befehle ohne Ticket nicht ausgeführt"
	}
	return r.answerWithoutTicket(tx, in, msg, "help", subject, body)
}

// ticketCommands returns, as written, the ticket commands in the new text
// and subject of msg, which belongs to no ticket, and how many more lines
// only repeat mailbot's own text (see dropEchoes). Unknown "#words" do not
// count, so a "#Drucker" in a new request still makes a ticket, and
// neither do jour fixe commands, which answerJourFixeMail handles or
// leaves to become a ticket.
func (r *Robot) ticketCommands(tx *store.Tx, msg *parse.Message) ([]string, int, error) {
	text := parse.NewText(msg.Text)
	cmds, _ := command.Parse(text, r.cmds.vocab)
	cmds = append(command.ParseSubject(msg.Subject, r.cmds.vocab), cmds...)
	cmds = slices.DeleteFunc(cmds, func(c command.Command) bool { return c.Name == "" || jourFixeCommandNames[c.Name] })
	typed, echoed, err := r.dropEchoes(tx, nil, msg, strings.ToLower(msg.From.Addr), text, cmds)
	if err != nil {
		return nil, 0, err
	}
	var out []string
	for _, c := range typed {
		out = append(out, written(c))
	}
	return out, len(echoed), nil
}

// announcementMail reports whether msg is a mini-project announcement
// by its subject. Its "#" lines, such as "#Status: Entwurf", are text of
// the request, not commands: an announcement always opens new work.
func announcementMail(msg *parse.Message) bool {
	// Compared as the rules compare it, so "Vorklaerung" or decomposed
	// umlauts match too.
	subject := rules.Normalize(replyPrefixes.ReplaceAllString(msg.Subject, ""))
	return strings.HasPrefix(subject, normalizedAnnouncementForm)
}

var normalizedAnnouncementForm = rules.Normalize(announcementForm)

// answerStatusQuery queues the list of the sender's open tickets: those
// they requested, are in copy of, or are assigned to.
func (r *Robot) answerStatusQuery(tx *store.Tx, in Incoming, msg *parse.Message) error {
	sender := strings.ToLower(msg.From.Addr)
	data := templates.ListData{Address: sender}
	var merged []*store.Ticket
	err := tx.SummariesOf(sender, func(tk *store.Ticket) bool {
		switch tk.Status {
		case store.StatusMerged:
			if strings.EqualFold(tk.Requester, sender) {
				merged = append(merged, tk)
			}
			return true
		case store.StatusClosed, store.StatusWithdrawn:
			return true
		}
		// A requester of a merged ticket sees it under the number they
		// know, below.
		if !involved(tk, sender) || (slices.Contains(tk.MergedRequesters, sender) && !strings.EqualFold(tk.Assignee, sender)) {
			return true
		}
		data.Tickets = append(data.Tickets, templates.ListEntry{
			Number: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: tk.Subject, StatusName: templates.StatusName(tk.Status),
			Assignee: tk.Assignee, Updated: tk.Updated.Local().Format("02.01.2006 15:04"),
		})
		return true
	})
	if err != nil {
		return err
	}
	for _, dup := range merged {
		surv, err := r.survivor(tx, dup.MergedInto)
		if err != nil {
			return err
		}
		switch surv.Status {
		case store.StatusClosed, store.StatusWithdrawn, store.StatusMerged:
			continue
		}
		data.Tickets = append(data.Tickets, templates.ListEntry{
			Number: dup.Number.Tag(r.cfg.Tickets.Prefix), Subject: dup.Subject,
			StatusName: "zusammengeführt mit " + surv.Number.Tag(r.cfg.Tickets.Prefix) + ", dort " + templates.StatusName(surv.Status),
			Assignee:   surv.Assignee, Updated: surv.Updated.Local().Format("02.01.2006 15:04"),
		})
	}

	body, err := r.tmpl.Render(templates.List, data)
	if err != nil {
		return err
	}
	return r.answerWithoutTicket(tx, in, msg, "list", "Ihre offenen Tickets", body)
}

// answerWithoutTicket queues a reply to the sender of msg that belongs to
// no ticket.
func (r *Robot) answerWithoutTicket(tx *store.Tx, in Incoming, msg *parse.Message, kind, subject, body string) error {
	if requesterOf(msg).Addr == "" {
		r.log.Warn("no valid sender address, no reply sent", "kind", kind, "mailbox", in.Mailbox.Name, "msgid", msg.MessageID)
		return nil
	}
	id, err := plainMessageID(kind, config.Domain(in.Mailbox.Address))
	if err != nil {
		return err
	}
	m := &store.OutMail{Kind: kind, MessageID: id, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: in.Mailbox.Address,
		To: []string{strings.ToLower(msg.From.Addr)}, Subject: subject, Body: body, AutoSubmitted: "auto-replied"}
	if msg.MessageID != "" {
		m.InReplyTo = msg.MessageID
		m.References = trimReferences(append(append([]string(nil), msg.References...), msg.MessageID))
	}
	if held, err := r.applyBrakes(tx, nil, m); err != nil || held {
		return err
	}
	return tx.Enqueue(m)
}

// involved reports whether addr requested, is in copy of or works on tk.
func involved(tk *store.Ticket, addr string) bool {
	if strings.EqualFold(tk.Requester, addr) || strings.EqualFold(tk.Assignee, addr) {
		return true
	}
	for _, a := range tk.Cc {
		if strings.EqualFold(a, addr) {
			return true
		}
	}
	return false
}
