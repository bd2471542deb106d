package mailbot_test

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

const (
	orgaAddr    = "orga@stadt.example"
	leadAddr    = "leitung@stadt.example"
	headAddr    = "chef@stadt.example"
	itAddr      = "it@stadt.example"
	budgetAddr  = "budget@stadt.example"
	digiAddr    = "digi-team@stadt.example"
	clerkAddr   = "sachbearbeitung@stadt.example"
	supportAddr = "3344@stadt.example"
)

// jfRobot is a robot on a store only, with a clock the test sets.
type jfRobot struct {
	t     *testing.T
	cfg   *config.Config
	db    *store.DB
	robot *mailbot.Robot
	now   time.Time
}

func jfConfig(t *testing.T, dir string) *config.Config {
	t.Helper()
	c := config.Builtin()
	c.IMAP.Host, c.SMTP.Host = "127.0.0.1", "127.0.0.1"
	for i := range c.Mailboxes {
		c.Mailboxes[i].QuarantineFolder = "Quarantaene"
	}
	c.Store.Path = filepath.Join(dir, "mailbot.db")
	c.Roles = config.Roles{IT: []string{itAddr}, ITLeads: []string{leadAddr}, ITHead: []string{headAddr},
		Orga: []string{orgaAddr}, Budget: []string{budgetAddr}, Digi: []string{digiAddr}}
	c.JourFixe.Series = []config.Series{
		{Name: config.SeriesIT, Weekday: "tuesday", Time: "10:00", First: "2027-01-12"},
		{Name: config.SeriesDigi},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return &c
}

func newJFRobot(t *testing.T) *jfRobot {
	t.Helper()
	cfg := jfConfig(t, t.TempDir())
	db, err := store.Open(cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := mailbot.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	j := &jfRobot{t: t, cfg: cfg, db: db, robot: r}
	r.Now = func() time.Time { return j.now }
	return j
}

// addTicket stores a ticket created at created.
func (j *jfRobot) addTicket(typ, subject, project string, created time.Time) store.Number {
	j.t.Helper()
	var n store.Number
	err := j.db.Update(func(tx *store.Tx) error {
		var err error
		if n, err = tx.NextNumber(created.Year()); err != nil {
			return err
		}
		return tx.PutTicket(&store.Ticket{Number: n, Type: typ, Status: store.StatusNew, Requester: clerkAddr,
			Subject: subject, Project: project, Mailbox: "support", Created: created, Updated: created,
			MessageIDs: []string{"first-" + n.String() + "@example.org"},
			History:    []store.Event{{At: created, Kind: store.EventCreated, Actor: clerkAddr, Text: subject}}})
	})
	if err != nil {
		j.t.Fatal(err)
	}
	return n
}

func (j *jfRobot) outbox() []*store.OutMail {
	j.t.Helper()
	var out []*store.OutMail
	err := j.db.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Due(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 1000)
		return err
	})
	if err != nil {
		j.t.Fatal(err)
	}
	return out
}

func (j *jfRobot) ticket(n store.Number) *store.Ticket {
	j.t.Helper()
	tk, err := mailbot.ShowTicket(j.db, n)
	if err != nil {
		j.t.Fatal(err)
	}
	return tk
}

func (j *jfRobot) agendaItem(n store.Number) *store.AgendaItem {
	j.t.Helper()
	var it *store.AgendaItem
	if err := j.db.View(func(tx *store.Tx) error {
		var err error
		it, err = tx.AgendaItem(n)
		return err
	}); err != nil {
		j.t.Fatal(err)
	}
	return it
}

// run calls a command handler in one transaction.
func (j *jfRobot) run(fn func(tx *store.Tx) (string, error)) (string, error) {
	var reply string
	var cmdErr error
	err := j.db.Update(func(tx *store.Tx) error {
		reply, cmdErr = fn(tx)
		var ref *mailbot.Rejection
		if errors.As(cmdErr, &ref) {
			return nil
		}
		return cmdErr
	})
	if err != nil {
		j.t.Fatal(err)
	}
	return reply, cmdErr
}

func kinds(mails []*store.OutMail) []string {
	var out []string
	for _, m := range mails {
		out = append(out, m.Kind)
	}
	return out
}

func TestScanEscalatesAfterWorkingDaysAcrossNewYear(t *testing.T) {
	j := newJFRobot(t)
	// Wednesday before Christmas; limit for type a is 5 working days:
	// 24, 28, 29, 30 and 31 December.
	n := j.addTicket("a", "Drucker druckt nicht", "", time.Date(2026, 12, 23, 10, 0, 0, 0, berlin))

	j.now = time.Date(2026, 12, 31, 9, 59, 0, 0, berlin)
	got, err := j.robot.ScanEscalations()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("escalated %v one minute before the limit, want nothing", got)
	}

	j.now = time.Date(2026, 12, 31, 10, 0, 0, 0, berlin)
	got, err = j.robot.ScanEscalations()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []store.Number{n}) {
		t.Fatalf("escalated %v, want [%s]", got, n)
	}
	it := j.agendaItem(n)
	if it == nil || it.Series != "it" || it.Reason != store.AgendaEscalated {
		t.Fatalf("agenda item = %+v, want an escalation on the IT series", it)
	}
	tk := j.ticket(n)
	if !slices.ContainsFunc(tk.History, func(e store.Event) bool { return e.Kind == store.EventEscalated }) {
		t.Error("history has no escalation entry")
	}
	mails := j.outbox()
	if !slices.Equal(kinds(mails), []string{"escalation", "status"}) {
		t.Fatalf("outbox kinds = %v, want escalation and status", kinds(mails))
	}
	if !slices.Equal(mails[0].To, []string{orgaAddr, leadAddr}) {
		t.Errorf("escalation notice to %v, want orga and IT leads", mails[0].To)
	}
	if !strings.Contains(mails[0].Body, "Dienstag, 12.01.2027, 10:00 Uhr") {
		t.Errorf("escalation notice does not name the next IT jour fixe:\n%s", mails[0].Body)
	}
	if !slices.Equal(mails[1].To, []string{clerkAddr}) || mails[1].InReplyTo != "first-"+n.String()+"@example.org" {
		t.Errorf("status mail to %v in reply to %q, want the requester in the ticket's thread", mails[1].To, mails[1].InReplyTo)
	}

	// A second scan changes nothing: the ticket is on the agenda.
	if got, err = j.robot.ScanEscalations(); err != nil || len(got) != 0 {
		t.Errorf("second scan escalated %v (err %v), want nothing", got, err)
	}
}

func TestScanSkipsChangedAndFinalTickets(t *testing.T) {
	j := newJFRobot(t)
	created := time.Date(2026, 11, 2, 10, 0, 0, 0, berlin)
	changed := j.addTicket("a", "Geändert", "", created)
	final := j.addTicket("a", "Erledigt", "", created)
	quiet := j.addTicket("c", "Projekt", "Projekt", created) // limit 10 days
	err := j.db.Update(func(tx *store.Tx) error {
		tk, err := tx.Ticket(changed)
		if err != nil {
			return err
		}
		// A state change (any kind other than mail and notes) restarts the clock.
		tk.History = append(tk.History, store.Event{At: time.Date(2026, 11, 9, 10, 0, 0, 0, berlin), Kind: "status"},
			store.Event{At: time.Date(2026, 11, 12, 10, 0, 0, 0, berlin), Kind: store.EventMailIn})
		if err := tx.PutTicket(tk); err != nil {
			return err
		}
		tk, err = tx.Ticket(final)
		if err != nil {
			return err
		}
		tk.Status = "closed"
		return tx.PutTicket(tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	j.now = time.Date(2026, 11, 13, 12, 0, 0, 0, berlin) // 9 working days after creation
	got, err := j.robot.ScanEscalations()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("escalated %v, want none: changed 4 days ago, closed, or within the type c limit", got)
	}
	j.now = time.Date(2026, 11, 16, 10, 0, 0, 0, berlin) // 10 working days
	got, err = j.robot.ScanEscalations()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []store.Number{changed, quiet}) {
		t.Errorf("escalated %v, want %s (5 days after its change) and %s (10 days)", got, changed, quiet)
	}
}

func TestAgendaMailedOncePerMeeting(t *testing.T) {
	j := newJFRobot(t)
	n := j.addTicket("a", "Monitor flackert", "", time.Date(2026, 12, 1, 10, 0, 0, 0, berlin))
	j.now = time.Date(2027, 1, 8, 12, 0, 0, 0, berlin)
	if _, err := j.robot.ScanEscalations(); err != nil {
		t.Fatal(err)
	}
	before := len(j.outbox())
	if sent, err := j.robot.SendDueAgendas(); err != nil || len(sent) != 0 {
		t.Fatalf("SendDueAgendas four days before = %v, %v; want nothing yet", sent, err)
	}

	j.now = time.Date(2027, 1, 10, 10, 0, 0, 0, berlin) // two days before 12 January
	sent, err := j.robot.SendDueAgendas()
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].Series != "it" || sent[0].Items != 1 {
		t.Fatalf("sent = %+v, want the IT agenda with one item", sent)
	}
	mails := j.outbox()[before:]
	if len(mails) != 1 {
		t.Fatalf("got %d new mails, want 1 agenda", len(mails))
	}
	m := mails[0]
	if !slices.Equal(m.To, []string{headAddr, leadAddr, orgaAddr, budgetAddr}) {
		t.Errorf("agenda to %v, want the IT jour fixe roles", m.To)
	}
	if !strings.Contains(m.Body, n.Tag("IT")) || !strings.Contains(m.HTML, n.Tag("IT")) {
		t.Errorf("agenda does not list %s", n.Tag("IT"))
	}
	if len(m.Attachments) != 1 || !strings.Contains(string(m.Attachments[0].Data), "DTSTART:20270112T090000Z") {
		t.Errorf("agenda attachments = %+v, want one invitation for 12 January 10:00", m.Attachments)
	}
	if sent, err := j.robot.SendDueAgendas(); err != nil || len(sent) != 0 {
		t.Errorf("second SendDueAgendas = %v, %v; want nothing: already mailed", sent, err)
	}

	// The digitalisation agenda follows two days before 26 January.
	j.now = time.Date(2027, 1, 24, 10, 0, 0, 0, berlin)
	sent, err = j.robot.SendDueAgendas()
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].Series != "digi" {
		t.Errorf("sent = %+v, want the digitalisation agenda", sent)
	}
}

func TestCommandBeschluss(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2027, 1, 12, 11, 0, 0, 0, berlin)
	n := j.addTicket("c", "Vorklärung Projekt für IT/50-JF: Scanstraße", "Scanstraße", j.now.AddDate(0, 0, -20))
	if err := j.db.Update(func(tx *store.Tx) error {
		return tx.PutAgendaItem(&store.AgendaItem{Ticket: n, Series: "it", Reason: store.AgendaProject, Since: j.now})
	}); err != nil {
		t.Fatal(err)
	}
	decide := func(from, args string) (string, error) {
		return j.run(func(tx *store.Tx) (string, error) {
			tk, err := tx.Ticket(n)
			if err != nil {
				return "", err
			}
			return j.robot.CommandBeschluss(tx, tk, from, args)
		})
	}
	var ref *mailbot.Rejection
	if _, err := decide(itAddr, "freigegeben"); !errors.As(err, &ref) {
		t.Errorf("IT clerk's #beschluss: err = %v, want a rejection", err)
	}
	if _, err := decide(headAddr, "vielleicht"); !errors.As(err, &ref) {
		t.Errorf("#beschluss vielleicht: err = %v, want a rejection", err)
	}
	if _, err := decide(leadAddr, "vertagt Angebot fehlt"); err != nil {
		t.Fatal(err)
	}
	if it := j.agendaItem(n); it == nil || it.Deferred != 1 {
		t.Fatalf("after vertagt agenda item = %+v, want it kept with Deferred 1", it)
	}
	before := len(j.outbox())
	if _, err := decide(headAddr, "freigegeben Beschaffung im 1. Quartal"); err != nil {
		t.Fatal(err)
	}
	if it := j.agendaItem(n); it != nil {
		t.Errorf("after freigegeben agenda item = %+v, want none", it)
	}
	tk := j.ticket(n)
	if tk.Status != store.StatusApproved {
		t.Errorf("status = %q, want %q", tk.Status, store.StatusApproved)
	}
	mails := j.outbox()[before:]
	if len(mails) != 1 || !slices.Equal(mails[0].To, []string{orgaAddr, clerkAddr}) {
		t.Fatalf("decision mails = %v, want one to orga and the requester", kinds(mails))
	}
	if !strings.Contains(mails[0].Body, "Beschaffung im 1. Quartal") || !strings.Contains(mails[0].Subject, "freigegeben") {
		t.Errorf("decision mail %q lacks the outcome:\n%s", mails[0].Subject, mails[0].Body)
	}
	if _, err := decide(headAddr, "abgelehnt"); !errors.As(err, &ref) {
		t.Errorf("#beschluss on a ticket off the agenda: err = %v, want a rejection", err)
	}
}

func TestCommandAufgabeAndReminder(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin) // Friday
	n := j.addTicket("c", "Projekt", "Projekt", j.now)
	reply, err := j.run(func(tx *store.Tx) (string, error) {
		tk, err := tx.Ticket(n)
		if err != nil {
			return "", err
		}
		return j.robot.CommandAufgabe(tx, tk, leadAddr, "an@stadt.example Standorte klären mit x@stadt.example bis 15.12.2026")
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply, "Mit wem:  x@stadt.example") {
		t.Errorf("reply = %q", reply)
	}
	tasks, err := mailbot.ListTasks(j.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Ticket != n || tasks[0].Owner != "an@stadt.example" || tasks[0].State != store.TaskOpen {
		t.Fatalf("tasks = %+v", tasks)
	}

	// Reminder two working days before Tuesday 15 December: Friday 11th.
	j.now = time.Date(2026, 12, 10, 23, 0, 0, 0, berlin)
	if ids, err := j.robot.SendTaskReminders(); err != nil || len(ids) != 0 {
		t.Fatalf("reminders on 10 December = %v, %v; want none", ids, err)
	}
	j.now = time.Date(2026, 12, 11, 8, 0, 0, 0, berlin)
	ids, err := j.robot.SendTaskReminders()
	if err != nil || !slices.Equal(ids, []uint64{1}) {
		t.Fatalf("reminders on 11 December = %v, %v; want task 1", ids, err)
	}
	mails := j.outbox()
	last := mails[len(mails)-1]
	if last.Kind != "reminder" || !slices.Equal(last.To, []string{"an@stadt.example"}) || !strings.Contains(last.Body, "#aufgabe erledigt 1") {
		t.Errorf("reminder = %+v", last)
	}
	if ids, _ := j.robot.SendTaskReminders(); len(ids) != 0 {
		t.Errorf("second reminder run = %v, want none", ids)
	}

	// The owner closes it; a stranger may not.
	var ref *mailbot.Rejection
	if _, err := j.run(func(tx *store.Tx) (string, error) {
		return j.robot.CommandAufgabe(tx, nil, clerkAddr, "erledigt 1")
	}); !errors.As(err, &ref) {
		t.Errorf("stranger's #aufgabe erledigt: err = %v, want a rejection", err)
	}
	if _, err := j.run(func(tx *store.Tx) (string, error) {
		return j.robot.CommandAufgabe(tx, nil, "An@stadt.example", "erledigt 1")
	}); err != nil {
		t.Fatal(err)
	}
	tasks, _ = mailbot.ListTasks(j.db)
	if tasks[0].State != store.TaskDone {
		t.Errorf("task state = %q, want done", tasks[0].State)
	}
	if _, err := j.run(func(tx *store.Tx) (string, error) {
		return j.robot.CommandAufgabe(tx, nil, leadAddr, "an@stadt.example Tun bis 31.02.2027")
	}); !errors.As(err, &ref) || !strings.Contains(err.Error(), "kein gültiges Datum") {
		t.Errorf("invalid date: err = %v, want a rejection naming the date", err)
	}
}

func TestCommandAgendaForParticipant(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin)
	var ref *mailbot.Rejection
	if _, err := j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandAgenda(tx, clerkAddr, "") }); !errors.As(err, &ref) {
		t.Errorf("clerk's #agenda: err = %v, want a rejection", err)
	}
	if _, err := j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandAgenda(tx, orgaAddr, "") }); err != nil {
		t.Fatal(err)
	}
	mails := j.outbox()
	if len(mails) != 2 {
		t.Fatalf("got %d mails, want both agendas for the orga contact", len(mails))
	}
	for _, m := range mails {
		if !slices.Equal(m.To, []string{orgaAddr}) || m.HTML == "" || len(m.Attachments) != 1 {
			t.Errorf("agenda mail %q to %v: want HTML and an invitation to the orga contact only", m.Subject, m.To)
		}
	}
}

// TestCommandAgendaNamesOwnSeries: the budget contact takes part in the
// IT jour fixe only, so "#agenda digi" says so instead of claiming the
// address is in no series.
func TestCommandAgendaNamesOwnSeries(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin)
	_, err := j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandAgenda(tx, budgetAddr, "digi") })
	var rej *mailbot.Rejection
	if !errors.As(err, &rej) {
		t.Fatalf("budget's #agenda digi: err = %v, want a rejection", err)
	}
	wantContains(t, "rejection", rej.Text, "nicht am Jour fixe Digitalisierung/Amt 50", "nur am Jour fixe IT/Amt 50", "#agenda it")
	if strings.Contains(rej.Text, "bei keinem") {
		t.Errorf("rejection claims no series: %s", rej.Text)
	}

	_, err = j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandAgenda(tx, budgetAddr, "haushalt") })
	if !errors.As(err, &rej) {
		t.Fatalf("#agenda haushalt: err = %v, want a rejection", err)
	}
	wantContains(t, "rejection", rej.Text, "„haushalt“", "it", "digi")

	_, err = j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandAgenda(tx, clerkAddr, "") })
	if !errors.As(err, &rej) || !strings.Contains(rej.Text, "bei keinem") {
		t.Errorf("clerk's #agenda: err = %v, want the rejection for non-participants", err)
	}
}

type fakeRegister []mailbot.BudgetItem

func (f fakeRegister) ApprovedItems(*store.Tx) ([]mailbot.BudgetItem, error) { return f, nil }

func TestCommandBudget(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin)
	j.addTicket("b2", "Bestellung Dockingstationen laut HH-2026-017", "", j.now)
	j.addTicket("a", "Störung HH-2026-017", "", j.now)
	j.addTicket("b2", "Bestellung laut HH-2026-0170", "", j.now)
	var ref *mailbot.Rejection
	if _, err := j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandBudget(tx, budgetAddr) }); !errors.As(err, &ref) {
		t.Errorf("#budget without register: err = %v, want a rejection", err)
	}
	j.robot.Budget = fakeRegister{{ID: "HH-2026-017", Title: "Dockingstationen", Amount: "4.000 €"}, {ID: "HH-2026-020", Title: "Scanner"}}
	if _, err := j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandBudget(tx, itAddr) }); !errors.As(err, &ref) {
		t.Errorf("IT clerk's #budget: err = %v, want a rejection", err)
	}
	if _, err := j.run(func(tx *store.Tx) (string, error) { return j.robot.CommandBudget(tx, budgetAddr) }); err != nil {
		t.Fatal(err)
	}
	m := j.outbox()[0]
	want := "HH-2026-017 Dockingstationen (4.000 €)\n  [IT-2026-00001] Bestellung Dockingstationen laut HH-2026-017: neu, noch nicht zugewiesen\nHH-2026-020 Scanner\n  noch keine Bestellung\n"
	if !strings.Contains(m.Body, want) {
		t.Errorf("budget mail lacks\n%s\ngot:\n%s", want, m.Body)
	}
}

func TestRouteToJourFixeDigi(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin)
	n := j.addTicket("c", "Vorklärung Projekt für IT/50-JF: E-Akte", "E-Akte", j.now)
	err := j.db.Update(func(tx *store.Tx) error {
		tk, err := tx.Ticket(n)
		if err != nil {
			return err
		}
		if err := j.robot.RouteToJourFixe(tx, tk, "digi", leadAddr); err != nil {
			return err
		}
		return tx.PutTicket(tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := mailbot.AgendaFor(j.db, j.cfg, "digi", j.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Items) != 1 || a.Items[0].Title != "E-Akte" || a.Items[0].Kind != "Mini-Projekt" {
		t.Errorf("digi agenda items = %+v, want the project E-Akte", a.Items)
	}
	it, err := mailbot.AgendaFor(j.db, j.cfg, "it", j.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Items) != 0 {
		t.Errorf("IT agenda items = %+v, want none", it.Items)
	}
}

func TestBeschlussOnEscalatedTicketResumesWork(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2027, 1, 12, 11, 0, 0, 0, berlin)
	assigned := j.addTicket("a", "Drucker druckt nicht", "", j.now.AddDate(0, 0, -20))
	unassigned := j.addTicket("a", "Monitor flackert", "", j.now.AddDate(0, 0, -20))
	if err := j.db.Update(func(tx *store.Tx) error {
		for _, n := range []store.Number{assigned, unassigned} {
			tk, err := tx.Ticket(n)
			if err != nil {
				return err
			}
			if n == assigned {
				tk.Status, tk.Assignee = store.StatusAssigned, "bearbeiter@stadt.example"
			}
			tk.Escalated = true
			if err := tx.PutTicket(tk); err != nil {
				return err
			}
			if err := tx.PutAgendaItem(&store.AgendaItem{Ticket: n, Series: "it", Reason: store.AgendaEscalated, Since: j.now}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n          store.Number
		wantStatus string
		wantTo     []string
	}{
		{assigned, store.StatusAssigned, []string{orgaAddr, clerkAddr, "bearbeiter@stadt.example"}},
		{unassigned, store.StatusNew, []string{orgaAddr, clerkAddr, itAddr}},
	}
	for _, tt := range tests {
		before := len(j.outbox())
		if _, err := j.run(func(tx *store.Tx) (string, error) {
			tk, err := tx.Ticket(tt.n)
			if err != nil {
				return "", err
			}
			return j.robot.CommandBeschluss(tx, tk, headAddr, "freigegeben Neues Gerät bestellen")
		}); err != nil {
			t.Fatal(err)
		}
		tk := j.ticket(tt.n)
		if tk.Status != tt.wantStatus || tk.Escalated || j.agendaItem(tt.n) != nil {
			t.Errorf("%s: status %q, escalated %v; want %q, off the agenda", tt.n, tk.Status, tk.Escalated, tt.wantStatus)
		}
		if i := slices.IndexFunc(tk.History, func(e store.Event) bool { return e.Kind == store.EventDecision }); i < 0 ||
			!strings.Contains(tk.History[i].Text, "Neues Gerät bestellen") {
			t.Errorf("%s: history %+v lacks the decision with its text", tt.n, tk.History)
		}
		mails := j.outbox()[before:]
		if len(mails) != 1 || !slices.Equal(mails[0].To, tt.wantTo) || !strings.Contains(mails[0].Body, "bearbeitet das Ticket nach diesem Beschluss weiter") {
			t.Errorf("%s: decision mails %+v, want one to %v saying work goes on", tt.n, mails, tt.wantTo)
		}
	}
}

// TestDecisionBindingOnlyInITJourFixe: the rulebook makes only the IT
// jour fixe's decisions binding, so a decision on a digitalisation agenda
// item does not claim to be.
func TestDecisionBindingOnlyInITJourFixe(t *testing.T) {
	j := newJFRobot(t)
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin)
	body := map[string]string{}
	for _, series := range []string{"it", "digi"} {
		n := j.addTicket("c", "Vorklärung Projekt für IT/50-JF: E-Akte "+series, "E-Akte "+series, j.now)
		_, err := j.run(func(tx *store.Tx) (string, error) {
			tk, err := tx.Ticket(n)
			if err != nil {
				return "", err
			}
			if err := j.robot.RouteToJourFixe(tx, tk, series, leadAddr); err != nil {
				return "", err
			}
			if err := tx.PutTicket(tk); err != nil {
				return "", err
			}
			return j.robot.CommandBeschluss(tx, tk, headAddr, "freigegeben")
		})
		if err != nil {
			t.Fatalf("%s: #beschluss: %v", series, err)
		}
		for _, m := range j.outbox() {
			if m.Kind == "decision" && m.Ticket == n {
				body[series] = m.Body
			}
		}
	}
	wantContains(t, "IT decision", body["it"], "der Jour fixe IT/Amt 50 hat zum Ticket", "verbindlich beschlossen")
	wantContains(t, "digi decision", body["digi"], "der Jour fixe Digitalisierung/Amt 50 hat zum Ticket",
		"Verbindlich über Umsetzung und Folgeaufgaben entscheidet der Jour fixe IT/Amt 50.")
	if strings.Contains(body["digi"], "verbindlich beschlossen") {
		t.Errorf("digitalisation decision claims to be binding:\n%s", body["digi"])
	}
}
