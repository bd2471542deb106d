package mailbot

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// kindDigest is the kind of the digest of new tickets to the IT role.
const kindDigest = "notify-digest"

// digestTextRunes bounds the start of a mail's text shown in the digest.
const digestTextRunes = 160

// noticeDigest gathers the IT notices of the new tickets of one fetch
// batch while the batch is decided. When the batch made at least
// tickets.digest_min of them, IT gets one digest; otherwise each notice
// is queued as it would have been. Only notices that would go to exactly
// the IT role are gathered: a mini-project's notice to the team leads or
// one to an application's contacts always goes out on its own.
type noticeDigest struct {
	mb    *config.Mailbox
	items []digestItem
}

// digestItem is the notice of one new ticket, not yet queued.
type digestItem struct {
	number store.Number
	msg    *parse.Message
	data   templates.TicketData
	to     []string
}

// gatherNotice takes the IT notice of the new ticket tk into the digest
// of the running batch and reports whether it did.
func (r *Robot) gatherNotice(tk *store.Ticket, msg *parse.Message, data templates.TicketData, to []string) bool {
	d := r.digest
	if d == nil || !sameAddrs(to, r.cfg.Roles.IT) {
		return false
	}
	d.items = append(d.items, digestItem{number: tk.Number, msg: msg, data: data, to: slices.Clone(to)})
	return true
}

// flushDigest queues what d gathered: one digest when it holds at least
// tickets.digest_min notices, else each notice on its own.
func (r *Robot) flushDigest(tx *store.Tx, d *noticeDigest) error {
	if len(d.items) == 0 {
		return nil
	}
	if len(d.items) < r.cfg.Tickets.DigestMin {
		for _, it := range d.items {
			if err := r.queueGathered(tx, d.mb, it); err != nil {
				return err
			}
		}
		return nil
	}

	data := templates.DigestData{Count: len(d.items), Mailbox: d.mb.Name, Address: d.mb.Address}
	for _, it := range d.items {
		t := it.data
		data.Tickets = append(data.Tickets, templates.DigestTicket{
			Number: t.Number, Tag: t.Tag, TypeName: t.TypeName, Requester: t.Requester, RequesterName: t.RequesterName,
			Subject: t.Subject, Reason: t.Reason, ManualTriage: t.ManualTriage, AckHeld: t.AckHeld,
			Text: digestText(t.Text), Mailto: mailtoLink(d.mb.Address, t.Tag+" "+t.Subject),
		})
	}

	body, err := r.tmpl.Render(templates.NotifyDigest, data)
	if err != nil {
		return err
	}
	m := &store.OutMail{Kind: kindDigest, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: d.mb.Address,
		To: slices.Clone(d.items[0].to), Subject: fmt.Sprintf("%d neue Tickets im Postfach %s (Sammelmeldung)", len(d.items), d.mb.Name),
		Body: body, AutoSubmitted: "auto-generated"}
	// The digest belongs to no one ticket: its Message-ID stays out of
	// the tickets' threading, so a reply to it opens no ticket's thread.
	if m.MessageID, err = plainMessageID(kindDigest, config.Domain(m.From)); err != nil {
		return err
	}
	heldBack, err := r.queueOwn(tx, m)
	if err != nil {
		return err
	}
	r.log.Info("new tickets gathered into one digest for IT", "mailbox", d.mb.Name, "count", len(d.items),
		"first", d.items[0].number, "last", d.items[len(d.items)-1].number, "msgid", m.MessageID, "held", heldBack)

	for _, it := range d.items {
		tk, err := tx.Ticket(it.number)
		if err != nil {
			return err
		}
		ev := store.Event{At: m.Date, Kind: store.EventMailOut, Actor: m.From, MessageID: m.MessageID, Subject: m.Subject,
			Text: fmt.Sprintf("An %s (%s, %d neue Tickets)", strings.Join(m.To, ", "), kindDigest, len(d.items)), To: slices.Clone(m.To)}
		if heldBack {
			ev = store.Event{At: m.Date, Kind: store.EventHeld, Actor: m.From, Subject: m.Subject,
				Text: fmt.Sprintf("Sammelmeldung (%s) an %s zurückgehalten, sie wird nicht nachgesendet.", kindDigest, strings.Join(m.To, ", "))}
		}
		tk.History = append(tk.History, ev)
		if err := tx.PutTicket(tk); err != nil {
			return err
		}
	}
	return nil
}

// queueGathered queues the notice of one gathered ticket on its own, as
// newTicket would have.
func (r *Robot) queueGathered(tx *store.Tx, mb *config.Mailbox, it digestItem) error {
	tk, err := tx.Ticket(it.number)
	if err != nil {
		return err
	}
	if err := r.queueNewTicketNotice(tx, tk, mb, it.msg, it.data, it.to); err != nil {
		return err
	}
	return tx.PutTicket(tk)
}

// queueNewTicketNotice renders and queues the notice of the new ticket tk
// to the addresses to.
func (r *Robot) queueNewTicketNotice(tx *store.Tx, tk *store.Ticket, mb *config.Mailbox, msg *parse.Message, data templates.TicketData, to []string) error {
	body, err := r.tmpl.Render(templates.Notify, data)
	if err != nil {
		return err
	}
	subject := fmt.Sprintf("%s Neues Ticket (%s): %s", tk.Number.Tag(r.cfg.Tickets.Prefix), typeCode(tk), subjectOf(msg))
	note := r.reply(tk, mb, msg, "notify", to, subject, body)
	note.AutoSubmitted = "auto-generated"
	return r.enqueue(tx, tk, note)
}

// sameAddrs reports whether a and b hold the same addresses, in any order
// and case.
func sameAddrs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y string) bool { return strings.EqualFold(x, y) }) {
			return false
		}
	}
	return true
}

// digestText is the start of a mail's text on one line.
func digestText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= digestTextRunes {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:digestTextRunes])) + " …"
}

// mailtoLink returns a mailto: URL (RFC 6068) of a mail to addr with the
// given subject. Every byte outside the unreserved set is percent-encoded,
// so that spaces, "&" and umlauts reach the mail client unchanged.
func mailtoLink(addr, subject string) string {
	var b strings.Builder
	b.WriteString("mailto:")
	b.WriteString(addr)
	b.WriteString("?subject=")
	for i := 0; i < len(subject); i++ {
		c := subject[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
