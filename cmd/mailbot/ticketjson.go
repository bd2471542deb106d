package main

import (
	"mailbot/store"
)

// ticketJSON is a ticket as `tickets show --json` prints it: the stored
// fields, with "number" as it always was (2026-00042), plus "tag", the
// number with the configured prefix as the text output shows it
// (IT-2026-00042). The history and every other list field is always a
// list, never null or left out, although the store omits empty ones.
// The fields below shadow those of the embedded ticket with the same
// JSON name, because encoding/json prefers the shallower field.
type ticketJSON struct {
	*store.Ticket
	Tag              string             `json:"tag"`
	MessageIDs       []string           `json:"message_ids"`
	Attachments      []store.Attachment `json:"attachments"`
	Cc               []string           `json:"cc"`
	MergedRequesters []string           `json:"merged_requesters"`
	Responsible      []string           `json:"responsible"`
	History          []store.Event      `json:"history"`
}

// ticketListJSON is a ticket as `tickets list --json` prints it, with the
// same list fields as ticketJSON. The list carries no history, so the key
// is left out rather than printed as null.
type ticketListJSON struct {
	*store.Ticket
	Tag              string             `json:"tag"`
	MessageIDs       []string           `json:"message_ids"`
	Attachments      []store.Attachment `json:"attachments"`
	Cc               []string           `json:"cc"`
	MergedRequesters []string           `json:"merged_requesters"`
	Responsible      []string           `json:"responsible"`
	History          []store.Event      `json:"history,omitempty"`
}

// orEmpty returns list, or an empty list in place of nil, so that JSON
// prints [] for it.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func showJSON(t *store.Ticket, prefix string) ticketJSON {
	return ticketJSON{Ticket: t, Tag: prefix + "-" + t.Number.String(),
		MessageIDs: orEmpty(t.MessageIDs), Attachments: orEmpty(t.Attachments), Cc: orEmpty(t.Cc),
		MergedRequesters: orEmpty(t.MergedRequesters), Responsible: orEmpty(t.Responsible),
		History: orEmpty(t.History)}
}

func listJSON(list []*store.Ticket, prefix string) []ticketListJSON {
	out := make([]ticketListJSON, len(list))
	for i, t := range list {
		// The two types differ only in the tag of History.
		out[i] = ticketListJSON(showJSON(t, prefix))
		out[i].History = t.History
	}
	return out
}
