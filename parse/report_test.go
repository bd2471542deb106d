package parse

import "testing"

func TestEximBounce(t *testing.T) {
	m := mustParse(t, readFixture(t, "exim-bounce.eml"))
	equal(t, "Report", m.Report, &Report{
		OriginalMessageID: "IT-2026-0101.4@robot.example.org",
		OriginalSubject:   "[#IT-2026-0101] Status: erledigt",
		Recipients:        []string{"k.schmidt@example.net"},
		Action:            "failed",
		Status:            "5.1.1",
	})
	robot, reason := m.Robot()
	equal(t, "Robot", robot, true)
	equal(t, "reason", reason, "delivery report")
}

func TestBounceWithoutDetails(t *testing.T) {
	m := mustParse(t, crlf("Return-Path: <>\nFrom: Postmaster <postmaster@example.org>\n"+
		"Subject: Undeliverable: [#IT-2026-0200] Status\nIn-Reply-To: <IT-2026-0200.1@robot.example.org>\n\n"+
		"Die Nachricht konnte nicht zugestellt werden.\n"))
	equal(t, "Report", m.Report, &Report{
		OriginalMessageID: "IT-2026-0200.1@robot.example.org",
		OriginalSubject:   "[#IT-2026-0200] Status",
		Action:            "failed",
	})
}

func TestReplyToBounceIsNoReport(t *testing.T) {
	m := mustParse(t, crlf("From: Anna <a.berger@example.org>\nSubject: AW: Unzustellbar: Drucker\n\nIch kümmere mich.\n"))
	equal(t, "Report", m.Report, (*Report)(nil))
	robot, reason := m.Robot()
	equal(t, "Robot", robot, true)
	equal(t, "reason", reason, "delivery-failure subject")
}

func TestDelayedDSN(t *testing.T) {
	m := mustParse(t, crlf("Return-Path: <>\nFrom: MAILER-DAEMON@mail.example.org\n"+
		"Subject: Delayed Mail (still being retried)\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"+
		"--b\n\nNoch nicht zugestellt.\n--b\nContent-Type: message/delivery-status\n\n"+
		"Reporting-MTA: dns; mail.example.org\n\n"+
		"Final-Recipient: rfc822; a@example.net\nAction: delivered\nStatus: 2.0.0\n\n"+
		"Final-Recipient: RFC822; <B@Example.NET>\nAction: Delayed\nStatus: 4.4.1 (timeout)\n\n"+
		"--b\nContent-Type: message/rfc822\n\nMessage-ID: <orig@robot.example.org>\nSubject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=\n\nText\n--b--\n"))
	equal(t, "Report", m.Report, &Report{
		OriginalMessageID: "orig@robot.example.org",
		OriginalSubject:   "Grüße",
		Recipients:        []string{"a@example.net", "B@example.net"},
		Action:            "delivered",
		Status:            "2.0.0",
	})
	equal(t, "Attachments", m.Attachments, []Attachment{{Name: "Grüße.eml", ContentType: "message/rfc822", Size: 82}})
}

func TestReadReceiptIsNoDeliveryReport(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nSubject: Gelesen: Drucker\n"+
		"Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n"+
		"--b\n\nGelesen.\n--b\nContent-Type: message/disposition-notification\n\nDisposition: manual-action/MDN-sent-manually; displayed\n--b--\n"))
	equal(t, "Report", m.Report, (*Report)(nil))
	robot, _ := m.Robot()
	equal(t, "Robot", robot, true)
	equal(t, "Attachments", len(m.Attachments), 0)
}
