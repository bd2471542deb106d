package mailbot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/store"
	"mailbot/templates"
)

// The jour fixe commands. Each runs inside the store transaction of the
// mail that carries it, with the ticket the mail belongs to (nil when it
// belongs to none), the sender's address and the text after the keyword.
// It returns a German confirmation for the sender, or a *Rejection when the
// sender may not run it or wrote it wrongly. Any other error aborts the
// transaction. jfwire.go registers them in the command table.

// Rejection is a command that was not run, with the German reason for the
// sender.
type Rejection struct{ Text string }

func (e *Rejection) Error() string { return e.Text }

// replyJF renders the jour fixe reply called name (see
// templates.ReplyNames).
func (r *Robot) replyJF(name string, d templates.ReplyData) (string, error) {
	return r.tmpl.Line(templates.JourFixeReplies, name, d)
}

// rejectJF returns a *Rejection with the jour fixe reply called name, or
// the error that rendering it failed with.
func (r *Robot) rejectJF(name string, d templates.ReplyData) error {
	text, err := r.replyJF(name, d)
	if err != nil {
		return err
	}
	return &Rejection{Text: text}
}

// Roles allowed to run each jour fixe command.
var (
	rolesDecide = []string{"it_head", "it_leads"}
	rolesTask   = []string{"it", "it_leads", "it_head", "orga", "digi"}
	rolesBudget = []string{"budget"}
)

// hasRole reports whether addr holds one of roles.
func (r *Robot) hasRole(addr string, roles ...string) bool {
	for _, role := range roles {
		if containsFold(r.cfg.Roles.Holders(role), addr) {
			return true
		}
	}
	return false
}

func roleList(roles []string) string { return strings.Join(roles, ", ") }

// CommandAgenda runs "#agenda [it|digi]": the sender gets the agenda of
// the next meeting of each series they take part in, or of the one named.
func (r *Robot) CommandAgenda(tx *store.Tx, from, args string) (string, error) {
	want := strings.ToLower(strings.TrimSpace(args))
	var sent []string
	// Why nothing was sent: the series asked for, those the sender
	// takes part in, and the names that exist.
	var notSent templates.ReplyData
	known := want == ""
	for i := range r.cfg.JourFixe.Series {
		s := &r.cfg.JourFixe.Series[i]
		member := containsFold(s.Addresses(r.cfg.Roles), from)
		notSent.Names = append(notSent.Names, s.Name)
		if member {
			notSent.Series = append(notSent.Series, s.Title)
			notSent.Mine = append(notSent.Mine, s.Name)
		}
		if want != "" && want != s.Name {
			continue
		}
		known = true
		notSent.Wanted = s.Title
		if !member {
			continue
		}
		a, err := agendaIn(tx, r.cfg, s.Name, r.Now())
		if err != nil {
			return "", err
		}
		m, err := r.agendaMail(tx, a, kindAgenda, []string{strings.ToLower(from)})
		if err != nil {
			return "", err
		}
		if held, err := r.queueOwn(tx, m); err != nil {
			return "", err
		} else if held {
			return "", r.rejectJF("agenda_held", templates.ReplyData{})
		}
		sent = append(sent, a.Subject())
	}
	if len(sent) == 0 {
		if !known {
			notSent.Value = want
		}
		return "", r.rejectJF("agenda_not_participant", notSent)
	}
	return r.replyJF("agenda_sent", templates.ReplyData{Subjects: sent})
}

// Decision words of #beschluss.
const (
	DecisionApproved = "freigegeben"
	DecisionRejected = "abgelehnt"
	DecisionDeferred = "vertagt"
)

// CommandBeschluss runs "#beschluss freigegeben|abgelehnt|vertagt [Text]"
// on a ticket that is on an agenda. It records the decision (binding
// only in the IT jour fixe), notifies the orga contact and the
// requester, and takes the ticket off the agenda, or for "vertagt" keeps
// it for the next meeting.
func (r *Robot) CommandBeschluss(tx *store.Tx, tk *store.Ticket, from, args string) (string, error) {
	if !r.hasRole(from, rolesDecide...) {
		return "", r.rejectJF("not_allowed", templates.ReplyData{Command: "beschluss", Roles: roleList(rolesDecide)})
	}
	if tk == nil {
		return "", r.rejectJF("decision_no_ticket", templates.ReplyData{})
	}
	word, text, _ := strings.Cut(strings.TrimSpace(args), " ")
	word, text = strings.ToLower(word), strings.TrimSpace(text)
	if word != DecisionApproved && word != DecisionRejected && word != DecisionDeferred {
		return "", r.rejectJF("decision_word", templates.ReplyData{})
	}
	item, err := tx.AgendaItem(tk.Number)
	if err != nil {
		return "", err
	}
	tag := tk.Number.Tag(r.cfg.Tickets.Prefix)
	if item == nil {
		return "", r.rejectJF("decision_not_on_agenda", templates.ReplyData{Tag: tag})
	}
	now := r.Now()
	outcome := ""
	switch word {
	case DecisionDeferred:
		item.Deferred++
		if err := tx.PutAgendaItem(item); err != nil {
			return "", err
		}
		outcome, err = r.replyJF("outcome_deferred", templates.ReplyData{Next: r.nextMeetingText(item.Series, now.Add(1))})
		if err != nil {
			return "", err
		}
	case DecisionApproved, DecisionRejected:
		if err := tx.DeleteAgendaItem(tk.Number); err != nil {
			return "", err
		}
		tk.Escalated = false
		resumed := false
		switch {
		case word == DecisionRejected:
			tk.Status = store.StatusRejected
		case item.Reason == store.AgendaProject:
			tk.Status = store.StatusApproved
		default:
			// An escalated ticket goes back to work under the decision:
			// in progress when someone is responsible, else new for IT
			// to assign.
			if tk.Assignee != "" {
				tk.Status = store.StatusAssigned
			} else {
				tk.Status = store.StatusNew
			}
			resumed = true
		}
		outcome, err = r.replyJF("outcome_closed", templates.ReplyData{Word: word, Resumed: resumed})
		if err != nil {
			return "", err
		}
	}
	series := r.cfg.JourFixe.SeriesByName(item.Series)
	meeting := "Jour fixe"
	if series != nil {
		meeting = series.Title
	}
	entry := fmt.Sprintf("Beschluss des %s: %s.", meeting, word)
	if text != "" {
		entry += " " + text
	}
	tk.History = append(tk.History, store.Event{At: now, Kind: store.EventDecision, Actor: strings.ToLower(from), Text: entry})
	tk.Updated = now

	title := jourfixe.TicketTitle(tk)
	to := joinAddresses(r.cfg.Roles.Orga, nonEmpty(tk.Requester))
	if item.Reason == store.AgendaEscalated && word == DecisionApproved {
		// Whoever works on the ticket must learn what to do now.
		if tk.Assignee != "" {
			to = joinAddresses(to, []string{tk.Assignee})
		} else {
			to = joinAddresses(to, r.cfg.Roles.IT)
		}
	}
	if len(to) > 0 {
		body, err := r.tmpl.Render(templates.Decision, templates.DecisionData{Meeting: meeting, Tag: tag, Title: title,
			Outcome: outcome, Text: text, By: strings.ToLower(from), BindingBy: r.bindingMeeting(item.Series)})
		if err != nil {
			return "", err
		}
		m := r.ticketMail(tk, "decision", to, tag+" Beschluss: "+word+": "+title, body)
		if err := r.enqueue(tx, tk, m); err != nil {
			return "", err
		}
	}
	if err := tx.PutTicket(tk); err != nil {
		return "", err
	}
	r.log.Info("jour fixe decision recorded", "ticket", tk.Number, "decision", word, "by", from)
	return r.replyJF("decision_recorded", templates.ReplyData{Tag: tag, Outcome: outcome})
}

// bindingMeeting returns "" when the decisions of series are binding, as
// the IT jour fixe's are by the rulebook, else the title of the IT jour
// fixe, which decides bindingly.
func (r *Robot) bindingMeeting(series string) string {
	if series == config.SeriesIT {
		return ""
	}
	if s := r.cfg.JourFixe.SeriesByName(config.SeriesIT); s != nil {
		return s.Title
	}
	return "Jour fixe IT/Amt 50"
}

// CommandAufgabe runs "#aufgabe ADRESSE Was [mit ADRESSE…] [bis DATUM]"
// and "#aufgabe erledigt N". tk may be nil for a task without a ticket.
func (r *Robot) CommandAufgabe(tx *store.Tx, tk *store.Ticket, from, args string) (string, error) {
	fields := strings.Fields(args)
	if len(fields) >= 1 && strings.EqualFold(fields[0], "erledigt") {
		return r.commandTaskDone(tx, from, fields[1:])
	}
	if !r.hasRole(from, rolesTask...) {
		return "", r.rejectJF("not_allowed", templates.ReplyData{Command: "aufgabe", Roles: roleList(rolesTask)})
	}
	spec, err := jourfixe.ParseTask(args, r.Now(), r.cfg.JourFixe.Location())
	var bad *jourfixe.TaskError
	if errors.As(err, &bad) {
		why, err := r.tmpl.Line(templates.TaskErrors, bad.Reason,
			templates.TaskErrorData{Word: bad.Word, Date: bad.Date, Day: bad.Day, Month: bad.Month})
		if err != nil {
			return "", err
		}
		return "", r.rejectJF("task_invalid", templates.ReplyData{Value: why})
	}
	if err != nil {
		return "", fmt.Errorf("parse task %q: %w", args, err)
	}
	t, err := r.addTask(tx, tk, strings.ToLower(from), spec)
	if err != nil {
		return "", err
	}
	if tk != nil {
		if err := tx.PutTicket(tk); err != nil {
			return "", err
		}
	}
	r.log.Info("task created", "task", t.ID, "ticket", t.Ticket, "by", from)
	n := spec.Note
	note, err := r.tmpl.Render(templates.TaskNote, templates.TaskNoteData{Words: n.Words, Week: n.Week, Read: n.Read,
		Day: n.Day, Why: n.Why, Moved: n.Moved})
	if err != nil {
		return "", err
	}
	return r.replyJF("task_created", templates.ReplyData{Task: describeTask(t, r.cfg.Tickets.Prefix), ID: t.ID,
		Note: strings.TrimSpace(note)})
}

func (r *Robot) commandTaskDone(tx *store.Tx, from string, fields []string) (string, error) {
	if len(fields) != 1 {
		return "", r.rejectJF("task_done_usage", templates.ReplyData{})
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(fields[0], "#"), 10, 64)
	if err != nil || id == 0 {
		return "", r.rejectJF("task_bad_number", templates.ReplyData{Value: fields[0]})
	}
	t, err := tx.Task(id)
	if errors.Is(err, store.ErrNoTask) {
		return "", r.rejectJF("task_unknown", templates.ReplyData{ID: id})
	}
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(t.Owner, from) && !r.hasRole(from, rolesTask...) {
		return "", r.rejectJF("task_not_owner", templates.ReplyData{ID: id, Owner: t.Owner, Roles: roleList(rolesTask)})
	}
	if t.State == store.TaskDone {
		return r.replyJF("task_already_done", templates.ReplyData{ID: id})
	}
	if _, err := r.closeTask(tx, id, strings.ToLower(from)); err != nil {
		return "", err
	}
	r.log.Info("task closed", "task", id, "by", from)
	return r.replyJF("task_done", templates.ReplyData{ID: id, What: t.What})
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
