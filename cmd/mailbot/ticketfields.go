package main

import (
	"fmt"
	"io"
	"strings"

	"mailbot/store"
)

// printCommandFields prints the fields that commands set, each only when
// it is set.
func printCommandFields(w io.Writer, t *store.Ticket, prefix string) {
	if t.StatusText != "" {
		fmt.Fprintf(w, "Status text:\t%s\n", t.StatusText)
	}
	if t.Assignee != "" {
		fmt.Fprintf(w, "Assignee:\t%s\n", t.Assignee)
	}
	if t.Routing != "" {
		fmt.Fprintf(w, "Routing:\t%s\n", t.Routing)
	}
	if t.Escalated {
		fmt.Fprintf(w, "Escalated:\tyes\n")
	}
	if !t.MergedInto.IsZero() {
		fmt.Fprintf(w, "Merged into:\t%s-%s\n", prefix, t.MergedInto)
	}
	if len(t.Cc) > 0 {
		fmt.Fprintf(w, "Cc:\t%s\n", strings.Join(t.Cc, ", "))
	}
}
