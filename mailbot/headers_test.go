package mailbot

import (
	"bufio"
	"bytes"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"mailbot/store"
	"mailbot/templates"
)

func TestSanitizeHeaderText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Drucker defekt", "Drucker defekt"},
		{"Drucker\r\nBcc: opfer@example.net", "Drucker Bcc: opfer@example.net"},
		{"a\rb\nc\td\x00e\x1bf\u0085g", "a b c d e f g"},
		{"  vorne und hinten  ", "vorne und hinten "},
		{"rechts\u202Eläufig\u200B", "rechts läufig"},
		{"kaputt \xff\xfe", "kaputt \uFFFD"},
		{"Grüße aus Köln", "Grüße aus Köln"},
	} {
		got := sanitizeHeaderText(c.in, 200)
		if strings.TrimSpace(got) != strings.TrimSpace(c.want) {
			t.Errorf("sanitizeHeaderText(%q) = %q, want %q", c.in, got, c.want)
		}
		if strings.ContainsAny(got, "\r\n\x00") {
			t.Errorf("sanitizeHeaderText(%q) = %q keeps a control character", c.in, got)
		}
	}
	long := sanitizeHeaderText(strings.Repeat("ä", 500), 200)
	if n := utf8.RuneCountInString(long); n != 200 || !strings.HasSuffix(long, "…") {
		t.Errorf("long text cut to %d runes (%q…), want 200 ending in an ellipsis", n, long[:10])
	}
}

func TestSanitizeMsgID(t *testing.T) {
	for in, want := range map[string]string{
		"abc@example.org":          "abc@example.org",
		"abc@example.org>\r\nBcc:": "",
		"a b@example.org":          "",
		"<abc@example.org>":        "",
		strings.Repeat("x", 300):   "",
		"":                         "",
	} {
		if got := sanitizeMsgID(in); got != want {
			t.Errorf("sanitizeMsgID(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBuildMsgResistsHeaderInjection writes an outgoing mail whose
// subject, display name and ids carry CR LF and checks that the written
// header has exactly the fields mailbot sets.
func TestBuildMsgResistsHeaderInjection(t *testing.T) {
	o := &store.OutMail{
		Kind: "ack", MessageID: "mailbot.test.1@stadt.example", Date: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC),
		FromName: "IT\r\nBcc: opfer@example.net", From: "3344@stadt.example", To: []string{"anna.beispiel@stadt.example"},
		Subject:   "[IT-2026-00001] Drucker\r\nBcc: opfer@example.net\r\n\r\nText",
		InReplyTo: "x@example.net>\r\nBcc: <opfer@example.net", References: []string{"ok@example.net", "y\r\nBcc: z"},
		Body:          "Bcc: opfer@example.net\r\n\r\nText\n",
		AutoSubmitted: "auto-replied",
	}
	hdr := writtenHeader(t, o)
	if v, ok := hdr["Bcc"]; ok {
		t.Errorf("written mail has Bcc %q", v)
	}
	if v := hdr.Get("In-Reply-To"); v != "" {
		t.Errorf("In-Reply-To = %q, want the invalid id dropped", v)
	}
	if v := hdr.Get("References"); v != "<ok@example.net>" {
		t.Errorf("References = %q, want only the valid id", v)
	}
	if len(hdr["Subject"]) != 1 || len(hdr["To"]) != 1 {
		t.Errorf("Subject %q, To %q: want one of each", hdr["Subject"], hdr["To"])
	}
}

// TestTemplatesCannotEmitHeaders renders an override template that writes
// header lines and checks they stay in the body.
func TestTemplatesCannotEmitHeaders(t *testing.T) {
	dir := t.TempDir()
	src := "Bcc: opfer@example.net\nSubject: gefälscht\n\n{{.Subject}}\n"
	if err := writeFile(dir+"/"+templates.Ack, src); err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	body, err := set.Render(templates.Ack, templates.TicketData{Subject: "Drucker"})
	if err != nil {
		t.Fatal(err)
	}
	hdr := writtenHeader(t, &store.OutMail{Kind: "ack", MessageID: "mailbot.test.2@stadt.example", Date: time.Now(),
		From: "3344@stadt.example", To: []string{"anna.beispiel@stadt.example"}, Subject: "Eingang", Body: body,
		AutoSubmitted: "auto-replied"})
	if _, ok := hdr["Bcc"]; ok {
		t.Error("template line became a Bcc header")
	}
	if got := hdr.Get("Subject"); got != "Eingang" {
		t.Errorf("Subject = %q, want Eingang", got)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// writtenMail builds o as the sender would and returns the raw mail.
func writtenMail(t *testing.T, o *store.OutMail) *bytes.Buffer {
	t.Helper()
	m, err := buildMsg(o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// writtenHeader builds o as the sender would and reads back its header.
func writtenHeader(t *testing.T, o *store.OutMail) textproto.MIMEHeader {
	t.Helper()
	buf := writtenMail(t, o)
	hdr, err := textproto.NewReader(bufio.NewReader(buf)).ReadMIMEHeader()
	if err != nil {
		t.Fatalf("read written header: %v\n%s", err, buf.String())
	}
	return hdr
}
