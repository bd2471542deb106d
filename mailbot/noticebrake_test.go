package mailbot_test

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

const deptHeadAddr = "amtsleitung50@stadt.example"

func TestAgendaHeldByBreakerIsTriedAgain(t *testing.T) {
	j := newJFRobot(t)
	j.cfg.Brakes.BreakerMinHourly = 100
	j.now = time.Date(2027, 1, 10, 10, 0, 0, 0, berlin) // two days before the IT jour fixe
	until := j.now.Add(time.Hour)
	if err := j.db.Update(func(tx *store.Tx) error {
		return tx.PutBreaker(store.Breaker{TrippedAt: j.now, Until: until})
	}); err != nil {
		t.Fatal(err)
	}
	if sent, err := j.robot.SendDueAgendas(); err != nil || len(sent) != 0 {
		t.Fatalf("SendDueAgendas with the breaker open = %v, %v; want nothing", sent, err)
	}
	if n := len(j.outbox()); n != 0 {
		t.Fatalf("%d mails queued with the breaker open, want none", n)
	}
	j.now = until.Add(time.Minute)
	sent, err := j.robot.SendDueAgendas()
	if err != nil || len(sent) != 1 || sent[0].Series != "it" {
		t.Fatalf("SendDueAgendas after the breaker = %v, %v; want the IT agenda", sent, err)
	}
}

func TestAgendaExemptFromRecipientCap(t *testing.T) {
	j := newJFRobot(t)
	j.cfg.Brakes.RecipientDaily = 1
	j.cfg.JourFixe.DepartmentHeads = map[string][]string{"50": {deptHeadAddr}}
	n := j.addTicket("c", "Vorklärung", "Scanstraße", time.Date(2026, 12, 1, 10, 0, 0, 0, berlin))
	j.now = time.Date(2027, 1, 10, 10, 0, 0, 0, berlin)
	if err := j.db.Update(func(tx *store.Tx) error {
		tk, err := tx.Ticket(n)
		if err != nil {
			return err
		}
		tk.Position = "50.3.12"
		if err := j.robot.RouteToJourFixe(tx, tk, "it", leadAddr); err != nil {
			return err
		}
		if err := tx.PutTicket(tk); err != nil {
			return err
		}
		return tx.CountAutomatic([]string{deptHeadAddr}, j.now)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.robot.SendDueAgendas(); err != nil {
		t.Fatal(err)
	}
	mails := j.outbox()
	if len(mails) != 1 || !slices.Contains(mails[0].To, deptHeadAddr) {
		t.Fatalf("agenda mails %+v, want one that reaches the department head past the daily cap", mails)
	}
}

func TestTaskReminderHeldByCapIsTriedAgain(t *testing.T) {
	j := newJFRobot(t)
	j.cfg.Brakes.RecipientDaily = 1
	j.now = time.Date(2026, 12, 4, 12, 0, 0, 0, berlin)
	if _, err := j.run(func(tx *store.Tx) (string, error) {
		return j.robot.CommandAufgabe(tx, nil, leadAddr, "an@stadt.example Standorte klären bis 15.12.2026")
	}); err != nil {
		t.Fatal(err)
	}
	j.now = time.Date(2026, 12, 11, 8, 0, 0, 0, berlin)
	if err := j.db.Update(func(tx *store.Tx) error {
		return tx.CountAutomatic([]string{"an@stadt.example"}, j.now)
	}); err != nil {
		t.Fatal(err)
	}
	if ids, err := j.robot.SendTaskReminders(); err != nil || len(ids) != 0 {
		t.Fatalf("reminders past the daily cap = %v, %v; want none", ids, err)
	}
	j.now = j.now.AddDate(0, 0, 1)
	if ids, err := j.robot.SendTaskReminders(); err != nil || !slices.Equal(ids, []uint64{1}) {
		t.Fatalf("reminders the next day = %v, %v; want task 1", ids, err)
	}
	if k := kinds(j.outbox()); !slices.Equal(k, []string{"reminder"}) {
		t.Errorf("outbox kinds %v, want one reminder", k)
	}
}

func TestQuarantineNoticesCappedToSummary(t *testing.T) {
	const admin = "mailbot-admin@stadt.example"
	h := newHarness(t)
	h.cfg.Limits.MaxMessageBytes = 4096
	const n = 8
	for i := range n {
		h.deliver(demo.SupportAddr, strings.Replace(faultReport, "fault-1@", "fault-"+string(rune('a'+i))+"@", 1)+
			strings.Repeat("Füllzeile mit Text.\n", 400))
	}
	h.start()
	h.waitIdle(n)
	if got := len(h.sentTo(admin)); got != 5 {
		t.Fatalf("%d quarantine notices to the admin role, want 5", got)
	}
	h.stop()

	db, err := store.Open(h.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := mailbot.New(h.cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return time.Now().Add(30 * time.Minute) }
	if err := r.SendQuarantineSummary(); err != nil {
		t.Fatal(err)
	}
	if got := queued(t, db); len(got) != 0 {
		t.Fatalf("summary queued before the window ended: %+v", got)
	}
	r.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
	if err := r.SendQuarantineSummary(); err != nil {
		t.Fatal(err)
	}
	got := queued(t, db)
	if len(got) != 1 || !slices.Equal(got[0].To, []string{admin}) || got[0].Subject != "3 weitere Mails in Quarantäne" {
		t.Fatalf("queued %+v, want one summary of 3 notices", got)
	}
	if !strings.Contains(got[0].Body, "UID 8:") || !strings.Contains(got[0].Body, "mailbot quarantine list") {
		t.Errorf("summary body:\n%s", got[0].Body)
	}
	if err := r.SendQuarantineSummary(); err != nil {
		t.Fatal(err)
	}
	if again := queued(t, db); len(again) != 1 {
		t.Errorf("second run queued %d mails, want the one summary", len(again))
	}
}

func queued(t *testing.T, db *store.DB) []*store.OutMail {
	t.Helper()
	var out []*store.OutMail
	if err := db.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Due(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
