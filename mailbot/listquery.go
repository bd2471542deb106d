package mailbot

import (
	"fmt"
	"net/mail"
	"net/url"
	"strconv"

	"mailbot/store"
)

// DefaultListLimit is the number of tickets a listing returns when the
// request names no limit, as `mailbot tickets list` does without --limit.
const DefaultListLimit = 50

// ListQuery is the request for one page of a listing of tickets, newest
// first.
type ListQuery struct {
	// All includes the tickets whose status is final (closed, withdrawn,
	// merged, approved, rejected); without it only open tickets are
	// listed.
	All bool
	// Before, when not zero, starts the page below this ticket number.
	Before store.Number
	// Limit is the maximum number of tickets on the page; 0 means no
	// limit.
	Limit int
	// Requester, when not empty, keeps only the tickets this address
	// requested.
	Requester string
}

// TicketPage is one page of a listing, newest ticket first, without
// History. It is the JSON body of GET /v1/tickets.
type TicketPage struct {
	Tickets []*store.Ticket `json:"tickets"`
	// More reports that the query selects tickets beyond the limit;
	// NextBefore is then the ListQuery.Before of the next page.
	More       bool         `json:"more"`
	NextBefore store.Number `json:"next_before,omitzero"`
}

// The query parameters of GET /v1/tickets, one for each field of
// ListQuery.
const (
	paramAll       = "all"
	paramBefore    = "before"
	paramLimit     = "limit"
	paramRequester = "requester"
)

// ParseListQuery reads a ListQuery from the query parameters all
// (true or false), before (a ticket number), limit (0 or more) and
// requester (an address). A missing limit is DefaultListLimit. An
// unknown parameter or an invalid value is an error that names it.
func ParseListQuery(v url.Values) (ListQuery, error) {
	q := ListQuery{Limit: DefaultListLimit}
	for key := range v {
		switch key {
		case paramAll, paramBefore, paramLimit, paramRequester:
		default:
			return q, fmt.Errorf("unknown query parameter %q: want all, before, limit or requester", key)
		}
	}
	var err error
	if v.Has(paramAll) {
		if q.All, err = strconv.ParseBool(v.Get(paramAll)); err != nil {
			return q, fmt.Errorf("invalid all %q: want true or false", v.Get(paramAll))
		}
	}
	if v.Has(paramBefore) {
		if q.Before, err = store.ParseNumber(v.Get(paramBefore)); err != nil {
			return q, fmt.Errorf("invalid before: %w", err)
		}
	}
	if v.Has(paramLimit) {
		q.Limit, err = strconv.Atoi(v.Get(paramLimit))
		if err != nil || q.Limit < 0 {
			return q, fmt.Errorf("invalid limit %q: want a whole number, 0 for no limit", v.Get(paramLimit))
		}
	}
	if v.Has(paramRequester) {
		addr, err := mail.ParseAddress(v.Get(paramRequester))
		if err != nil {
			return q, fmt.Errorf("invalid requester %q: want an address like anna.beispiel@stadt.example", v.Get(paramRequester))
		}
		q.Requester = addr.Address
	}
	return q, nil
}

// Values returns q as the query parameters ParseListQuery reads.
func (q ListQuery) Values() url.Values {
	v := url.Values{}
	v.Set(paramAll, strconv.FormatBool(q.All))
	v.Set(paramLimit, strconv.Itoa(q.Limit))
	if !q.Before.IsZero() {
		v.Set(paramBefore, q.Before.String())
	}
	if q.Requester != "" {
		v.Set(paramRequester, q.Requester)
	}
	return v
}
