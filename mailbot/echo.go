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

// ownLines returns the lines of mailbot's own mails that the new text of
// msg may repeat without a ">" prefix, as auto-responders and some clients
// quote. They are taken from the mails msg names in In-Reply-To and
// References and from the ticket's latest mails to the sender.
func (r *Robot) ownLines(tx *store.Tx, tk *store.Ticket, msg *parse.Message, sender string) (map[string]bool, error) {
	own := map[string]bool{}
	add := func(m *store.OutMail) {
		for line := range strings.SplitSeq(m.Body, "\n") {
			if l := echoLine(line); l != "" {
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
// those that repeat mailbot's own text, so mailbot never runs its own
// mails: an auto-responder without robot headers that quotes a help list
// without ">" would otherwise withdraw or close the ticket. A command line
// is an echo when it is a help line of any command, or when it and the
// nearest non-blank line above or below it both stand in a mailbot mail
// the reply answers. The neighbour rule lets a person type a line that a
// mail suggested, such as "#aufgabe erledigt 3" from a reminder, above
// their own text. Commands from the subject (Line 0) are kept.
// NOTE: a line typed alone between lines copied from mailbot's mail still
// counts as an echo; the confirmation reports it as not run.
func (r *Robot) dropEchoes(tx *store.Tx, tk *store.Ticket, msg *parse.Message, sender, text string, cmds []command.Command) (typed, echoed []command.Command, err error) {
	if len(cmds) == 0 {
		return nil, nil, nil
	}
	own, err := r.ownLines(tx, tk, msg, sender)
	if err != nil {
		return nil, nil, err
	}
	help := map[string]bool{}
	for _, name := range commandOrder {
		help[echoLine(r.cmds.usage(name))] = true
		if q := r.cmds.queryUsage(name); q != "" {
			help[echoLine(q)] = true
		}
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := range lines {
		lines[i] = echoLine(lines[i])
	}
	for _, c := range cmds {
		if c.Line > 0 && c.Line <= len(lines) && (help[lines[c.Line-1]] || (own[lines[c.Line-1]] && neighbourOwn(lines, c.Line-1, own))) {
			echoed = append(echoed, c)
			continue
		}
		typed = append(typed, c)
	}
	return typed, echoed, nil
}

// neighbourOwn reports whether the nearest non-blank line above or below
// lines[i] is in own.
func neighbourOwn(lines []string, i int, own map[string]bool) bool {
	for _, step := range []int{-1, 1} {
		for j := i + step; j >= 0 && j < len(lines); j += step {
			if lines[j] != "" {
				if own[lines[j]] {
					return true
				}
				break
			}
		}
	}
	return false
}
