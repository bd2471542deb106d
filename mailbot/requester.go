package mailbot

import (
	"net/mail"

	"mailbot/parse"
)

// requesterOf returns the requester of a new ticket: the From address,
// and no address when From is missing or not a valid mail address, so
// that no acknowledgement is queued that can only fail. Reply-To is not
// used: the requester is also the identity role checks and the history
// go by, and Reply-To is any address the sender chose to name.
func requesterOf(msg *parse.Message) parse.Address {
	if _, err := mail.ParseAddress(msg.From.Addr); err != nil {
		return parse.Address{Name: msg.From.Name}
	}
	return msg.From
}
