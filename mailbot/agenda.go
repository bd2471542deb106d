package mailbot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/store"
	"mailbot/templates"
)

// AgendaFor builds the agenda of the next meeting of series that starts at
// or after now, from the store as it is.
func AgendaFor(db *store.DB, cfg *config.Config, series string, now time.Time) (*jourfixe.Agenda, error) {
	var a *jourfixe.Agenda
	err := db.View(func(tx *store.Tx) error {
		var err error
		a, err = agendaIn(tx, cfg, series, now)
		return err
	})
	return a, err
}

func agendaIn(tx *store.Tx, cfg *config.Config, series string, now time.Time) (*jourfixe.Agenda, error) {
	d, err := agendaData(tx)
	if err != nil {
		return nil, err
	}
	return d.Agenda(cfg, series, now)
}

func seriesNames(cfg *config.Config) []string {
	var out []string
	for _, s := range cfg.JourFixe.Series {
		out = append(out, s.Name)
	}
	return out
}

// agendaMail builds the agenda mail of a with an HTML part and the
// invitation attached, from the first mailbox's address.
func (r *Robot) agendaMail(tx *store.Tx, a *jourfixe.Agenda, kind string, to []string) (*store.OutMail, error) {
	from := r.cfg.Mailboxes[0].Address
	text, html, err := a.Render(r.tmpl)
	if err != nil {
		return nil, err
	}
	body, err := r.tmpl.Render(templates.AgendaMail, templates.AgendaMailData{Agenda: text})
	if err != nil {
		return nil, err
	}
	id, err := plainMessageID(agendaLabel+"."+a.Series+"."+a.Start.Format("20060102"), config.Domain(from))
	if err != nil {
		return nil, err
	}
	now := r.Now()
	attendees, err := r.agendaParticipants(tx, a)
	if err != nil {
		return nil, err
	}
	invitation := a.ICS(from, attendees, now, text)
	return &store.OutMail{Kind: kind, MessageID: id, Date: now, FromName: r.cfg.SMTP.FromName, From: from,
		To: to, Subject: a.Subject(), Body: body, HTML: html, AutoSubmitted: "auto-generated",
		Attachments: []store.OutFile{invitationFile([]byte(invitation))}}, nil
}

// invitationFile attaches an iCalendar object. METHOD:PUBLISH asks for no
// replies; the charset keeps umlauts readable in mail clients.
func invitationFile(data []byte) store.OutFile {
	return store.OutFile{Name: "einladung.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: data}
}

// agendaParticipants returns the addresses of the series' roles and, for
// the IT jour fixe, of the heads of each department with a mini-project
// on agenda a (jourfixe.department_heads).
func (r *Robot) agendaParticipants(tx *store.Tx, a *jourfixe.Agenda) ([]string, error) {
	s := r.cfg.JourFixe.SeriesByName(a.Series)
	if s == nil {
		return nil, nil
	}
	out := s.Addresses(r.cfg.Roles)
	if a.Series != config.SeriesIT || len(r.cfg.JourFixe.DepartmentHeads) == 0 {
		return out, nil
	}
	for _, it := range a.Items {
		item, err := tx.AgendaItem(it.Ticket)
		if err != nil {
			return nil, err
		}
		if item == nil || item.Reason != store.AgendaProject {
			continue
		}
		tk, err := tx.Ticket(it.Ticket)
		if err != nil {
			return nil, err
		}
		dept := r.cfg.JourFixe.Department(tk.Position, tk.Requester)
		out = joinAddresses(out, r.cfg.JourFixe.DepartmentHeads[dept])
	}
	return out, nil
}

// SendDueAgendas queues the agenda mail of every meeting that starts
// within jourfixe.agenda_days and whose agenda was not mailed yet. The
// meeting record is committed with the mail, so each agenda goes out once.
func (r *Robot) SendDueAgendas() ([]store.Meeting, error) {
	now := r.Now()
	loc := r.cfg.JourFixe.Location()
	var sent []store.Meeting
	for i := range r.cfg.JourFixe.Series {
		s := &r.cfg.JourFixe.Series[i]
		to := s.Addresses(r.cfg.Roles)
		if len(to) == 0 {
			continue
		}
		start, err := jourfixe.Next(s, loc, now.In(loc))
		if err != nil {
			return sent, err
		}
		if now.Before(start.AddDate(0, 0, -r.cfg.JourFixe.AgendaDays)) {
			continue
		}
		var rec *store.Meeting
		err = r.db.Update(func(tx *store.Tx) error {
			if m, err := tx.Meeting(s.Name, start); err != nil || m != nil {
				return err
			}
			a, err := agendaIn(tx, r.cfg, s.Name, now)
			if err != nil {
				return err
			}
			all, err := r.agendaParticipants(tx, a)
			if err != nil {
				return err
			}
			m, err := r.agendaMail(tx, a, kindAgenda, all)
			if err != nil {
				return err
			}
			// A held agenda is not recorded, so the next tick tries again
			// once the breaker or the bounce pause has ended.
			if held, err := r.queueOwn(tx, m); err != nil || held {
				return err
			}
			rec = &store.Meeting{Series: s.Name, Start: start, SentAt: now, MessageID: m.MessageID,
				Items: len(a.Items) + len(a.Tasks)}
			return tx.PutMeeting(rec)
		})
		if err != nil {
			return sent, fmt.Errorf("queue agenda of %s on %s: %w", s.Name, start.Format("2006-01-02"), err)
		}
		if rec != nil {
			r.log.Info("agenda queued", "series", s.Name, "meeting", start, "items", rec.Items, "msgid", rec.MessageID)
			sent = append(sent, *rec)
		}
	}
	if len(sent) > 0 {
		r.Kick()
	}
	return sent, nil
}

// JourFixeTick runs the periodic jour fixe work once: escalation of
// overdue tickets, agenda mails and task reminders. Each step runs even
// when an earlier one failed; the first error is returned.
func (r *Robot) JourFixeTick() error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	_, err := r.ScanEscalations()
	keep(err)
	_, err = r.SendDueAgendas()
	keep(err)
	_, err = r.SendTaskReminders()
	keep(err)
	keep(r.SendQuarantineSummary())
	return first
}

// jourFixeLoop calls JourFixeTick at start and every escalation.interval
// until ctx is done. A configuration that skipped Validate may leave the
// interval at 0, so it falls back to the default then.
func (r *Robot) jourFixeLoop(ctx context.Context) {
	interval := r.cfg.Escalation.Interval
	if interval <= 0 {
		interval = config.Defaults().Escalation.Interval
	}
	for {
		if err := r.JourFixeTick(); err != nil {
			r.log.Error("jour fixe work failed", "err", err)
		}
		if !sleep(ctx, interval) {
			return
		}
	}
}

// plainMessageID returns a Message-ID without brackets for a mail that
// belongs to no ticket.
func plainMessageID(label, domain string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate Message-ID: %w", err)
	}
	if domain == "" {
		domain = "mailbot.invalid"
	}
	return fmt.Sprintf("mailbot.%s.%s@%s", label, hex.EncodeToString(b[:]), domain), nil
}

// seriesTitle returns the configured title of series, else its default;
// "" for an unknown series.
func (r *Robot) seriesTitle(series string) string {
	if s := r.cfg.JourFixe.SeriesByName(series); s != nil {
		return s.Title
	}
	return map[string]string{config.SeriesIT: "Jour fixe IT/Amt 50", config.SeriesDigi: "Jour fixe Digitalisierung/Amt 50"}[series]
}

// RouteToJourFixe puts mini-project tk on the agenda of series (it or
// digi), inside tx, as the routing outcomes "discuss in the IT jour fixe"
// and "digitalisation project" require. The caller stores tk.
func (r *Robot) RouteToJourFixe(tx *store.Tx, tk *store.Ticket, series, by string) error {
	title := r.seriesTitle(series)
	if title == "" {
		return fmt.Errorf("route ticket %s: unknown jour fixe series %q, want it or digi", tk.Number, series)
	}
	now := r.Now()
	item := &store.AgendaItem{Ticket: tk.Number, Series: series, Reason: store.AgendaProject, Since: now, By: by}
	if err := tx.PutAgendaItem(item); err != nil {
		return err
	}
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventNote, Actor: by,
		Text: "Auf die Tagesordnung des nächsten Termins gesetzt: " + title + "."})
	tk.Updated = now
	return nil
}
