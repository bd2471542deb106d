package e2e_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/smtp"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/mail"

	"mailbot/e2e"
)

// TestMain is the only one of this test binary: other test files in this
// directory must not define their own.
func TestMain(m *testing.M) { e2e.Main(m) }

// germanMail builds a message with an RFC 2047 encoded Subject and a
// quoted-printable UTF-8 body, with CRLF line endings.
func germanMail(t *testing.T, from, to, subject, messageID string, bodyLines []string) []byte {
	t.Helper()
	var body bytes.Buffer
	qp := quotedprintable.NewWriter(&body)
	if _, err := io.WriteString(qp, strings.Join(bodyLines, "\r\n")+"\r\n"); err != nil {
		t.Fatalf("encode body: %v", err)
	}
	if err := qp.Close(); err != nil {
		t.Fatalf("encode body: %v", err)
	}

	var raw bytes.Buffer
	fmt.Fprintf(&raw, "From: Anna Beispiel <%s>\r\n", from)
	fmt.Fprintf(&raw, "To: IT-Service <%s>\r\n", to)
	fmt.Fprintf(&raw, "Subject: %s\r\n", mime.QEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&raw, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&raw, "Message-ID: <%s>\r\n", messageID)
	raw.WriteString("MIME-Version: 1.0\r\n")
	raw.WriteString("Content-Type: text/plain; charset=UTF-8\r\n")
	raw.WriteString("Content-Transfer-Encoding: quoted-printable\r\n")
	raw.WriteString("\r\n")
	raw.Write(body.Bytes())
	return raw.Bytes()
}

// findByMessageID returns the message with the given Message-ID (without
// angle brackets) and its parsed reader, or nil when none matches.
func findByMessageID(t *testing.T, messages [][]byte, messageID string) ([]byte, *mail.Reader) {
	t.Helper()
	for _, raw := range messages {
		reader, err := mail.CreateReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("parse fetched message: %v\n%s", err, raw)
		}
		if id, err := reader.Header.MessageID(); err == nil && id == messageID {
			return raw, reader
		}
	}
	return nil, nil
}

func TestGermanMailRoundTrip(t *testing.T) {
	s := e2e.Start(t)
	const (
		from = "anna.beispiel@stadt.example"
		to   = "3344@stadt.example"
	)
	subject := "Drucker im Büro 2.14 druckt nur noch leere Seiten – bitte prüfen"
	// A unique address is also a unique, valid Message-ID.
	messageID := e2e.NewAddress(t, "stadt.example")
	raw := germanMail(t, from, to, subject, messageID, []string{
		"Guten Tag,",
		"",
		"seit heute Morgen druckt der Drucker im Büro 2.14 nur noch leere Seiten.",
		"Könnten Sie bitte jemanden vorbeischicken? Die Tonerkartusche ist neu.",
		"",
		"Mit freundlichen Grüßen",
		"Anna Beispiel",
	})

	// The mailbox of 3344@stadt.example may hold mail of earlier tests
	// when servers are shared, so wait for one more than before.
	before := len(s.Fetch(t, to, "INBOX"))
	sent := time.Now()
	s.Send(t, from, []string{to}, raw)
	messages := s.WaitFor(t, to, "INBOX", before+1, 10*time.Second)
	elapsed := time.Since(sent)
	t.Logf("delivered through Postfix and Dovecot in %v", elapsed)

	if elapsed >= 10*time.Second {
		t.Errorf("delivery took %v, expected less than 10s", elapsed)
	}
	got, reader := findByMessageID(t, messages, messageID)
	if got == nil {
		t.Fatalf("no message with Message-ID <%s> among %d in INBOX of %s", messageID, len(messages), to)
	}
	if !bytes.Contains(got, []byte("Subject: =?UTF-8?q?")) {
		t.Errorf("Subject is not RFC 2047 encoded in the stored message:\n%s", got)
	}
	if !bytes.Contains(got, []byte("Return-Path: <"+from+">")) {
		t.Errorf("Return-Path <%s> missing in the stored message:\n%s", from, got)
	}

	gotSubject, err := reader.Header.Subject()
	if err != nil {
		t.Fatalf("decode Subject: %v", err)
	}
	if gotSubject != subject {
		t.Errorf("Subject = %q, expected %q", gotSubject, subject)
	}

	part, err := reader.NextPart()
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	body, err := io.ReadAll(part.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if want := "Mit freundlichen Grüßen\r\nAnna Beispiel"; !strings.Contains(string(body), want) {
		t.Errorf("decoded body lacks %q:\n%s", want, body)
	}
}

func TestIMAPCapabilities(t *testing.T) {
	s := e2e.Start(t)
	client := s.IMAPClient(t, e2e.NewAddress(t, "stadt.example"), nil)

	caps := client.Caps()
	if caps == nil {
		t.Fatal("server sent no CAPABILITY list")
	}
	// APPEND belongs to IMAP4rev1 itself. The other three are extensions.
	// The raw map is checked, because CapSet.Has also infers capabilities.
	for _, c := range []imap.Cap{imap.CapIMAP4rev1, imap.CapIdle, imap.CapMove, imap.CapUIDPlus} {
		if _, ok := caps[c]; !ok {
			t.Errorf("capability %s not advertised; got %v", c, slices.Sorted(func(yield func(imap.Cap) bool) {
				for c := range caps {
					if !yield(c) {
						return
					}
				}
			}))
		}
	}
}

func TestIMAPAppendMoveIdle(t *testing.T) {
	s := e2e.Start(t)
	user := e2e.NewAddress(t, "example.org")

	newMail := make(chan uint32, 16)
	client := s.IMAPClient(t, user, &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					newMail <- *data.NumMessages
				}
			},
		},
	})

	if err := client.Create("Erledigt", nil).Wait(); err != nil {
		t.Fatalf("CREATE Erledigt: %v", err)
	}
	folders := s.Folders(t, user)
	for _, want := range []string{"INBOX", "Erledigt"} {
		if !slices.Contains(folders, want) {
			t.Errorf("LIST lacks %q: %v", want, folders)
		}
	}

	appended := []byte("From: Bernd Muster <bernd.muster@example.org>\r\n" +
		"To: " + user + "\r\n" +
		"Subject: =?UTF-8?q?Zugang_gesperrt?=\r\n" +
		"\r\n" +
		"Mein Zugang ist seit Montag gesperrt.\r\n")
	appendCmd := client.Append("INBOX", int64(len(appended)), nil)
	if _, err := appendCmd.Write(appended); err != nil {
		t.Fatalf("APPEND write: %v", err)
	}
	if err := appendCmd.Close(); err != nil {
		t.Fatalf("APPEND close: %v", err)
	}
	appendData, err := appendCmd.Wait()
	if err != nil {
		t.Fatalf("APPEND: %v", err)
	}
	if appendData.UID == 0 {
		t.Errorf("APPEND returned no UID (APPENDUID of UIDPLUS)")
	}

	if _, err := client.Select("INBOX", nil).Wait(); err != nil {
		t.Fatalf("SELECT INBOX: %v", err)
	}
	if _, err := client.Move(imap.UIDSetNum(appendData.UID), "Erledigt").Wait(); err != nil {
		t.Fatalf("UID MOVE to Erledigt: %v", err)
	}
	if got := s.Fetch(t, user, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX has %d messages after MOVE, expected 0", len(got))
	}
	moved := s.Fetch(t, user, "Erledigt")
	if len(moved) != 1 || !bytes.Equal(moved[0], appended) {
		t.Errorf("Erledigt has %d messages after MOVE, expected exactly the appended one:\n%q", len(moved), moved)
	}
	if got := s.Fetch(t, user, "Gibt-es-nicht"); got != nil {
		t.Errorf("Fetch of a missing folder returned %d messages, expected nil", len(got))
	}

	// Drain notifications from SELECT and MOVE, then expect an EXISTS
	// during IDLE for a message delivered by Postfix.
	for len(newMail) > 0 {
		<-newMail
	}
	idle, err := client.Idle()
	if err != nil {
		t.Fatalf("IDLE: %v", err)
	}
	s.Send(t, "anna.beispiel@stadt.example", []string{user}, []byte("From: anna.beispiel@stadt.example\r\n"+
		"To: "+user+"\r\n"+
		"Subject: =?UTF-8?q?Neues_Ger=C3=A4t?=\r\n"+
		"\r\n"+
		"Bitte richten Sie mein neues Gerät ein.\r\n"))
	select {
	case n := <-newMail:
		if n != 1 {
			t.Errorf("EXISTS %d during IDLE, expected 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("no EXISTS during IDLE within 10s after delivery\n%s", s.DovecotLog())
	}
	if err := idle.Close(); err != nil {
		t.Errorf("close IDLE: %v", err)
	}
	if err := idle.Wait(); err != nil {
		t.Errorf("IDLE: %v", err)
	}
}

func TestSMTPRejectsOtherDomains(t *testing.T) {
	s := e2e.Start(t)
	client, err := smtp.Dial(s.SMTPAddr)
	if err != nil {
		t.Fatalf("connect to SMTP %s: %v", s.SMTPAddr, err)
	}
	defer client.Close()

	if err := client.Mail("anna.beispiel@stadt.example"); err != nil {
		t.Fatalf("MAIL FROM: %v", err)
	}
	err = client.Rcpt("bernd.muster@andere-behoerde.example")
	var smtpErr *textproto.Error
	if !errors.As(err, &smtpErr) || smtpErr.Code/100 != 5 {
		t.Errorf("RCPT TO at another domain: got %v, expected a permanent 5xx rejection", err)
	}
	if err := client.Rcpt(e2e.NewAddress(t, "example.org")); err != nil {
		t.Errorf("RCPT TO at example.org after the rejection: %v", err)
	}
	if err := client.Quit(); err != nil {
		t.Errorf("QUIT: %v", err)
	}
}
