package mailbot

import (
	"fmt"
	"regexp"
	"strings"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/store"
	"mailbot/templates"
)

// BudgetItem is an approved item of the IT budget.
type BudgetItem struct {
	ID     string `json:"id"`     // reference written in orders, such as HH-2026-017
	Title  string `json:"title"`  // description of the approved purchase
	Amount string `json:"amount"` // approved amount as written in the register
	// Quantity is the number of pieces approved; 0 when not counted.
	Quantity int `json:"quantity,omitempty"`
}

// BudgetRegister lists the approved budget items. New sets Robot.Budget
// from the file registers.budget_items; without that file #budget replies
// that no register is configured.
type BudgetRegister interface {
	ApprovedItems(tx *store.Tx) ([]BudgetItem, error)
}

// BudgetLine is one approved item with the order tickets that refer to it.
type BudgetLine struct {
	Item   BudgetItem      `json:"item"`
	Orders []*store.Ticket `json:"orders"`
}

// BudgetView returns each approved item with the order tickets (type b)
// whose subject or first mail names the item's ID.
func BudgetView(tx *store.Tx, reg BudgetRegister) ([]BudgetLine, error) {
	items, err := reg.ApprovedItems(tx)
	if err != nil {
		return nil, fmt.Errorf("read approved budget items: %w", err)
	}
	lines := make([]BudgetLine, len(items))
	patterns := make([]*regexp.Regexp, len(items))
	lowerIDs := make([]string, len(items))
	for i, it := range items {
		lines[i].Item = it
		patterns[i] = idPattern(it.ID)
		lowerIDs[i] = strings.ToLower(it.ID)
	}
	// NOTE: this reads every order ticket with its history, so its cost
	// grows with the number of type b tickets, not with all tickets.
	err = tx.OrderTickets(func(tk *store.Ticket) bool {
		if !strings.HasPrefix(tk.Type, "b") {
			return true
		}
		text := tk.Subject + "\n" + firstText(tk)
		lowerText := strings.ToLower(text)
		for i := range lines {
			// Triage stores the item a mail names; older tickets are
			// found by the id in their text. The substring test skips
			// the slower whole-word pattern for most tickets.
			named := tk.BudgetItem != "" && strings.EqualFold(tk.BudgetItem, lines[i].Item.ID)
			mentioned := patterns[i] != nil && strings.Contains(lowerText, lowerIDs[i]) && patterns[i].MatchString(text)
			if named || mentioned {
				tk.History = nil
				lines[i].Orders = append(lines[i].Orders, tk)
			}
		}
		return true
	})
	return lines, err
}

// idPattern matches id as a whole word, so that item 2026-1 does not match
// a mention of 2026-14. It returns nil for an empty id.
func idPattern(id string) *regexp.Regexp {
	if id == "" {
		return nil
	}
	return regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}-])` + regexp.QuoteMeta(id) + `($|[^\p{L}\p{N}-])`)
}

// CommandBudget runs "#budget": the budget contact gets the approved items
// with their order tickets and states by mail.
func (r *Robot) CommandBudget(tx *store.Tx, from string) (string, error) {
	if !r.hasRole(from, rolesBudget...) {
		return "", r.rejectJF("not_allowed", templates.ReplyData{Command: "budget", Roles: roleList(rolesBudget)})
	}
	if r.Budget == nil {
		return "", r.rejectJF("budget_no_register", templates.ReplyData{})
	}
	lines, err := BudgetView(tx, r.Budget)
	if err != nil {
		return "", err
	}
	body, err := r.tmpl.Render(templates.Budget, budgetData(lines, r.cfg.Tickets.Prefix))
	if err != nil {
		return "", err
	}
	id, err := plainMessageID("budget", config.Domain(r.cfg.Mailboxes[0].Address))
	if err != nil {
		return "", err
	}
	m := &store.OutMail{Kind: "budget", MessageID: id, Date: r.Now(), FromName: r.cfg.SMTP.FromName,
		From: r.cfg.Mailboxes[0].Address, To: []string{strings.ToLower(from)}, Subject: "Freigegebene Budgetposten",
		Body: body, AutoSubmitted: "auto-replied"}
	if held, err := r.queueOwn(tx, m); err != nil {
		return "", err
	} else if held {
		return "", r.rejectJF("budget_held", templates.ReplyData{})
	}
	return r.replyJF("budget_sent", templates.ReplyData{Count: len(lines)})
}

// budgetData converts budget lines for the budget template.
func budgetData(lines []BudgetLine, prefix string) templates.BudgetData {
	var d templates.BudgetData
	for _, l := range lines {
		bl := templates.BudgetLineData{ID: l.Item.ID, Title: l.Item.Title, Amount: l.Item.Amount,
			Quantity: l.Item.Quantity}
		for _, tk := range l.Orders {
			bl.Orders = append(bl.Orders, templates.BudgetOrderData{Tag: tk.Number.Tag(prefix),
				Title: jourfixe.TicketTitle(tk), StatusName: jourfixe.StatusName(tk.Status)})
		}
		d.Lines = append(d.Lines, bl)
	}
	return d
}
