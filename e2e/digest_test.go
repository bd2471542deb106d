package e2e_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// TestBacklogGivesITOneDigest lets twelve fault reports wait in the
// support mailbox, as during an outage of mailbot, and then starts it.
// Every clerk gets an acknowledgement through Postfix, and IT gets one
// digest instead of twelve notices. A command sent through the digest's
// link (a new mail with the ticket tag as subject) reaches its ticket.
func TestBacklogGivesITOneDigest(t *testing.T) {
	s := newRobotSetup(t)
	s.cfg.Tickets.DigestMin = 10
	const n = 12
	var clerks []string
	for i := range n {
		clerk := e2e.NewAddress(t, "stadt.example")
		clerks = append(clerks, clerk)
		subject := fmt.Sprintf("Drucker im Raum 2.%02d druckt nicht", i)
		s.srv.Send(t, clerk, []string{s.support}, plainMail(clerk, s.support, subject, uniqueID(fmt.Sprint("backlog", i)), "",
			"Seit heute früh druckt der Drucker nicht mehr, Fehlermeldung E-17.\n"))
	}
	s.srv.WaitFor(t, s.support, "INBOX", n, deliveryTimeout)
	s.start(t)

	for _, clerk := range clerks {
		s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	}
	notes := s.srv.WaitFor(t, s.it, "INBOX", 1, deliveryTimeout)
	digest := parseReceived(t, notes[0])
	subject, _ := digest.header.Subject()
	if want := fmt.Sprintf("%d neue Tickets im Postfach support (Sammelmeldung)", n); subject != want {
		t.Fatalf("IT's first mail is %q, want %q", subject, want)
	}
	if v := digest.header.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("digest Auto-Submitted %q, want auto-generated", v)
	}
	year := time.Now().Year()
	for seq := 1; seq <= n; seq++ {
		if tag := (store.Number{Year: year, Seq: seq}).Tag("IT"); !strings.Contains(digest.body, tag) {
			t.Errorf("digest lacks %s:\n%s", tag, digest.body)
		}
	}

	// IT follows the link of the third ticket: a new mail whose subject
	// is the ticket tag and subject, with a command.
	third := store.Number{Year: year, Seq: 3}
	link := "mailto:" + s.support + "?subject="
	at := strings.Index(digest.body, link+"%5BIT-"+third.String()+"%5D")
	if at < 0 {
		t.Fatalf("digest has no link for %s:\n%s", third, digest.body)
	}
	raw := digest.body[at+len(link):]
	raw = raw[:strings.IndexAny(raw, "\r\n")]
	linkSubject, err := url.PathUnescape(raw)
	if err != nil {
		t.Fatalf("link subject %q: %v", raw, err)
	}
	s.srv.Send(t, s.it, []string{s.support}, plainMail(s.it, s.support, linkSubject, uniqueID("digest-cmd"), "", "#übernehmen\n"))
	var requester string
	waitFor(t, "ticket 3 assigned to IT", func() bool {
		tk, err := mailbot.ShowTicket(s.db, third)
		if err != nil || tk.Assignee != s.it {
			return false
		}
		requester = tk.Requester
		return true
	}, func() string { return strings.Join(subjectsOf(t, s.srv.Fetch(t, s.it, "INBOX")), "\n") })

	// The status mail to the ticket's requester is a barrier: IT has by
	// now had every mail mailbot queued before it, and none is a single
	// notice. Postfix delivers concurrently, so ticket 3 may be any
	// clerk's.
	s.srv.WaitFor(t, requester, "INBOX", 2, deliveryTimeout)
	var single []string
	for _, raw := range s.srv.Fetch(t, s.it, "INBOX") {
		m := parseReceived(t, raw)
		if subj, _ := m.header.Subject(); strings.Contains(subj, "Neues Ticket") {
			single = append(single, subj)
		}
	}
	if len(single) > 0 {
		t.Errorf("IT got single notices besides the digest: %q", single)
	}
}
