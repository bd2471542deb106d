package parse

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestNestedMultipartFixture(t *testing.T) {
	m := mustParse(t, readFixture(t, "nested-multipart.eml"))
	equal(t, "From", m.From, Address{"Müller, Sabine", "S.Mueller@example.org"})
	equal(t, "To", m.To, []Address{{"IT-Service", "it-service@example.org"}, {"Weber, Kai", "k.weber@example.org"}})
	equal(t, "Cc", m.Cc, []Address{{"Amt 50", "amt50@example.org"}})
	equal(t, "ReplyTo", m.ReplyTo, []Address{{"Sekretariat", "sekretariat@example.org"}})
	equal(t, "Subject", m.Subject, "Antrag Software für Bauamt")

	// text/plain wins over the text/html that comes first in the alternative.
	equal(t, "Text", m.Text, "Guten Tag,\n\nbitte installieren Sie das Programm für die "+
		"Gebührenberechnung auf drei Rechnern im Bauamt.\n\nGrüße\nSabine Müller")
	equal(t, "FromHTML", m.FromHTML, false)
	if !strings.Contains(m.HTML, "<p>bitte installieren Sie das Programm für die Gebührenberechnung") {
		t.Errorf("HTML: %q", m.HTML)
	}
	equal(t, "Attachments", m.Attachments, []Attachment{
		{Name: "", ContentType: "image/png", Size: 108, Inline: true},
		{Name: "Antrag Gebühren.pdf", ContentType: "application/pdf", Size: 1048},
		{Name: "Kostenübersicht.xls", ContentType: "application/vnd.ms-excel", Size: 81},
	})
	hasWarning(t, m, `unknown Content-Transfer-Encoding "x-uuencode" in part 3`)
	equal(t, "warning count", len(m.Warnings), 1)
}

func TestParseMediaType(t *testing.T) {
	tests := []struct {
		in     string
		typ    string
		params map[string]string
	}{
		{`text/plain; charset="UTF-8"; format=flowed`, "text/plain",
			map[string]string{"charset": "UTF-8", "format": "flowed"}},
		{`Text/HTML;charset=iso-8859-1 (comment)`, "text/html", map[string]string{"charset": "iso-8859-1"}},
		{`attachment; filename=Inventar liste.csv; size=245`, "attachment",
			map[string]string{"filename": "Inventar liste.csv", "size": "245"}},
		{`attachment; filename*=iso-8859-1'de'Geb%FChren.pdf`, "attachment", map[string]string{"filename": "Gebühren.pdf"}},
		{`attachment; filename*1="b.pdf"; filename*0="a"`, "attachment", map[string]string{"filename": "ab.pdf"}},
		{`attachment; filename="=?utf-8?B?w5xiZXJzaWNodC5wZGY=?="`, "attachment", map[string]string{"filename": "Übersicht.pdf"}},
		{"attachment; filename=\"B\xfcro.pdf\"", "attachment", map[string]string{"filename": "Büro.pdf"}},
		{`attachment; filename="a.pdf"; filename="b.pdf"`, "attachment", map[string]string{"filename": "a.pdf"}},
		{`attachment; filename="unterminated.pdf`, "attachment", map[string]string{"filename": "unterminated.pdf"}},
		{`multipart/mixed; boundary="a\"b"`, "multipart/mixed", map[string]string{"boundary": `a"b`}},
		{`text/plain; ; novalue; charset=utf-8`, "text/plain", map[string]string{"charset": "utf-8"}},
	}
	for _, tt := range tests {
		typ, params := parseMediaType(tt.in, "Content-Type", &warnings{})
		equal(t, tt.in+" type", typ, tt.typ)
		equal(t, tt.in+" params", params, tt.params)
	}
}

func TestTransferEncodings(t *testing.T) {
	w := &warnings{}
	equal(t, "qp", string(decodeTransfer("quoted-printable", []byte("F=C3=BCr=20 =\r\nalle =3d=ZZ  \r\nEnde"), "part", w)),
		"Für  alle ==ZZ\r\nEnde")
	equal(t, "base64 with garbage and two blocks", string(decodeTransfer("BASE64", []byte("SGFs\r\nbG8=\r\n!IFdl\nbHQ="), "part", w)),
		"Hallo Welt")
	equal(t, "base64 size", base64Size([]byte("SGFs\r\nbG8=\r\n!IFdl\nbHQ=")), int64(len("Hallo Welt")))
	equal(t, "qp size", decodedSize("quoted-printable", []byte("F=C3=BCr =\r\nalle")), int64(len("Für alle")))
	equal(t, "7bit", string(decodeTransfer("7bit", []byte("a\r\nb"), "part", w)), "a\r\nb")
	equal(t, "warnings", w.list, []string(nil))

	decodeTransfer("x-uuencode", []byte("x"), "part 1", w)
	equal(t, "unknown warning", w.list, []string{`unknown Content-Transfer-Encoding "x-uuencode" in part 1; treated as binary`})
}

func TestUnknownTransferEncodingTopLevel(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nSubject: x\nContent-Transfer-Encoding: x-uuencode\n\nHallo Team\n"))
	equal(t, "Text", m.Text, "Hallo Team\n")
	hasWarning(t, m, `unknown Content-Transfer-Encoding "x-uuencode" in message body`)
}

func TestMultipartRepairs(t *testing.T) {
	t.Run("boundary parameter missing", func(t *testing.T) {
		m := mustParse(t, crlf("From: a@example.org\nContent-Type: multipart/mixed\n\n--xyz\nContent-Type: text/plain\n\nHallo\n--xyz--\n"))
		equal(t, "Text", m.Text, "Hallo")
		hasWarning(t, m, `without boundary parameter; using "xyz"`)
	})
	t.Run("no delimiter at all", func(t *testing.T) {
		m := mustParse(t, crlf("From: a@example.org\nContent-Type: multipart/mixed; boundary=abc\n\nnur Text\n"))
		equal(t, "Text", m.Text, "nur Text\n")
		hasWarning(t, m, `no part with boundary "abc" found`)
	})
	t.Run("longer boundary is not a delimiter", func(t *testing.T) {
		m := mustParse(t, crlf("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nText\n--bb\nnoch Text\n--b--\n"))
		equal(t, "Text", m.Text, "Text\n--bb\nnoch Text")
		noWarnings(t, m)
	})
	t.Run("LF line ends and blanks after delimiter", func(t *testing.T) {
		m := mustParse(t, []byte("From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n--b  \nContent-Type: text/html\n\n<p>HTML</p>\n--b\t\n\nPlain\n--b--\n"))
		equal(t, "Text", m.Text, "Plain")
		equal(t, "HTML", m.HTML, "<p>HTML</p>")
	})
	t.Run("transfer encoding of a multipart is ignored", func(t *testing.T) {
		m := mustParse(t, crlf("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: quoted-printable\n\n--b\nContent-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe\n--b--\n"))
		equal(t, "Text", m.Text, "Grüße")
	})
	t.Run("digest parts default to message/rfc822", func(t *testing.T) {
		m := mustParse(t, crlf("From: a@example.org\nContent-Type: multipart/digest; boundary=b\n\n--b\n\nSubject: Eins\n\nText\n--b--\n"))
		equal(t, "Attachments", m.Attachments, []Attachment{{Name: "Eins.eml", ContentType: "message/rfc822", Size: 21}})
	})
}

func TestEmptyPlainFallsBackToHTML(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n \n--b\nContent-Type: text/html; charset=utf-8\n\n<p>Inhalt</p>\n--b--\n"))
	equal(t, "Text", m.Text, "Inhalt")
	equal(t, "FromHTML", m.FromHTML, true)
}

func TestHTMLMetaCharset(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nContent-Type: text/html\n\n<html><head><meta charset=\"iso-8859-1\"></head><body>Gr\xfc\xdfe \x80</body></html>\n"))
	equal(t, "Text", m.Text, "Grüße €")
	noWarnings(t, m)
}

func TestFormatFlowed(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nContent-Type: text/plain; charset=utf-8; format=flowed\n\nDer Drucker im \nBüro druckt nicht.\n> zitiert \n> weiter\n-- \nSignatur\n"))
	equal(t, "Text", m.Text, "Der Drucker im Büro druckt nicht.\n> zitiert weiter\n-- \nSignatur\n")
}

func TestAttachmentListCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nText\r\n")
	for i := range MaxAttachments + 5 {
		fmt.Fprintf(&b, "--b\r\nContent-Type: application/octet-stream; name=\"f%d.bin\"\r\n\r\nx\r\n", i)
	}
	b.WriteString("--b--\r\n")
	m := mustParse(t, []byte(b.String()))
	equal(t, "attachments", len(m.Attachments), MaxAttachments)
	hasWarning(t, m, "more than 1000 attachments")
}

func TestTextCap(t *testing.T) {
	line := strings.Repeat("Zeile mit Umlauten: äöü ", 4) + "\n"
	body := strings.Repeat(line, (MaxTextBytes/len(line))+100)
	raw := "From: a@example.org\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(body))
	m := mustParse(t, []byte(raw))
	if len(m.Text) > MaxTextBytes || len(m.Text) < MaxTextBytes-4 {
		t.Errorf("Text length %d, want just under %d", len(m.Text), MaxTextBytes)
	}
	if !strings.HasPrefix(body, m.Text) {
		t.Error("cut Text is not a prefix of the body")
	}
	hasWarning(t, m, "text cut to 1048576 bytes")
}
