package mailbot

import (
	"slices"
	"strings"
	"unicode"

	"mailbot/parse"
	"mailbot/store"
	"mailbot/templates"
)

// kindReplyHint is the kind of the hint that answers a reply to a mail of
// no ticket.
const kindReplyHint = "reply_hint"

// noTicketLabels are the Message-ID labels, as in mailbot.list.<random>,
// of mailbot's mails that belong to no ticket. Agenda mails have their own
// answer (answerAgendaReply). A task reminder (mailbot.task.N.<random>)
// stays out of its ticket's thread, so a reply to it without commands is
// answered here; "#aufgabe erledigt N" in it runs before, as a jour fixe
// command.
var noTicketLabels = map[string]bool{
	"list": true, "help": true, "alert": true, "quarantine": true, "budget": true,
	"confirm": true, "bounce": true, "agenda_reply": true, kindReplyHint: true, "task": true, kindDigest: true,
}

// silentLabels are the labels of mails that mailbot sends in reply to a
// reply. A reply to one of them gets no second hint, so no loop can start.
var silentLabels = map[string]bool{"agenda_reply": true, kindReplyHint: true}

// noTicketReplied returns the labels of mailbot's mails of no ticket that
// msg names in In-Reply-To or References, sent from a domain of the
// robot's mailboxes.
func (r *Robot) noTicketReplied(msg *parse.Message) []string {
	var labels []string
	for _, id := range append(append([]string(nil), msg.InReplyTo...), msg.References...) {
		local, domain, found := strings.Cut(id, "@")
		rest, own := strings.CutPrefix(local, "mailbot.")
		if !found || !own || !r.ownDomain(domain) {
			continue
		}
		label, _, _ := strings.Cut(rest, ".")
		if noTicketLabels[label] {
			labels = append(labels, label)
		}
	}
	return labels
}

// repliesToHint reports whether msg replies to a mail that itself
// answered a reply, such as the hint of answerNoTicketReply.
func (r *Robot) repliesToHint(msg *parse.Message) bool {
	for _, label := range r.noTicketReplied(msg) {
		if silentLabels[label] {
			return true
		}
	}
	return false
}

// listReplyTicket returns the ticket that a reply to a status list or to
// the digest of new tickets names by its tag or number in its new text. It returns
// nil unless msg replies to such a mail and names exactly one existing
// ticket.
func (r *Robot) listReplyTicket(tx *store.Tx, msg *parse.Message) (*store.Ticket, error) {
	labels := r.noTicketReplied(msg)
	if !slices.Contains(labels, "list") && !slices.Contains(labels, kindDigest) {
		return nil, nil
	}
	var numbers []store.Number
	text := parse.NewText(msg.Text)
	for _, m := range cachedTagPattern(r.cfg.Tickets.Prefix).FindAllStringSubmatch(text, -1) {
		n, err := store.ParseNumber(m[1] + "-" + m[2])
		if err == nil && !containsNumber(numbers, n) {
			numbers = append(numbers, n)
		}
	}
	// The number as mailbot's mails write it, 2026-00042, counts too,
	// when such a ticket exists: other numbers of that shape are text.
	for _, s := range ticketNumberText.FindAllString(text, -1) {
		n, err := store.ParseNumber(s)
		if err != nil || containsNumber(numbers, n) {
			continue
		}
		if _, err := tx.Ticket(n); err == nil {
			numbers = append(numbers, n)
		} else if !isNotFound(err) {
			return nil, err
		}
	}
	if len(numbers) != 1 {
		return nil, nil
	}
	tk, err := r.survivor(tx, numbers[0])
	if isNotFound(err) {
		return nil, nil
	}
	return tk, err
}

func containsNumber(list []store.Number, n store.Number) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

// answerNoTicketReply handles msg, a reply without commands to a mail of
// no ticket, without making a ticket. A thank-you, an empty reply or a
// reply to an earlier hint is filed silently. Any other reply gets a short
// hint to write new requests as new mails. It reports false when msg
// replies to no such mail.
func (r *Robot) answerNoTicketReply(tx *store.Tx, in Incoming, msg *parse.Message, rec *store.UIDRecord) (bool, error) {
	labels := r.noTicketReplied(msg)
	if len(labels) == 0 {
		return false, nil
	}

	if r.repliesToHint(msg) {
		rec.Outcome, rec.Reason = store.OutcomeIgnored, "reply to mailbot's hint of no ticket: filed without answer"
		return true, nil
	}
	list := slices.Contains(labels, "list")
	if isThanks(parse.NewText(msg.Text)) {
		rec.Outcome, rec.Reason = store.OutcomeIgnored, "thanks or empty reply to mailbot's "+labels[0]+" mail: filed without answer"
		return true, nil
	}

	d := templates.ReplyHintData{Subject: strings.TrimSpace(replyPrefixes.ReplaceAllString(msg.Subject, "")),
		Address: in.Mailbox.Address, List: list, Digest: slices.Contains(labels, kindDigest),
		TagExample: store.Number{Year: r.Now().Year(), Seq: 42}.Tag(r.cfg.Tickets.Prefix)}
	if d.Subject == "" {
		d.Subject = "(ohne Betreff)"
	}
	body, err := r.tmpl.Render(templates.ReplyHint, d)
	if err != nil {
		return true, err
	}
	rec.Outcome, rec.Reason = store.OutcomeAnswered, "reply to mailbot's "+labels[0]+" mail of no ticket: hint sent, no ticket"
	r.log.Info("reply to a mail of no ticket answered", "mailbox", in.Mailbox.Name, "uid", in.UID, "msgid", msg.MessageID,
		"label", labels[0])
	return true, r.answerWithoutTicket(tx, in, msg, kindReplyHint, "Bitte neue Anliegen als neue Mail senden", body)
}

// thanksWords start the words that make a short reply a thank-you.
var thanksWords = []string{"dank", "thank", "thx", "merci"}

// maxThanksWords is the maximum number of words of a thank-you. A longer
// reply may carry a request.
const maxThanksWords = 8

// isThanks reports whether text is empty or a short thank-you, such as
// "Danke!" or "Vielen Dank, Gruß Anna".
func isThanks(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })
	if len(words) == 0 {
		return true
	}
	if len(words) > maxThanksWords || strings.Contains(text, "?") {
		return false
	}
	for _, w := range words {
		// Compounds written together, such as "Vielendank", end in "dank".
		if strings.HasSuffix(w, "dank") {
			return true
		}
		for _, t := range thanksWords {
			if strings.HasPrefix(w, t) {
				return true
			}
		}
	}
	return false
}
