package parse

import (
	"strings"
	"testing"
)

// postfixCut is a mail whose Message-ID was folded without leading
// whitespace, as Postfix delivers it: Postfix took the fragment for the
// first body line, added its own Date and an empty line before it.
const postfixCut = "Return-Path: <anna@stadt.example>\r\n" +
	"From: Anna Beispiel <anna@stadt.example>\r\n" +
	"To: 3344@stadt.example\r\n" +
	"Subject: Drucker\r\n" +
	"Message-ID: <inj1\r\n" +
	"Date: Fri,  4 Dec 2026 16:02:14 +0000 (UTC)\r\n" +
	"\r\n" +
	"@stadt.example>\r\n" +
	"Date: Fri, 4 Dec 2026 10:00:00 +0100\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=iso-8859-1\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Der Drucker im B=FCrgerb=FCro ist defekt.\r\n"

func TestSpilledHeaderMovedBack(t *testing.T) {
	m, err := Parse([]byte(postfixCut))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "text", m.Text, "Der Drucker im Bürgerbüro ist defekt.\n")
	equal(t, "message id", m.MessageID, "inj1@stadt.example")
	equal(t, "date", m.Date.Format("15:04 -0700"), "10:00 +0100")
	warn := strings.Join(m.Warnings, "\n")
	for _, want := range []string{"joined line without a colon to Message-Id", "moved fields back from the start of the body"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warnings %q lack %q", m.Warnings, want)
		}
	}
}

func TestSpilledHeaderJoinsSubjectFragment(t *testing.T) {
	// The subject was folded without whitespace; Postfix added its own
	// Date and Message-ID after it.
	raw := "From: Anna Beispiel <anna@stadt.example>\r\n" +
		"Subject: Drucker im\r\n" +
		"Date: Fri,  4 Dec 2026 16:02:14 +0000 (UTC)\r\n" +
		"Message-Id: <20261204160214.1@mx.stadt.example>\r\n" +
		"\r\n" +
		"Bürgerbüro defekt\r\n" +
		"Message-ID: <sub-1@stadt.example>\r\n" +
		"Date: Fri, 4 Dec 2026 10:00:00 +0100\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"Bitte kommen.\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "subject", m.Subject, "Drucker im Bürgerbüro defekt")
	equal(t, "message id", m.MessageID, "sub-1@stadt.example")
	equal(t, "text", m.Text, "Bitte kommen.\n")
}

func TestSpilledHeaderDropsOrphanFragment(t *testing.T) {
	raw := "Received: from mx.stadt.example\r\n" +
		"\r\n" +
		"irgendwas\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"Der Drucker ist defekt.\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "text", m.Text, "Der Drucker ist defekt.\n")
	if !strings.Contains(strings.Join(m.Warnings, "\n"), "dropped line without a colon") {
		t.Errorf("warnings %q lack the dropped fragment", m.Warnings)
	}
}

func TestSpilledMultipartHeaderMovedBack(t *testing.T) {
	raw := "From: anna@stadt.example\r\n" +
		"Message-ID: <mp-1\r\n" +
		"\r\n" +
		"@stadt.example>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"xx\"\r\n" +
		"\r\n" +
		"--xx\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" +
		"Der Drucker ist defekt.\r\n" +
		"--xx\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"\r\n" +
		"<p>Der Drucker ist defekt.</p>\r\n" +
		"--xx--\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "text", m.Text, "Der Drucker ist defekt.")
	equal(t, "message id", m.MessageID, "mp-1@stadt.example")
}

func TestBodyStartingWithFieldsStaysBody(t *testing.T) {
	for name, raw := range map[string]string{
		"forward without MIME fields": "From: a@stadt.example\r\nSubject: WG: Drucker\r\n\r\n" +
			"Hier die Mail:\r\nFrom: b@example.org\r\nSubject: Drucker\r\n\r\nDefekt.\r\n",
		"header with Content-Type": "From: a@stadt.example\r\nContent-Type: text/plain\r\n\r\n" +
			"Content-Type: text/html\r\n\r\nDefekt.\r\n",
		"text after the fields": "From: a@stadt.example\r\n\r\n" +
			"MIME-Version: 1.0\r\nso steht es im Handbuch\r\n\r\nDefekt.\r\n",
	} {
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, ":") {
			t.Errorf("%s: fields taken out of the body, text %q", name, m.Text)
		}
	}
}
