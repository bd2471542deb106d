package mailbot_test

import (
	"fmt"
	"mime"
	"regexp"
	"strings"
	"testing"
	"time"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

func readCaseBytes(t *testing.T, name string) []byte {
	t.Helper()
	return []byte(readCase(t, name))
}

// deliverRaw puts raw, already with CRLF line ends, into a mailbox.
func (h *harness) deliverRaw(mailbox string, raw []byte) {
	h.t.Helper()
	if err := h.srv.Deliver(mailbox, "INBOX", raw); err != nil {
		h.t.Fatal(err)
	}
}

var caseTag = regexp.MustCompile(`\[#IT-\d{4}-\d{4}\]`)

// rewriteCase turns a field case into mailbot's conventions: the robot
// address becomes mailbox, the case's robot Message-ID becomes msgid and
// the tag in the encoded Subject becomes that of ticket n.
func rewriteCase(t *testing.T, raw []byte, caseMsgID, msgid, mailbox string, n store.Number) []byte {
	t.Helper()
	s := strings.ReplaceAll(string(raw), caseMsgID, msgid)
	s = strings.ReplaceAll(s, "it-robot@example.org", mailbox)
	head, body, _ := strings.Cut(s, "\r\n\r\n")
	lines := strings.Split(head, "\r\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "Subject:") {
			out = append(out, lines[i])
			continue
		}
		value := strings.TrimPrefix(lines[i], "Subject:")
		for i+1 < len(lines) && (strings.HasPrefix(lines[i+1], " ") || strings.HasPrefix(lines[i+1], "\t")) {
			i++
			value += lines[i]
		}
		decoded, err := new(mime.WordDecoder).DecodeHeader(strings.TrimSpace(value))
		if err != nil {
			t.Fatal(err)
		}
		decoded = caseTag.ReplaceAllString(decoded, n.Tag("IT"))
		out = append(out, "Subject: "+mime.BEncoding.Encode("utf-8", decoded))
	}
	return []byte(strings.Join(out, "\r\n") + "\r\n\r\n" + body)
}

// openTicket makes ticket 1 from requester and returns the Message-ID of
// its acknowledgement, without brackets.
func openTicket(h *harness, requester string) string {
	h.t.Helper()
	h.deliver(demo.SupportAddr, strings.ReplaceAll(faultReport, "anna.beispiel@stadt.example", requester))
	h.start()
	h.waitIdle(1)
	acks := h.sentTo(requester)
	if len(acks) != 1 {
		h.t.Fatalf("%d acknowledgements to %s, want 1", len(acks), requester)
	}
	return strings.Trim(acks[0].header.Get("Message-Id"), "<>")
}

func TestCase006MissingMessageIDOnce(t *testing.T) {
	h := newHarness(t)
	raw := readCaseBytes(t, "006-missing-message-id.eml")
	h.deliverRaw(demo.SupportAddr, raw)
	h.deliverRaw(demo.SupportAddr, raw)
	other := strings.Replace(string(raw), "nimmt seit 6:30 Uhr", "nimmt seit 7:15 Uhr", 1)
	h.deliverRaw(demo.SupportAddr, []byte(other))
	h.start()
	h.waitIdle(3)

	list, err := mailbot.ListTickets(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d tickets, want 2 (the copy is a duplicate, the other mail is new)", len(list))
	}
	var outcomes []string
	h.mu.Lock()
	for _, x := range h.handled {
		outcomes = append(outcomes, x.Record.Outcome)
	}
	h.mu.Unlock()
	want := []string{store.OutcomeTicket, store.OutcomeDuplicate, store.OutcomeTicket}
	if strings.Join(outcomes, ",") != strings.Join(want, ",") {
		t.Errorf("outcomes %v, want %v", outcomes, want)
	}
	if n := len(h.sentTo("bauhof-leitstand@example.org")); n != 2 {
		t.Errorf("%d acknowledgements, want 2", n)
	}
}

func TestCase008OutOfOfficeOnStatusMail(t *testing.T) {
	h := newHarness(t)
	ackID := openTicket(h, "k.schulz@example.org")
	sentBefore := len(h.srv.Sent())

	raw := rewriteCase(t, readCaseBytes(t, "008-exchange-ooo-no-auto-submitted-2-ooo.eml"),
		"IT-2026-0058.3@robot.example.org", ackID, demo.SupportAddr, thisYear(1))
	h.deliverRaw(demo.SupportAddr, raw)
	h.waitIdle(2)

	got := h.lastHandled().Record
	if got.Outcome != store.OutcomeIgnored || got.Ticket != thisYear(1) {
		t.Errorf("out-of-office handled as %+v, want ignored on %s", got, thisYear(1))
	}
	if !strings.Contains(got.Reason, "out-of-office") {
		t.Errorf("reason %q does not name the out-of-office subject", got.Reason)
	}
	if n := len(h.srv.Sent()); n != sentBefore {
		t.Errorf("%d mails sent after the out-of-office reply, want none", n-sentBefore)
	}
	tk := h.ticket(thisYear(1))
	if tk.Status != store.StatusNew {
		t.Errorf("ticket status %q, want unchanged %q", tk.Status, store.StatusNew)
	}
	if last := tk.History[len(tk.History)-1]; last.Kind != store.EventRobotIn {
		t.Errorf("last history event %q, want %q", last.Kind, store.EventRobotIn)
	}
	if list, _ := mailbot.ListTickets(h.db); len(list) != 1 {
		t.Errorf("%d tickets, want 1", len(list))
	}
}

func TestCase009BounceFiledITToldOnce(t *testing.T) {
	h := newHarness(t)
	ackID := openTicket(h, "m.alt@example.org")
	itBefore := len(h.sentTo("it-support@stadt.example"))

	ndr := rewriteCase(t, readCaseBytes(t, "009-bounce-ndr-loop-2-ndr.eml"),
		"IT-2026-0077.1@robot.example.org", ackID, demo.SupportAddr, thisYear(1))
	h.deliverRaw(demo.SupportAddr, ndr)
	h.deliverRaw(demo.DigiAddr, ndr)
	// A second report on the same mail, as Exchange sends after a retry.
	again := strings.Replace(string(ndr), "3e1c7a90-4b2d", "3e1c7a90-aaaa", 1)
	h.deliverRaw(demo.SupportAddr, []byte(again))
	h.waitIdle(4)

	if list, _ := mailbot.ListTickets(h.db); len(list) != 1 {
		t.Fatalf("%d tickets, want 1: a delivery report makes none", len(list))
	}
	if n := len(h.sentTo("m.alt@example.org")); n != 1 {
		t.Errorf("%d mails to the failed address, want only the first acknowledgement", n)
	}
	notices := h.sentTo("it-support@stadt.example")[itBefore:]
	if len(notices) != 1 {
		t.Fatalf("%d notices to IT after the bounce, want 1", len(notices))
	}
	if !strings.Contains(notices[0].subject(), "Unzustellbar") || !strings.Contains(notices[0].body, "m.alt@example.org") {
		t.Errorf("IT notice subject %q body:\n%s", notices[0].subject(), notices[0].body)
	}
	if n := len(h.sentTo("mailbot-admin@stadt.example")); n != 1 {
		t.Errorf("%d notices to the admin role, want 1", n)
	}

	tk := h.ticket(thisYear(1))
	bounces := 0
	for _, ev := range tk.History {
		if ev.Kind == store.EventBounce && strings.Contains(ev.Text, "<"+ackID+">") {
			bounces++
		}
	}
	if bounces != 2 {
		t.Errorf("%d bounce events naming the acknowledgement, want 2 (the digi copy is a duplicate)", bounces)
	}
	var state string
	err := h.db.View(func(tx *store.Tx) error {
		return tx.Sent(func(m *store.OutMail) bool {
			if m.MessageID == ackID {
				state = m.State
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if state != store.OutBounced {
		t.Errorf("acknowledgement state %q, want %q", state, store.OutBounced)
	}

	// Automatic mail to the failed address pauses.
	h.deliver(demo.SupportAddr, strings.ReplaceAll(strings.ReplaceAll(faultReport, "anna.beispiel@stadt.example", "m.alt@example.org"),
		"fault-1@", "fault-2@"))
	h.waitIdle(5)
	if n := len(h.sentTo("m.alt@example.org")); n != 1 {
		t.Errorf("%d mails to the paused address, want still 1", n)
	}
	if !hasEvent(h.ticket(thisYear(2)), store.EventHeld) {
		t.Errorf("new ticket lacks a held event for the paused acknowledgement")
	}
}

func hasEvent(tk *store.Ticket, kind string) bool {
	for _, ev := range tk.History {
		if ev.Kind == kind {
			return true
		}
	}
	return false
}

func TestCase010MailingListNoTicket(t *testing.T) {
	h := newHarness(t)
	h.deliverRaw(demo.SupportAddr, readCaseBytes(t, "010-mailman-precedence-list.eml"))
	h.start()
	h.waitIdle(1)
	got := h.lastHandled().Record
	if got.Outcome != store.OutcomeIgnored || !got.Ticket.IsZero() {
		t.Errorf("list post handled as %+v, want ignored without ticket", got)
	}
	if !strings.Contains(got.Reason, "Precedence: list") && !strings.Contains(got.Reason, "List-Id") {
		t.Errorf("reason %q does not name the list headers", got.Reason)
	}
	if n := len(h.srv.Sent()); n != 0 {
		t.Errorf("%d mails sent for a list post, want 0", n)
	}
	if c := h.robot.Counters().RobotMails.Load(); c != 1 {
		t.Errorf("robot mail counter %d, want 1", c)
	}
}

func TestOwnMailAtWatchedAddressFiled(t *testing.T) {
	h := newHarness(t)
	openTicket(h, "anna.beispiel@stadt.example")
	sent := h.srv.Sent()
	before := len(sent)
	// The acknowledgement, as if mailbot had also sent it to the
	// digitalisation address or a server had saved the sent copy there.
	h.deliverRaw(demo.DigiAddr, sent[0].Raw)
	h.waitIdle(2)

	got := h.lastHandled().Record
	if got.Outcome != store.OutcomeIgnored || got.Ticket != thisYear(1) || got.Reason != "mailbot's own mail" {
		t.Errorf("own mail handled as %+v, want ignored on %s as own mail", got, thisYear(1))
	}
	if n := len(h.srv.Sent()); n != before {
		t.Errorf("%d mails sent for mailbot's own mail, want 0", n-before)
	}
	if list, _ := mailbot.ListTickets(h.db); len(list) != 1 {
		t.Errorf("%d tickets, want 1", len(list))
	}
	tk := h.ticket(thisYear(1))
	if last := tk.History[len(tk.History)-1]; last.Kind != store.EventRobotIn || !strings.Contains(last.Text, "Eigene Mail") {
		t.Errorf("last event %q %q, want the own mail filed", last.Kind, last.Text)
	}
	if c := h.robot.Counters().OwnMails.Load(); c != 1 {
		t.Errorf("own mail counter %d, want 1", c)
	}
}

func TestAllowlistedBulkSenderGetsReply(t *testing.T) {
	h := newHarness(t)
	h.cfg.Robots.Allow = []string{"@stadt.example"}
	h.deliver(demo.SupportAddr, "Precedence: bulk\nX-Auto-Response-Suppress: All\n"+faultReport)
	h.start()
	h.waitIdle(1)
	if got := h.lastHandled().Record.Outcome; got != store.OutcomeTicket {
		t.Errorf("outcome %q for an allowlisted sender, want ticket", got)
	}
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements, want 1", n)
	}
}

func TestAllowlistKeepsDeliveryReports(t *testing.T) {
	h := newHarness(t)
	h.cfg.Robots.Allow = []string{"example.org"}
	h.deliverRaw(demo.SupportAddr, readCaseBytes(t, "009-bounce-ndr-loop-2-ndr.eml"))
	h.start()
	h.waitIdle(1)
	if got := h.lastHandled().Record; got.Outcome != store.OutcomeIgnored || got.Reason != "delivery report" {
		t.Errorf("allowlisted bounce handled as %+v, want an ignored delivery report", got)
	}
}

// mailFrom is faultReport from another sender with its own Message-ID and
// subject.
func mailFrom(sender string, i int) string {
	s := strings.ReplaceAll(faultReport, "anna.beispiel@stadt.example", sender)
	s = strings.Replace(s, "fault-1@", "fault-"+string(rune('a'+i))+"@", 1)
	return strings.Replace(s, "St=F6rung_Fachverfahren", "St=F6rung_Nummer_"+string(rune('A'+i)), 1)
}

func TestRecipientDailyCapHoldsAcks(t *testing.T) {
	h := newHarness(t)
	h.cfg.Brakes.RecipientDaily = 2
	for i := range 3 {
		h.deliver(demo.SupportAddr, mailFrom("anna.beispiel@stadt.example", i))
	}
	h.start()
	h.waitIdle(3)
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 2 {
		t.Errorf("%d acknowledgements, want 2 (the cap)", n)
	}
	if n := len(h.sentTo("it-support@stadt.example")); n != 3 {
		t.Errorf("%d IT notices, want 3: role addresses have no daily cap", n)
	}
	if !hasEvent(h.ticket(thisYear(3)), store.EventHeld) {
		t.Errorf("third ticket lacks the held event")
	}
	if c := h.robot.Counters().HeldRecipient.Load(); c != 1 {
		t.Errorf("held counter %d, want 1", c)
	}
}

// TestTicketBurstCapSparesRoleNotice: the cap counts and holds only mail
// to addresses without a role (see TestBurstCapStillHoldsRequesterMails),
// so IT's notice goes out even after the cap is reached.
func TestTicketBurstCapSparesRoleNotice(t *testing.T) {
	h := newHarness(t)
	h.cfg.Brakes.TicketBurst, h.cfg.Brakes.TicketWindow = 1, time.Minute
	h.deliver(demo.SupportAddr, faultReport)
	h.start()
	h.waitIdle(1)
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements, want 1", n)
	}
	if n := len(h.sentTo("it-support@stadt.example")); n != 1 {
		t.Errorf("%d IT notices, want 1: mail to role holders is not capped", n)
	}
	if c := h.robot.Counters().HeldTicket.Load(); c != 0 {
		t.Errorf("held counter %d, want 0", c)
	}
}

func TestCircuitBreakerStopsMailAndAlerts(t *testing.T) {
	h := newHarness(t)
	h.cfg.Brakes.BreakerMinHourly, h.cfg.Brakes.BreakerFactor = 3, 1
	for i := range 3 {
		h.deliver(demo.SupportAddr, mailFrom("anna.beispiel@stadt.example", i))
	}
	h.start()
	h.waitIdle(3)
	// Ticket 1 sends two mails, ticket 2 its acknowledgement; its notice
	// trips the breaker, and everything after is held.
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 2 {
		t.Errorf("%d acknowledgements, want 2", n)
	}
	if n := len(h.sentTo("it-support@stadt.example")); n != 1 {
		t.Errorf("%d IT notices, want 1", n)
	}
	alerts := h.sentTo("mailbot-admin@stadt.example")
	if len(alerts) != 1 {
		t.Fatalf("%d alerts to the admin role, want 1", len(alerts))
	}
	if !strings.Contains(alerts[0].subject(), "Notbremse") {
		t.Errorf("alert subject %q", alerts[0].subject())
	}
	if c := h.robot.Counters().BreakerTrips.Load(); c != 1 {
		t.Errorf("breaker trips %d, want 1", c)
	}
	if c := h.robot.Counters().HeldBreaker.Load(); c != 3 {
		t.Errorf("mails held by the breaker %d, want 3", c)
	}
}

func TestStatusQueryRepliesAreCapped(t *testing.T) {
	h := newHarness(t)
	h.cfg.Brakes.RecipientDaily = 2
	for i := range 3 {
		h.deliver(demo.SupportAddr, fmt.Sprintf(`From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: Status
Message-ID: <status-%d@stadt.example>
Content-Type: text/plain; charset=utf-8

Status %d
`, i, i))
	}
	h.start()
	h.waitIdle(3)
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 2 {
		t.Errorf("%d status lists sent, want 2 (the cap)", n)
	}
	if c := h.robot.Counters().HeldRecipient.Load(); c != 1 {
		t.Errorf("held counter %d, want 1", c)
	}
}

func TestReusedMessageIDSameSubjectNewText(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, faultReport)
	h.deliver(demo.SupportAddr, strings.Replace(faultReport, "startet nicht", "st=C3=BCrzt beim Drucken ab", 1))
	h.start()
	h.waitIdle(2)
	if list, _ := mailbot.ListTickets(h.db); len(list) != 2 {
		t.Errorf("%d tickets, want 2 for two texts under one Message-ID and subject", len(list))
	}
}
