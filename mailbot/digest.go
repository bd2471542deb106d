package mailbot

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/rules"
	"mailbot/store"
	"mailbot/templates"
)

// kindDigest is the kind of the digest of new tickets to the IT role.
const kindDigest = "notify-digest"

// Bounds of what the digest shows of each mail, in runes: the start of
// its text, and its subject in the list and in the mailto: link, which
// some mail programs cut or refuse when it is very long.
const (
	digestTextRunes    = 160
	digestSubjectRunes = 120
)

// noticeDigest gathers the IT notices of the new tickets of one fetch
// batch while the batch is decided. When the batch made at least
// tickets.digest_min of them, IT gets one digest. Otherwise each notice
// is queued as it would have been. Only notices that go to exactly the
// IT role are gathered, with the details their own notice would show
// (project, announcement check, application, budget item). A notice that
// also goes to the team leads (a mini-project) or to an application's
// contacts goes out on its own, so those people get what they need.
type noticeDigest struct {
	mb    *config.Mailbox
	id    string // Message-ID of the digest, noted on each gathered ticket
	items []digestItem
}

// digestItem is the notice of one new ticket, not yet queued.
type digestItem struct {
	number store.Number
	msg    *parse.Message
	data   templates.TicketData
	to     []string
}

// newNoticeDigest starts the digest of a batch from mailbox mb.
func newNoticeDigest(mb *config.Mailbox) (*noticeDigest, error) {
	id, err := plainMessageID(kindDigest, config.Domain(mb.Address))
	if err != nil {
		return nil, err
	}
	return &noticeDigest{mb: mb, id: id}, nil
}

// gatherNotice takes the IT notice of the new ticket tk into the digest
// of the running batch and reports whether it did. The ticket's history
// notes the digest at once, which saves rewriting the ticket when the
// digest goes out, the usual case.
func (r *Robot) gatherNotice(tk *store.Ticket, msg *parse.Message, data templates.TicketData, to []string) bool {
	d := r.digest
	if d == nil || !sameAddrs(to, r.cfg.Roles.IT) {
		return false
	}
	d.items = append(d.items, digestItem{number: tk.Number, msg: msg, data: data, to: slices.Clone(to)})
	tk.History = append(tk.History, store.Event{At: r.Now(), Kind: store.EventMailOut, Actor: d.mb.Address,
		MessageID: d.id, Subject: "Neue Tickets im Postfach " + d.mb.Name + " (Sammelmeldung)", Text: "An " + strings.Join(to, ", ") + " (" + kindDigest + ")", To: slices.Clone(to)})
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
			if err := r.queueGathered(tx, d, it); err != nil {
				return err
			}
		}
		return nil
	}

	data := templates.DigestData{Count: len(d.items), Mailbox: d.mb.Name, Address: d.mb.Address}
	for _, it := range d.items {
		t := it.data
		t.Subject = clipRunes(t.Subject, digestSubjectRunes)
		data.Tickets = append(data.Tickets, templates.DigestTicket{TicketData: t,
			Excerpt: clipRunes(strings.Join(strings.Fields(rules.NewText(t.Text)), " "), digestTextRunes),
			Mailto:  mailtoLink(d.mb.Address, t.Tag+" "+t.Subject),
		})
	}
	body, err := r.tmpl.Render(templates.NotifyDigest, data)
	if err != nil {
		return err
	}
	// The digest belongs to no one ticket: its Message-ID stays out of
	// the tickets' threading, so a reply to it opens no ticket's thread.
	m := &store.OutMail{Kind: kindDigest, MessageID: d.id, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: d.mb.Address,
		To: slices.Clone(d.items[0].to), Subject: fmt.Sprintf("%d neue Tickets im Postfach %s (Sammelmeldung)", len(d.items), d.mb.Name),
		Body: body, AutoSubmitted: "auto-generated"}
	// The brakes hold the digest back only when every IT address bounced
	// recently (see digestBrakes).
	heldBack, err := r.queueOwn(tx, m)
	if err != nil {
		return err
	}
	r.log.Info("new tickets gathered into one digest for IT", "mailbox", d.mb.Name, "count", len(d.items),
		"first", d.items[0].number, "last", d.items[len(d.items)-1].number, "msgid", m.MessageID, "held", heldBack)
	if !heldBack && sameAddrs(m.To, d.items[0].to) {
		return nil
	}
	// digestBrakes left out IT addresses that bounced, or all of them, so
	// the note on each ticket is written again with what was queued.
	note := store.Event{At: m.Date, Kind: store.EventMailOut, Actor: m.From, MessageID: m.MessageID, Subject: m.Subject,
		Text: "An " + strings.Join(m.To, ", ") + " (" + kindDigest + ")", To: slices.Clone(m.To)}
	if heldBack {
		note = store.Event{At: m.Date, Kind: store.EventHeld, Actor: m.From, Subject: m.Subject,
			Text: fmt.Sprintf("Sammelmeldung (%s) an %s zurückgehalten, weil Mails an diese Adressen zuletzt unzustellbar waren.",
				kindDigest, strings.Join(d.items[0].to, ", "))}
	}
	for _, it := range d.items {
		err := r.rewriteDigestEvent(tx, d, it.number, func(tk *store.Ticket) error {
			tk.History = append(tk.History, note)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// queueGathered queues the notice of one gathered ticket on its own, as
// newTicket would have, in place of the digest its history notes.
func (r *Robot) queueGathered(tx *store.Tx, d *noticeDigest, it digestItem) error {
	return r.rewriteDigestEvent(tx, d, it.number, func(tk *store.Ticket) error {
		return r.queueNewTicketNotice(tx, tk, d.mb, it.msg, it.data, it.to)
	})
}

// rewriteDigestEvent removes the note of digest d from the history of
// ticket n, runs fn on the ticket and stores it.
func (r *Robot) rewriteDigestEvent(tx *store.Tx, d *noticeDigest, n store.Number, fn func(*store.Ticket) error) error {
	tk, err := tx.Ticket(n)
	if err != nil {
		return err
	}
	tk.History = slices.DeleteFunc(tk.History, func(e store.Event) bool { return e.MessageID == d.id })
	if err := fn(tk); err != nil {
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

// clipRunes returns s cut to at most n runes, with " …" where it was cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + " …"
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
