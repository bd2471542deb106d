package templates

// ReplyHint is the reply to a reply to one of mailbot's mails that belong to no
// ticket, such as the status list or the help mail.
const ReplyHint = "reply_hint.txt.tmpl"

func init() { All = append(All, ReplyHint) }

// ReplyHintData is what the reply to a reply to a mail of no ticket may
// use.
type ReplyHintData struct {
	Subject    string // subject of the reply, without reply prefixes
	Address    string // the robot address to write new requests to
	TagExample string // a ticket tag, such as [IT-2026-00042]
	List       bool   // the reply answers the status list
	Digest     bool   // the reply is to the digest of new tickets to IT
}
