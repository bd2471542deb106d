package e2e_test

import (
	"fmt"
	"mime"
	"strings"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// plainMail builds a UTF-8 text mail with CRLF line ends.
func plainMail(from, to, subject, msgID, inReplyTo, body string) []byte {
	s := "From: " + from + "\nTo: " + to + "\nSubject: " + mime.QEncoding.Encode("utf-8", subject) + "\nDate: " + time.Now().Format(time.RFC1123Z) +
		"\nMessage-ID: " + msgID + "\n"
	if inReplyTo != "" {
		s += "In-Reply-To: " + inReplyTo + "\nReferences: " + inReplyTo + "\n"
	}
	return crlf(s + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body)
}

// outlookHTMLReply builds an HTML-only reply as Outlook writes it: the new
// text in MsoNormal paragraphs, then the quoted mail under a header block.
func outlookHTMLReply(from, to, subject, msgID, inReplyTo, newText, quoted string) []byte {
	var paras strings.Builder
	for _, line := range strings.Split(newText, "\n") {
		paras.WriteString(`<p class="MsoNormal">` + line + "<o:p></o:p></p>\n")
	}
	body := `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;} --></style></head>
<body lang="DE" link="#0563C1"><div class="WordSection1">
` + paras.String() + `<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
<p class="MsoNormal"><b>Von:</b> IT-Ticketsystem &lt;` + to + `&gt; <br><b>Gesendet:</b> Freitag, 4. Dezember 2026 09:12<br><b>An:</b> ` + from + `<br><b>Betreff:</b> ` + subject + `<o:p></o:p></p>
</div></div>
<p class="MsoNormal">` + strings.ReplaceAll(quoted, "\n", "<br>") + `<o:p></o:p></p>
</div></body></html>
`
	return crlf("From: " + from + "\nTo: " + to + "\nSubject: " + mime.QEncoding.Encode("utf-8", subject) + "\nDate: " + time.Now().Format(time.RFC1123Z) +
		"\nMessage-ID: " + msgID + "\nIn-Reply-To: " + inReplyTo + "\nReferences: " + inReplyTo +
		"\nX-Mailer: Microsoft Outlook 16.0\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body)
}

func uniqueID(what string) string {
	return fmt.Sprintf("<e2e-%s-%d@stadt.example>", what, time.Now().UnixNano())
}

func subjectsOf(t *testing.T, raws [][]byte) []string {
	t.Helper()
	var out []string
	for _, raw := range raws {
		m := parseReceived(t, raw)
		s, _ := m.header.Subject()
		out = append(out, s)
	}
	return out
}

// TestFaultReportWorkedByMail: a clerk's fault report, assigned by IT in an
// Outlook HTML reply, completed by the clerk, closed by the assignee. The
// clerk receives exactly the acknowledgement and two status mails, in
// order, all in the thread of the report.
func TestFaultReportWorkedByMail(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	assignee := e2e.NewAddress(t, "stadt.example")
	s.cfg.Roles.IT = []string{s.it, assignee}
	reportID := uniqueID("report")
	s.srv.Send(t, clerk, []string{s.support}, plainMail("Erika Beispiel <"+clerk+">", s.support,
		"Drucker im Raum 2.14 druckt nicht", reportID, "", "Der Drucker zeigt Fehler E-17.\n\nGruß, Erika\n"))
	s.start(t)
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	notice := parseReceived(t, s.srv.WaitFor(t, s.it, "INBOX", 1, deliveryTimeout)[0])
	noticeSubject, _ := notice.header.Subject()
	if !strings.Contains(notice.body, "#zuweisen ADRESSE") {
		t.Errorf("IT notice lists no commands:\n%s", notice.body)
	}
	tag := store.Number{Year: time.Now().Year(), Seq: 1}.Tag("IT")

	// IT assigns from Outlook; the quoted notice holds command words too.
	s.srv.Send(t, s.it, []string{s.support}, outlookHTMLReply(s.it, s.support, "AW: "+noticeSubject, uniqueID("assign"),
		notice.header.Get("Message-Id"), "#zuweisen "+assignee+"\nBitte heute noch ansehen.", "Neues Ticket\n#erledigt\n#typ c"))
	s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)
	// The assignee, an IT clerk, had the new-ticket notice; now the
	// assignment.
	assigned := parseReceived(t, s.srv.WaitFor(t, assignee, "INBOX", 2, deliveryTimeout)[1])
	if subject, _ := assigned.header.Subject(); !strings.Contains(subject, "Ihnen zugewiesen") {
		t.Errorf("assignee's second mail is %q, want the assignment", subject)
	}
	confirm := parseReceived(t, s.srv.WaitFor(t, s.it, "INBOX", 2, deliveryTimeout)[1])
	if !strings.Contains(confirm.body, "[ausgeführt] #zuweisen "+assignee) || strings.Contains(confirm.body, "#typ c") {
		t.Errorf("confirmation to IT:\n%s", confirm.body)
	}

	// The clerk adds information; the assignee is told.
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "AW: "+tag+" Statusänderung", uniqueID("info"),
		assigned.header.Get("Message-Id"), "Es betrifft auch den Drucker im Raum 2.15.\n\n-- \nErika Beispiel\n"))
	info := parseReceived(t, s.srv.WaitFor(t, assignee, "INBOX", 3, deliveryTimeout)[2])
	if !strings.Contains(info.body, "Raum 2.15") || strings.Contains(info.body, "Erika Beispiel\n") {
		t.Errorf("follow-up notice to the assignee:\n%s", info.body)
	}

	// The assignee closes it.
	s.srv.Send(t, assignee, []string{s.support}, plainMail(assignee, s.support, "AW: "+tag+" Neue Nachricht", uniqueID("close"),
		info.header.Get("Message-Id"), "#erledigt Fixiereinheit getauscht.\n\nAm 04.12.2026 um 10:00 schrieb IT-Ticketsystem:\n> #wiedereröffnen\n"))
	s.srv.WaitFor(t, clerk, "INBOX", 3, deliveryTimeout)

	// A status query is a barrier: once its answer is in, every earlier
	// mail to the clerk is too.
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "Status", uniqueID("status"), "", "Status\n"))
	got := s.srv.WaitFor(t, clerk, "INBOX", 4, deliveryTimeout)
	subjects := subjectsOf(t, got)
	want := []string{tag + " Drucker im Raum 2.14 druckt nicht", tag + " Statusänderung: Drucker im Raum 2.14 druckt nicht",
		tag + " Statusänderung: Drucker im Raum 2.14 druckt nicht", "Ihre offenen Tickets"}
	if strings.Join(subjects, "\n") != strings.Join(want, "\n") {
		t.Fatalf("clerk received\n  %s\nwant\n  %s", strings.Join(subjects, "\n  "), strings.Join(want, "\n  "))
	}
	for i := range 3 {
		m := parseReceived(t, got[i])
		if v := m.header.Get("In-Reply-To"); v != reportID {
			t.Errorf("mail %d (%s): In-Reply-To %q, want the report %q", i, subjects[i], v, reportID)
		}
	}
	first, second := parseReceived(t, got[1]).body, parseReceived(t, got[2]).body
	for _, want := range []string{"jetzt " + assignee + " zugewiesen", "(" + s.it + ")"} {
		if !strings.Contains(first, want) {
			t.Errorf("first status mail lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(first, "heute noch") {
		t.Errorf("IT's comment reached the clerk:\n%s", first)
	}
	for _, want := range []string{"Das Ticket ist erledigt.", "Fixiereinheit getauscht.", "(" + assignee + ")"} {
		if !strings.Contains(second, want) {
			t.Errorf("closing status mail lacks %q:\n%s", want, second)
		}
	}
	if list := parseReceived(t, got[3]).body; !strings.Contains(list, "keine offenen Tickets") {
		t.Errorf("status list after closing:\n%s", list)
	}
	tk, err := mailbot.ShowTicket(s.db, store.Number{Year: time.Now().Year(), Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != store.StatusClosed || tk.Assignee != assignee || tk.Type != "a" {
		t.Errorf("ticket status %q assignee %q type %q", tk.Status, tk.Assignee, tk.Type)
	}
}

// TestUnauthorisedCloseByMail: a clerk's #erledigt changes nothing; the
// clerk is told which role may close.
func TestUnauthorisedCloseByMail(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "Bildschirm flackert", uniqueID("report"), "", "Seit heute früh.\n"))
	s.start(t)
	ack := parseReceived(t, s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)[0])
	s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, "AW: Bildschirm flackert", uniqueID("close"),
		ack.header.Get("Message-Id"), "#erledigt\n"))
	answer := parseReceived(t, s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)[1])
	if !strings.Contains(answer.body, "[NICHT ausgeführt] #erledigt") || !strings.Contains(answer.body, "IT-Sachbearbeitung (it)") {
		t.Errorf("answer to the unauthorised command:\n%s", answer.body)
	}
	tk, err := mailbot.ShowTicket(s.db, store.Number{Year: time.Now().Year(), Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != store.StatusNew {
		t.Errorf("status %q, want new", tk.Status)
	}
	denied := 0
	for _, e := range tk.History {
		if e.Kind == store.EventDenied {
			denied++
		}
	}
	if denied != 1 {
		t.Errorf("%d denied commands in the history, want 1", denied)
	}
}

// TestMiniProjectOutcomesByMail: three announcements to both robot
// addresses, each routed by an IT lead to one of the three outcomes. The
// outcome goes to the orga contact and the digitalisation mailbox, plus the
// budget contact for a direct order and the digitalisation unit for a
// digitalisation project; mailbot ignores its own copy in its mailbox.
func TestMiniProjectOutcomesByMail(t *testing.T) {
	s := newRobotSetup(t)
	orga := e2e.NewAddress(t, "stadt.example")
	lead := e2e.NewAddress(t, "stadt.example")
	budget := e2e.NewAddress(t, "stadt.example")
	digiUnit := e2e.NewAddress(t, "stadt.example")
	s.cfg.Roles.ITLeads, s.cfg.Roles.Orga = []string{lead}, []string{orga}
	s.cfg.Roles.Budget, s.cfg.Roles.Digi = []string{budget}, []string{digiUnit}
	s.start(t)

	outcomes := []struct{ project, word, routing string }{
		{"Scanstraße", "#bestellung", store.RoutingOrder},
		{"Online-Terminbuchung", "#Digitalisierungsprojekt", store.RoutingDigi},
		{"Fachverfahren Gewerbe", "#itjf", store.RoutingITJF},
	}
	for i, o := range outcomes {
		id := uniqueID(fmt.Sprintf("announce%d", i))
		s.srv.Send(t, orga, []string{s.support, s.digi}, plainMail(orga, s.support+", "+s.digi,
			"Vorklärung Projekt für IT/50-JF: "+o.project, id, "", "Beschreibung: "+o.project+".\nDringlichkeit: nächstes JF IT reicht.\n"))
		ack := parseReceived(t, s.srv.WaitFor(t, orga, "INBOX", 2*i+1, deliveryTimeout)[2*i])
		tag := store.Number{Year: time.Now().Year(), Seq: i + 1}.Tag("IT")
		if subject, _ := ack.header.Subject(); !strings.HasPrefix(subject, tag) {
			t.Fatalf("acknowledgement %q, want tag %s", subject, tag)
		}
		s.srv.Send(t, lead, []string{s.support}, plainMail(lead, s.support, "AW: "+tag+" Neues Ticket", uniqueID("route"), "",
			o.word+"\n"))
		outcome := parseReceived(t, s.srv.WaitFor(t, orga, "INBOX", 2*i+2, deliveryTimeout)[2*i+1])
		subject, _ := outcome.header.Subject()
		if subject != tag+" Entscheidung zur Vorklärung: Vorklärung Projekt für IT/50-JF: "+o.project {
			t.Errorf("outcome subject %q", subject)
		}
		if v := outcome.header.Get("In-Reply-To"); v != id {
			t.Errorf("outcome In-Reply-To %q, want the announcement %q", v, id)
		}
		if !strings.Contains(outcome.body, store.Number{Year: time.Now().Year(), Seq: i + 1}.String()) {
			t.Errorf("outcome lacks the ticket number:\n%s", outcome.body)
		}
	}

	// Barrier, then exact counts.
	s.srv.Send(t, orga, []string{s.support}, plainMail(orga, s.support, "#status", uniqueID("status"), "", "\n"))
	got := s.srv.WaitFor(t, orga, "INBOX", 7, deliveryTimeout)
	if n := len(got); n != 7 {
		t.Errorf("orga received %d mails, want 3 acknowledgements, 3 outcomes and the list:\n%s", n, strings.Join(subjectsOf(t, got), "\n"))
	}
	if list := parseReceived(t, got[6]).body; strings.Count(list, "Stand: entschieden") != 3 {
		t.Errorf("status list:\n%s", list)
	}
	if n := len(s.srv.Fetch(t, budget, "INBOX")); n != 1 {
		t.Errorf("budget contact received %d mails, want the direct order only", n)
	}
	if n := len(s.srv.Fetch(t, digiUnit, "INBOX")); n != 1 {
		t.Errorf("digitalisation unit received %d mails, want the digitalisation project only", n)
	}
	// The copies in the digitalisation mailbox: three announcements and
	// three outcomes, all handled and none answered.
	deadline := time.Now().Add(deliveryTimeout)
	for len(s.srv.Fetch(t, s.digi, "Bearbeitet")) < 6 {
		if time.Now().After(deadline) {
			t.Fatalf("digitalisation mailbox: %d mails processed, want 6", len(s.srv.Fetch(t, s.digi, "Bearbeitet")))
		}
		time.Sleep(100 * time.Millisecond)
	}
	list, err := mailbot.ListTickets(s.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d tickets, want 3", len(list))
	}
	for i, tk := range list {
		if tk.Type != "c" || tk.Routing != outcomes[i].routing || tk.Status != store.StatusDecided {
			t.Errorf("ticket %s: type %q routing %q status %q", tk.Number, tk.Type, tk.Routing, tk.Status)
		}
	}
}
