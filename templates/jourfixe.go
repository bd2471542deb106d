package templates

// Names of the jour fixe templates.
const (
	// Agenda is the agenda of one meeting as plain text; the agenda mail,
	// the invitation's description and "mailbot agenda" use it.
	Agenda = "agenda.txt.tmpl"
	// AgendaHTML is the agenda as an HTML page. It is parsed with
	// html/template, so ticket subjects cannot inject markup.
	AgendaHTML = "agenda.html.tmpl"
	// AgendaMail is the text part of the agenda mail around Agenda.
	AgendaMail = "agenda_mail.txt.tmpl"
	// AgendaReply is the note sent in reply to a reply to an agenda mail.
	AgendaReply = "agenda_reply.txt.tmpl"
	// Escalation is the notice of an escalation to the orga contact and the IT leads.
	Escalation = "escalation.txt.tmpl"
	// EscalationStatus is the status mail that tells the requester of an escalation.
	EscalationStatus = "escalation_status.txt.tmpl"
	// Decision is the outcome of "#beschluss", to orga and requester.
	Decision = "decision.txt.tmpl"
	// Reminder reminds the owner of a task before its due date.
	Reminder = "reminder.txt.tmpl"
	// Budget is the budget overview sent for "#budget".
	Budget = "budget.txt.tmpl"
	// CommandReply confirms jour fixe commands in a mail that belongs to
	// no ticket.
	CommandReply = "command_reply.txt.tmpl"
)

// AgendaData contains the fields of the agenda templates. Dates are formatted
// already, in the meeting's time zone.
type AgendaData struct {
	Subject  string // Tagesordnung … am …
	Title    string // series title, such as Jour fixe IT/Amt 50
	When     string // Dienstag, 12.01.2027, 10:00 Uhr
	Location string
	IT       bool // the IT series, whose agenda lists the tasks
	Items    []AgendaItemData
	Tasks    []AgendaTaskData
}

// AgendaItemData is one ticket on an agenda.
type AgendaItemData struct {
	Tag       string
	Kind      string // Eskalation or Mini-Projekt
	Title     string
	Since     string // opening date
	LastState string
	Reason    string
	Deferred  int
}

// AgendaTaskData is one open task on the IT agenda.
type AgendaTaskData struct {
	ID    uint64
	Owner string
	What  string
	With  []string
	Due   string // empty without a due date
	State string // offen, fällig bis zum Termin or überfällig
	Since string
	Tag   string // empty for a task without a ticket
	Title string
}

// AgendaMailData contains the fields of the agenda mail's text part.
type AgendaMailData struct {
	Agenda string // the rendered Agenda template
}

// AgendaReplyData contains the fields of the note sent in reply to a reply to an agenda mail.
type AgendaReplyData struct {
	Subject string // the agenda's subject, or the reply's
	Title   string // series title, empty when not known
}

// EscalationData contains the fields of the escalation templates.
type EscalationData struct {
	Tag       string
	Title     string
	Who       string // "von ADRESSE" or "automatisch nach Fristablauf"
	Reason    string
	Requester string
	Created   string // date the ticket was opened
	LastState string
	Next      string // next IT jour fixe, or "Termin noch offen"
}

// DecisionData contains the fields of the decision template.
type DecisionData struct {
	Meeting string // series title
	Tag     string
	Title   string
	Outcome string // German outcome sentence without the final full stop
	Text    string // reasoning or conditions, may be empty
	By      string
	// BindingBy is empty when the meeting's decisions are binding (the IT
	// jour fixe), else the title of the IT jour fixe, which decides.
	BindingBy string
}

// TaskData is a task as the reminder shows it.
type TaskData struct {
	ID     uint64
	Owner  string
	What   string
	With   []string
	Due    string // empty without a due date
	Ticket string // tag, empty for a task without a ticket
}

// BudgetData contains the fields of the budget overview.
type BudgetData struct {
	Lines []BudgetLineData
}

// BudgetLineData is one approved budget item with its orders.
type BudgetLineData struct {
	ID       string
	Title    string
	Amount   string // as written in the register, may be empty
	Quantity int    // pieces approved, 0 when not counted
	Orders   []BudgetOrderData
}

// BudgetOrderData is one order ticket of a budget item.
type BudgetOrderData struct {
	Tag        string
	Title      string
	StatusName string
}

// CommandReplyData contains the fields of the confirmation of jour fixe
// commands in a mail without a ticket. Each entry is the command as
// written, a line break and the result.
type CommandReplyData struct {
	Results []string
}

// JourFixeReplies defines the one-line replies of the jour fixe commands,
// one named template each (see ReplyNames), rendered with Line.
const JourFixeReplies = "jourfixe_replies.txt.tmpl"

// ReplyNames lists the templates JourFixeReplies must define.
var ReplyNames = []string{"agenda_sent", "agenda_held", "agenda_not_participant", "not_allowed", "not_run",
	"decision_no_ticket", "decision_word", "decision_not_on_agenda", "outcome_deferred", "outcome_closed",
	"decision_recorded", "task_created", "task_invalid", "task_done_usage", "task_bad_number", "task_unknown",
	"task_not_owner", "task_already_done", "task_done", "budget_sent", "budget_held", "budget_no_register"}

// ReplyData contains the fields of the jour fixe replies. Each reply uses
// a few of them.
type ReplyData struct {
	Command  string   // keyword without "#"
	Roles    string   // roles allowed, comma-separated
	Subjects []string // agendas on their way
	Tag      string
	Word     string // decision word
	Next     string // next meeting
	Resumed  bool   // an escalated ticket goes back to work
	Outcome  string
	Task     string // the task as lines: who, what, with whom, by when
	Note     string // hint on the reading of the task's due date; may be empty
	ID       uint64
	Owner    string
	What     string
	Count    int
	Value    string // the reason or the value written wrongly
	// For agenda_not_participant: the title of the series asked for, the
	// titles and names of the series the sender takes part in, and the
	// names of all series. Value is then a series name that does not exist.
	Wanted string
	Series []string
	Mine   []string
	Names  []string
}
