package rules

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"mailbot/register"
)

// MissingProject is listed when the announcement subject has no project
// name after the prefix.
const MissingProject = "ein Projektname im Betreff hinter „Vorklärung Projekt für IT/50-JF:“"

// facts are the details the engine reads from one mail before it tries
// the rules.
type facts struct {
	subject  string // subject without reply prefixes, as written
	nsubject string // the same, normalised
	text     string // normalised subject and new text
	triage   string // new text as written (plus a forwarded mail)

	// Pair sets of nsubject and text, built once both are final.
	nsubjectPairs, textPairs pairSet

	position, positionStatus string
	budgetID, budgetStatus   string
	budgetIDs                []string
	budget                   *register.BudgetItem
	quantity                 int // pieces the mail orders, or 0 when not stated
	app                      *register.Application
}

// Classify decides the process type of a mail. defaultType is the
// mailbox's fallback ("a", "b1", …, or "c").
func (e *Engine) Classify(in Input, defaultType string) Decision {
	f := e.facts(in)
	for i := range e.rules {
		r := &e.rules[i]
		d, ok := e.try(r, in, &f)
		if !ok {
			continue
		}
		if r.prefix != "" {
			a := CheckAnnouncement(f.triage)
			if d.Project == "" {
				a.Missing = append([]string{MissingProject}, a.Missing...)
			}
			d.Announcement = &a
		}
		return d
	}
	typ, sub := SplitType(defaultType)
	d := Decision{Type: typ, Subtype: sub, Rule: FallbackRule,
		Reason: fmt.Sprintf("Keine Regel hat diese Mail eindeutig eingeordnet; sie erhält vorläufig den Standardtyp des Postfachs %s (%s), und die IT prüft die Einordnung von Hand.", in.Mailbox, defaultType)}
	e.annotate(&d, &f)
	return d
}

// Candidates returns the ids of all rules whose conditions hold for the
// mail, in the order they are tried; the first decides. It helps an admin
// see which rules compete for a mail.
func (e *Engine) Candidates(in Input) []string {
	f := e.facts(in)
	var ids []string
	for i := range e.rules {
		if _, ok := e.try(&e.rules[i], in, &f); ok {
			ids = append(ids, e.rules[i].ID)
		}
	}
	return ids
}

// facts cuts the body to the text triage reads and looks up registers.
func (e *Engine) facts(in Input) facts {
	newText, quoted := Split(norm.NFC.String(in.Body))
	triage := newText
	if quoted != "" && (triage == "" || IsForward(in.Subject)) {
		// A forwarded request, or a mail with nothing but quoted text:
		// the forwarded mail is the request.
		triage = strings.TrimSpace(triage + "\n" + quoted)
	}
	f := facts{subject: StripReplyPrefixes(norm.NFC.String(in.Subject)), triage: triage}
	f.nsubject = Normalize(f.subject)
	f.text = f.nsubject + " " + Normalize(markLines(triage))
	f.nsubjectPairs.addPairs(f.nsubject)
	f.textPairs.addPairs(f.text)
	raw := f.subject + "\n" + triage

	if f.position = FindPosition(raw); f.position == "" {
		// The sender's position often stands only in the signature.
		f.position = FindPosition(in.Body)
	}
	if f.position != "" && e.regs != nil && len(e.regs.Positions) > 0 {
		switch p := e.regs.Position(f.position); {
		case p == nil:
			f.positionStatus = "unknown"
		case p.Planned:
			f.positionStatus = "planned"
		default:
			f.positionStatus = "unplanned"
		}
	}
	// Every item named must be approved without reservation: the first
	// that is not decides, else the first named.
	f.budgetIDs = findBudgetIDs(raw, e.regs)
	for i, id := range f.budgetIDs {
		b := e.regs.BudgetItem(id)
		status := "approved"
		switch {
		case b == nil:
			status = "unknown"
		case !b.Approved:
			status = "reserved"
		}
		if i == 0 || status != "approved" {
			f.budgetID, f.budget, f.budgetStatus = id, b, status
		}
		if status != "approved" {
			break
		}
	}
	if len(f.budgetIDs) > 0 {
		f.quantity = FindQuantity(raw)
	}
	f.app = findApplication(f.text, &f.textPairs, e.apps)
	return f
}

// try checks the conditions of r and returns its decision when all hold.
func (e *Engine) try(r *Rule, in Input, f *facts) (Decision, bool) {
	d := Decision{Type: r.Type, Subtype: r.Subtype, Rule: r.ID}
	if len(r.Mailboxes) > 0 && !containsFold(r.Mailboxes, in.Mailbox) {
		return d, false
	}
	if len(r.SenderRoles) > 0 && !anyFold(r.SenderRoles, in.SenderRoles) {
		return d, false
	}
	if len(r.NotSenderRoles) > 0 && anyFold(r.NotSenderRoles, in.SenderRoles) {
		return d, false
	}

	if r.prefix != "" {
		rest, ok := cutPrefix(f.subject, r.prefix)
		if !ok {
			return d, false
		}
		d.Project = strings.TrimSpace(rest)
		if strings.IndexFunc(d.Project, isWordRune) < 0 {
			// Only punctuation such as "…" or "?" names no project.
			d.Project = ""
		}
	}

	if len(r.subject) > 0 {
		m, ok := firstMatch(f.nsubject, &f.nsubjectPairs, r.subject)
		if !ok {
			return d, false
		}
		d.Matched = m
	}
	if len(r.any) > 0 {
		m, ok := firstMatch(f.text, &f.textPairs, r.any)
		if !ok {
			return d, false
		}
		d.Matched = m
	}
	for _, t := range r.all {
		if !t.mayOccur(&f.textPairs) || t.match(f.text) < 0 {
			return d, false
		}
	}
	if _, hit := firstMatch(f.text, &f.textPairs, r.none); hit {
		return d, false
	}

	if r.BudgetItem != "" && (f.budgetID == "" || r.BudgetItem != "named" && r.BudgetItem != f.budgetStatus) {
		return d, false
	}
	if r.Quantity != "" && !f.quantityIs(r.Quantity) {
		return d, false
	}
	if r.Position != "" && (f.position == "" || r.Position != "named" && r.Position != f.positionStatus) {
		return d, false
	}
	if r.Application != "" && f.app == nil {
		return d, false
	}

	e.annotate(&d, f)
	d.Reason, d.Cite = expand(r.Reason, &d), expand(r.Cite, &d)
	return d, true
}

// annotate copies what the mail names into the decision.
func (e *Engine) annotate(d *Decision, f *facts) {
	d.Position, d.PositionStatus = f.position, f.positionStatus
	d.BudgetID, d.BudgetStatus, d.Budget = f.budgetID, f.budgetStatus, f.budget
	if len(f.budgetIDs) > 1 {
		d.BudgetIDs = f.budgetIDs
	}
	d.Application = f.app
	d.Quantity = f.quantity
}

// quantityIs reports whether the quantity the mail states fits want:
// "above" or "within" the pieces of the one budget item named, or "named"
// for any stated quantity. Items without a quantity in the register, and
// mails naming several items, are neither above nor within.
// NOTE: the comparison is with the item's whole quantity; pieces that
// earlier tickets already ordered from it are not subtracted.
func (f *facts) quantityIs(want string) bool {
	if f.quantity == 0 {
		return false
	}
	if want == "named" {
		return true
	}
	if f.budget == nil || f.budget.Quantity <= 0 || len(f.budgetIDs) != 1 {
		return false
	}
	if want == "above" {
		return f.quantity > f.budget.Quantity
	}
	return f.quantity <= f.budget.Quantity
}

// expand fills the placeholders {budget_item}, {budget_title},
// {budget_quantity}, {budget_note}, {quantity}, {position}, {application}
// and {project} of a reason or citation.
func expand(s string, d *Decision) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var title, note, qty, asked, app string
	if d.Budget != nil {
		title, note = d.Budget.Title, d.Budget.Note
		if d.Budget.Quantity > 0 {
			qty = fmt.Sprint(d.Budget.Quantity)
		}
	}
	if d.Application != nil {
		app = d.Application.Name
	}
	if d.Quantity > 0 {
		asked = fmt.Sprint(d.Quantity)
	}
	return strings.NewReplacer("{quantity}", asked, "{budget_item}", d.BudgetID, "{budget_title}", title, "{budget_quantity}", qty,
		"{budget_note}", note, "{position}", d.Position, "{application}", app, "{project}", d.Project).Replace(s)
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(v string) bool { return strings.EqualFold(v, s) })
}

func anyFold(want, have []string) bool {
	for _, h := range have {
		if containsFold(want, h) {
			return true
		}
	}
	return false
}
