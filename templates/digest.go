package templates

// NotifyDigest is the one notice the IT role gets instead of a notice per
// ticket when a fetch batch makes many new tickets at once, as after an
// outage of the mail server.
const NotifyDigest = "notify_digest.txt.tmpl"

// DigestData is the data of the digest of new tickets.
type DigestData struct {
	Count   int            // new tickets in the digest
	Mailbox string         // name of the mailbox they came in
	Address string         // its address, where commands by mail go
	Tickets []DigestTicket // in number order
}

// DigestTicket is one new ticket of a digest: what its own notice would
// show, with the subject cut to a line.
type DigestTicket struct {
	TicketData
	Excerpt string // start of the mail's text on one line
	Mailto  string // mailto: link of a mail to the mailbox with the tag as subject
}
