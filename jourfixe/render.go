package jourfixe

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"mailbot/templates"
)

const (
	dateLayout     = "02.01.2006"
	dateTimeLayout = "02.01.2006 15:04"
)

var germanWeekdayNames = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}

// When returns the meeting time in German, such as
// "Dienstag, 12.01.2027, 10:00 Uhr".
func (a *Agenda) When() string {
	return fmt.Sprintf("%s, %s, %s Uhr", germanWeekdayNames[a.Start.Weekday()], a.Start.Format(dateLayout), a.Start.Format("15:04"))
}

// Subject returns the subject of the agenda mail.
func (a *Agenda) Subject() string {
	return fmt.Sprintf("Tagesordnung %s am %s", a.Title, a.Start.Format(dateLayout))
}

// Data returns the agenda as the agenda templates see it, with dates in
// the meeting's time zone.
func (a *Agenda) Data() templates.AgendaData {
	loc := a.Start.Location()
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(dateLayout)
	}
	d := templates.AgendaData{Subject: a.Subject(), Title: a.Title, When: a.When(), Location: a.Location,
		IT: a.Series == "it"}
	for _, it := range a.Items {
		d.Items = append(d.Items, templates.AgendaItemData{Tag: it.Tag, Kind: it.Kind, Title: it.Title,
			Since: date(it.Since), LastState: it.LastState, Reason: it.Reason, Deferred: it.Deferred})
	}
	for _, t := range a.Tasks {
		d.Tasks = append(d.Tasks, templates.AgendaTaskData{ID: t.ID, Owner: t.Owner, What: t.What, With: t.With,
			Due: date(t.Due), State: t.State, Since: date(t.Since), Tag: t.Tag, Title: t.Title})
	}
	return d
}

// Render returns the agenda as plain German text and as an HTML page with
// one table for the tickets and one for the tasks, from the templates of s.
func (a *Agenda) Render(s *templates.Set) (text, html string, err error) {
	d := a.Data()
	if text, err = s.Render(templates.Agenda, d); err != nil {
		return "", "", fmt.Errorf("render agenda %s %s: %w", a.Series, a.Start.Format(dateLayout), err)
	}
	if html, err = s.Render(templates.AgendaHTML, d); err != nil {
		return "", "", fmt.Errorf("render agenda %s %s as HTML: %w", a.Series, a.Start.Format(dateLayout), err)
	}
	return text, html, nil
}

// Text renders the agenda as plain German text from the embedded
// templates.
func (a *Agenda) Text() string {
	text, _, err := a.Render(templates.Embedded())
	if err != nil {
		return err.Error()
	}
	return text
}

// UID returns the iCalendar UID of the meeting, the same for every agenda
// mail of that meeting so calendars update one entry.
func (a *Agenda) UID(domain string) string {
	return fmt.Sprintf("jourfixe-%s-%s@%s", a.Series, a.Start.Format("20060102"), domain)
}

// ICS renders the meeting as an iCalendar object with METHOD:PUBLISH and
// the agenda text as description. A REQUEST would make calendar clients
// send iMIP replies to the robot's address, where each would open a
// ticket.
func (a *Agenda) ICS(organizer string, attendees []string, stamp time.Time, description string) string {
	c := ics.NewCalendarFor("mailbot")
	c.SetMethod(ics.MethodPublish)
	e := c.AddEvent(a.UID(domainOf(organizer)))
	e.SetDtStampTime(stamp)
	e.SetStartAt(a.Start)
	e.SetEndAt(a.End)
	e.SetSummary(a.Title)
	e.SetDescription(description)
	if a.Location != "" {
		e.SetLocation(a.Location)
	}
	e.SetOrganizer(organizer)
	for _, at := range attendees {
		e.AddAttendee(at, ics.ParticipationRoleReqParticipant)
	}
	e.SetStatus(ics.ObjectStatusConfirmed)
	return c.Serialize(ics.WithNewLineWindows)
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "mailbot.invalid"
}
