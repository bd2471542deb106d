package mailbot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mailbot/command"
	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
)

// Commands are registered, one commandSpec each, from init functions, one
// file per group (command_ticket.go, command_routing.go). To add a command,
// put a new file in this package:
//
//	func init() {
//		registerCommand(commandSpec{
//			Name:  "agenda",               // canonical name, used as configuration key
//			Words: []string{"agenda"},     // default German keywords, without "#"
//			Roles: []string{"it", "orga"}, // default roles that may run it
//			Usage: "#agenda [Thema]",
//			Help:  "setzt das Ticket auf die Tagesordnung des JF IT/Amt 50",
//			Run:   runAgenda,
//		})
//	}
//
// Run is called inside the store transaction of the mail. It changes
// run.Ticket in place, calls run.Change for every change the requester
// must be told of, may queue mails with run.Robot().enqueue, and returns
// one German sentence for the sender's confirmation. It returns
// reject(…) to refuse the command with a German reason; any other error
// aborts the transaction, so the mail is handled again later.
// commands.vocabulary and commands.roles in the configuration replace
// Words and Roles by Name.

// commandSpec describes one command.
type commandSpec struct {
	Name  string
	Words []string
	Roles []string
	Usage string // "#keyword ARG" as shown in help
	Help  string // German description for help lists
	// OpenQuery lets anyone with a part in the ticket run the command; Run
	// then checks rolesAllow itself for the part that changes the ticket,
	// as #status does: a query for everyone, a new state text for IT.
	OpenQuery bool
	// QueryUsage and QueryHelp replace Usage and Help in the help list of
	// a sender who may only query, so it shows no form they may not use.
	QueryUsage, QueryHelp string
	Run                   func(run *commandRun, cmd command.Command) (string, error)
}

var (
	commandSpecs = map[string]*commandSpec{}
	commandOrder []string // registration order, for help lists
)

// registerCommand adds a command; it panics on a name used twice.
func registerCommand(s commandSpec) {
	if _, dup := commandSpecs[s.Name]; dup {
		panic("mailbot: command " + s.Name + " registered twice")
	}
	commandSpecs[s.Name] = &s
	commandOrder = append(commandOrder, s.Name)
}

// rejection is a command refused for a reason the sender is told.
type rejection struct{ reason string }

func (e rejection) Error() string { return e.reason }

// reject refuses a command with a German reason for the sender.
func reject(format string, args ...any) error { return rejection{fmt.Sprintf(format, args...)} }

// commandTable is the registry with the configuration applied.
type commandTable struct {
	vocab command.Vocabulary
	words map[string][]string // canonical name → keywords; the first is shown in help
	roles map[string][]string // canonical name → roles allowed
}

func newCommandTable(cfg config.Commands) (*commandTable, error) {
	t := &commandTable{words: map[string][]string{}, roles: map[string][]string{}}
	var unknown []string
	for name := range cfg.Vocabulary {
		if commandSpecs[name] == nil {
			unknown = append(unknown, "commands.vocabulary."+name)
		}
	}
	for name := range cfg.Roles {
		if commandSpecs[name] == nil {
			unknown = append(unknown, "commands.roles."+name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fmt.Errorf("unknown command names %s; known: %s", strings.Join(unknown, ", "), strings.Join(commandOrder, ", "))
	}
	for _, name := range commandOrder {
		spec := commandSpecs[name]
		t.words[name], t.roles[name] = spec.Words, spec.Roles
		if w, ok := cfg.Vocabulary[name]; ok {
			t.words[name] = w
		}
		if r, ok := cfg.Roles[name]; ok {
			t.roles[name] = r
		}
	}
	t.vocab = command.NewVocabulary(commandOrder, t.words)
	return t, nil
}

// allowed reports whether a sender with roles may run cmd.
func (t *commandTable) allowed(spec *commandSpec, cmd command.Command, roles []string) bool {
	if spec.OpenQuery && len(roles) > 0 {
		return true
	}
	return t.rolesAllow(spec.Name, roles)
}

// rolesAllow reports whether one of roles is granted the command name.
func (t *commandTable) rolesAllow(name string, roles []string) bool {
	for _, r := range t.roles[name] {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// usage returns the help line of a command with its configured keyword.
func (t *commandTable) usage(name string) string {
	spec := commandSpecs[name]
	return t.helpLine(name, spec.Usage, spec.Help)
}

// queryUsage returns the help line of a command for a sender who may only
// query, or "" when the command has no such form.
func (t *commandTable) queryUsage(name string) string {
	spec := commandSpecs[name]
	if spec.QueryUsage == "" {
		return ""
	}
	return t.helpLine(name, spec.QueryUsage, spec.QueryHelp)
}

func (t *commandTable) helpLine(name, usage, help string) string {
	spec := commandSpecs[name]
	if w := t.words[name]; len(w) > 0 && len(spec.Words) > 0 {
		usage = strings.Replace(usage, "#"+spec.Words[0], "#"+strings.TrimPrefix(w[0], "#"), 1)
	}
	return usage + " – " + help
}

// helpFor returns the help lines of the commands roles may use.
func (t *commandTable) helpFor(roles []string) []string {
	var out []string
	// #hilfe comes last, after the commands that do something.
	order := append(slices.DeleteFunc(slices.Clone(commandOrder), func(n string) bool { return n == "help" }), "help")
	for _, name := range order {
		spec := commandSpecs[name]
		switch {
		case t.rolesAllow(name, roles):
			out = append(out, t.usage(name))
		case t.allowed(spec, command.Command{Name: name}, roles):
			if q := t.queryUsage(name); q != "" {
				out = append(out, q)
			} else {
				out = append(out, t.usage(name))
			}
		}
	}
	return out
}

// commandRun is the state of the commands of one mail.
type commandRun struct {
	robot   *Robot
	tx      *store.Tx
	Ticket  *store.Ticket
	msg     *parse.Message
	mailbox *config.Mailbox
	Sender  string   // lowercased address
	Roles   []string // the sender's roles on this ticket
	Now     time.Time

	changes []string // German sentences for the status mail
	next    string   // next step for the requester, from the last change
	message string   // text for the requester (#status, #erledigt)
	comment string   // the mail's new text without its command lines
	help    bool     // the confirmation lists the sender's commands
	// requesterInformed is set when a command's own mail went to the
	// requester, so no separate status mail is needed.
	requesterInformed bool
	// skipped counts the commands of the mail beyond
	// commands.max_per_mail, which were not run.
	skipped int
}

// Robot returns the robot running the command.
func (c *commandRun) Robot() *Robot { return c.robot }

// Change records a change the requester gets a status mail about.
func (c *commandRun) Change(what, next string) {
	c.changes = append(c.changes, what)
	if next != "" {
		c.next = next
	}
}

// event appends a history event of the sender's mail.
func (c *commandRun) event(kind, text string) {
	c.Ticket.History = append(c.Ticket.History, store.Event{At: c.Now, Kind: kind, Actor: c.Sender,
		Mailbox: c.mailbox.Name, MessageID: c.msg.MessageID, Subject: c.msg.Subject, Text: text})
}

// commandResult is the outcome of one command.
type commandResult struct {
	cmd  command.Command
	ok   bool
	text string
}

// maxWrittenArg is the most runes of a command's argument repeated in
// confirmations and the history.
const maxWrittenArg = 200

// written returns a command as the sender wrote it, its argument cut to
// maxWrittenArg runes.
func written(cmd command.Command) string {
	if cmd.Arg == "" {
		return "#" + cmd.Keyword
	}
	return "#" + cmd.Keyword + " " + cutArg(cmd.Arg)
}

// cutArg returns a command's argument cut to maxWrittenArg runes.
func cutArg(arg string) string {
	r := []rune(arg)
	if len(r) <= maxWrittenArg {
		return arg
	}
	return string(r[:maxWrittenArg]) + " […]"
}

// run executes cmds in order. Each one, run or not, is recorded in the
// ticket's history.
func (c *commandRun) run(cmds []command.Command) ([]commandResult, error) {
	t := c.robot.cmds
	var results []commandResult
	for _, cmd := range cmds {
		res := commandResult{cmd: cmd}
		spec := commandSpecs[cmd.Name]
		switch {
		case spec == nil:
			res.text = "Unbekannter Befehl. Die möglichen Befehle stehen unten."
			c.help = true
			c.event(store.EventDenied, written(cmd)+": unbekannter Befehl")
		case !t.allowed(spec, cmd, c.Roles):
			res.text = "Nicht berechtigt: Diesen Befehl " + mayOnly(c.applicableRoles(t.roles[spec.Name])) + "."
			c.event(store.EventDenied, written(cmd)+": nicht berechtigt (Rollen des Absenders: "+roleNames(c.Roles)+")")
		default:
			text, err := spec.Run(c, cmd)
			var rej rejection
			switch {
			case errors.As(err, &rej):
				res.text = rej.reason
				c.event(store.EventDenied, written(cmd)+": "+rej.reason)
			case err != nil:
				return nil, fmt.Errorf("run command %s on ticket %s: %w", written(cmd), c.Ticket.Number, err)
			default:
				res.ok, res.text = true, text
				c.event(store.EventCommand, written(cmd)+": "+text)
			}
		}
		results = append(results, res)
	}
	return results, nil
}

// roleGerman names the roles in messages to people.
var roleGerman = map[string]string{
	config.RoleRequester:   "die anfragende Person",
	config.RoleCc:          "in Kopie Beteiligte",
	config.RoleAssignee:    "die zuständige IT-Sachbearbeitung",
	config.RoleResponsible: "die Zuständigen der Fachanwendung",
	"it":                   "die IT-Sachbearbeitung (it)",
	"it_leads":             "die IT-Teamleitung (it_leads)",
	"it_head":              "die IT-Abteilungsleitung (it_head)",
	"orga":                 "die Organisation des Amts (orga)",
	"budget":               "die IT-Budgetverantwortlichen (budget)",
	"digi":                 "die Digitalisierung (digi)",
	"admin":                "der Betrieb von mailbot (admin)",
}

// pluralRoles are the roles whose German name takes a plural verb.
var pluralRoles = map[string]bool{config.RoleCc: true, config.RoleResponsible: true, "budget": true}

// applicableRoles drops from roles the role responsible on a ticket that
// names no application contacts, so a refusal lists only who could act.
func (c *commandRun) applicableRoles(roles []string) []string {
	if c.Ticket != nil && len(c.Ticket.Responsible) > 0 {
		return roles
	}
	return slices.DeleteFunc(slices.Clone(roles), func(r string) bool { return r == config.RoleResponsible })
}

// mayOnly returns the German clause "darf nur … geben" for the roles
// allowed a command. With several roles joined by "oder" the verb agrees
// with the last one.
func mayOnly(roles []string) string {
	if len(roles) == 0 {
		return "darf niemand geben"
	}
	verb := "darf"
	if pluralRoles[roles[len(roles)-1]] {
		verb = "dürfen"
	}
	return verb + " nur " + roleNames(roles) + " geben"
}

// roleNames lists roles in German, joined by commas and "oder".
func roleNames(roles []string) string {
	if len(roles) == 0 {
		return "niemand"
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = roleGerman[r]
		if names[i] == "" {
			names[i] = r
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " oder " + names[len(names)-1]
}

// rolesOf returns the roles addr holds on tk, ticket-dependent ones first.
func (r *Robot) rolesOf(tk *store.Ticket, addr string) []string {
	addr = strings.ToLower(addr)
	var roles []string
	if addr == "" {
		return nil
	}
	if tk != nil && strings.EqualFold(tk.Requester, addr) {
		roles = append(roles, config.RoleRequester)
	}
	if tk != nil && slices.ContainsFunc(tk.Cc, func(a string) bool { return strings.EqualFold(a, addr) }) {
		roles = append(roles, config.RoleCc)
	}
	if tk != nil && strings.EqualFold(tk.Assignee, addr) {
		roles = append(roles, config.RoleAssignee)
	}
	if tk != nil && slices.ContainsFunc(tk.Responsible, func(a string) bool { return strings.EqualFold(a, addr) }) {
		roles = append(roles, config.RoleResponsible)
	}
	return append(roles, r.cfg.Roles.RolesOf(addr)...)
}

// actorRole names the most specific role of an actor for status mails,
// without article and without the configuration key in brackets, because
// the mails put the actor's address in brackets after it.
func actorRole(roles []string) string {
	for _, r := range []string{"it_head", "it_leads", "it", "orga", "budget", "digi", config.RoleAssignee, config.RoleResponsible, config.RoleRequester, config.RoleCc, "admin"} {
		if slices.Contains(roles, r) {
			name := strings.TrimPrefix(strings.TrimPrefix(roleGerman[r], "die "), "der ")
			name, _, _ = strings.Cut(name, " (")
			return name
		}
	}
	return "unbekannt"
}

// itSide reports whether roles make the sender part of IT's side of the
// ticket, who get confirmations rather than follow-up notices.
func itSide(roles []string) bool {
	for _, r := range []string{"it", "it_leads", "it_head", config.RoleAssignee, config.RoleResponsible} {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}
