package mailbot

import (
	"fmt"
	"strings"

	"mailbot/command"
	"mailbot/parse"
	"mailbot/store"
)

// followUp files a person's mail on its ticket. Only the new text of the
// reply counts. Its commands run in order when the sender holds the roles,
// and the text around them is the comment. The sender gets a confirmation
// and the requester a status mail about any change. IT gets a notice of
// mail from the requester's side.
func (r *Robot) followUp(tx *store.Tx, in Incoming, msg *parse.Message, tk *store.Ticket) error {
	now := r.Now()
	sender := strings.ToLower(msg.From.Addr)
	roles := r.rolesOf(tk, sender)
	text := parse.NewText(msg.Text)
	cmds, comment := command.Parse(text, r.cmds.vocab)
	cmds = append(r.subjectCommands(tk, msg), cmds...)
	tk.Attachments = append(tk.Attachments, attachments(msg)...)
	tk.Updated = now
	tk.MessageIDs = appendUnique(tk.MessageIDs, msg.MessageID)
	run := &commandRun{robot: r, tx: tx, Ticket: tk, msg: msg, mailbox: in.Mailbox, Sender: sender, Roles: roles, Now: now, comment: comment}
	r.completeAnnouncement(tk, roles, text)
	cmds, echoed, err := r.dropEchoes(tx, tk, msg, sender, text, cmds)
	if err != nil {
		return err
	}
	// Echoed and spaced lines are reported one by one, so they are capped
	// like commands: an echo of a long help list stays a short answer.
	echoed, echoedSkipped := capCommands(echoed, r.cfg.Commands.MaxPerMail)
	for _, cmd := range echoed {
		run.event(store.EventDenied, written(cmd)+": "+echoReason)
	}
	spaced, spacedSkipped := capCommands(command.ParseSpaced(text, r.cmds.vocab), r.cfg.Commands.MaxPerMail)

	if len(roles) == 0 {
		// Correspondence from an outside sender: kept, never obeyed.
		run.event(store.EventOutside, text)
		if len(cmds) > 0 {
			run.event(store.EventDenied, fmt.Sprintf("%d Befehl(e) nicht ausgeführt: außenstehender Absender", len(cmds)))
		}
		return r.notifyFollowUp(tx, tk, in.Mailbox, msg, text, nil)
	}
	if len(cmds) == 0 && len(spaced) == 0 {
		run.event(store.EventMailIn, text)
		if itSide(roles) {
			return nil
		}
		return r.notifyFollowUp(tx, tk, in.Mailbox, msg, text, roles)
	}

	run.event(store.EventMailIn, comment)
	cmds, skipped := capCommands(cmds, r.cfg.Commands.MaxPerMail)
	skipped += echoedSkipped + spacedSkipped
	if skipped > 0 {
		run.event(store.EventDenied, fmt.Sprintf("Befehlszeilen über die Höchstzahl von %d je Mail hinaus nicht ausgeführt: %d", r.cfg.Commands.MaxPerMail, skipped))
	}
	var results []commandResult
	if problem := senderProblem(msg); problem != "" {
		for _, cmd := range cmds {
			results = append(results, commandResult{cmd: cmd, text: "Nicht ausgeführt: " + problem})
			run.event(store.EventDenied, written(cmd)+": "+problem)
		}
	} else if id := r.cfg.Commands.TrustedAuthservID; id != "" && !senderVerified(msg, id) {
		for _, cmd := range cmds {
			results = append(results, commandResult{cmd: cmd,
				text: "Nicht ausgeführt: Der Absender ist nicht bestätigt (keine gültige DMARC- oder DKIM-Prüfung durch " + id + ")."})
			run.event(store.EventDenied, written(cmd)+": Absender nicht bestätigt (DMARC/DKIM)")
		}
	} else {
		var err error
		if results, err = run.run(cmds); err != nil {
			return err
		}
	}
	for _, cmd := range echoed {
		results = append(results, commandResult{cmd: cmd, text: "Nicht ausgeführt: " + echoReason})
	}
	for _, cmd := range spaced {
		text := fmt.Sprintf("Nicht ausgeführt: Zwischen # und %s steht ein Leerzeichen; so gilt die Zeile als Text. Bitte schreiben Sie #%s ohne Leerzeichen.", cmd.Keyword, cmd.Keyword)
		run.event(store.EventDenied, "# "+written(cmd)[1:]+": Leerzeichen nach #, nicht ausgeführt")
		cmd.Keyword = " " + cmd.Keyword // shown as written: "# notiz"
		results = append(results, commandResult{cmd: cmd, text: text})
	}
	run.skipped = skipped
	if err := r.sendConfirmation(run, results, comment != ""); err != nil {
		return err
	}
	if err := r.sendStatus(run); err != nil {
		return err
	}
	if itSide(roles) {
		return nil
	}
	// IT hears of a requester's command mail when it changed the ticket
	// or carries text; a bare #hilfe or refused command is only history.
	if len(run.changes) == 0 && comment == "" {
		return nil
	}
	return r.notifyCommands(tx, tk, in.Mailbox, msg, comment, roles, results)
}

// echoReason is the German reason a repeated line of mailbot's text is
// not run.
const echoReason = "Diese Zeile gilt als zitiert, weil sie so in einer Mail des Ticketsystems steht. " +
	"Ist sie als Befehl gemeint, schreiben Sie bitte nur den Befehl über Ihren eigenen Text."

// capCommands keeps the first limit commands and returns how many it
// dropped.
func capCommands(cmds []command.Command, limit int) ([]command.Command, int) {
	if limit < 1 || len(cmds) <= limit {
		return cmds, 0
	}
	return cmds[:limit], len(cmds) - limit
}

// subjectCommands returns the commands in the subject of msg, leaving out
// those the ticket's own subject carries: replies repeat the subject, and
// a word in the original request must not run again with every reply.
func (r *Robot) subjectCommands(tk *store.Ticket, msg *parse.Message) []command.Command {
	own := map[string]bool{}
	for _, c := range command.ParseSubject(tk.Subject, r.cmds.vocab) {
		own[c.Name] = true
	}
	var out []command.Command
	for _, c := range command.ParseSubject(msg.Subject, r.cmds.vocab) {
		if !own[c.Name] {
			out = append(out, c)
		}
	}
	return out
}

// ccOf returns the Cc addresses of a new ticket's first mail, without
// mailbot's own addresses. They may follow up and ask for the state.
func (r *Robot) ccOf(msg *parse.Message) []string {
	var cc []string
	for _, a := range msg.Cc {
		addr := strings.ToLower(a.Addr)
		if addr != "" && !r.ownAddrs[addr] {
			cc = appendUnique(cc, addr)
		}
	}
	return cc
}
