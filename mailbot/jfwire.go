package mailbot

import (
	"errors"
	"strconv"
	"strings"

	"mailbot/command"
	"mailbot/config"
	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// The jour fixe commands in the command table. Their handlers live in
// jfcommands.go and budgetview.go and check roles themselves as well,
// because some depend on more than a role (the participants of a series,
// the owner of a task).

var (
	rolesAgenda  = []string{"it_head", "it_leads", "orga", "budget", "digi", "it"}
	rolesTaskCmd = append(append([]string(nil), rolesTask...), config.RoleAssignee)
)

func init() {
	registerCommand(commandSpec{Name: "agenda", Words: []string{"agenda", "tagesordnung"}, Roles: rolesAgenda,
		Usage: "#agenda [it|digi]", Help: "schickt Ihnen die Tagesordnung des nächsten Jour fixe, an dem Sie teilnehmen",
		Run: func(c *commandRun, cmd command.Command) (string, error) {
			return fromJF(c.robot.CommandAgenda(c.tx, c.Sender, cmd.Arg))
		}})
	registerCommand(commandSpec{Name: "decision", Words: []string{"beschluss"}, Roles: rolesDecide,
		Usage: "#beschluss freigegeben|abgelehnt|vertagt [TEXT]", Help: "hält den verbindlichen Beschluss des Jour fixe zu diesem Ticket fest",
		Run: runDecision})
	registerCommand(commandSpec{Name: "task", Words: []string{"aufgabe"}, Roles: rolesTaskCmd,
		Usage: "#aufgabe ADRESSE WAS [mit ADRESSE] [bis TT.MM.JJJJ] | #aufgabe erledigt NR",
		Help:  "legt eine Aufgabe für den Jour fixe IT/Amt 50 an oder schließt sie",
		Run: func(c *commandRun, cmd command.Command) (string, error) {
			return fromJF(c.robot.CommandAufgabe(c.tx, c.Ticket, c.Sender, cmd.Arg))
		}})
	registerCommand(commandSpec{Name: "budget", Words: []string{"budget"}, Roles: rolesBudget,
		Usage: "#budget", Help: "schickt Ihnen die freigegebenen Budgetposten mit ihren Bestellungen",
		Run: func(c *commandRun, _ command.Command) (string, error) {
			return fromJF(c.robot.CommandBudget(c.tx, c.Sender))
		}})
}

// fromJF turns a jour fixe handler's *Rejection into the command table's
// rejection.
func fromJF(text string, err error) (string, error) {
	var rj *Rejection
	if errors.As(err, &rj) {
		return "", reject("%s", rj.Text)
	}
	return text, err
}

func runDecision(c *commandRun, cmd command.Command) (string, error) {
	text, err := fromJF(c.robot.CommandBeschluss(c.tx, c.Ticket, c.Sender, cmd.Arg))
	if err == nil {
		// The decision mail went to the requester already.
		c.requesterInformed = true
	}
	return text, err
}

// jourFixeCommandNames are the commands a mail may carry without
// belonging to a ticket.
var jourFixeCommandNames = map[string]bool{"agenda": true, "budget": true, "task": true}

// answerJourFixeMail runs the jour fixe commands of a mail that belongs to
// no ticket, such as "#agenda" or "#budget" sent on its own, and queues a
// confirmation to the sender. It reports false, changing nothing, when the
// mail is not such a mail: it has other text commands, none at all, or a
// sender without a role who is not closing their own task.
func (r *Robot) answerJourFixeMail(tx *store.Tx, in Incoming, msg *parse.Message) (bool, error) {
	text := parse.NewText(msg.Text)
	sender := strings.ToLower(msg.From.Addr)
	cmds, _ := command.Parse(text, r.cmds.vocab)
	cmds = append(command.ParseSubject(msg.Subject, r.cmds.vocab), cmds...)
	// Lines quoted from mailbot's own mails never run, nor do commands
	// of a mail whose sender is ambiguous.
	cmds, _, err := r.dropEchoes(tx, nil, msg, sender, text, cmds)
	if err != nil || len(cmds) == 0 || senderProblem(msg) != "" {
		return false, err
	}
	for _, cmd := range cmds {
		if !jourFixeCommandNames[cmd.Name] {
			return false, nil
		}
	}

	if len(r.rolesOf(nil, sender)) == 0 {
		// Without a role only the owner of a task may close it, such as
		// by replying to its reminder.
		owns, err := closesOwnTasks(tx, sender, cmds)
		if err != nil || !owns {
			return false, err
		}
	}

	var lines []string
	for _, cmd := range cmds {
		var reply string
		var err error
		switch cmd.Name {
		case "agenda":
			reply, err = r.CommandAgenda(tx, sender, cmd.Arg)
		case "budget":
			reply, err = r.CommandBudget(tx, sender)
		case "task":
			reply, err = r.CommandAufgabe(tx, nil, sender, cmd.Arg)
		}
		var rj *Rejection
		switch {
		case errors.As(err, &rj):
			reply, err = r.replyJF("not_run", templates.ReplyData{Value: rj.Text})
			if err != nil {
				return false, err
			}
		case err != nil:
			return false, err
		}
		lines = append(lines, written(cmd)+"\n"+reply)
	}

	id, err := plainMessageID("confirm", config.Domain(in.Mailbox.Address))
	if err != nil {
		return false, err
	}
	body, err := r.tmpl.Render(templates.CommandReply, templates.CommandReplyData{Results: lines})
	if err != nil {
		return false, err
	}
	m := &store.OutMail{Kind: "confirm", MessageID: id, Date: r.Now(), FromName: r.cfg.SMTP.FromName, From: in.Mailbox.Address,
		To: []string{sender}, Subject: "Ihre Befehle an das Ticketsystem", AutoSubmitted: "auto-replied", Body: body}
	if msg.MessageID != "" {
		m.InReplyTo = msg.MessageID
		m.References = trimReferences(append(append([]string(nil), msg.References...), msg.MessageID))
	}
	if held, err := r.applyBrakes(tx, nil, m); err != nil || held {
		return true, err
	}
	return true, tx.Enqueue(m)
}

// routingSeries maps the routing outcomes that need a meeting to its series.
var routingSeries = map[string]string{store.RoutingITJF: config.SeriesIT, store.RoutingDigi: config.SeriesDigi}

// closesOwnTasks reports whether every command is "#aufgabe erledigt N"
// for an open task that sender owns.
func closesOwnTasks(tx *store.Tx, sender string, cmds []command.Command) (bool, error) {
	for _, cmd := range cmds {
		fields := strings.Fields(cmd.Arg)
		if cmd.Name != "task" || len(fields) != 2 || !strings.EqualFold(fields[0], "erledigt") {
			return false, nil
		}
		id, err := strconv.ParseUint(strings.TrimPrefix(fields[1], "#"), 10, 64)
		if err != nil {
			return false, nil
		}
		t, err := tx.Task(id)
		if errors.Is(err, store.ErrNoTask) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if !strings.EqualFold(t.Owner, sender) {
			return false, nil
		}
	}
	return true, nil
}
