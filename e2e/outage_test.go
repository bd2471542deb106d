package e2e_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// ticketCount returns the tickets in the store of a running setup.
func (s *robotSetup) ticketCount(t *testing.T) int {
	t.Helper()
	list, err := mailbot.ListTickets(s.db)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// waitTickets waits until the store holds n tickets.
func (s *robotSetup) waitTickets(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(deliveryTimeout)
	for s.ticketCount(t) < n {
		if time.Now().After(deadline) {
			t.Fatalf("store holds %d tickets after %s, want %d", s.ticketCount(t), deliveryTimeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// expectOnce checks that every mail in the folder has its own Message-ID
// and that there are n of them.
func expectOnce(t *testing.T, s *robotSetup, user string, n int) {
	t.Helper()
	got := countByMessageID(t, s.srv.Fetch(t, user, "INBOX"))
	if len(got) != n {
		t.Errorf("%s has %d distinct mails, want %d", user, len(got), n)
	}
	for id, c := range got {
		if c != 1 {
			t.Errorf("%s got %s %d times, want once", user, id, c)
		}
	}
}

// TestServerRestartAndSMTPOutage restarts Dovecot while mail waits for
// mailbot and stops Postfix while mailbot has replies to send: mailbot
// reconnects, retries and catches up with one ticket and one reply each.
func TestServerRestartAndSMTPOutage(t *testing.T) {
	s := newRobotSetup(t)
	s.cfg.Outbox.RetryMin, s.cfg.Outbox.RetryMax = 200*time.Millisecond, time.Second
	clerk := e2e.NewAddress(t, "stadt.example")
	mail := func(i int, subject string) []byte {
		return clerkMail(clerk, s.support, subject, fmt.Sprintf("outage-%d-%d@stadt.example", time.Now().UnixNano(), i),
			"Bitte um Hilfe: "+subject+".")
	}
	s.srv.Send(t, clerk, []string{s.support}, mail(1, "Drucker defekt"))
	s.start(t)
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)

	// IMAP server down: Postfix holds the mail until Dovecot is back.
	// Postfix must first finish delivering the replies to mail 1, for the
	// same reason as before the SMTP outage below.
	s.srv.WaitFor(t, s.it, "INBOX", 1, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)
	s.srv.StopDovecot(t)
	s.srv.Send(t, clerk, []string{s.support}, mail(2, "Monitor flackert"))
	s.srv.StartDovecot(t)
	s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)

	// SMTP server down: the mail arrives over IMAP, the reply waits in
	// the outbox and is retried. Postfix must first finish delivering the
	// replies to mail 2: stopped mid-delivery, it delivers them again
	// after the restart, a duplicate that is not mailbot's.
	s.srv.WaitFor(t, s.it, "INBOX", 2, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)
	s.srv.StopPostfix(t)
	postfixUp := false
	t.Cleanup(func() {
		if !postfixUp {
			s.srv.StartPostfix(t)
		}
	})
	s.srv.Append(t, s.support, "INBOX", mail(3, "Scanner streikt"))
	s.waitTickets(t, 3)
	deadline := time.Now().Add(deliveryTimeout)
	for {
		var attempts int
		err := s.db.View(func(tx *store.Tx) error {
			due, err := tx.Due(time.Now().Add(time.Hour), 100)
			for _, m := range due {
				attempts = max(attempts, m.Attempts)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if attempts >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox shows %d attempts during the SMTP outage, want at least 3", attempts)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.srv.StartPostfix(t)
	postfixUp = true
	s.srv.WaitFor(t, clerk, "INBOX", 3, deliveryTimeout)
	s.srv.WaitFor(t, s.it, "INBOX", 3, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)

	if n := s.ticketCount(t); n != 3 {
		t.Errorf("%d tickets, want 3", n)
	}
	expectOnce(t, s, clerk, 3)
	expectOnce(t, s, s.it, 3)
}

// TestUIDValidityChangeNoSecondTicket recreates the watched folder with
// the mails already handled in it: the new UIDVALIDITY makes every mail
// look new by UID, and the content hashes keep them from a second ticket.
func TestUIDValidityChangeNoSecondTicket(t *testing.T) {
	s := newRobotSetup(t)
	const folder = "Eingang"
	s.cfg.Mailboxes[0].Folder = folder
	s.cfg.Mailboxes[0].ProcessedFolder = "" // leave mails in place
	clerk := e2e.NewAddress(t, "stadt.example")
	var mails [][]byte
	for i, subject := range []string{"Drucker defekt", "Monitor flackert", "Scanner streikt"} {
		mails = append(mails, clerkMail(clerk, s.support, subject,
			fmt.Sprintf("uidv-%d-%d@stadt.example", time.Now().UnixNano(), i), "Bitte um Hilfe: "+subject+"."))
	}
	oldUV, _ := s.srv.Append(t, s.support, folder, mails[0])
	s.srv.Append(t, s.support, folder, mails[1])
	s.start(t)
	s.waitTickets(t, 2)
	s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)

	newUV := s.srv.RecreateFolder(t, s.support, folder)
	t.Logf("UIDVALIDITY %d → %d", oldUV, newUV)
	var uids []uint32
	for _, m := range mails {
		_, uid := s.srv.Append(t, s.support, folder, m)
		uids = append(uids, uid)
	}
	s.waitTickets(t, 3)
	// Wait until the two old mails are recorded as duplicates.
	deadline := time.Now().Add(deliveryTimeout)
	for {
		var outcomes []string
		err := s.db.View(func(tx *store.Tx) error {
			for _, uid := range uids {
				rec, err := tx.UID("support", newUV, uid)
				if err != nil {
					return err
				}
				if rec != nil {
					outcomes = append(outcomes, rec.Outcome)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{store.OutcomeDuplicate, store.OutcomeDuplicate, store.OutcomeTicket}
		if strings.Join(outcomes, ",") == strings.Join(want, ",") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outcomes under the new UIDVALIDITY %v, want %v", outcomes, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.srv.WaitFor(t, clerk, "INBOX", 3, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)
	if n := s.ticketCount(t); n != 3 {
		t.Errorf("%d tickets, want 3", n)
	}
	expectOnce(t, s, clerk, 3)
}

// TestDropMidFetchAgainstDovecot is field case 015 against Dovecot: the
// connection drops after the first literal of a UID FETCH of two mails.
// After reconnecting each mail has exactly one ticket and one reply.
func TestDropMidFetchAgainstDovecot(t *testing.T) {
	s := newRobotSetup(t)
	proxy := e2e.StartCutProxy(t, s.srv.IMAPAddr)
	proxy.Arm()
	host, port := splitHostPort(t, proxy.Addr)
	s.cfg.IMAP.Host, s.cfg.IMAP.Port = host, port
	s.cfg.Mailboxes = s.cfg.Mailboxes[:1]
	var senders []string
	for _, name := range []string{"015-imap-drop-mid-fetch-uid4711.eml", "015-imap-drop-mid-fetch-uid4712.eml"} {
		raw, err := os.ReadFile("../testdata/cases/" + name)
		if err != nil {
			t.Fatal(err)
		}
		// Give each requester an address of this test only.
		from := regexp.MustCompile(`<([a-z.]+@example\.org)>\r\nTo:`).FindSubmatch(raw)
		if from == nil {
			t.Fatalf("%s: no From address found", name)
		}
		sender := e2e.NewAddress(t, "example.org")
		senders = append(senders, sender)
		raw = bytes.ReplaceAll(raw, from[1], []byte(sender))
		s.srv.Append(t, s.support, "INBOX", raw)
	}
	s.start(t)
	for _, sender := range senders {
		s.srv.WaitFor(t, sender, "INBOX", 1, deliveryTimeout)
	}
	s.srv.WaitQueueEmpty(t, deliveryTimeout)
	if proxy.Cuts() != 1 || proxy.Conns() < 2 {
		t.Errorf("proxy cut %d connections of %d, want 1 cut and a reconnect", proxy.Cuts(), proxy.Conns())
	}
	if n := s.ticketCount(t); n != 2 {
		t.Errorf("%d tickets, want 2", n)
	}
	for _, sender := range senders {
		expectOnce(t, s, sender, 1)
	}
}

// TestOwnNoticeAtWatchedAddress makes the digitalisation mailbox the it
// role, so that mailbot's notice of a new ticket arrives in a mailbox it
// watches. The notice is filed on its ticket and gets no reply.
func TestOwnNoticeAtWatchedAddress(t *testing.T) {
	s := newRobotSetup(t)
	s.cfg.Roles.IT = []string{s.digi}
	clerk := e2e.NewAddress(t, "stadt.example")
	s.srv.Send(t, clerk, []string{s.support}, clerkMail(clerk, s.support, "Drucker defekt",
		fmt.Sprintf("own-%d@stadt.example", time.Now().UnixNano()), "Der Drucker druckt nicht."))
	s.start(t)
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	s.srv.WaitFor(t, s.digi, "Bearbeitet", 1, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)

	if n := s.ticketCount(t); n != 1 {
		t.Errorf("%d tickets, want 1", n)
	}
	expectOnce(t, s, clerk, 1)
	if n := len(s.srv.Fetch(t, s.digi, "INBOX")); n != 0 {
		t.Errorf("digitalisation INBOX holds %d mails, want 0", n)
	}
	tk, err := mailbot.ShowTicket(s.db, store.Number{Year: time.Now().Year(), Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	last := tk.History[len(tk.History)-1]
	if last.Kind != store.EventRobotIn || last.Mailbox != "digitalisierung" {
		t.Errorf("last history event %q in %q, want the notice filed as robot_in from digitalisierung", last.Kind, last.Mailbox)
	}
}

// TestSeenMailStillHandled puts a mail someone already read into the
// watched INBOX: progress is tracked by UID, not by \Seen, so it still
// gets its ticket and reply.
func TestSeenMailStillHandled(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	s.srv.Append(t, s.support, "INBOX", clerkMail(clerk, s.support, "Drucker defekt",
		fmt.Sprintf("seen-%d@stadt.example", time.Now().UnixNano()), "Der Drucker druckt nicht."), imap.FlagSeen)
	s.start(t)
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)
	if n := s.ticketCount(t); n != 1 {
		t.Errorf("%d tickets, want 1", n)
	}
}

// TestRejectedRequesterPausedAndReported has a requester whose From
// address Postfix rejects at RCPT TO (no relaying to other domains): the
// acknowledgement fails for good, IT gets one notice on the ticket, and a
// second mail from that requester gets no acknowledgement attempt.
func TestRejectedRequesterPausedAndReported(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	outside := "niemand@example.net"
	for i, subject := range []string{"Drucker defekt", "Monitor flackert"} {
		raw := clerkMail(outside, s.support, subject, fmt.Sprintf("rejected-%d-%d@stadt.example", time.Now().UnixNano(), i),
			"Bitte um Hilfe: "+subject+".")
		s.srv.Send(t, clerk, []string{s.support}, raw)
		if i == 0 {
			s.start(t)
			// Two notices: the new ticket, then the rejected acknowledgement.
			s.srv.WaitFor(t, s.it, "INBOX", 2, deliveryTimeout)
		}
	}
	s.srv.WaitFor(t, s.it, "INBOX", 3, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)

	notices := s.srv.Fetch(t, s.it, "INBOX")
	var bounceNotices int
	for _, raw := range notices {
		r := parseReceived(t, raw)
		subject, _ := r.header.Subject()
		if strings.Contains(subject, "Unzustellbar") {
			bounceNotices++
			if !strings.Contains(r.body, outside) || !strings.Contains(r.body, "5.7.1") {
				t.Errorf("notice body lacks the address or status:\n%s", r.body)
			}
			if !strings.Contains(r.body, "vom SMTP-Server abgelehnt") || strings.Contains(r.body, "rejected") {
				t.Errorf("notice body does not give the reason in German:\n%s", r.body)
			}
			if strings.Count(subject, "[IT-") != 1 {
				t.Errorf("notice subject %q repeats the ticket tag", subject)
			}
			if got := r.header.Get("In-Reply-To"); !strings.HasPrefix(got, "<rejected-") {
				t.Errorf("notice In-Reply-To %q, want the ticket's first mail", got)
			}
		}
	}
	if bounceNotices != 1 {
		t.Errorf("%d notices of the rejection, want 1", bounceNotices)
	}
	tk, err := mailbot.ShowTicket(s.db, store.Number{Year: time.Now().Year(), Seq: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !hasHeldEvent(tk) {
		t.Errorf("second ticket's acknowledgement to the paused address was not held: %+v", tk.History)
	}
}

// TestLoopWithHeaderlessResponderStops plays an autoresponder that no
// header check can see: it answers every acknowledgement with a new plain
// mail, which makes a new ticket and so a new acknowledgement. The daily
// cap per recipient ends the loop.
func TestLoopWithHeaderlessResponderStops(t *testing.T) {
	s := newRobotSetup(t)
	s.cfg.Brakes.RecipientDaily = 3
	responder := e2e.NewAddress(t, "example.org")
	send := func(i int) {
		s.srv.Send(t, responder, []string{s.support}, clerkMail(responder, s.support, fmt.Sprintf("Ihre Nachricht %d", i),
			fmt.Sprintf("loop-%d-%d@example.org", time.Now().UnixNano(), i), "Vielen Dank für Ihre Nachricht."))
	}
	send(0)
	s.start(t)
	for i := 1; i <= 3; i++ {
		s.srv.WaitFor(t, responder, "INBOX", i, deliveryTimeout)
		send(i)
	}
	s.waitTickets(t, 4)
	s.srv.WaitFor(t, s.it, "INBOX", 4, deliveryTimeout)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)

	expectOnce(t, s, responder, 3)
	tk, err := mailbot.ShowTicket(s.db, store.Number{Year: time.Now().Year(), Seq: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !hasHeldEvent(tk) {
		t.Errorf("fourth ticket's acknowledgement was not held: %+v", tk.History)
	}
}

func hasHeldEvent(tk *store.Ticket) bool {
	for _, ev := range tk.History {
		if ev.Kind == store.EventHeld {
			return true
		}
	}
	return false
}
