package mailbot

import (
	"strings"
	"time"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// The local part of an agenda mail's Message-ID names series and meeting
// date, as in mailbot.agenda.it.20270112.<random>. It is the agenda
// mail's thread identity: a reply names it in In-Reply-To or References.
const (
	agendaLabel    = "agenda"
	agendaIDPrefix = "mailbot." + agendaLabel + "."
)

// agendaReplied returns the series and meeting date of the agenda mail
// msg replies to, and whether it replies to one sent from a mailbox of
// this robot.
func (r *Robot) agendaReplied(msg *parse.Message) (series string, day time.Time, ok bool) {
	for _, id := range append(append([]string(nil), msg.InReplyTo...), msg.References...) {
		local, domain, found := strings.Cut(id, "@")
		rest, agenda := strings.CutPrefix(local, agendaIDPrefix)
		if !found || !agenda || !r.ownDomain(domain) {
			continue
		}
		parts := strings.Split(rest, ".")
		if len(parts) < 2 {
			continue
		}
		d, err := time.ParseInLocation("20060102", parts[1], r.cfg.JourFixe.Location())
		if err != nil {
			continue
		}
		return parts[0], d, true
	}
	return "", time.Time{}, false
}

// ownDomain reports whether domain is that of one of the robot's mailboxes.
func (r *Robot) ownDomain(domain string) bool {
	for _, mb := range r.cfg.Mailboxes {
		if strings.EqualFold(config.Domain(mb.Address), domain) {
			return true
		}
	}
	return false
}

// answerAgendaReply answers a reply to an agenda mail, which belongs to
// no ticket, with a note on where agenda points are discussed, instead of
// opening a ticket from it. It reports false when msg is no such reply.
func (r *Robot) answerAgendaReply(tx *store.Tx, in Incoming, msg *parse.Message) (bool, error) {
	series, day, ok := r.agendaReplied(msg)
	if !ok || r.repliesToHint(msg) {
		// A reply to the note still names the agenda in References;
		// answerNoTicketReply files it without a second note.
		return false, nil
	}
	d := templates.AgendaReplyData{Subject: strings.TrimSpace(msg.Subject), Title: r.seriesTitle(series)}
	if d.Title != "" {
		d.Subject = "Tagesordnung " + d.Title + " am " + day.Format("02.01.2006")
	}
	body, err := r.tmpl.Render(templates.AgendaReply, d)
	if err != nil {
		return true, err
	}
	r.log.Info("reply to an agenda mail answered", "mailbox", in.Mailbox.Name, "uid", in.UID, "msgid", msg.MessageID,
		"series", series)
	return true, r.answerWithoutTicket(tx, in, msg, "agenda_reply", "Ihre Antwort auf die Tagesordnung", body)
}
