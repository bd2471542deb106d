package templates

// StatusData contains the fields of the status mail to a requester.
type StatusData struct {
	Number        string
	Tag           string
	Subject       string
	RequesterName string
	Changes       []string // one German sentence per change
	Actor         string   // address of who made the changes
	ActorRole     string   // German name of the actor's role
	StatusName    string   // German name of the state after the changes
	Assignee      string
	Message       string // text IT wrote for the requester (#status, #erledigt), may be empty
	Next          string // next step, one German sentence
}

// CommandResult is one line of a command confirmation.
type CommandResult struct {
	OK      bool
	Command string // as written, with "#" and argument
	Text    string // result, or the reason the command did not run
}

// ConfirmData contains the fields of the command confirmation to a sender.
type ConfirmData struct {
	Number  string
	Tag     string
	Results []CommandResult
	Comment bool     // text around the commands was stored as a comment
	Help    []string // commands the sender may use, one "#keyword – meaning" line each
	// Skipped counts the commands beyond MaxCommands, which were not run.
	Skipped     int
	MaxCommands int
}

// OutcomeData contains the fields of the routing outcome of a mini-project.
type OutcomeData struct {
	Number      string
	Tag         string
	Subject     string
	Project     string
	Requester   string
	OutcomeName string // German name of the outcome
	Next        string
	Actor       string
	ActorRole   string
	Message     string // text the IT lead added to the command, may be empty
	Previous    string // German name of the outcome this one replaces, or ""
}

// FollowUpData contains the fields of the notice of a follow-up to IT.
type FollowUpData struct {
	Number     string
	Tag        string
	Subject    string
	From       string
	FromRole   string // German name of the sender's relation to the ticket
	Outside    bool   // the sender is neither requester, cc nor role holder
	StatusName string
	Assignee   string
	Text       string // the new text of the follow-up
	Commands   []string
	// Heading replaces the first line "Neue Nachricht zu Ticket …".
	Heading string
	// Results are the commands of the follow-up with what became of them.
	Results []CommandResult
}

// ListEntry is one ticket of a status list.
type ListEntry struct {
	Number     string
	Subject    string
	StatusName string
	Assignee   string
	Updated    string
}

// ListData contains the fields of the reply to a status query.
type ListData struct {
	Address string
	Tickets []ListEntry
}

// HelpData contains the fields of the reply to a new mail "#hilfe".
type HelpData struct {
	Commands []string // commands the sender may use, one "#keyword – meaning" line each
	// Refused lists the commands of a mail that belongs to no ticket, as
	// written; none of them ran.
	Refused    []string
	TagExample string // a ticket tag with the configured prefix, such as "[IT-2026-00042]"
	Digest     bool   // the mail replies to the digest of new tickets to IT
}

// StatusName returns the German name of a ticket state.
func StatusName(status string) string {
	switch status {
	case "new":
		return "neu, noch nicht zugewiesen"
	case "assigned":
		return "zugewiesen, in Bearbeitung"
	case "decided":
		return "entschieden"
	case "closed":
		return "erledigt"
	case "withdrawn":
		return "zurückgezogen"
	case "merged":
		return "zusammengeführt"
	}
	return status
}

// RoutingName returns the German name of a mini-project's routing outcome.
func RoutingName(routing string) string {
	switch routing {
	case "digi":
		return "Digitalisierungsprojekt: Weiterleitung an die Digitalisierung (JF Digitalisierung/Amt 50)"
	case "order":
		return "Direktbestellung durch die IT-Budgetverantwortlichen"
	case "itjf":
		return "Besprechung im JF IT/Amt 50"
	}
	return routing
}

// RoutingNext returns what happens after a routing outcome.
func RoutingNext(routing string) string {
	switch routing {
	case "digi":
		return "Die Digitalisierung klärt die offenen organisatorischen und technischen Fragen; das Vorhaben kommt auf die Tagesordnung des nächsten JF Digitalisierung/Amt 50."
	case "order":
		return "Die IT-Budgetverantwortlichen bestellen direkt aus dem freigegebenen IT-Budget und weisen bei Bedarf Budget zu."
	case "itjf":
		return "Das Vorhaben kommt auf die Tagesordnung des nächsten JF IT/Amt 50, das verbindlich über Umsetzung und Folgeaufgaben entscheidet."
	}
	return ""
}
