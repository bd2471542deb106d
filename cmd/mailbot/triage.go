package main

import (
	"fmt"
	"io"
	"strings"

	"mailbot/store"
)

// printTriage writes the triage details of t as tab-separated lines,
// leaving out those the mail did not name.
func printTriage(w io.Writer, t *store.Ticket) {
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%s:\t%s\n", label, value)
		}
	}
	withStatus := func(value, status string) string {
		if value == "" || status == "" {
			return value
		}
		return value + " (" + status + ")"
	}
	line("Cited rule", t.Cite)
	line("Position", withStatus(t.Position, t.PositionStatus))
	line("Application", withStatus(t.Application, t.Responsibility))
	line("Responsible", strings.Join(t.Responsible, ", "))
	budget := t.BudgetItem
	if t.BudgetTitle != "" {
		budget += " " + t.BudgetTitle
	}
	line("Budget item", withStatus(budget, t.BudgetStatus))
	if a := t.Announcement; a != nil {
		urgency := a.Urgency
		if urgency == "" {
			urgency = "not stated"
		}
		line("Announcement", fmt.Sprintf("description %s, urgency %s, sketch %s",
			present(a.Description), urgency, present(a.Sketch)))
		for _, m := range a.Missing {
			line("Missing", m)
		}
	}
}

func present(ok bool) string {
	if ok {
		return "present"
	}
	return "missing"
}
