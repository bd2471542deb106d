// Package register loads the office's reference lists that triage consults:
// the approved IT budget items, the specialist applications with their
// responsibility model, and the positions of the staffing plan. Each list
// is a YAML or CSV file named in the configuration; the file extension
// (.yaml, .yml or .csv) selects the format.
package register

import (
	"fmt"
	"slices"
	"strings"
)

// BudgetItem is one item of the IT budget.
type BudgetItem struct {
	ID       string `yaml:"id"`       // as people write it, such as "2026-14"
	Title    string `yaml:"title"`    // what is bought
	Quantity int    `yaml:"quantity"` // number of pieces approved; 0 when not counted
	Amount   string `yaml:"amount"`   // approved amount as written, such as "4.000 €"; may be empty
	Owner    string `yaml:"owner"`    // address of the budget contact who owns the item
	// Approved is true when the item is approved without reservation, so
	// that an order from it is a simple order (process type b2).
	Approved bool `yaml:"approved"`
	// Note is the reason an item is not approved yet, for the requester.
	Note string `yaml:"note"`
}

// Responsibility models of a specialist application, from full
// responsibility of the office to complete support by IT.
const (
	ModelOffice = "office" // the office runs and supports the application itself
	ModelShared = "shared" // the office supports the application, IT runs the technology
	ModelIT     = "it"     // IT supports the application completely
)

// Application is one specialist application ("Fachanwendung").
type Application struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	Model   string   `yaml:"model"` // ModelOffice, ModelShared or ModelIT
	// Contacts are the office's addresses responsible for the application.
	Contacts []string `yaml:"contacts"`
	// ITContacts are the IT clerks for the application; empty means the
	// whole it role.
	ITContacts []string `yaml:"it_contacts"`
}

// Position is one position ("Stelle") of the staffing plan.
type Position struct {
	Number string `yaml:"number"` // such as "50.3.12"
	Title  string `yaml:"title"`
	// Planned is false for a position not yet planned, whose extra
	// equipment or licences need pre-clarification.
	Planned bool `yaml:"planned"`
}

// Set holds all registers. A nil *Set or an empty register is valid and
// finds nothing.
type Set struct {
	Budget       []BudgetItem
	Applications []Application
	Positions    []Position
}

// Files names the register files; an empty name means no such register.
type Files struct {
	BudgetItems  string
	Applications string
	Positions    string
}

// Load reads every register named in f.
func Load(f Files) (*Set, error) {
	s := &Set{}
	if f.BudgetItems != "" {
		if err := loadFile(f.BudgetItems, &s.Budget, budgetFromRow); err != nil {
			return nil, err
		}
	}
	if f.Applications != "" {
		if err := loadFile(f.Applications, &s.Applications, applicationFromRow); err != nil {
			return nil, err
		}
	}
	if f.Positions != "" {
		if err := loadFile(f.Positions, &s.Positions, positionFromRow); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Validate checks ids, names and models and reports all problems at once.
func (s *Set) Validate() error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	ids := map[string]bool{}
	for i, b := range s.Budget {
		switch {
		case strings.TrimSpace(b.ID) == "":
			add("budget_items[%d]: missing id", i)
		case ids[b.ID]:
			add("budget_items[%d]: id %q is used twice", i, b.ID)
		}
		ids[b.ID] = true
		if b.Quantity < 0 {
			add("budget_items[%d] (%s): quantity %d is negative", i, b.ID, b.Quantity)
		}
	}
	names := map[string]bool{}
	for i, a := range s.Applications {
		if strings.TrimSpace(a.Name) == "" {
			add("applications[%d]: missing name", i)
		}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			k := strings.ToLower(strings.TrimSpace(n))
			if k != "" && names[k] {
				add("applications[%d] (%s): name or alias %q is used twice", i, a.Name, n)
			}
			names[k] = true
		}
		switch a.Model {
		case ModelOffice, ModelShared, ModelIT:
		default:
			add("applications[%d] (%s): model %q is invalid, want office, shared or it", i, a.Name, a.Model)
		}
	}
	nums := map[string]bool{}
	for i, pos := range s.Positions {
		switch {
		case !positionNumber.MatchString(pos.Number):
			add("positions[%d]: number %q is invalid, want digits and dots such as 50.3.12", i, pos.Number)
		case nums[pos.Number]:
			add("positions[%d]: number %q is used twice", i, pos.Number)
		}
		nums[pos.Number] = true
	}
	if len(p) > 0 {
		return fmt.Errorf("invalid registers:\n  %s", strings.Join(p, "\n  "))
	}
	return nil
}

// BudgetItem returns the budget item with id, or nil.
func (s *Set) BudgetItem(id string) *BudgetItem {
	if s == nil {
		return nil
	}
	for i := range s.Budget {
		if strings.EqualFold(s.Budget[i].ID, id) {
			return &s.Budget[i]
		}
	}
	return nil
}

// Position returns the position with number, or nil.
func (s *Set) Position(number string) *Position {
	if s == nil {
		return nil
	}
	for i := range s.Positions {
		if s.Positions[i].Number == number {
			return &s.Positions[i]
		}
	}
	return nil
}

// ModelName returns the German name of a responsibility model.
func ModelName(model string) string {
	switch model {
	case ModelOffice:
		return "Vollverantwortung des Fachamts"
	case ModelShared:
		return "Fachamt betreut die Anwendung, IT betreibt die Technik"
	case ModelIT:
		return "Komplettsupport durch die IT"
	}
	return model
}

// Responsible returns the addresses a support ticket about a is sent to
// under its responsibility model. itRole replaces an empty ITContacts
// list, and empty Contacts under ModelOffice.
func (a *Application) Responsible(itRole []string) []string {
	it := a.ITContacts
	if len(it) == 0 {
		it = itRole
	}
	switch a.Model {
	case ModelOffice:
		if len(a.Contacts) > 0 {
			return dedupe(a.Contacts)
		}
		return dedupe(it)
	case ModelShared:
		return dedupe(append(append([]string{}, a.Contacts...), it...))
	}
	return dedupe(it)
}

// dedupe drops empty and repeated addresses, compared without case.
func dedupe(list []string) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		a = strings.TrimSpace(a)
		if a != "" && !slices.ContainsFunc(out, func(b string) bool { return strings.EqualFold(a, b) }) {
			out = append(out, a)
		}
	}
	return out
}
