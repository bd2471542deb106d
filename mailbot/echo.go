package mailbot

import (
	"slices"
	"strings"

	"mailbot/command"
	"mailbot/parse"
	"mailbot/store"
)

// echoRecentMails is how many of a ticket's latest mailbot mails to the
// sender are searched for echoed lines, besides the mails the reply names
// in In-Reply-To and References.
const echoRecentMails = 10

// echoLine returns the form in which a line is compared with mailbot's own
// text: white space collapsed, lower case.
func echoLine(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " "))
}

// ownCommandLines returns the "#…" lines of mailbot's own mails that the
// new text of msg may repeat without a ">" prefix, as auto-responders and
// some clients quote. They are taken from the mails msg names in
// In-Reply-To and References and from the ticket's latest mails to the
// sender. The help lines of every command are always included.
func (r *Robot) ownCommandLines(tx *store.Tx, tk *store.Ticket, msg *parse.Message, sender string) (map[string]bool, error) {
	own := map[string]bool{}
	for _, name := range commandOrder {
		own[echoLine(r.cmds.usage(name))] = true
	}
	add := func(m *store.OutMail) {
		for line := range strings.SplitSeq(m.Body, "\n") {
			if l := echoLine(line); strings.HasPrefix(l, "#") {
				own[l] = true
			}
		}
	}
	for _, id := range slices.Concat(msg.InReplyTo, msg.References) {
		m, err := tx.OutMailByMessageID(id)
		if err != nil {
			return nil, err
		}
		if m != nil {
			add(m)
		}
	}
	if tk == nil {
		return own, nil
	}
	n := 0
	for i := len(tk.MessageIDs) - 1; i >= 0 && n < echoRecentMails; i-- {
		if !strings.HasPrefix(tk.MessageIDs[i], "mailbot.") {
			continue
		}
		m, err := tx.OutMailByMessageID(tk.MessageIDs[i])
		if err != nil {
			return nil, err
		}
		if m != nil && slices.ContainsFunc(m.To, func(a string) bool { return strings.EqualFold(a, sender) }) {
			add(m)
			n++
		}
	}
	return own, nil
}

// dropEchoes splits the commands of text into those the sender wrote and
// those whose whole line repeats a line of mailbot's own mails. mailbot
// never runs its own text: an auto-responder without robot headers that
// quotes a help list without ">" would otherwise withdraw or close the
// ticket. Commands from the subject (Line 0) are kept.
// NOTE: a person who types exactly a command line that mailbot's mail
// already showed (such as a requester's "#status" quoted in IT's notice)
// has that line dropped too; the confirmation reports it as not run.
func (r *Robot) dropEchoes(tx *store.Tx, tk *store.Ticket, msg *parse.Message, sender, text string, cmds []command.Command) (typed, echoed []command.Command, err error) {
	if len(cmds) == 0 {
		return nil, nil, nil
	}
	own, err := r.ownCommandLines(tx, tk, msg, sender)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for _, c := range cmds {
		if c.Line > 0 && c.Line <= len(lines) && own[echoLine(lines[c.Line-1])] {
			echoed = append(echoed, c)
			continue
		}
		typed = append(typed, c)
	}
	return typed, echoed, nil
}
