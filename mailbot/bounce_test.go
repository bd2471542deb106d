package mailbot_test

import (
	"strings"
	"testing"

	"mailbot/demo"
	"mailbot/templates"
)

func TestBounceNoticeGermanAndThreaded(t *testing.T) {
	h := newHarness(t)
	ackID := openTicket(h, "m.alt@example.org")
	itBefore := len(h.sentTo("it-support@stadt.example"))
	ndr := rewriteCase(t, readCaseBytes(t, "009-bounce-ndr-loop-2-ndr.eml"),
		"IT-2026-0077.1@robot.example.org", ackID, demo.SupportAddr, thisYear(1))
	h.deliverRaw(demo.SupportAddr, ndr)
	h.waitIdle(2)

	notices := h.sentTo("it-support@stadt.example")[itBefore:]
	if len(notices) != 1 {
		t.Fatalf("%d notices to IT after the bounce, want 1", len(notices))
	}
	n := notices[0]
	tag := thisYear(1).Tag("IT")
	if s := n.subject(); strings.Count(s, tag) != 1 || !strings.HasPrefix(s, tag+" Unzustellbar: ") {
		t.Errorf("notice subject %q, want the tag %s once, in front", s, tag)
	}
	pause := templates.Duration(h.cfg.Brakes.BouncePause)
	wantContains(t, "notice", strings.Join(strings.Fields(n.body), " "), "zu Ticket "+thisYear(1).String(), "m.alt@example.org",
		"Grund: Unzustellbarkeitsbericht eines Mailservers", pause+" lang keine automatischen Mails", "Dies ist eine automatisch erzeugte Nachricht des IT-Ticketsystems.")
	for _, english := range []string{"failed", "rejected", "0m0s", "Status:"} {
		if strings.Contains(n.body, english) {
			t.Errorf("notice body contains %q:\n%s", english, n.body)
		}
	}
	if got, want := n.header.Get("In-Reply-To"), "<fault-1@stadt.example>"; got != want {
		t.Errorf("notice In-Reply-To %q, want the ticket's first mail %q", got, want)
	}
}
