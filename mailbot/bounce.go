package mailbot

import (
	"fmt"
	"strings"

	"mailbot/parse"
	"mailbot/store"
)

// kindBounceNotice marks the notice of an undeliverable mail to IT.
const kindBounceNotice = "bounce"

// fileDeliveryReport handles a delivery report (RFC 3464 DSN or an
// Exchange NDR). It marks the reported outgoing mail undeliverable, files
// the report on that mail's ticket, pauses automatic mail to the failed
// addresses for brakes.bounce_pause and sends one notice per undelivered
// mail to the it and admin roles. A report gets no reply and makes no
// ticket.
func (r *Robot) fileDeliveryReport(tx *store.Tx, in Incoming, msg *parse.Message, tk *store.Ticket, rec store.UIDRecord) (store.UIDRecord, error) {
	rep := msg.Report
	now := r.Now()
	r.counters.DeliveryReports.Add(1)
	log := r.log.With("mailbox", in.Mailbox.Name, "uid", in.UID, "msgid", msg.MessageID,
		"original_msgid", rep.OriginalMessageID, "recipients", strings.Join(rep.Recipients, ","), "status", rep.Status)

	// The returned Message-ID names the ticket more surely than a tag in
	// the subject.
	if n, ok := tx.TicketByMessageID(rep.OriginalMessageID); ok {
		t, err := tx.Ticket(n)
		if err != nil && !isNotFound(err) {
			return rec, err
		}
		if t != nil {
			tk = t
		}
	}
	failed := rep.Action == "failed" || rep.Action == ""
	if !failed {
		log.Info("delivery report without failure filed", "action", rep.Action)
	}

	detail := reportDetail(rep)
	if failed {
		out, err := tx.MarkBounced(rep.OriginalMessageID, detail)
		if err != nil {
			return rec, err
		}
		if out != nil {
			log.Warn("outgoing mail bounced", "ticket", out.Ticket, "kind", out.Kind, "to", strings.Join(out.To, ","))
		}
		if pause := r.cfg.Brakes.BouncePause; pause > 0 {
			for _, addr := range rep.Recipients {
				p := store.Pause{Until: now.Add(pause), Reason: "delivery failed: " + detail}
				if tk != nil {
					p.Ticket = tk.Number
				}
				if err := tx.PutPause(addr, p); err != nil {
					return rec, err
				}
				log.Warn("automatic mail to address paused after bounce", "addr", addr, "until", p.Until)
			}
		}
	}

	if tk == nil {
		log.Warn("delivery report names no known ticket, filed nowhere")
		if failed {
			return rec, r.noticeAdmin(tx, &in, "Unzustellbar: "+rep.OriginalSubject, bounceNoticeBody(nil, rep, detail, r.cfg.Brakes.BouncePause.String()))
		}
		return rec, nil
	}

	rec.Ticket = tk.Number
	told := reportFiled(tk, rep)
	verb := "Zustellung fehlgeschlagen"
	if !failed {
		verb = "Zustellbericht (" + rep.Action + ")"
	}
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventBounce, Actor: msg.From.Addr, Mailbox: in.Mailbox.Name,
		MessageID: msg.MessageID, Subject: msg.Subject,
		Text: fmt.Sprintf("%s: Mail %s an %s: %s. Keine Antwort.", verb, originalRef(rep), strings.Join(rep.Recipients, ", "), detail)})
	tk.Updated = now
	tk.MessageIDs = appendUnique(tk.MessageIDs, msg.MessageID)

	if failed && !told {
		to := joinAddresses(r.cfg.Roles.IT, r.cfg.Roles.Admin)
		if len(to) == 0 {
			log.Warn("no it or admin role configured, nobody told of the bounce")
		} else {
			subject := tk.Number.Tag(r.cfg.Tickets.Prefix) + " Unzustellbar: " + firstNonEmpty(rep.OriginalSubject, tk.Subject)
			m := r.reply(tk, in.Mailbox, msg, kindBounceNotice, to, subject, bounceNoticeBody(tk, rep, detail, r.cfg.Brakes.BouncePause.String()))
			m.AutoSubmitted = "auto-generated"
			if err := r.enqueue(tx, tk, m); err != nil {
				return rec, err
			}
		}
	}
	return rec, tx.PutTicket(tk)
}

// reportFiled reports whether tk already has a failed-delivery entry for
// the mail rep names, so IT is told only once.
func reportFiled(tk *store.Ticket, rep *parse.Report) bool {
	ref := originalRef(rep)
	for _, ev := range tk.History {
		if ev.Kind == store.EventBounce && strings.HasPrefix(ev.Text, "Zustellung fehlgeschlagen") && strings.Contains(ev.Text, ref) {
			return true
		}
	}
	return false
}

// originalRef names the undelivered mail in history text.
func originalRef(rep *parse.Report) string {
	if rep.OriginalMessageID != "" {
		return "<" + rep.OriginalMessageID + ">"
	}
	return "„" + rep.OriginalSubject + "“"
}

func reportDetail(rep *parse.Report) string {
	s := rep.Action
	if s == "" {
		s = "failed"
	}
	if rep.Status != "" {
		s += " " + rep.Status
	}
	return s
}

// bounceNoticeBody is the German notice of an undeliverable mail; tk may
// be nil when the report names no ticket.
func bounceNoticeBody(tk *store.Ticket, rep *parse.Report, detail, pause string) string {
	var b strings.Builder
	b.WriteString("Guten Tag,\n\n")
	if tk != nil {
		fmt.Fprintf(&b, "eine Mail von mailbot zum Ticket %s konnte nicht zugestellt werden.\n\n", tk.Number)
	} else {
		b.WriteString("eine Mail von mailbot konnte nicht zugestellt werden. Zu welchem Ticket sie gehört, ist nicht bekannt.\n\n")
	}
	fmt.Fprintf(&b, "Betreff:    %s\n", rep.OriginalSubject)
	fmt.Fprintf(&b, "Message-ID: %s\n", originalRef(rep))
	fmt.Fprintf(&b, "Empfänger:  %s\n", strings.Join(rep.Recipients, ", "))
	fmt.Fprintf(&b, "Status:     %s\n\n", detail)
	fmt.Fprintf(&b, "An diese Adressen sendet mailbot für %s keine automatischen Mails. "+
		"Bitte prüfen Sie die Adresse und informieren Sie die Person auf anderem Weg.\n\n", pause)
	b.WriteString("Diese Mail wurde automatisch erstellt.\n")
	return b.String()
}

func firstNonEmpty(list ...string) string {
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
