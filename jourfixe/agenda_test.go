package jourfixe

import (
	"strings"
	"testing"
	"time"

	"mailbot/store"
	"mailbot/templates"
)

func agendaInput() Input {
	n1 := store.Number{Year: 2026, Seq: 7}
	n2 := store.Number{Year: 2026, Seq: 9}
	n3 := store.Number{Year: 2026, Seq: 12}
	n4 := store.Number{Year: 2026, Seq: 13} // closed after its escalation
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, berlin)
	return Input{
		Prefix: "IT",
		Now:    time.Date(2026, 12, 4, 12, 0, 0, 0, berlin),
		Tickets: map[store.Number]*store.Ticket{
			n1: {Number: n1, Type: "a", Status: store.StatusNew, Subject: "Drucker im 2. OG druckt nicht", Created: created,
				History: []store.Event{{At: created, Kind: store.EventCreated},
					{At: time.Date(2026, 11, 10, 9, 0, 0, 0, berlin), Kind: store.EventEscalated}}},
			n2: {Number: n2, Type: "c", Status: store.StatusNew, Subject: "Vorklärung Projekt für IT/50-JF: Scanstraße",
				Project: "Scanstraße", Created: created.AddDate(0, 0, 3)},
			n4: {Number: n4, Type: "a", Status: store.StatusClosed, Subject: "Maus defekt", Created: created},
			n3: {Number: n3, Type: "c", Status: store.StatusNew, Subject: "Vorklärung Projekt für IT/50-JF: E-Akte",
				Project: "E-Akte", Created: created.AddDate(0, 0, 5)},
		},
		Items: []*store.AgendaItem{
			{Ticket: n2, Series: "it", Reason: store.AgendaProject, Since: created.AddDate(0, 0, 4)},
			{Ticket: n1, Series: "it", Reason: store.AgendaEscalated, Since: created.AddDate(0, 0, 8), Text: "Seit 5 Arbeitstagen unverändert."},
			{Ticket: n3, Series: "digi", Reason: store.AgendaProject, Since: created.AddDate(0, 0, 6)},
			{Ticket: n4, Series: "it", Reason: store.AgendaEscalated, Since: created.AddDate(0, 0, 6)},
		},
		Tasks: []*store.Task{
			{ID: 1, Ticket: n2, Owner: "a@stadt.example", What: "Angebot einholen", With: []string{"b@stadt.example"},
				Due: time.Date(2027, 1, 8, 0, 0, 0, 0, berlin), State: store.TaskOpen, Created: created},
			{ID: 2, Owner: "c@stadt.example", What: "Erledigtes", State: store.TaskDone, Created: created},
			{ID: 3, Owner: "d@stadt.example", What: "Überfälliges", State: store.TaskOpen, Created: created,
				Due: time.Date(2026, 12, 1, 0, 0, 0, 0, berlin)},
			{ID: 4, Owner: "e@stadt.example", What: "Ohne Datum", State: store.TaskOpen, Created: created},
		},
	}
}

func TestBuildITAgenda(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	a := Build(c.JourFixe.SeriesByName("it"), start, time.Hour, agendaInput())
	if len(a.Items) != 2 {
		t.Fatalf("got %d items, want 2 (the escalation and the IT mini-project): %+v", len(a.Items), a.Items)
	}
	if a.Items[0].Kind != "Eskalation" || a.Items[0].Tag != "[IT-2026-00007]" {
		t.Errorf("first item = %s %s, want the escalation [IT-2026-00007]", a.Items[0].Kind, a.Items[0].Tag)
	}
	if a.Items[1].Title != "Scanstraße" {
		t.Errorf("second item title = %q, want the project name Scanstraße", a.Items[1].Title)
	}
	if want := "neu, noch nicht zugewiesen; zuletzt eskaliert am 10.11.2026"; a.Items[0].LastState != want {
		t.Errorf("LastState = %q, want %q", a.Items[0].LastState, want)
	}
	if len(a.Tasks) != 3 {
		t.Fatalf("got %d tasks, want the 3 open ones: %+v", len(a.Tasks), a.Tasks)
	}
	if a.Tasks[0].ID != 3 || !a.Tasks[0].Overdue || a.Tasks[0].State != "überfällig" {
		t.Errorf("first task = %+v, want the overdue task 3", a.Tasks[0])
	}
	if a.Tasks[1].ID != 1 || a.Tasks[1].Title != "Scanstraße" || a.Tasks[1].Tag != "[IT-2026-00009]" {
		t.Errorf("second task = %+v, want task 1 on ticket 2026-00009", a.Tasks[1])
	}
	if a.Tasks[2].ID != 4 {
		t.Errorf("last task = %d, want 4 (no due date)", a.Tasks[2].ID)
	}
}

// TestTaskStateAgainstToday: a task is overdue only when its due date
// has passed today; one due by the meeting is not overdue yet.
func TestTaskStateAgainstToday(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	a := Build(c.JourFixe.SeriesByName("it"), start, time.Hour, agendaInput())
	want := map[uint64]string{3: "überfällig", 1: "fällig bis zum Termin", 4: "offen"}
	for _, row := range a.Tasks {
		if row.State != want[row.ID] || row.Overdue != (row.ID == 3) {
			t.Errorf("task %d due %s: state %q overdue %v, want %q", row.ID, row.Due.Format("02.01.2006"), row.State, row.Overdue, want[row.ID])
		}
	}
}

// TestLastStateSkipsRobotNoise: the robot's own mails, their copies at a
// watched address and deliveries say nothing about a ticket's state.
func TestLastStateSkipsRobotNoise(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 9, 0, 0, 0, berlin) }
	tk := &store.Ticket{Status: store.StatusAssigned, StatusText: "Ersatzteil bestellt", History: []store.Event{
		{At: day(1), Kind: store.EventCreated, Actor: "anna@stadt.example"},
		{At: day(2), Kind: store.EventMailIn, Actor: "anna@stadt.example"},
		{At: day(3), Kind: store.EventCommand, Actor: "it@stadt.example", Text: "#status Ersatzteil bestellt: Stand notiert."},
		{At: day(3), Kind: store.EventMailOut, Actor: "3344@stadt.example"},
		{At: day(3), Kind: store.EventDelivery},
		{At: day(4), Kind: store.EventRobotIn, Actor: "digitalisierung@stadt.example"},
		{At: day(4), Kind: store.EventNote, Text: "Auf die Tagesordnung gesetzt."},
	}}
	got := LastState(tk, berlin)
	want := "zugewiesen, in Bearbeitung („Ersatzteil bestellt“); zuletzt #status Ersatzteil bestellt von it@stadt.example am 03.12.2026"
	if got != want {
		t.Errorf("LastState = %q\nwant %q", got, want)
	}

	tk.History = append(tk.History, store.Event{At: day(7), Kind: store.EventMailIn, Actor: "anna@stadt.example"},
		store.Event{At: day(7), Kind: store.EventMailOut})
	tk.StatusText = ""
	if got, want := LastState(tk, berlin), "zugewiesen, in Bearbeitung; zuletzt Mail von anna@stadt.example am 07.12.2026"; got != want {
		t.Errorf("LastState = %q\nwant %q", got, want)
	}
}

func TestBuildDigiAgenda(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 26, 10, 0, 0, 0, berlin)
	a := Build(c.JourFixe.SeriesByName("digi"), start, time.Hour, agendaInput())
	if len(a.Items) != 1 || a.Items[0].Title != "E-Akte" {
		t.Errorf("items = %+v, want only the digitalisation project E-Akte", a.Items)
	}
	if len(a.Tasks) != 0 {
		t.Errorf("got %d tasks on the digitalisation agenda, want none", len(a.Tasks))
	}
	if strings.Contains(a.Text(), "Offene Aufgaben") {
		t.Error("digitalisation agenda text lists tasks")
	}
}

func TestRenderAgenda(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	in := agendaInput()
	in.Tickets[store.Number{Year: 2026, Seq: 7}].Subject = "<b>Drucker</b> & Scanner"
	a := Build(c.JourFixe.SeriesByName("it"), start, time.Hour, in)

	text := a.Text()
	for _, want := range []string{"Jour fixe IT/Amt 50", "Dienstag, 12.01.2027, 10:00 Uhr", "[IT-2026-00007] Eskalation",
		"seit 02.11.2026", "Grund: Seit 5 Arbeitstagen unverändert.", "Aufgabe 1: a@stadt.example: Angebot einholen, mit b@stadt.example, bis 08.01.2027"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	_, html, err := a.Render(templates.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<table>", "<th>Mit wem</th>", "&lt;b&gt;Drucker&lt;/b&gt; &amp; Scanner", "<td>überfällig</td>"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q:\n%s", want, html)
		}
	}
	cal := a.ICS("3344@stadt.example", []string{"leitung@stadt.example"}, start.AddDate(0, 0, -2), text)
	for _, want := range []string{"METHOD:PUBLISH", "UID:jourfixe-it-20270112@stadt.example", "DTSTART:20270112T090000Z",
		"DTEND:20270112T100000Z", "SUMMARY:Jour fixe IT/Amt 50", "mailto:leitung@stadt.example"} {
		if !strings.Contains(cal, want) {
			t.Errorf("iCalendar lacks %q:\n%s", want, cal)
		}
	}
	if want := "Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027"; a.Subject() != want {
		t.Errorf("Subject = %q, want %q", a.Subject(), want)
	}
}
