package jourfixe

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
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

// Text renders the agenda as plain German text.
func (a *Agenda) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tagesordnung: %s\n%s", a.Title, a.When())
	if a.Location != "" {
		fmt.Fprintf(&b, ", %s", a.Location)
	}
	b.WriteString("\n\n")
	if len(a.Items) == 0 {
		b.WriteString("Keine Tickets auf der Tagesordnung.\n")
	}
	for i, it := range a.Items {
		fmt.Fprintf(&b, "%d. %s %s: %s\n", i+1, it.Tag, it.Kind, it.Title)
		fmt.Fprintf(&b, "   seit %s, Stand: %s\n", it.Since.In(a.Start.Location()).Format(dateLayout), it.LastState)
		if it.Reason != "" {
			fmt.Fprintf(&b, "   Grund: %s\n", it.Reason)
		}
		if it.Deferred > 0 {
			fmt.Fprintf(&b, "   %d-mal vertagt\n", it.Deferred)
		}
	}
	if a.Series == "it" {
		b.WriteString("\nOffene Aufgaben (wer, was, mit wem, bis wann):\n")
		if len(a.Tasks) == 0 {
			b.WriteString("Keine offenen Aufgaben.\n")
		}
		for _, t := range a.Tasks {
			fmt.Fprintf(&b, "- Aufgabe %d: %s: %s", t.ID, t.Owner, t.What)
			if len(t.With) > 0 {
				fmt.Fprintf(&b, ", mit %s", strings.Join(t.With, ", "))
			}
			if !t.Due.IsZero() {
				fmt.Fprintf(&b, ", bis %s", t.Due.Format(dateLayout))
			}
			fmt.Fprintf(&b, " (%s, seit %s", t.State, t.Since.In(a.Start.Location()).Format(dateLayout))
			if t.Tag != "" {
				fmt.Fprintf(&b, ", %s %s", t.Tag, t.Title)
			}
			b.WriteString(")\n")
		}
	}
	b.WriteString("\nBeschlüsse nimmt das Ticketsystem per Antwort auf eine Mail zum Ticket an:\n" +
		"#beschluss freigegeben|abgelehnt|vertagt [Text]\n")
	return b.String()
}

var htmlAgenda = template.Must(template.New("agenda").Funcs(template.FuncMap{
	"date": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(dateLayout)
	},
	"inc":  func(i int) int { return i + 1 },
	"join": func(s []string) string { return strings.Join(s, ", ") },
}).Parse(`<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{{.A.Subject}}</title>
<style>table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}</style>
</head><body>
<h1>Tagesordnung: {{.A.Title}}</h1>
<p>{{.A.When}}{{with .A.Location}}, {{.}}{{end}}</p>
<h2>Tickets</h2>
{{if .A.Items}}<table>
<tr><th>Nr.</th><th>Ticket</th><th>Art</th><th>Titel</th><th>Seit</th><th>Letzter Stand</th><th>Grund</th></tr>
{{range $i, $it := .A.Items}}<tr><td>{{inc $i}}</td><td>{{$it.Tag}}</td><td>{{$it.Kind}}</td><td>{{$it.Title}}</td><td>{{date $it.Since $.Loc}}</td><td>{{$it.LastState}}</td><td>{{$it.Reason}}{{if $it.Deferred}} ({{$it.Deferred}}-mal vertagt){{end}}</td></tr>
{{end}}</table>{{else}}<p>Keine Tickets auf der Tagesordnung.</p>{{end}}
{{if eq .A.Series "it"}}<h2>Offene Aufgaben</h2>
{{if .A.Tasks}}<table>
<tr><th>Nr.</th><th>Wer</th><th>Was</th><th>Mit wem</th><th>Bis</th><th>Ticket</th><th>Seit</th><th>Stand</th></tr>
{{range .A.Tasks}}<tr><td>{{.ID}}</td><td>{{.Owner}}</td><td>{{.What}}</td><td>{{join .With}}</td><td>{{date .Due $.Loc}}</td><td>{{.Tag}}{{with .Title}} {{.}}{{end}}</td><td>{{date .Since $.Loc}}</td><td>{{.State}}</td></tr>
{{end}}</table>{{else}}<p>Keine offenen Aufgaben.</p>{{end}}{{end}}
<p>Beschlüsse nimmt das Ticketsystem per Antwort auf eine Mail zum Ticket an: <code>#beschluss freigegeben|abgelehnt|vertagt [Text]</code></p>
</body></html>
`))

// HTML renders the agenda as an HTML page with one table for the tickets
// and one for the tasks.
func (a *Agenda) HTML() (string, error) {
	var b bytes.Buffer
	err := htmlAgenda.Execute(&b, struct {
		A   *Agenda
		Loc *time.Location
	}{a, a.Start.Location()})
	if err != nil {
		return "", fmt.Errorf("render agenda %s %s as HTML: %w", a.Series, a.Start.Format(dateLayout), err)
	}
	return b.String(), nil
}

// UID returns the iCalendar UID of the meeting, the same for every agenda
// mail of that meeting so calendars update one entry.
func (a *Agenda) UID(domain string) string {
	return fmt.Sprintf("jourfixe-%s-%s@%s", a.Series, a.Start.Format("20060102"), domain)
}

// ICS renders the meeting as an iCalendar object with METHOD:PUBLISH. A
// REQUEST would make calendar clients send iMIP replies to the robot's
// address, where each would open a ticket.
func (a *Agenda) ICS(organizer string, attendees []string, stamp time.Time) string {
	c := ics.NewCalendarFor("mailbot")
	c.SetMethod(ics.MethodPublish)
	e := c.AddEvent(a.UID(domainOf(organizer)))
	e.SetDtStampTime(stamp)
	e.SetStartAt(a.Start)
	e.SetEndAt(a.End)
	e.SetSummary(a.Title)
	e.SetDescription(a.Text())
	if a.Location != "" {
		e.SetLocation(a.Location)
	}
	e.SetOrganizer(organizer)
	for _, at := range attendees {
		e.AddAttendee(at, ics.ParticipationRoleReqParticipant)
	}
	e.SetStatus(ics.ObjectStatusConfirmed)
	return c.Serialize()
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "mailbot.invalid"
}
