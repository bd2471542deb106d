package mailbot_test

import (
	"fmt"
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

// triageRobot is a robot without servers: mails go in through Handle and
// the test reads the outbox from the store.
type triageRobot struct {
	t     *testing.T
	cfg   *config.Config
	db    *store.DB
	robot *mailbot.Robot
	uid   uint32
}

func newTriageRobot(t *testing.T) *triageRobot {
	t.Helper()
	c := config.Builtin()
	c.Store.Path = filepath.Join(t.TempDir(), "mailbot.db")
	c.Roles = config.Roles{
		IT: []string{"it-support@stadt.example"}, ITLeads: []string{"it-leitung@stadt.example"},
		Orga: []string{"orga.amt50@stadt.example"}, Budget: []string{"it-budget.amt50@stadt.example"},
	}
	c.Registers = config.Registers{BudgetItems: "../docs/registers/budget_items.csv",
		Applications: "../docs/registers/applications.csv", Positions: "../docs/registers/positions.yaml"}
	db, err := store.Open(c.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := mailbot.New(&c, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &triageRobot{t: t, cfg: &c, db: db, robot: r}
}

// handle feeds one mail to the mailbox and returns the new ticket and the
// mails it queued, by kind.
func (tr *triageRobot) handle(mailbox, from, subject, body string) (*store.Ticket, map[string]*store.OutMail) {
	tr.t.Helper()
	tr.uid++
	var mb *config.Mailbox
	for i := range tr.cfg.Mailboxes {
		if tr.cfg.Mailboxes[i].Name == mailbox {
			mb = &tr.cfg.Mailboxes[i]
		}
	}
	raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <triage-%d@stadt.example>\r\n"+
		"Date: Fri, 04 Dec 2026 09:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		from, mb.Address, subject, tr.uid, strings.ReplaceAll(body, "\n", "\r\n"))

	h, err := tr.robot.Handle(mailbot.Incoming{Mailbox: mb, UIDValidity: 1, UID: tr.uid, Raw: []byte(raw)})
	if err != nil {
		tr.t.Fatal(err)
	}
	if h.Record.Outcome != store.OutcomeTicket {
		tr.t.Fatalf("outcome %q, want a ticket", h.Record.Outcome)
	}
	tk, err := mailbot.ShowTicket(tr.db, h.Record.Ticket)
	if err != nil {
		tr.t.Fatal(err)
	}

	out := map[string]*store.OutMail{}
	err = tr.db.View(func(tx *store.Tx) error {
		due, err := tx.Due(time.Now().Add(24*time.Hour), 1000)
		for _, m := range due {
			if m.Ticket == tk.Number {
				out[m.Kind] = m
			}
		}
		return err
	})
	if err != nil {
		tr.t.Fatal(err)
	}
	return tk, out
}

func wantContains(t *testing.T, name, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", name, p, text)
		}
	}
}

func TestTriageAnnouncementFromOrga(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Clara Probe <orga.amt50@stadt.example>", "WG: Vorklärung Projekt fuer IT/50-JF: Digitale Post",
		"Die Poststelle soll eingehende Briefe scannen und digital an die Sachgebiete verteilen.\n")
	if tk.Type != "c" || tk.Project != "Digitale Post" || tk.Announcement == nil {
		t.Fatalf("ticket %+v", tk)
	}
	if tk.Announcement.Urgency != "" || !tk.Announcement.Description || len(tk.Announcement.Missing) != 2 {
		t.Errorf("announcement check %+v", tk.Announcement)
	}
	ack := out["ack"]
	if ack == nil {
		t.Fatal("no acknowledgement")
	}
	if !slices.Equal(ack.To, []string{"orga.amt50@stadt.example", "digitalisierung@stadt.example"}) {
		t.Errorf("acknowledgement to %v, want the orga contact and the digitalisation address", ack.To)
	}
	wantContains(t, "acknowledgement", ack.Body, "Vorankündigung", "Ticket "+tk.Number.String(), "c) (Mini-)Projekt",
		"Projektname: Digitale Post", "Bitte ergänzen Sie", "die Dringlichkeit", "Lösungsskizze", "So geht es weiter")
	if note := out["notify"]; note == nil || !slices.Contains(note.To, "it-leitung@stadt.example") {
		t.Errorf("IT notice %+v, want one to the IT leads as well", note)
	}
	if out["orga"] != nil {
		t.Error("orga contact notified of their own announcement")
	}
}

func TestTriageCRequestFromClerk(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Anna Beispiel <anna.beispiel@stadt.example>", "Monitor mitnehmen",
		"Ich wechsle auf Stelle 50.3.14 und möchte meinen Monitor mitnehmen.")
	if tk.Type != "c" || tk.Rule != "ausstattung-mitnehmen" || tk.Cite == "" || tk.Position != "50.3.14" {
		t.Fatalf("ticket %+v", tk)
	}
	ack := out["ack"]
	if ack == nil || !slices.Equal(ack.To, []string{"anna.beispiel@stadt.example"}) {
		t.Fatalf("acknowledgement %+v", ack)
	}
	wantContains(t, "reply", ack.Body, "Ticket "+tk.Number.String(), "c) (Mini-)Projekt", "Orga-Ansprechperson",
		"orga.amt50@stadt.example", "Vorklärung Projekt für IT/50-JF: <Projektname>", "3344@stadt.example",
		"Ausstattung darf nicht von einer Stelle auf die andere mitgenommen werden", "So geht es weiter")
	orga := out["orga"]
	if orga == nil || !slices.Equal(orga.To, []string{"orga.amt50@stadt.example"}) {
		t.Fatalf("orga notice %+v", orga)
	}
	wantContains(t, "orga notice", orga.Subject, tk.Number.Tag("IT"))
	wantContains(t, "orga notice", orga.Body, "Ticket "+tk.Number.String(), "anna.beispiel@stadt.example", "Stelle:      50.3.14")
}

func TestTriageBudgetItem(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Bernd Muster <it-budget.amt50@stadt.example>", "Bestellung aus Budgetantrag 2026-14",
		"Bitte die zwei Scanner bestellen.")
	if tk.Subtype != "b2" || tk.BudgetItem != "2026-14" || tk.BudgetTitle == "" || tk.BudgetStatus != "approved" {
		t.Fatalf("ticket %+v", tk)
	}
	wantContains(t, "acknowledgement", out["ack"].Body, "Budgetposten: 2026-14 – Dokumentenscanner für die Poststelle", "b2)")

	tk, out = tr.handle("support", "Bernd Muster <it-budget.amt50@stadt.example>", "Tablets aus Budgetantrag 2026-21", "Bitte bestellen.")
	if tk.Type != "c" || tk.BudgetStatus != "reserved" {
		t.Fatalf("reserved item: ticket %+v", tk)
	}
	wantContains(t, "acknowledgement", out["ack"].Body, "nicht ohne Vorbehalt freigegeben")
	if out["orga"] == nil {
		t.Error("a c-type order of the budget contact should reach the orga contact")
	}
}

func TestTriageApplicationRouting(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "frieda.nachname@stadt.example", "Elterngeld Online stürzt ab", "Fehler beim Speichern.")
	if tk.Application != "Elterngeld-Online" || tk.Responsibility != "office" {
		t.Fatalf("ticket %+v", tk)
	}
	if note := out["notify"]; note == nil || !slices.Equal(note.To, []string{"key-user-elterngeld@stadt.example"}) {
		t.Errorf("notice %+v, want it to go to the office's key user only", note)
	}
	tk, out = tr.handle("support", "lukas.probe@stadt.example", "WoGeld Fehler", "Das Wohngeldverfahren meldet Fehler 17.")
	want := []string{"fachbetreuung-wohngeld@stadt.example", "it-fachverfahren@stadt.example"}
	if !slices.Equal(tk.Responsible, want) {
		t.Errorf("shared model: responsible %v, want %v", tk.Responsible, want)
	}
	if note := out["notify"]; note == nil || !slices.Equal(note.To, append(want, "it-support@stadt.example")) {
		t.Errorf("shared model: notice %+v, want it to go to %v and the it role", note, want)
	}
	wantContains(t, "notice", out["notify"].Body, "Anwendung:  Wohngeldverfahren (Fachamt betreut die Anwendung, IT betreibt die Technik)")
}

func TestTriageFallbackAsksForManualTriage(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "anna.beispiel@stadt.example", "Rückruf", "Bitte rufen Sie mich an.")
	if tk.Rule != "fallback" || tk.Type != "a" {
		t.Fatalf("ticket %+v", tk)
	}
	wantContains(t, "notice", out["notify"].Body, "von Hand")
	wantContains(t, "acknowledgement", out["ack"].Body, "Standardtyp des Postfachs support (a)")
}

func TestBudgetCommandUsesRegister(t *testing.T) {
	tr := newTriageRobot(t)
	tk, _ := tr.handle("support", "Bernd Muster <it-budget.amt50@stadt.example>", "Scanner bestellen",
		"Bitte die Scanner aus Posten 2026-14 bestellen.")
	if tk.BudgetItem != "2026-14" {
		t.Fatalf("ticket budget item %q, want 2026-14", tk.BudgetItem)
	}
	var reply string
	err := tr.db.Update(func(tx *store.Tx) error {
		var err error
		reply, err = tr.robot.CommandBudget(tx, "it-budget.amt50@stadt.example")
		return err
	})
	if err != nil {
		t.Fatalf("#budget: %v", err)
	}
	wantContains(t, "#budget reply", reply, "3 freigegebene Budgetposten")
	var overview *store.OutMail
	err = tr.db.View(func(tx *store.Tx) error {
		due, err := tx.Due(time.Now().Add(24*time.Hour), 1000)
		for _, m := range due {
			if m.Kind == "budget" {
				overview = m
			}
		}
		return err
	})
	if err != nil || overview == nil {
		t.Fatalf("no budget overview queued: %v", err)
	}
	wantContains(t, "budget overview", overview.Body, "2026-14 Dokumentenscanner für die Poststelle (2 Stück, 1.800 €)", "2026-15 Höhenverstellbare Schreibtische mit Monitorarm (6 Stück)",
		tk.Number.Tag("IT"), "2026-30 Headsets für das Bürgerbüro (12 Stück, 2.400 €)")
	if strings.Contains(overview.Body, "2026-21") {
		t.Errorf("overview lists the reserved item 2026-21:\n%s", overview.Body)
	}
}

func TestAnnouncementCompletedByReply(t *testing.T) {
	tr := newTriageRobot(t)
	tk, _ := tr.handle("support", "Clara Probe <orga.amt50@stadt.example>", "Vorklärung Projekt für IT/50-JF: Digitale Post",
		"Die Poststelle soll eingehende Briefe scannen und digital an die Sachgebiete verteilen.")
	if tk.Announcement == nil || len(tk.Announcement.Missing) != 2 {
		t.Fatalf("announcement check %+v, want urgency and sketch missing", tk.Announcement)
	}
	reply := "From: orga.amt50@stadt.example\r\nTo: 3344@stadt.example\r\nSubject: AW: " + tk.Number.Tag("IT") +
		" Vorklärung Projekt für IT/50-JF: Digitale Post\r\nMessage-ID: <reply-1@stadt.example>\r\n" +
		"Date: Fri, 04 Dec 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Dringlichkeit: Klärung im JF DI/50 notwendig.\r\n\r\nAm 04.12.2026 schrieb IT-Ticketsystem:\r\n> Bitte ergänzen Sie\r\n"
	h, err := tr.robot.Handle(mailbot.Incoming{Mailbox: &tr.cfg.Mailboxes[0], UIDValidity: 1, UID: 99, Raw: []byte(reply)})
	if err != nil {
		t.Fatal(err)
	}
	if h.Record.Outcome != store.OutcomeFollowUp {
		t.Fatalf("outcome %q, want a follow-up", h.Record.Outcome)
	}
	tk, err = mailbot.ShowTicket(tr.db, tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	if a := tk.Announcement; a.Urgency != "digi-jf" || len(a.Missing) != 1 {
		t.Errorf("announcement after the reply %+v, want urgency digi-jf and only the sketch missing", a)
	}
	found := false
	for _, e := range tk.History {
		if e.Kind == store.EventNote && strings.Contains(e.Text, "Vorankündigung wurde ergänzt") {
			found = true
		}
	}
	if !found {
		t.Errorf("no history note on the completed announcement: %+v", tk.History)
	}
}
