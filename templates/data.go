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
	RawFrom       string // From header as received, shown when Requester is empty
	AckSent       bool   // an acknowledgement to the requester is queued
	AckHeld       bool   // the loop brakes held the acknowledgement back
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

	// Triage details; empty when the mail names none.
	Cite           string   // rulebook rule quoted to the requester
	Position       string   // staffing-plan number, such as 50.3.12
	Application    string   // specialist application
	Responsibility string   // German name of its responsibility model
	Responsible    []string // addresses the notice goes to under that model
	BudgetItem     string   // IT budget item id
	BudgetTitle    string
	BudgetStatus   string // approved, reserved or unknown

	// Announcement check, set for a mini-project announcement.
	Announcement   bool
	HasDescription bool
	Urgency        string // German wording, "nicht angegeben" when missing
	HasSketch      bool
	Missing        []string // German list of what the announcement lacks

	// Addresses of the announcement procedure, for the reply that explains it.
	OrgaContacts     []string // the orga role
	AnnouncementTo   []string // the robot's mailboxes an announcement goes to
	AnnouncementForm string   // subject prefix of an announcement
}
