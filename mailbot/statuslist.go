package mailbot

import (
	"regexp"
	"strings"

	"mailbot/config"
	"mailbot/parse"
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

// answerStatusQuery queues the list of the sender's open tickets: those
// they requested, are in copy of, or are assigned to.
func (r *Robot) answerStatusQuery(tx *store.Tx, in Incoming, msg *parse.Message) error {
	sender := strings.ToLower(msg.From.Addr)
	data := templates.ListData{Address: sender}
	// NOTE: this reads every ticket; fine for an office's volume, an index
	// by address would be needed for many thousands.
	err := tx.Tickets(func(tk *store.Ticket) bool {
		switch tk.Status {
		case store.StatusClosed, store.StatusWithdrawn, store.StatusMerged:
			return true
		}
		if !involved(tk, sender) {
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

	body, err := r.tmpl.Render(templates.List, data)
	if err != nil {
		return err
	}
	id, err := newMessageID(store.Number{}, config.Domain(in.Mailbox.Address))
	if err != nil {
		return err
	}
	m := &store.OutMail{Kind: "list", MessageID: id, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: in.Mailbox.Address,
		To: []string{sender}, Subject: "Ihre offenen Tickets", Body: body, AutoSubmitted: "auto-replied"}
	if msg.MessageID != "" {
		m.InReplyTo = msg.MessageID
		m.References = trimReferences(append(append([]string(nil), msg.References...), msg.MessageID))
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
