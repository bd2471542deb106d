package mailbot

import (
	"fmt"
	"strings"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
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
		if !failed {
			return rec, nil
		}
		body, err := r.bounceNoticeBody(nil, rep, reasonReport)
		if err != nil {
			return rec, err
		}
		return rec, r.noticeAdmin(tx, &in, "Unzustellbar: "+rep.OriginalSubject, body)
	}

	rec.Ticket = tk.Number
	told := reportFiled(tk, rep)
	verb := "Zustellung fehlgeschlagen"
	if !failed {
		verb = "Zustellbericht (" + actionName(rep.Action) + ")"
	}
	code := "ohne Statuscode"
	if rep.Status != "" {
		code = "Statuscode " + rep.Status
	}
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventBounce, Actor: msg.From.Addr, Mailbox: in.Mailbox.Name,
		MessageID: msg.MessageID, Subject: msg.Subject,
		Text: fmt.Sprintf("%s: Mail %s an %s, %s. Keine Antwort.", verb, originalRef(rep), strings.Join(rep.Recipients, ", "), code)})
	tk.Updated = now
	tk.MessageIDs = appendUnique(tk.MessageIDs, msg.MessageID)

	if failed && !told {
		if err := r.queueBounceNotice(tx, tk, in.Mailbox, rep, reasonReport); err != nil {
			return rec, err
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

// German reasons of an undelivered mail in the bounce notice.
const (
	reasonReport   = "Unzustellbarkeitsbericht eines Mailservers"
	reasonRejected = "vom SMTP-Server abgelehnt"
	// reasonRejectedPart is the reason when other recipients of the mail
	// were accepted; the mail goes to them again.
	reasonRejectedPart = "vom SMTP-Server abgelehnt; an die übrigen Empfänger geht die Mail erneut hinaus"
)

// actionName returns the German word for the action of a delivery report.
func actionName(action string) string {
	switch action {
	case "delayed":
		return "verzögert"
	case "delivered":
		return "zugestellt"
	case "relayed":
		return "weitergeleitet"
	case "expanded":
		return "an eine Verteilerliste weitergegeben"
	}
	return action
}

// bounceNoticeBody renders the notice of an undeliverable mail; tk may be
// nil when the mail belongs to no known ticket.
func (r *Robot) bounceNoticeBody(tk *store.Ticket, rep *parse.Report, reason string) (string, error) {
	data := templates.BounceData{Subject: rep.OriginalSubject, MessageID: originalRef(rep), Recipients: rep.Recipients,
		Reason: reason, Code: rep.Status}
	if tk != nil {
		data.Number = tk.Number.String()
	}
	if pause := r.cfg.Brakes.BouncePause; pause > 0 {
		data.Pause = templates.Duration(pause)
	}
	return r.tmpl.Render(templates.Bounce, data)
}

// queueBounceNotice queues the notice of an undeliverable mail of tk to
// the it and admin roles, in the ticket's thread. Its subject carries the
// ticket's tag once, even when the undelivered mail's subject has it.
func (r *Robot) queueBounceNotice(tx *store.Tx, tk *store.Ticket, mb *config.Mailbox, rep *parse.Report, reason string) error {
	to := joinAddresses(r.cfg.Roles.IT, r.cfg.Roles.Admin)
	if len(to) == 0 {
		r.log.Warn("no it or admin role configured, nobody told of the undelivered mail", "ticket", tk.Number,
			"original_msgid", rep.OriginalMessageID)
		return nil
	}
	body, err := r.bounceNoticeBody(tk, rep, reason)
	if err != nil {
		return err
	}
	tag := tk.Number.Tag(r.cfg.Tickets.Prefix)
	original := strings.Join(strings.Fields(strings.ReplaceAll(firstNonEmpty(rep.OriginalSubject, tk.Subject), tag, "")), " ")
	m := r.threadMail(tk, mb, kindBounceNotice, to, tag+" Unzustellbar: "+original, body)
	return r.enqueue(tx, tk, m)
}

func firstNonEmpty(list ...string) string {
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
