package mailbot

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"mailbot/command"
	"mailbot/config"
	"mailbot/store"
	"mailbot/templates"
)

// Roles of the default command matrix.
var (
	itRoles = []string{"it", "it_leads", "it_head", config.RoleAssignee, config.RoleResponsible}
	// takeRoles may run #übernehmen: IT, and the contacts a specialist
	// application names, who get the ticket's notice instead of IT.
	takeRoles   = []string{"it", "it_leads", "it_head", config.RoleResponsible}
	anyoneRoles = []string{config.RoleRequester, config.RoleCc, config.RoleAssignee, config.RoleResponsible, "it", "it_leads", "it_head", "orga", "budget", "digi", "admin"}
)

func init() {
	registerCommand(commandSpec{Name: "type", Words: []string{"typ"}, Roles: itRoles,
		Usage: "#typ a|b1|b2|b3|c", Help: "ändert den Prozesstyp", Run: runType})
	registerCommand(commandSpec{Name: "assign", Words: []string{"zuweisen"}, Roles: itRoles[:3],
		Usage: "#zuweisen ADRESSE", Help: "weist das Ticket einer IT-Sachbearbeitung zu", Run: runAssign})
	registerCommand(commandSpec{Name: "take", Words: []string{"übernehmen"}, Roles: takeRoles,
		Usage: "#übernehmen", Help: "weist das Ticket Ihnen selbst zu", Run: runTake})
	registerCommand(commandSpec{Name: "status", Words: []string{"status", "stand"}, Roles: itRoles, OpenQuery: true,
		Usage: "#status [TEXT]", Help: "ohne Text: nennt den Stand; mit Text: teilt der anfragenden Person den Bearbeitungsstand mit",
		QueryUsage: "#status", QueryHelp: "nennt den Stand des Tickets", Run: runStatus})
	registerCommand(commandSpec{Name: "close", Words: []string{"erledigt"}, Roles: itRoles,
		Usage: "#erledigt [TEXT]", Help: "schließt das Ticket; der Text geht an die anfragende Person", Run: runClose})
	registerCommand(commandSpec{Name: "reopen", Words: []string{"wiedereröffnen"}, Roles: itRoles,
		Usage: "#wiedereröffnen", Help: "öffnet ein erledigtes Ticket wieder", Run: runReopen})
	registerCommand(commandSpec{Name: "note", Words: []string{"notiz"}, Roles: append(slicesClone(itRoles), "orga", "budget", "digi"),
		Usage: "#notiz TEXT", Help: "interne Notiz, geht nie an die anfragende Person", Run: runNote})
	registerCommand(commandSpec{Name: "escalate", Words: []string{"eskalation", "eskalieren"}, Roles: append(slicesClone(itRoles), "orga"),
		Usage: "#eskalation [GRUND]", Help: "eskaliert das Ticket an das JF IT/Amt 50", Run: runEscalate})
	registerCommand(commandSpec{Name: "withdraw", Words: []string{"zurückziehen"}, Roles: []string{config.RoleRequester},
		Usage: "#zurückziehen [GRUND]", Help: "zieht Ihr Ticket zurück", Run: runWithdraw})
	registerCommand(commandSpec{Name: "merge", Words: []string{"zusammenführen"}, Roles: itRoles,
		Usage: "#zusammenführen NUMMER", Help: "führt dieses Ticket mit dem Ticket NUMMER zusammen; es geht dort weiter", Run: runMerge})
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// ensureOpen rejects a change on a ticket that is finished.
func ensureOpen(c *commandRun) error {
	switch c.Ticket.Status {
	case store.StatusClosed, store.StatusWithdrawn:
		return reject("Das Ticket ist %s. Öffnen Sie es zuerst mit #wiedereröffnen.", templates.StatusName(c.Ticket.Status))
	case store.StatusMerged:
		return reject("Das Ticket wurde mit Ticket %s zusammengeführt. Bitte schreiben Sie dort.", c.Ticket.MergedInto)
	}
	return nil
}

func runType(c *commandRun, cmd command.Command) (string, error) {
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	arg := strings.ToLower(strings.Trim(cmd.Arg, " ()."))
	typ, sub := arg, ""
	switch arg {
	case "":
		return "", reject("Es fehlt der Prozesstyp: a, b1, b2, b3 oder c. Beispiel: #typ b1")
	case "a", "c":
	case "b1", "b2", "b3":
		typ, sub = "b", arg
	default:
		return "", reject("Unbekannter Prozesstyp %q. Möglich sind a, b1, b2, b3 und c. Beispiel: #typ b1", cutArg(cmd.Arg))
	}
	tk := c.Ticket
	if tk.Type == typ && tk.Subtype == sub {
		return "Der Prozesstyp ist bereits " + templates.TypeName(typ, sub) + "; nichts geändert.", nil
	}
	old, wasC := templates.TypeName(tk.Type, tk.Subtype), tk.Type == "c"
	tk.Type, tk.Subtype = typ, sub
	now := templates.TypeName(typ, sub)
	c.Change(fmt.Sprintf("Prozesstyp geändert von %s auf %s.", old, now), templates.NextStep(typ))
	if wasC && typ != "c" {
		if err := c.robot.voidOrgaNotice(c); err != nil {
			return "", err
		}
	}
	return "Prozesstyp ist jetzt " + now + ".", nil
}

func runAssign(c *commandRun, cmd command.Command) (string, error) {
	if cmd.Arg == "" {
		return "", reject("Es fehlt die Mailadresse der zuständigen Person. Beispiel: #zuweisen anna.beispiel@stadt.example")
	}
	a, err := mail.ParseAddress(cmd.Arg)
	if err != nil {
		return "", reject("%q ist keine Mailadresse. Beispiel: #zuweisen anna.beispiel@stadt.example", cutArg(cmd.Arg))
	}
	addr := strings.ToLower(a.Address)
	if c.robot.isOwnAddress(addr) {
		return "", reject("%s ist eine Adresse des Ticketsystems selbst; Mails dorthin würden verworfen. Bitte nennen Sie die Adresse einer Person.", addr)
	}
	return assign(c, addr)
}

// isOwnAddress reports whether addr is one of mailbot's own addresses:
// a watched mailbox, which is also the From of its mails, or an IMAP or
// SMTP login that is an address.
func (r *Robot) isOwnAddress(addr string) bool {
	if r.ownAddrs[strings.ToLower(addr)] || strings.EqualFold(addr, r.cfg.SMTP.Username) {
		return true
	}
	return slices.ContainsFunc(r.cfg.Mailboxes, func(mb config.Mailbox) bool { return strings.EqualFold(addr, mb.Username) })
}

func runTake(c *commandRun, _ command.Command) (string, error) { return assign(c, c.Sender) }

func assign(c *commandRun, addr string) (string, error) {
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	tk := c.Ticket
	if tk.Assignee == addr {
		return "Das Ticket ist bereits " + addr + " zugewiesen; nichts geändert.", nil
	}
	previous := tk.Assignee
	tk.Assignee = addr
	if tk.Status == store.StatusNew {
		tk.Status = store.StatusAssigned
	}
	c.Change("Das Ticket ist jetzt "+addr+" zugewiesen.",
		"Die zuständige IT-Sachbearbeitung bearbeitet Ihr Anliegen. Bei jeder Änderung erhalten Sie eine Nachricht.")
	if addr != c.Sender {
		if err := c.robot.notifyAssignee(c, addr); err != nil {
			return "", err
		}
	}
	if previous != "" && previous != c.Sender {
		if err := c.robot.notifyPreviousAssignee(c, previous); err != nil {
			return "", err
		}
	}
	text := "Zugewiesen an " + addr + "."
	if !slices.ContainsFunc(c.robot.rolesOf(nil, addr), func(r string) bool { return r == "it" || r == "it_leads" || r == "it_head" }) {
		text += " Hinweis: Diese Adresse hat keine IT-Rolle; sie darf die Befehle der zuständigen Person nur für dieses Ticket geben."
	}
	return text, nil
}

func runStatus(c *commandRun, cmd command.Command) (string, error) {
	tk := c.Ticket
	if cmd.Arg == "" || !c.robot.cmds.rolesAllow("status", c.Roles) {
		// A query; the text of someone who may not set the state is only
		// kept in the history.
		s := "Stand: " + templates.StatusName(tk.Status)
		if tk.Assignee != "" {
			s += ", zuständig: " + tk.Assignee
		}
		if tk.StatusText != "" {
			s += ", zuletzt: " + tk.StatusText
		}
		return s + ".", nil
	}
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	tk.StatusText = cmd.Arg
	c.message = cmd.Arg
	c.Change("Neuer Bearbeitungsstand: "+cmd.Arg, "")
	return "Bearbeitungsstand gesetzt und der anfragenden Person mitgeteilt.", nil
}

func runClose(c *commandRun, cmd command.Command) (string, error) {
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	c.Ticket.Status = store.StatusClosed
	// The closing text replaces the last #status text, which a later
	// status query would otherwise repeat as the current state.
	c.Ticket.StatusText = cmd.Arg
	if cmd.Arg != "" {
		c.message = cmd.Arg
	}
	c.Change("Das Ticket ist erledigt.",
		"Die IT hat die Bearbeitung abgeschlossen. Besteht das Problem weiter, antworten Sie bitte auf diese Mail; die IT kann das Ticket wieder eröffnen.")
	return "Ticket erledigt.", nil
}

func runReopen(c *commandRun, _ command.Command) (string, error) {
	tk := c.Ticket
	switch tk.Status {
	case store.StatusClosed, store.StatusWithdrawn, store.StatusDecided:
	case store.StatusMerged:
		return "", ensureOpen(c)
	default:
		return "Das Ticket ist offen (" + templates.StatusName(tk.Status) + "); nichts geändert.", nil
	}
	tk.Status = store.StatusNew
	if tk.Assignee != "" {
		tk.Status = store.StatusAssigned
	}
	c.Change("Das Ticket ist wieder eröffnet.", templates.NextStep(tk.Type))
	return "Ticket wieder eröffnet (" + templates.StatusName(tk.Status) + ").", nil
}

func runNote(c *commandRun, cmd command.Command) (string, error) {
	if cmd.Arg == "" {
		return "", reject("Die Notiz ist leer. Beispiel: #notiz Ersatzteil bestellt")
	}
	c.event(store.EventInternal, cmd.Arg)
	return "Interne Notiz gespeichert; sie geht nicht an die anfragende Person.", nil
}

func runEscalate(c *commandRun, cmd command.Command) (string, error) {
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	tk := c.Ticket
	if tk.Escalated {
		return "Das Ticket ist bereits eskaliert; nichts geändert.", nil
	}
	tk.Escalated = true
	reason := cmd.Arg
	if reason == "" {
		reason = "Eskalation ohne Angabe von Gründen."
	}
	// The framework's status mail tells the requester, so escalate does not.
	if err := c.robot.escalate(c.tx, tk, c.Sender, reason, false); err != nil {
		return "", err
	}
	// The reason may be internal: it goes into the history and the notice
	// to orga and the IT leads, not into the requester's status mail.
	c.Change("Das Ticket wurde eskaliert.", "Das Ticket kommt auf die Tagesordnung des nächsten JF IT/Amt 50.")
	return "Ticket eskaliert.", nil
}

func runWithdraw(c *commandRun, _ command.Command) (string, error) {
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	c.Ticket.Status = store.StatusWithdrawn
	c.Change("Das Ticket wurde von der anfragenden Person zurückgezogen.", "Die IT bearbeitet das Ticket nicht weiter.")
	return "Ticket zurückgezogen; die IT bearbeitet es nicht weiter.", nil
}

func runMerge(c *commandRun, cmd command.Command) (string, error) {
	if err := ensureOpen(c); err != nil {
		return "", err
	}
	n, err := store.ParseNumber(strings.Trim(cmd.Arg, " ."))
	if err != nil {
		return "", reject("%q ist keine Ticketnummer. Beispiel: #zusammenführen 2026-00042", cutArg(cmd.Arg))
	}
	target, err := c.robot.survivor(c.tx, n)
	if isNotFound(err) {
		return "", reject("Ein Ticket %s gibt es nicht.", n)
	}
	if err != nil {
		return "", err
	}
	src := c.Ticket
	if target.Number == src.Number {
		return "", reject("Ein Ticket lässt sich nicht mit sich selbst zusammenführen.")
	}
	// An open ticket merged into a finished one would end without anyone
	// working on it, so the finished ticket must be reopened first.
	switch target.Status {
	case store.StatusClosed, store.StatusWithdrawn:
		return "", reject("Ticket %s ist %s. Öffnen Sie es zuerst mit #wiedereröffnen (in einer Antwort zu Ticket %s) oder führen Sie umgekehrt Ticket %s mit diesem Ticket zusammen.",
			target.Number, templates.StatusName(target.Status), target.Number, target.Number)
	}

	// The survivor records the merge and takes the duplicate's requester
	// as a cc, so that person may keep writing.
	target.History = append(target.History, store.Event{At: c.Now, Kind: store.EventMerged, Actor: c.Sender,
		MessageID: c.msg.MessageID, Text: fmt.Sprintf("Ticket %s (%s, von %s) wurde hierher zusammengeführt.", src.Number, src.Subject, src.Requester)})
	if src.Requester != "" && !strings.EqualFold(src.Requester, target.Requester) {
		target.Cc = appendUnique(target.Cc, strings.ToLower(src.Requester))
		target.MergedRequesters = appendUnique(target.MergedRequesters, strings.ToLower(src.Requester))
	}
	for _, a := range src.MergedRequesters {
		if !strings.EqualFold(a, target.Requester) {
			target.Cc = appendUnique(target.Cc, a)
			target.MergedRequesters = appendUnique(target.MergedRequesters, a)
		}
	}
	target.Attachments = append(target.Attachments, src.Attachments...)
	target.Updated = c.Now
	if err := c.tx.PutTicket(target); err != nil {
		return "", err
	}

	// Tags and threads of the duplicate lead to the survivor, see survivor.
	src.Status, src.MergedInto = store.StatusMerged, target.Number
	tag := target.Number.Tag(c.robot.cfg.Tickets.Prefix)
	c.Change("Das Ticket wurde mit Ticket "+target.Number.String()+" zusammengeführt.",
		"Es geht bei Ticket "+target.Number.String()+" weiter; Antworten zu diesem Ticket landen dort. Bitte nennen Sie künftig "+tag+" im Betreff.")
	return "Zusammengeführt mit Ticket " + target.Number.String() + ".", nil
}

// survivor loads ticket n, following merges to the ticket that lives on.
func (r *Robot) survivor(tx *store.Tx, n store.Number) (*store.Ticket, error) {
	tk, err := tx.Ticket(n)
	for i := 0; err == nil && tk.Status == store.StatusMerged && !tk.MergedInto.IsZero() && i < 20; i++ {
		tk, err = tx.Ticket(tk.MergedInto)
	}
	return tk, err
}
