package parse

import (
	"strings"
	"testing"
)

// attachedMail is a mail forwarded "as attachment", as Outlook sends it:
// a short text and the original mail as a message/rfc822 part.
const attachedMail = "From: Anna Beispiel <anna.beispiel@stadt.example>\r\n" +
	"To: 3344@stadt.example\r\n" +
	"Subject: WG: Drucker defekt\r\n" +
	"Message-ID: <fw-1@stadt.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"b1\"\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Bitte ansehen.\r\n" +
	"--b1\r\n" +
	"Content-Type: message/rfc822\r\n" +
	"Content-Disposition: attachment; filename=\"Drucker defekt.eml\"\r\n" +
	"\r\n" +
	"From: Bernd Muster <bernd.muster@stadt.example>\r\n" +
	"Date: Thu, 03 Dec 2026 14:30:00 +0100\r\n" +
	"Subject: Drucker defekt\r\n" +
	"Content-Type: text/plain; charset=iso-8859-1\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Der Drucker im B=FCrgerb=FCro druckt nicht mehr.\r\n" +
	"--b1--\r\n"

func TestAttachedMailTextJoinsText(t *testing.T) {
	m, err := Parse([]byte(attachedMail))
	if err != nil {
		t.Fatal(err)
	}
	want := "Bitte ansehen.\n\n" + ForwardSeparator + "\n" +
		"Von: Bernd Muster <bernd.muster@stadt.example>\n" +
		"Datum: 03.12.2026 14:30\n" +
		"Betreff: Drucker defekt\n\n" +
		"Der Drucker im Bürgerbüro druckt nicht mehr.\n"
	equal(t, "text", m.Text, want)
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "Drucker defekt.eml" {
		t.Errorf("attachments %+v, want the attached mail listed", m.Attachments)
	}
}

func TestAttachedMailNestingBounded(t *testing.T) {
	inner := "From: a@stadt.example\r\nSubject: innen\r\n\r\nText ganz innen.\r\n"
	for i := range 6 {
		inner = "From: a@stadt.example\r\nSubject: Ebene " + string(rune('0'+i)) + "\r\n" +
			"Content-Type: message/rfc822\r\n\r\n" + inner
	}
	m, err := Parse([]byte(inner))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(m.Text, ForwardSeparator); n != maxForwardNesting {
		t.Errorf("%d forwarded blocks, want %d:\n%s", n, maxForwardNesting, m.Text)
	}
}
