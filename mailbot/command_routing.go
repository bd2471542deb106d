package mailbot

import (
	"slices"
	"strings"

	"mailbot/command"
	"mailbot/store"
	"mailbot/templates"
)

// The three routing outcomes of a mini-project announcement (type c).
// Each goes, with the ticket number, to the orga contact and the
// digitalisation mailbox, plus the budget contact for a direct order and
// the digitalisation unit for a digitalisation project.

func init() {
	leads := []string{"it_leads", "it_head"}
	registerCommand(commandSpec{Name: "digi", Words: []string{"digi", "digitalisierung", "digitalisierungsprojekt"}, Roles: leads,
		Usage: "#digi", Help: "Vorklärung: Digitalisierungsprojekt, weiter an die Digitalisierung (JF Digitalisierung/Amt 50)", Run: routeTo(store.RoutingDigi)})
	registerCommand(commandSpec{Name: "order", Words: []string{"bestellung", "direktbestellung"}, Roles: leads,
		Usage: "#bestellung", Help: "Vorklärung: Direktbestellung durch die IT-Budgetverantwortlichen", Run: routeTo(store.RoutingOrder)})
	registerCommand(commandSpec{Name: "itjf", Words: []string{"itjf", "jfit", "jourfixe"}, Roles: leads,
		Usage: "#itjf", Help: "Vorklärung: Besprechung im JF IT/Amt 50", Run: routeTo(store.RoutingITJF)})
	registerCommand(commandSpec{Name: "help", Words: []string{"hilfe"}, Roles: anyoneRoles,
		Usage: "#hilfe", Help: "listet die Befehle, die Sie verwenden können", Run: runHelp})
}

func runHelp(c *commandRun, _ command.Command) (string, error) {
	c.help = true
	return "Die Befehle, die Sie verwenden können, stehen unten.", nil
}

func routeTo(routing string) func(*commandRun, command.Command) (string, error) {
	return func(c *commandRun, cmd command.Command) (string, error) {
		tk := c.Ticket
		if tk.Type != "c" {
			return "", reject("Die Entscheidung über eine Vorklärung gibt es nur bei Prozesstyp c. Ändern Sie den Typ zuerst mit #typ c.")
		}
		if err := ensureOpen(c); err != nil {
			return "", err
		}
		if tk.Routing == routing {
			return "Die Entscheidung ist bereits " + templates.RoutingName(routing) + "; nichts geändert.", nil
		}
		// A changed decision also goes to those told of the earlier one,
		// such as the digitalisation unit after #digi, so nobody works on
		// an outcome that no longer holds.
		previous := tk.Routing
		earlier := c.robot.routingRecipients(tk)
		tk.Routing, tk.Status = routing, store.StatusDecided
		change := "Entscheidung zur Vorklärung: " + templates.RoutingName(routing) + "."
		if previous != "" {
			change = "Entscheidung zur Vorklärung geändert von " + templates.RoutingName(previous) + " auf " + templates.RoutingName(routing) + "."
		} else {
			earlier = nil
		}
		c.Change(change, templates.RoutingNext(routing))
		if err := c.robot.sendRouting(c, cmd, previous, earlier); err != nil {
			return "", err
		}
		if series := routingSeries[routing]; series != "" {
			if err := c.robot.RouteToJourFixe(c.tx, tk, series, c.Sender); err != nil {
				return "", err
			}
		} else if routingSeries[previous] != "" {
			if err := dropProjectFromAgenda(c); err != nil {
				return "", err
			}
		}
		text := "Entschieden: " + templates.RoutingName(routing) + "."
		if previous != "" {
			text += " Die frühere Entscheidung " + templates.RoutingName(previous) + " gilt nicht mehr."
		}
		return text + " Mitgeteilt an " + strings.Join(mergeAddrs(c.robot.routingRecipients(tk), earlier), ", ") + ".", nil
	}
}

// routingRecipients returns who is told a routing outcome: the orga role,
// the digitalisation mailbox, the budget or digi role as the outcome asks,
// and the requester.
func (r *Robot) routingRecipients(tk *store.Ticket) []string {
	var to []string
	add := func(list ...string) {
		for _, a := range list {
			a = strings.ToLower(a)
			if a != "" && !slices.Contains(to, a) {
				to = append(to, a)
			}
		}
	}
	add(r.cfg.Roles.Orga...)
	if mb := r.digiMailbox(); mb != nil {
		add(mb.Address)
	}
	switch tk.Routing {
	case store.RoutingOrder:
		add(r.cfg.Roles.Budget...)
	case store.RoutingDigi:
		add(r.cfg.Roles.Digi...)
	}
	add(tk.Requester)
	return to
}

// dropProjectFromAgenda takes a re-routed mini-project off the jour fixe
// agenda its earlier decision put it on. An item there for another reason,
// such as an escalation, stays.
func dropProjectFromAgenda(c *commandRun) error {
	tk := c.Ticket
	item, err := c.tx.AgendaItem(tk.Number)
	if err != nil || item == nil || item.Reason != store.AgendaProject {
		return err
	}
	if err := c.tx.DeleteAgendaItem(tk.Number); err != nil {
		return err
	}
	tk.History = append(tk.History, store.Event{At: c.Now, Kind: store.EventNote, Actor: c.Sender,
		Text: "Von der Tagesordnung genommen, weil die Entscheidung geändert wurde: " + c.robot.seriesTitle(item.Series) + "."})
	return nil
}

// mergeAddrs returns the addresses of a followed by those of b not in a.
func mergeAddrs(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.ContainsFunc(out, func(y string) bool { return strings.EqualFold(x, y) }) {
			out = append(out, x)
		}
	}
	return out
}

// sendRouting queues the routing outcome mail in the ticket's thread.
// previous names the outcome it replaces, and earlier who was told of that
// one; both are empty for a first decision.
func (r *Robot) sendRouting(c *commandRun, cmd command.Command, previous string, earlier []string) error {
	tk := c.Ticket
	data := templates.OutcomeData{
		Number: tk.Number.String(), Tag: tk.Number.Tag(r.cfg.Tickets.Prefix), Subject: tk.Subject, Project: tk.Project,
		Requester: tk.Requester, OutcomeName: templates.RoutingName(tk.Routing), Next: templates.RoutingNext(tk.Routing),
		Actor: c.Sender, ActorRole: actorRole(c.Roles), Message: cmd.Arg,
	}
	if previous != "" {
		data.Previous = templates.RoutingName(previous)
	}
	body, err := r.tmpl.Render(templates.Outcome, data)
	if err != nil {
		return err
	}
	to := mergeAddrs(r.routingRecipients(tk), earlier)
	m := r.threadMail(tk, c.mailbox, "routing", to, data.Tag+" Entscheidung zur Vorklärung: "+tk.Subject, body)
	if slices.Contains(to, strings.ToLower(tk.Requester)) {
		c.requesterInformed = true
	}
	return r.enqueue(c.tx, tk, m)
}
