package mailbot

import (
	"fmt"
	"strings"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/store"
	"mailbot/templates"
)

// ListTasks returns every task in ID order.
func ListTasks(db *store.DB) ([]*store.Task, error) {
	var list []*store.Task
	err := db.View(func(tx *store.Tx) error {
		var err error
		list, err = tx.Tasks()
		return err
	})
	return list, err
}

// SendTaskReminders mails the owner of each open task whose due date is at
// most jourfixe.reminder_days working days away and who was not reminded
// yet. Each reminder is committed with its task's reminder time.
func (r *Robot) SendTaskReminders() ([]uint64, error) {
	now := r.Now()
	cal := r.calendar()
	var reminded []uint64
	err := r.db.Update(func(tx *store.Tx) error {
		tasks, err := tx.Tasks()
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if t.State != store.TaskOpen || t.Due.IsZero() || !t.Reminded.IsZero() {
				continue
			}
			if now.Before(cal.Add(t.Due, -r.cfg.JourFixe.ReminderDays)) {
				continue
			}
			// A held reminder is tried again at the next tick.
			if held, err := r.queueReminder(tx, t); err != nil || held {
				if err != nil {
					return err
				}
				continue
			}
			t.Reminded = now
			if err := tx.PutTask(t); err != nil {
				return err
			}
			reminded = append(reminded, t.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("send task reminders: %w", err)
	}
	for _, id := range reminded {
		r.log.Info("task reminder queued", "task", id)
	}
	if len(reminded) > 0 {
		r.Kick()
	}
	return reminded, nil
}

// queueReminder mails the owner of t. The reminder is not part of the
// ticket's thread: an owner who holds no role and is not on the ticket
// would be an outside sender there, whose "#aufgabe erledigt" never runs.
// It reports whether the brakes held the reminder back.
func (r *Robot) queueReminder(tx *store.Tx, t *store.Task) (bool, error) {
	data := templates.TaskData{ID: t.ID, Owner: t.Owner, What: t.What, With: t.With, Due: t.Due.Format("02.01.2006")}
	if !t.Ticket.IsZero() {
		data.Ticket = t.Ticket.Tag(r.cfg.Tickets.Prefix)
	}
	body, err := r.tmpl.Render(templates.Reminder, data)
	if err != nil {
		return false, err
	}
	subject := fmt.Sprintf("Erinnerung: Aufgabe %d fällig am %s", t.ID, t.Due.Format("02.01.2006"))
	id, err := plainMessageID(fmt.Sprintf("task.%d", t.ID), config.Domain(r.cfg.Mailboxes[0].Address))
	if err != nil {
		return false, err
	}
	held, err := r.queueOwn(tx, &store.OutMail{Kind: "reminder", MessageID: id, Date: r.Now(), FromName: r.cfg.SMTP.FromName,
		From: r.cfg.Mailboxes[0].Address, To: []string{t.Owner}, Subject: subject, Body: body, AutoSubmitted: "auto-generated"})
	if err != nil || held || t.Ticket.IsZero() {
		return held, err
	}
	tk, err := tx.Ticket(t.Ticket)
	if err != nil {
		return false, err
	}
	tk.History = append(tk.History, store.Event{At: r.Now(), Kind: store.EventTask, MessageID: id, Subject: subject,
		Text: fmt.Sprintf("Erinnerung an Aufgabe %d an %s gesendet.", t.ID, t.Owner)})
	return false, tx.PutTicket(tk)
}

// describeTask renders a task as German lines: who, what, with whom, by when.
func describeTask(t *store.Task, prefix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Aufgabe %d\n  Wer:      %s\n  Was:      %s\n", t.ID, t.Owner, t.What)
	if len(t.With) > 0 {
		fmt.Fprintf(&b, "  Mit wem:  %s\n", strings.Join(t.With, ", "))
	}
	if !t.Due.IsZero() {
		fmt.Fprintf(&b, "  Bis:      %s\n", t.Due.Format("02.01.2006"))
	}
	if !t.Ticket.IsZero() {
		fmt.Fprintf(&b, "  Ticket:   %s\n", t.Ticket.Tag(prefix))
	}
	return b.String()
}

// addTask stores a task parsed from #aufgabe on ticket tk (nil for none)
// and records it in the ticket's history.
func (r *Robot) addTask(tx *store.Tx, tk *store.Ticket, by string, spec jourfixe.TaskSpec) (*store.Task, error) {
	t := &store.Task{Owner: spec.Owner, What: spec.What, With: spec.With, Due: spec.Due, Created: r.Now(), CreatedBy: by}
	if tk != nil {
		t.Ticket = tk.Number
	}
	if err := tx.AddTask(t); err != nil {
		return nil, err
	}
	if tk != nil {
		tk.History = append(tk.History, store.Event{At: t.Created, Kind: store.EventTask, Actor: by,
			Text: "Neue " + strings.TrimSpace(describeTask(t, r.cfg.Tickets.Prefix))})
		tk.Updated = t.Created
	}
	return t, nil
}

// closeTask marks task id done.
func (r *Robot) closeTask(tx *store.Tx, id uint64, by string) (*store.Task, error) {
	t, err := tx.Task(id)
	if err != nil {
		return nil, err
	}
	if t.State == store.TaskDone {
		return t, nil
	}
	t.State, t.Closed, t.ClosedBy = store.TaskDone, r.Now(), by
	if err := tx.PutTask(t); err != nil {
		return nil, err
	}
	if t.Ticket.IsZero() {
		return t, nil
	}
	tk, err := tx.Ticket(t.Ticket)
	if err != nil {
		return nil, err
	}
	tk.History = append(tk.History, store.Event{At: t.Closed, Kind: store.EventTask, Actor: by,
		Text: fmt.Sprintf("Aufgabe %d erledigt: %s", t.ID, t.What)})
	tk.Updated = t.Closed
	return t, tx.PutTicket(tk)
}
