package parse

import "testing"

func TestRobot(t *testing.T) {
	tests := []struct {
		name   string
		header string
		robot  bool
		reason string
	}{
		{"person", "From: Anna <a.berger@example.org>\nSubject: Drucker\n", false, ""},
		{"auto-submitted no", "From: a@example.org\nAuto-Submitted: no\nSubject: x\n", false, ""},
		{"auto-replied with parameter", "From: a@example.org\nAuto-Submitted: auto-replied; owner-email=\"a@example.org\"\n", true, "Auto-Submitted: auto-replied"},
		{"precedence bulk", "From: a@example.org\nPrecedence: Bulk\n", true, "Precedence: bulk"},
		{"precedence junk", "From: a@example.org\nPrecedence: junk\n", true, "Precedence: junk"},
		{"precedence first-class", "From: a@example.org\nPrecedence: first-class\n", false, ""},
		{"list id", "From: a@example.org\nList-Id: <it.lists.example.net>\n", true, "List-Id present"},
		{"list unsubscribe", "From: a@example.org\nList-Unsubscribe: <mailto:u@example.net>\n", true, "List-Unsubscribe present"},
		{"x-autoreply", "From: a@example.org\nX-Autoreply: yes\n", true, "X-Autoreply present"},
		{"x-autorespond", "From: a@example.org\nX-Autorespond: Urlaub\n", true, "X-Autorespond present"},
		{"exchange inbox rule", "From: a@example.org\nX-MS-Exchange-Inbox-Rules-Loop: a@example.org\n", true, "X-MS-Exchange-Inbox-Rules-Loop present"},
		{"exchange generated", "From: a@example.org\nX-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\n", true, "X-MS-Exchange-Generated-Message-Source present"},
		{"suppress OOF", "From: a@example.org\nX-Auto-Response-Suppress: DR, OOF\n", true, "X-Auto-Response-Suppress: oof"},
		{"suppress All", "From: a@example.org\nX-Auto-Response-Suppress: All\n", true, "X-Auto-Response-Suppress: all"},
		{"suppress read receipts only", "From: a@example.org\nX-Auto-Response-Suppress: RN, NRN\n", false, ""},
		{"null return path", "Return-Path: <>\nFrom: a@example.org\n", true, "null return path"},
		{"empty return path", "Return-Path: \nFrom: a@example.org\n", true, "null return path"},
		{"mailer-daemon", "From: Mail Delivery System <MAILER-DAEMON@mail.example.org>\n", true, "sender is MAILER-DAEMON"},
		{"postmaster", "From: PostMaster@example.org\n", true, "sender is postmaster"},
		{"no-reply", "From: Portal <no-reply@portal.example.net>\n", true, "sender is a no-reply address"},
		{"list bounce return path", "Return-Path: <it-bounces@lists.example.net>\nFrom: a@example.org\n", true, "sender is a list bounce address"},
		{"report", "From: a@example.org\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n", true, "delivery report"},
		{"out of office", "From: a@example.org\nSubject: Out of Office: Drucker\n", true, "out-of-office subject"},
		{"abwesend behind prefixes", "From: a@example.org\nSubject: AW: WG: Abwesend: Urlaub\n", true, "out-of-office subject"},
		{"abwesenheitsnotiz", "From: a@example.org\nSubject: Abwesenheitsnotiz: Re: Drucker\n", true, "out-of-office subject"},
		{"autoreply", "From: a@example.org\nSubject: Autoreply: Drucker\n", true, "out-of-office subject"},
		{"automatic reply", "From: a@example.org\nSubject: Automatic reply: Drucker\n", true, "out-of-office subject"},
		{"undeliverable", "From: a@example.org\nSubject: Undeliverable: Drucker\n", true, "delivery-failure subject"},
		{"delivery status", "From: a@example.org\nSubject: Delivery Status Notification (Failure)\n", true, "delivery-failure subject"},
		{"returned mail", "From: a@example.org\nSubject: Returned mail: see transcript\n", true, "delivery-failure subject"},
		{"nicht zustellbar with list tag", "From: a@example.org\nSubject: [Liste] Re[2]: Nicht zustellbar: x\n", true, "delivery-failure subject"},
		{"subject mentions office", "From: a@example.org\nSubject: Neues Office-Paket\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, crlf(tt.header+"\nText\n"))
			robot, reason := m.Robot()
			equal(t, "robot", robot, tt.robot)
			equal(t, "reason", reason, tt.reason)
		})
	}
}
