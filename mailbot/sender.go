package mailbot

import (
	"regexp"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"mailbot/parse"
)

// quotedString matches an RFC 5322 quoted string, such as a display name.
var quotedString = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// senderProblem returns, in German, why the sender of msg may run no
// command, or "". Roles are looked up by the first From address, so a
// mail whose From names several addresses ("it@…, fremd@…") or that has
// several From fields could borrow the role of one of them. A Sender field
// of another domain than From means someone outside sent the mail on
// behalf of From. A Sender in the same domain, such as an assistant
// writing for a manager, is accepted.
func senderProblem(msg *parse.Message) string {
	fields := msg.Header.Values("From")
	if len(fields) > 1 || countAddresses(strings.Join(fields, ",")) > 1 {
		return "Die Mail nennt mehrere Absender (Feld From); Befehle werden nur von genau einem Absender ausgeführt."
	}
	sender := strings.TrimSpace(msg.Header.Get("Sender"))
	if sender == "" {
		return ""
	}
	h := mail.Header{Header: message.Header{Header: msg.Header}}
	list, err := h.AddressList("Sender")
	if err != nil || len(list) != 1 {
		return "Das Feld Sender der Mail ist nicht lesbar."
	}
	if !strings.EqualFold(domainOf(list[0].Address), domainOf(msg.From.Addr)) {
		return "Die Mail wurde von " + strings.ToLower(list[0].Address) + " im Auftrag von " + strings.ToLower(msg.From.Addr) +
			" gesendet; im Auftrag gesendete Befehle werden nur aus derselben Domain ausgeführt."
	}
	return ""
}

// countAddresses counts the addresses of an address list field value.
// When the list does not parse, it counts the "@" outside quoted strings.
func countAddresses(value string) int {
	if strings.TrimSpace(value) == "" {
		return 0
	}
	if list, err := mail.ParseAddressList(value); err == nil {
		return len(list)
	}
	return strings.Count(quotedString.ReplaceAllString(value, `""`), "@")
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}
