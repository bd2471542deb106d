package main

import (
	"mailbot/store"
)

// ticketJSON is a ticket as `tickets show --json` prints it: the stored
// fields, with "number" as it always was (2026-00042), plus "tag", the
// number with the configured prefix as the text output shows it
// (IT-2026-00042). The history is always a list, never null.
type ticketJSON struct {
	*store.Ticket
	Tag string `json:"tag"`
}

// ticketListJSON is a ticket as `tickets list --json` prints it. The list
// carries no history, so the key is left out rather than printed as null.
type ticketListJSON struct {
	*store.Ticket
	Tag     string        `json:"tag"`
	History []store.Event `json:"history,omitempty"`
}

func showJSON(t *store.Ticket, prefix string) ticketJSON {
	c := *t
	if c.History == nil {
		c.History = []store.Event{}
	}
	return ticketJSON{Ticket: &c, Tag: prefix + "-" + t.Number.String()}
}

func listJSON(list []*store.Ticket, prefix string) []ticketListJSON {
	out := make([]ticketListJSON, len(list))
	for i, t := range list {
		out[i] = ticketListJSON{Ticket: t, Tag: prefix + "-" + t.Number.String()}
	}
	return out
}
