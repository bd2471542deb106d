package store

// Triage holds what triage read from the mail that opened a ticket, beyond
// its process type. Ticket embeds it, so its fields appear at the top
// level of the ticket's JSON.
type Triage struct {
	// Cite is the rule of the rulebook the acknowledgement quoted.
	Cite string `json:"cite,omitempty"`
	// Position is the staffing-plan number the mail names, such as
	// "50.3.12"; equipment is tracked by position, not by person.
	Position       string `json:"position,omitempty"`
	PositionStatus string `json:"position_status,omitempty"` // planned, unplanned or unknown per the register
	// Application is the specialist application the mail names, with its
	// responsibility model and the addresses the notice went to.
	Application    string   `json:"application,omitempty"`
	Responsibility string   `json:"responsibility,omitempty"` // office, shared or it
	Responsible    []string `json:"responsible,omitempty"`
	// BudgetItem is the IT budget item id the mail names.
	BudgetItem   string `json:"budget_item,omitempty"`
	BudgetTitle  string `json:"budget_title,omitempty"`
	BudgetStatus string `json:"budget_status,omitempty"` // approved, reserved or unknown per the register
	// Announcement is the check of a mini-project announcement.
	Announcement *Announcement `json:"announcement,omitempty"`
}

// Announcement records which parts a mini-project announcement has.
type Announcement struct {
	Description bool     `json:"description"`
	Urgency     string   `json:"urgency,omitempty"` // it-jf, digi-jf, or empty when not stated
	Sketch      bool     `json:"sketch"`
	Missing     []string `json:"missing,omitempty"` // German, as listed in the acknowledgement
}
