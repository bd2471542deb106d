package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// TestFoldWithoutBlankThroughPostfix sends a mail whose Message-ID is
// folded without leading whitespace. Postfix ends the header at the
// fragment and adds an empty line, so Date, MIME-Version and Content-Type
// arrive in the body; mailbot moves them back and decodes the text.
func TestFoldWithoutBlankThroughPostfix(t *testing.T) {
	s := newRobotSetup(t)
	clerk := e2e.NewAddress(t, "stadt.example")
	id := fmt.Sprintf("fold-%d", time.Now().UnixNano())
	raw := "From: Erika Beispiel <" + clerk + ">\r\n" +
		"To: " + s.support + "\r\n" +
		"Subject: Drucker defekt\r\n" +
		"Message-ID: <" + id + "\r\n" +
		"@stadt.example>\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=iso-8859-1\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Der Drucker im B=FCrgerb=FCro druckt nicht.\r\n"
	s.srv.Send(t, clerk, []string{s.support}, []byte(raw))
	s.start(t)
	s.srv.WaitFor(t, clerk, "INBOX", 1, deliveryTimeout)

	tk, err := mailbot.ShowTicket(s.db, store.Number{Year: time.Now().Year(), Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	text := tk.History[0].Text
	if strings.Contains(text, "Content-Type") || strings.Contains(text, "MIME-Version") {
		t.Errorf("header fields in the ticket text:\n%s", text)
	}
	if !strings.Contains(text, "Der Drucker im Bürgerbüro druckt nicht.") {
		t.Errorf("ticket text not decoded:\n%s", text)
	}
	if want := id + "@stadt.example"; tk.History[0].MessageID != want {
		t.Errorf("Message-ID %q, want %q", tk.History[0].MessageID, want)
	}
}
