package templates

// Attachment is a listed file of an incoming mail.
type Attachment struct {
	Name string
	Size int64
}

// TicketData is what the ticket templates may use.
type TicketData struct {
	Number        string // 2026-00042
	Tag           string // [IT-2026-00042]
	Subject       string // subject of the requester's mail
	Requester     string // address
	RequesterName string // display name, may be empty
	Mailbox       string
	TypeName      string
	Next          string
	Rule          string
	Reason        string
	Project       string
	ManualTriage  bool
	Attachments   []Attachment
	Text          string   // new text of the incoming mail
	Commands      []string // commands IT may answer with, one "#keyword – meaning" line each
}
