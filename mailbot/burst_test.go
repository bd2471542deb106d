package mailbot_test

import (
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// TestBurstCapSparesRoleHolders runs a normal jour fixe exchange on one
// ticket within three minutes: a new mail, #eskalation by orga,
// #beschluss vertagt by the IT head and orga's follow-ups. Each command
// makes two or three mails, which reached brakes.ticket_burst and held
// IT's notice of orga's follow-up. Mails to role holders do not count
// toward that cap.
func TestBurstCapSparesRoleHolders(t *testing.T) {
	j := newJFRobot(t)
	start := time.Date(2027, 1, 5, 9, 0, 0, 0, berlin)
	j.now = start
	h, _ := j.handle(1, clerkAddr, "Drucker im Raum 2.14 defekt", "", "Der Drucker zeigt einen Papierstau.\n")
	n := h.Record.Ticket
	first := "jf-1@stadt.example"
	subject := "AW: " + n.Tag("IT") + " Drucker"

	j.now = start.Add(time.Minute)
	j.handle(2, orgaAddr, subject, first, "#eskalation Mitarbeitende nicht informiert\n")
	j.now = start.Add(2 * time.Minute)
	j.handle(3, headAddr, subject, first, "#beschluss vertagt Erst Rückmeldung des Herstellers abwarten\n")
	// Orga follows up three times with a request; IT must hear of each.
	for uid := uint32(4); uid <= 6; uid++ {
		j.now = start.Add(3 * time.Minute)
		_, mails := j.handle(uid, orgaAddr, subject, first, "#eskalation Immer noch kein Termin genannt\nBitte melden Sie sich heute noch bei der Poststelle.\n")
		if got := mailsTo(mails, itAddr); len(got) == 0 {
			t.Errorf("mail %d: IT got no notice of orga's escalation; mails %v", uid, kinds(mails))
		}
	}
	for _, e := range j.ticket(n).History {
		if e.Kind == store.EventHeld {
			t.Errorf("mail held on a normal jour fixe exchange: %s", e.Text)
		}
	}
}

// TestBurstCapStillHoldsRequesterMails keeps the cap for the addresses
// it guards: a requester (no role) whose mails keep coming back.
func TestBurstCapStillHoldsRequesterMails(t *testing.T) {
	j := newJFRobot(t)
	j.cfg.Brakes.TicketBurst = 3
	j.now = time.Date(2027, 1, 5, 9, 0, 0, 0, berlin)
	h, _ := j.handle(1, clerkAddr, "Drucker im Raum 2.14 defekt", "", "Der Drucker zeigt einen Papierstau.\n")
	n := h.Record.Ticket
	first := "jf-1@stadt.example"
	for uid := uint32(2); uid <= 6; uid++ {
		j.handle(uid, itAddr, "AW: "+n.Tag("IT")+" Drucker", first, "#notiz Wir sehen nach.\n#status in Arbeit\n")
	}
	held := 0
	for _, e := range j.ticket(n).History {
		if e.Kind == store.EventHeld && strings.Contains(e.Text, clerkAddr) {
			held++
		}
	}
	if held == 0 {
		t.Errorf("no mail to the requester held after many in a row:\n%v", j.ticket(n).History)
	}
}
