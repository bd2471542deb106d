package jourfixe

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"mailbot/config"
	"mailbot/store"
	"mailbot/templates"
)

// Agenda is the list of tickets and tasks for one meeting of a series.
type Agenda struct {
	Series   string    `json:"series"`
	Title    string    `json:"title"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Location string    `json:"location,omitempty"`
	Items    []Item    `json:"items"`
	Tasks    []TaskRow `json:"tasks"`
}

// Item is a ticket on the agenda.
type Item struct {
	Ticket    store.Number `json:"ticket"`
	Tag       string       `json:"tag"`
	Title     string       `json:"title"`
	Kind      string       `json:"kind"` // German: Eskalation or Mini-Projekt
	Reason    string       `json:"reason,omitempty"`
	Since     time.Time    `json:"since"`     // when the ticket was opened
	OnAgenda  time.Time    `json:"on_agenda"` // when it was put on the agenda
	Deferred  int          `json:"deferred,omitempty"`
	Status    string       `json:"status"`
	LastState string       `json:"last_state"` // German, with the date of the last change
}

// TaskRow is an open task on the IT jour fixe agenda.
type TaskRow struct {
	ID      uint64       `json:"id"`
	Ticket  store.Number `json:"ticket,omitzero"`
	Tag     string       `json:"tag,omitempty"`
	Title   string       `json:"title,omitempty"` // subject of the ticket
	Owner   string       `json:"owner"`
	What    string       `json:"what"`
	With    []string     `json:"with,omitempty"`
	Due     time.Time    `json:"due,omitzero"`
	Since   time.Time    `json:"since"`
	State   string       `json:"state"` // German: offen, fällig bis zum Termin or überfällig
	Overdue bool         `json:"overdue,omitempty"`
	// DueByMeeting is set for a task not overdue yet that is due on or
	// before the meeting's day.
	DueByMeeting bool `json:"due_by_meeting,omitempty"`
}

// Input is the store content an agenda is built from.
type Input struct {
	Tickets map[store.Number]*store.Ticket
	Items   []*store.AgendaItem
	Tasks   []*store.Task
	Prefix  string // ticket tag prefix, such as IT
	// Now is when the agenda is built: a task due before its day is
	// overdue. Zero counts from the meeting's start.
	Now time.Time
}

// Build returns the agenda of the meeting of s starting at start. The IT
// jour fixe gets the tickets put on its agenda (escalations and
// mini-projects routed to it) and every open task. The digitalisation jour
// fixe gets the mini-projects routed to digitalisation.
func Build(s *config.Series, start time.Time, duration time.Duration, in Input) *Agenda {
	a := &Agenda{Series: s.Name, Title: s.Title, Start: start, End: start.Add(duration),
		Location: s.Location, Items: []Item{}, Tasks: []TaskRow{}}
	for _, it := range in.Items {
		if it.Series != s.Name {
			continue
		}
		tk := in.Tickets[it.Ticket]
		// A ticket closed, withdrawn or merged since it was put on the
		// agenda needs no more discussion.
		if tk == nil || tk.Status == store.StatusClosed || tk.Status == store.StatusWithdrawn || tk.Status == store.StatusMerged {
			continue
		}
		a.Items = append(a.Items, Item{
			Ticket: tk.Number, Tag: tk.Number.Tag(in.Prefix), Title: TicketTitle(tk),
			Kind: kindName(it.Reason), Reason: it.Text, Since: tk.Created, OnAgenda: it.Since,
			Deferred: it.Deferred, Status: tk.Status, LastState: LastState(tk, start.Location()),
		})
	}
	// Escalations first, each group oldest ticket first.
	slices.SortStableFunc(a.Items, func(x, y Item) int {
		if x.Kind != y.Kind {
			return strings.Compare(x.Kind, y.Kind)
		}
		return x.Since.Compare(y.Since)
	})
	if s.Name != config.SeriesIT {
		return a
	}
	for _, t := range in.Tasks {
		if t.State != store.TaskOpen {
			continue
		}
		row := TaskRow{ID: t.ID, Ticket: t.Ticket, Owner: t.Owner, What: t.What, With: t.With, Due: t.Due,
			Since: t.Created, State: "offen"}
		if !t.Ticket.IsZero() {
			row.Tag = t.Ticket.Tag(in.Prefix)
			if tk := in.Tickets[t.Ticket]; tk != nil {
				row.Title = TicketTitle(tk)
			}
		}
		now := in.Now
		if now.IsZero() {
			now = start
		}
		switch {
		case t.Due.IsZero():
		case t.Due.Before(dayStart(now.In(t.Due.Location()))):
			row.State, row.Overdue = "überfällig", true
		case t.Due.Before(dayStart(start.In(t.Due.Location())).AddDate(0, 0, 1)):
			row.State, row.DueByMeeting = "fällig bis zum Termin", true
		}
		a.Tasks = append(a.Tasks, row)
	}
	slices.SortStableFunc(a.Tasks, func(x, y TaskRow) int { return compareDue(x.Due, y.Due) })
	return a
}

// compareDue orders tasks by due date, tasks without one last.
func compareDue(x, y time.Time) int {
	switch {
	case x.IsZero() && y.IsZero():
		return 0
	case x.IsZero():
		return 1
	case y.IsZero():
		return -1
	}
	return x.Compare(y)
}

func kindName(reason string) string {
	if reason == store.AgendaEscalated {
		return "Eskalation"
	}
	return "Mini-Projekt"
}

// TicketTitle returns the project name of a mini-project, else the subject.
func TicketTitle(tk *store.Ticket) string {
	if tk.Project != "" {
		return tk.Project
	}
	if s := strings.TrimSpace(tk.Subject); s != "" {
		return s
	}
	return "(ohne Betreff)"
}

// StatusName returns the German name of a ticket state.
func StatusName(status string) string {
	switch status {
	case store.StatusApproved:
		return "freigegeben"
	case store.StatusRejected:
		return "abgelehnt"
	}
	return templates.StatusName(status)
}

// maxStateText caps the quoted status text and command on an agenda row.
const maxStateText = 60

// LastState describes a ticket's state, its last #status text and the
// last thing a person did on it in German, such as "neu; zuletzt
// eskaliert am 04.12.2026". The robot's own mails, their copies, bounces,
// deliveries, notes and internal notes are left out, because they do not
// change the ticket's state and internal notes are for IT only.
func LastState(tk *store.Ticket, loc *time.Location) string {
	s := StatusName(tk.Status)
	if tk.StatusText != "" {
		s += " („" + shorten(tk.StatusText) + "“)"
	}
	for i := len(tk.History) - 1; i >= 0; i-- {
		e := tk.History[i]
		what := eventState(e)
		if what == "" {
			continue
		}
		return fmt.Sprintf("%s; zuletzt %s am %s", s, what, e.At.In(loc).Format("02.01.2006"))
	}
	return s
}

// eventNames holds the German name of every kind of history entry.
var eventNames = map[string]string{
	store.EventCreated:   "eingegangen",
	store.EventMailIn:    "Mail",
	store.EventOutside:   "Mail (außenstehender Absender)",
	store.EventMailOut:   "Mail des Ticketsystems",
	store.EventRobotIn:   "automatische Mail",
	store.EventNote:      "Vermerk",
	store.EventBounce:    "Unzustellbarkeitsbericht",
	store.EventDelivery:  "Zustellbestätigung",
	store.EventHeld:      "zurückgehaltene Mail",
	store.EventCommand:   "Befehl",
	store.EventDenied:    "abgelehnter Befehl",
	store.EventInternal:  "interne Notiz",
	store.EventMerged:    "zusammengeführt",
	store.EventEscalated: "eskaliert",
	store.EventDecision:  "Beschluss",
	store.EventTask:      "Aufgabe",
}

// progressEvents are the kinds of history entry that show a person
// working on the ticket; LastState names only these.
var progressEvents = map[string]bool{
	store.EventCreated: true, store.EventMailIn: true, store.EventOutside: true, store.EventCommand: true,
	store.EventMerged: true, store.EventEscalated: true, store.EventDecision: true, store.EventTask: true,
}

// eventState returns the German name of a history entry that shows a
// ticket's progress, or "" for one that does not.
func eventState(e store.Event) string {
	name := eventNames[e.Kind]
	if !progressEvents[e.Kind] || name == "" {
		return ""
	}
	switch e.Kind {
	case store.EventCreated:
		return name
	case store.EventMailIn, store.EventOutside, store.EventTask:
		// Mail without a sender and task reminders carry no actor.
		if e.Actor == "" {
			return ""
		}
	case store.EventCommand:
		cmd, _, _ := strings.Cut(e.Text, ": ")
		name = shorten(cmd)
	}
	if e.Actor != "" {
		name += " von " + e.Actor
	}
	return name
}

// shorten cuts s to maxStateText characters.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxStateText {
		return string(r[:maxStateText-1]) + "…"
	}
	return s
}
