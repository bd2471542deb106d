package mailbot_test

import (
	"fmt"
	"strings"
	"testing"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

// rawMail builds a plain text mail from header lines and a body.
func rawMail(headers []string, body string) string {
	return strings.Join(headers, "\n") + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body
}

func TestEchoedHelpListRunsNothing(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, reply(clerk, "AW: "+tag, "anna-help@stadt.example", "", "#hilfe\n"))
	h.waitIdle(2)
	mails := h.sentTo(clerk)
	help := mails[len(mails)-1]
	if !strings.Contains(help.body, "#zurückziehen [GRUND]") {
		t.Fatalf("help confirmation lacks #zurückziehen:\n%s", help.body)
	}

	// An auto-responder without robot headers that quotes without ">".
	echo := "Ich bin bis Montag nicht im Haus.\n\n" + help.body
	h.deliver(demo.SupportAddr, reply(clerk, "AW: "+tag, "anna-away-1@stadt.example", help.header.Get("Message-Id"), echo))
	h.waitIdle(3)
	tk := h.ticket(thisYear(1))
	if tk.Status != store.StatusNew {
		t.Errorf("status %q after an echoed help list, want new", tk.Status)
	}
	if n := len(events(tk, store.EventCommand)); n != 1 {
		t.Errorf("%d commands ran, want only the #hilfe", n)
	}
	if n := len(h.sentTo(clerk)); n != len(mails) {
		t.Errorf("clerk got %d mails after the echo, want none more", n-len(mails))
	}
	denied := events(tk, store.EventDenied)
	if len(denied) == 0 || !strings.Contains(denied[0].Text, "gilt als zitiert") {
		t.Errorf("history does not record the echoed lines: %+v", denied)
	}

	// IT's auto-responder echoes the notice of the new ticket, without
	// In-Reply-To: the ticket's own mails to IT are compared.
	notice := h.sentTo(itClerk)[0]
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-away-1@stadt.example", "", notice.body))
	h.waitIdle(4)
	if tk := h.ticket(thisYear(1)); tk.Status != store.StatusNew || tk.Assignee != "" {
		t.Errorf("after IT's echo: status %q assignee %q, want new and none", tk.Status, tk.Assignee)
	}
}

func TestEchoAmongRealCommandsReported(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	notice := h.sentTo(itClerk)[0]
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-take@stadt.example", notice.header.Get("Message-Id"),
		"#übernehmen\n\n#erledigt [TEXT] – schließt das Ticket; der Text geht an die anfragende Person\n"))
	h.waitIdle(2)
	tk := h.ticket(thisYear(1))
	if tk.Assignee != itClerk || tk.Status == store.StatusClosed {
		t.Errorf("assignee %q status %q, want %s and not closed", tk.Assignee, tk.Status, itClerk)
	}
	mails := h.sentTo(itClerk)
	confirm := mails[len(mails)-1].body
	if !strings.Contains(confirm, "[NICHT ausgeführt] #erledigt [TEXT]") || !strings.Contains(confirm, "gilt als zitiert") {
		t.Errorf("confirmation does not report the echoed line:\n%s", confirm)
	}
}

func TestCommandLoopStoppedByBrakes(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	burst := h.cfg.Brakes.TicketBurst
	if burst <= 0 {
		t.Fatal("brakes.ticket_burst is off in the demo configuration")
	}
	// A responder that answers every mail with a fresh "#status" line,
	// which is no echo, so only the brakes can stop it.
	rounds := burst + 5
	for i := range rounds {
		mails := h.sentTo(clerk)
		last := mails[len(mails)-1]
		h.deliver(demo.SupportAddr, reply(clerk, "AW: "+tag, fmt.Sprintf("anna-loop-%d@stadt.example", i),
			last.header.Get("Message-Id"), fmt.Sprintf("#status\nAutomatische Antwort %d\n", i)))
		h.waitIdle(2 + i)
	}
	got := len(h.sentTo(clerk))
	if got >= rounds {
		t.Errorf("clerk got %d mails for %d looping replies; the brakes did not hold", got, rounds)
	}
	if held := events(h.ticket(thisYear(1)), store.EventHeld); len(held) == 0 {
		t.Error("no held mail in the history")
	}
}

func TestAssignRobotAddressRejected(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	for i, addr := range []string{demo.SupportAddr, strings.ToUpper(demo.SupportAddr), demo.DigiAddr} {
		h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, fmt.Sprintf("it-robot-%d@stadt.example", i), "", "#zuweisen "+addr+"\n"))
		h.waitIdle(2 + i)
		if tk := h.ticket(thisYear(1)); tk.Assignee != "" {
			t.Errorf("#zuweisen %s: assignee %q, want none", addr, tk.Assignee)
		}
		mails := h.sentTo(itClerk)
		if body := mails[len(mails)-1].body; !strings.Contains(body, "Adresse des Ticketsystems") {
			t.Errorf("#zuweisen %s: confirmation:\n%s", addr, body)
		}
	}
}

func TestCommandsCappedPerMail(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	limit := h.cfg.Commands.MaxPerMail
	body := strings.Repeat("#status\n", limit+30) + "#notiz " + strings.Repeat("x", 5000) + "\n"
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-flood@stadt.example", "", body))
	h.waitIdle(2)
	tk := h.ticket(thisYear(1))
	if n := len(events(tk, store.EventCommand)); n != limit {
		t.Errorf("%d commands ran, want %d", n, limit)
	}
	mails := h.sentTo(itClerk)
	confirm := mails[len(mails)-1].body
	if want := fmt.Sprintf("Weitere %d Befehle wurden NICHT ausgeführt", 31); !strings.Contains(confirm, want) {
		t.Errorf("confirmation lacks %q", want)
	}
	if len(confirm) > 8<<10 {
		t.Errorf("confirmation has %d bytes", len(confirm))
	}
}

func TestLongEchoCappedPerMail(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	line := "#erledigt [TEXT] – schließt das Ticket; der Text geht an die anfragende Person\n"
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-echo-flood@stadt.example", "", "#übernehmen\n"+strings.Repeat(line, 500)))
	h.waitIdle(2)
	if n := len(events(h.ticket(thisYear(1)), store.EventDenied)); n > h.cfg.Commands.MaxPerMail+1 {
		t.Errorf("%d denied events for one mail, want at most %d", n, h.cfg.Commands.MaxPerMail+1)
	}
	mails := h.sentTo(itClerk)
	if confirm := mails[len(mails)-1].body; len(confirm) > 16<<10 {
		t.Errorf("confirmation has %d bytes", len(confirm))
	}
}

func TestLongCommandArgumentCut(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-long@stadt.example", "", "#typ "+strings.Repeat("y", 5000)+"\n"))
	h.waitIdle(2)
	for _, e := range events(h.ticket(thisYear(1)), store.EventDenied) {
		if len(e.Text) > 2000 {
			t.Errorf("history event of %d bytes", len(e.Text))
		}
	}
}

func TestAmbiguousSenderRunsNoCommand(t *testing.T) {
	tag := thisYear(1).Tag("IT")
	for _, tc := range []struct {
		name   string
		header []string
		closed bool
	}{
		{"two addresses", []string{"From: " + itClerk + ", evil@example.org"}, false},
		{"two fields", []string{"From: " + itClerk, "From: evil@example.org"}, false},
		{"sender outside", []string{"From: " + itClerk, "Sender: evil@example.org"}, false},
		{"quoted name", []string{`From: "Support, IT (it@stadt.example)" <` + itClerk + ">"}, true},
		{"sender same domain", []string{"From: " + itClerk, "Sender: vorzimmer@stadt.example"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.deliver(demo.SupportAddr, faultReport)
			h.start()
			h.waitIdle(1)
			headers := append(tc.header, "To: "+demo.SupportAddr, "Subject: AW: "+tag, "Message-ID: <it-from@stadt.example>")
			h.deliver(demo.SupportAddr, rawMail(headers, "#erledigt\n"))
			h.waitIdle(2)
			tk := h.ticket(thisYear(1))
			if closed := tk.Status == store.StatusClosed; closed != tc.closed {
				t.Errorf("closed %v, want %v (history %+v)", closed, tc.closed, tk.History)
			}
			mails := h.sentTo(itClerk)
			if body := mails[len(mails)-1].body; !tc.closed && !strings.Contains(body, "[NICHT ausgeführt] #erledigt") {
				t.Errorf("confirmation does not report the command as not run:\n%s", body)
			}
		})
	}
}

func TestCommandReplyToListMakesNoTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	h.deliver(demo.SupportAddr, reply(clerk, "Status", "anna-status@stadt.example", "", "Status\n"))
	h.waitIdle(2)
	mails := h.sentTo(clerk)
	list := mails[len(mails)-1]
	if id := list.header.Get("Message-Id"); strings.Contains(id, "0000-00000") || !strings.Contains(id, "mailbot.list.") {
		t.Errorf("list Message-ID %q, want a mailbot.list. identity", id)
	}
	h.deliver(demo.SupportAddr, reply(clerk, "AW: Ihre offenen Tickets", "anna-list-reply@stadt.example", list.header.Get("Message-Id"), "#zurückziehen\n"))
	h.waitIdle(3)
	if l, _ := mailbot.ListTickets(h.db); len(l) != 1 {
		t.Errorf("%d tickets, want only the fault report", len(l))
	}
	if tk := h.ticket(thisYear(1)); tk.Status != store.StatusNew {
		t.Errorf("status %q, want new", tk.Status)
	}
	mails = h.sentTo(clerk)
	hint := mails[len(mails)-1]
	if hint.subject() != "Befehle ohne Ticket nicht ausgeführt" {
		t.Fatalf("answer %q, want the hint", hint.subject())
	}
	for _, want := range []string{"  #zurückziehen\n", "kein neues Ticket angelegt", "[IT-", `Betreff "Status"`} {
		if !strings.Contains(strings.ReplaceAll(hint.body, "\r\n", "\n"), want) {
			t.Errorf("hint lacks %q:\n%s", want, hint.body)
		}
	}

	// An auto-responder's copy of the hint gets no second hint.
	h.deliver(demo.SupportAddr, reply(clerk, "AW: "+hint.subject(), "anna-away@stadt.example", hint.header.Get("Message-Id"),
		"Ich bin nicht im Haus.\n\n"+hint.body))
	h.waitIdle(4)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeIgnored {
		t.Errorf("echo of the hint: outcome %q, want ignored", got)
	}
	if n := len(h.sentTo(clerk)); n != len(mails) {
		t.Errorf("clerk got %d more mails after echoing the hint", n-len(mails))
	}
	if l, _ := mailbot.ListTickets(h.db); len(l) != 1 {
		t.Errorf("%d tickets after the echo, want 1", len(l))
	}
}

func TestCommandsInNewMailAnswered(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, reply(itClerk, "Drucker 2. OG", "it-new@stadt.example", "", "#übernehmen\n"))
	h.start()
	h.waitIdle(1)
	if l, _ := mailbot.ListTickets(h.db); len(l) != 0 {
		t.Errorf("%d tickets, want none", len(l))
	}
	mails := h.sentTo(itClerk)
	if len(mails) != 1 || !strings.Contains(strings.ReplaceAll(mails[0].body, "\r\n", "\n"), "  #übernehmen\n") {
		t.Fatalf("IT got %q", subjects(mails))
	}
}

func TestSpacedCommandReported(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-spaced@stadt.example", "", "# notiz Kabel getauscht\n"))
	h.waitIdle(2)
	if n := len(events(h.ticket(thisYear(1)), store.EventInternal)); n != 0 {
		t.Errorf("%d internal notes, want none", n)
	}
	mails := h.sentTo(itClerk)
	confirm := mails[len(mails)-1].body
	if !strings.Contains(confirm, "[NICHT ausgeführt] # notiz Kabel getauscht") || !strings.Contains(confirm, "#notiz ohne Leerzeichen") {
		t.Errorf("confirmation:\n%s", confirm)
	}
}

func TestMergedRequesterGetsSurvivorStatus(t *testing.T) {
	const carla = "carla.test@stadt.example"
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.deliver(demo.SupportAddr, reply("Carla Test <"+carla+">", "Fachverfahren geht nicht", "carla-1@stadt.example", "", "Bei mir auch.\n"))
	h.start()
	h.waitIdle(2)
	first, second := thisYear(1), thisYear(2)
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+second.Tag("IT"), "it-merge@stadt.example", "", "#zusammenführen "+first.String()+"\n"))
	h.waitIdle(3)
	mails := h.sentTo(carla)
	merge := strings.ReplaceAll(mails[len(mails)-1].body, "\r\n", "\n")
	if !strings.Contains(merge, "Bitte lassen Sie "+first.Tag("IT")) || strings.Contains(merge, "lassen Sie "+second.Tag("IT")) {
		t.Errorf("merge status mail footer does not name the survivor:\n%s", merge)
	}

	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+first.Tag("IT"), "it-close@stadt.example", "", "#erledigt Dienst neu gestartet.\n"))
	h.waitIdle(4)
	mails = h.sentTo(carla)
	last := mails[len(mails)-1]
	if !strings.Contains(last.subject(), "Statusänderung") || !strings.Contains(last.body, "Dienst neu gestartet.") {
		t.Errorf("merged requester not told of the survivor's closing: %q", subjects(mails))
	}

	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+first.Tag("IT"), "it-reopen@stadt.example", "", "#wiedereröffnen\n"))
	h.waitIdle(5)
	h.deliver(demo.SupportAddr, reply(carla, "Status", "carla-status@stadt.example", "", "Status\n"))
	h.waitIdle(6)
	mails = h.sentTo(carla)
	list := mails[len(mails)-1].body
	if !strings.Contains(list, second.Tag("IT")+"  Fachverfahren geht nicht") || !strings.Contains(list, "zusammengeführt mit "+first.Tag("IT")) {
		t.Errorf("merged requester's status list:\n%s", list)
	}
	if strings.Contains(list, "Störung Fachverfahren") {
		t.Errorf("status list shows the other requester's subject:\n%s", list)
	}
}

func TestMergeIntoClosedRejected(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.deliver(demo.SupportAddr, reply("Carla Test <carla.test@stadt.example>", "Fachverfahren geht nicht", "carla-1@stadt.example", "", "Bei mir auch.\n"))
	h.start()
	h.waitIdle(2)
	first, second := thisYear(1), thisYear(2)
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+first.Tag("IT"), "it-close@stadt.example", "", "#erledigt\n"))
	h.waitIdle(3)
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+second.Tag("IT"), "it-merge@stadt.example", "", "#zusammenführen "+first.String()+"\n"))
	h.waitIdle(4)
	if tk := h.ticket(second); tk.Status != store.StatusNew {
		t.Errorf("second ticket status %q, want new", tk.Status)
	}
	mails := h.sentTo(itClerk)
	if body := mails[len(mails)-1].body; !strings.Contains(body, "#wiedereröffnen") || !strings.Contains(body, "[NICHT ausgeführt] #zusammenführen") {
		t.Errorf("confirmation:\n%s", body)
	}
}

func TestRerouteTellsEarlierRecipients(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, projectAnnouncement)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, reply(itLead, "AW: "+tag, "lead-digi@stadt.example", "", "#digi\n"))
	// Each outcome also reaches the watched digitalisation mailbox, where
	// it is handled as mailbot's own mail.
	h.waitIdle(3)
	h.deliver(demo.SupportAddr, reply(itLead, "AW: "+tag, "lead-order@stadt.example", "", "#bestellung\n"))
	h.waitIdle(5)
	if tk := h.ticket(thisYear(1)); tk.Routing != store.RoutingOrder {
		t.Fatalf("routing %q, want order", tk.Routing)
	}
	digi := h.sentTo(digiUnit)
	if len(digi) != 2 {
		t.Fatalf("digitalisation unit got %q, want both decisions", subjects(digi))
	}
	body := strings.ReplaceAll(digi[1].body, "\r\n", "\n")
	for _, want := range []string{"Entscheidung:    Direktbestellung", "Ersetzt:         Digitalisierungsprojekt"} {
		if !strings.Contains(body, want) {
			t.Errorf("second outcome lacks %q:\n%s", want, body)
		}
	}
	if n := len(h.sentTo(budget)); n != 1 {
		t.Errorf("budget got %d mails, want 1", n)
	}
	var dropped bool
	for _, e := range events(h.ticket(thisYear(1)), store.EventNote) {
		dropped = dropped || strings.HasPrefix(e.Text, "Von der Tagesordnung genommen")
	}
	if !dropped {
		t.Error("history does not say the project left the agenda")
	}
	err := h.db.View(func(tx *store.Tx) error {
		item, err := tx.AgendaItem(thisYear(1))
		if item != nil {
			t.Errorf("agenda item after re-routing to an order: %+v", item)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReassignTellsPreviousAssignee(t *testing.T) {
	const bernd, carl = "bernd.muster@stadt.example", "carl.probe@stadt.example"
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-a1@stadt.example", "", "#zuweisen "+bernd+"\n"))
	h.waitIdle(2)
	h.deliver(demo.SupportAddr, reply(itClerk, "AW: "+tag, "it-a2@stadt.example", "", "#zuweisen "+carl+"\n"))
	h.waitIdle(3)
	got := h.sentTo(bernd)
	if len(got) != 2 {
		t.Fatalf("previous assignee got %q, want the assignment and the reassignment", subjects(got))
	}
	if !strings.HasPrefix(got[0].body, "Ticket "+thisYear(1).String()+" wurde Ihnen zugewiesen") {
		t.Errorf("assignment mail heading:\n%s", got[0].body)
	}
	if !strings.Contains(got[1].body, "jetzt "+carl+" zugewiesen") {
		t.Errorf("reassignment mail:\n%s", got[1].body)
	}
}

func TestRequesterCommandNoticeToIT(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	before := len(h.sentTo(itClerk))
	h.deliver(demo.SupportAddr, reply(clerk, "AW: "+tag, "anna-h@stadt.example", "", "#hilfe\n"))
	h.deliver(demo.SupportAddr, reply(clerk, "AW: "+tag, "anna-r@stadt.example", "", "#wiedereröffnen\n"))
	h.waitIdle(3)
	if n := len(h.sentTo(itClerk)); n != before {
		t.Errorf("IT got %d notices of command-only mails that changed nothing", n-before)
	}
	h.deliver(demo.SupportAddr, reply(clerk, "AW: "+tag, "anna-r2@stadt.example", "", "#wiedereröffnen\nDas Problem ist wieder da.\n"))
	h.waitIdle(4)
	mails := h.sentTo(itClerk)
	notice := mails[len(mails)-1].body
	for _, want := range []string{"Das Problem ist wieder da.", "[NICHT ausgeführt] #wiedereröffnen", "Nicht berechtigt"} {
		if !strings.Contains(notice, want) {
			t.Errorf("IT notice lacks %q:\n%s", want, notice)
		}
	}
}

func TestCommandWording(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	tag := thisYear(1).Tag("IT")
	n := 1
	last := func(from, body string) string {
		t.Helper()
		n++
		h.deliver(demo.SupportAddr, reply(from, "AW: "+tag, fmt.Sprintf("wording-%d@stadt.example", n), "", body))
		h.waitIdle(n)
		mails := h.sentTo(from)
		return mails[len(mails)-1].body
	}
	for _, tc := range []struct{ from, body, want string }{
		{itClerk, "#typ\n", "Es fehlt der Prozesstyp: a, b1, b2, b3 oder c. Beispiel: #typ b1"},
		{itClerk, "#zuweisen\n", "Es fehlt die Mailadresse der zuständigen Person. Beispiel: #zuweisen"},
		{clerk, "#erledigt\n", "Diesen Befehl darf nur die IT-Sachbearbeitung (it)"},
		{itClerk, "#status Ersatzteil bestellt\n#erledigt Ersatzteil eingebaut\n", "Ticket erledigt."},
		{clerk, "#status\n", "zuletzt: Ersatzteil eingebaut"},
	} {
		if got := last(tc.from, tc.body); !strings.Contains(strings.Join(strings.Fields(got), " "), tc.want) {
			t.Errorf("%q: answer lacks %q:\n%s", tc.body, tc.want, got)
		}
	}
	for _, m := range h.sentTo(clerk) {
		if !strings.Contains(m.subject(), "Statusänderung") {
			continue
		}
		_, next, _ := strings.Cut(strings.ReplaceAll(m.body, "\r\n", "\n"), "So geht es weiter:")
		next, _, _ = strings.Cut(next, "\n\n")
		for _, line := range strings.Split("So geht es weiter:"+next, "\n") {
			if n := len([]rune(line)); n > 72 {
				t.Errorf("status mail line of %d characters: %q", n, line)
			}
		}
	}
}

func TestEchoedJourFixeConfirmationRunsNothing(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, reply(orga, "Tagesordnung", "orga-agenda@stadt.example", "", "#agenda\n"))
	h.start()
	h.waitIdle(1)
	first := h.sentTo(orga)
	if len(first) == 0 {
		t.Fatal("orga got no answer to #agenda")
	}
	var confirm *sentMail
	for _, m := range first {
		if m.subject() == "Ihre Befehle an das Ticketsystem" {
			confirm = m
		}
	}
	if confirm == nil || !strings.Contains(confirm.body, "#agenda") {
		t.Fatalf("orga got %q, want a confirmation naming #agenda", subjects(first))
	}
	h.deliver(demo.SupportAddr, reply(orga, "AW: Ihre Befehle an das Ticketsystem", "orga-away@stadt.example", confirm.header.Get("Message-Id"),
		"Ich bin nicht im Haus.\n\n"+confirm.body))
	h.waitIdle(2)
	for _, m := range h.sentTo(orga)[len(first):] {
		if strings.Contains(m.subject(), "Tagesordnung") || m.subject() == "Ihre Befehle an das Ticketsystem" {
			t.Errorf("echoed confirmation ran #agenda again: %q", m.subject())
		}
	}
}
