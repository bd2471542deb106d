package mailbot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"mailbot/store"
)

// listPage is the number of ticket summaries read per read transaction
// while a listing is written out, so that neither the service's memory
// nor a read transaction grows with the number of tickets.
const listPage = 1000

// walkList calls collect with the summary JSON of each ticket q selects,
// newest first, and returns the Before of the next page, or zero when no
// selected ticket is left. Each read transaction reads at most listPage
// summaries. The JSON is valid only during collect, and flush, when not
// nil, runs after each transaction, so a caller that writes to a slow
// reader copies the JSON in collect and writes it in flush without
// holding a transaction open. An error from collect or flush stops the
// walk and is returned.
func walkList(db *store.DB, q ListQuery, collect func(data []byte) error, flush func() error) (store.Number, error) {
	f := store.ListFilter{All: q.All, Before: q.Before, Requester: q.Requester}
	listed := 0
	for {
		var last store.Number
		var collectErr error
		n, more, full := 0, false, false
		err := db.View(func(tx *store.Tx) error {
			return tx.ListSummaryJSON(f, func(num store.Number, data []byte) bool {
				// The limit is checked first, so that a ticket beyond it
				// is reported as more even at the end of a batch.
				if q.Limit > 0 && listed+n == q.Limit {
					more = true
					return false
				}
				if n == listPage {
					full = true
					return false
				}
				if collectErr = collect(data); collectErr != nil {
					return false
				}
				n++
				last = num
				return true
			})
		})
		if collectErr != nil {
			return store.Number{}, collectErr
		}
		if err != nil {
			return store.Number{}, fmt.Errorf("list tickets: %w", err)
		}
		if flush != nil {
			if err := flush(); err != nil {
				return store.Number{}, err
			}
		}
		listed += n
		if more {
			return last, nil
		}
		if !full {
			return store.Number{}, nil
		}
		f.Before = last
	}
}

// ListPage returns the tickets q selects, newest first, without History.
// A store below schema 3 opened read-only is listed too, but may be read
// in full (see store.Tx.ListSummaryJSON).
func ListPage(db *store.DB, q ListQuery) (*TicketPage, error) {
	page := &TicketPage{Tickets: []*store.Ticket{}}
	next, err := walkList(db, q, func(data []byte) error {
		var tk store.Ticket
		if err := json.Unmarshal(data, &tk); err != nil {
			return fmt.Errorf("decode ticket summary: %w", err)
		}
		page.Tickets = append(page.Tickets, &tk)
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	page.More, page.NextBefore = !next.IsZero(), next
	return page, nil
}

// serveTicketList writes the TicketPage that the query parameters of req
// select (see ParseListQuery), streaming the stored JSON of each ticket,
// so that even a listing without limit never sits in memory whole.
func serveTicketList(w http.ResponseWriter, req *http.Request, db *store.DB, log *slog.Logger) {
	q, err := ParseListQuery(req.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	out := bufio.NewWriterSize(w, 64<<10)
	started := false
	var batch [][]byte
	var writeErr error
	collect := func(data []byte) error {
		batch = append(batch, bytes.Clone(data))
		return nil
	}
	flush := func() error {
		for _, data := range batch {
			if started {
				out.WriteByte(',')
			} else {
				out.WriteString(`{"tickets":[`)
				started = true
			}
			if _, writeErr = out.Write(data); writeErr != nil {
				return writeErr
			}
		}
		batch = batch[:0]
		return nil
	}
	next, err := walkList(db, q, collect, flush)
	if writeErr != nil {
		log.Debug("write API response", "err", writeErr)
		return
	}
	if err != nil {
		// The status line is gone once the first batch was written, so
		// the client sees a truncated object and fails to decode it.
		log.Error("API request failed", "err", err)
		if !started {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
		return
	}

	if !started {
		out.WriteString(`{"tickets":[`)
	}
	out.WriteString(`],"more":`)
	if next.IsZero() {
		out.WriteString("false}\n")
	} else {
		fmt.Fprintf(out, `true,"next_before":%q}`+"\n", next.String())
	}
	if err := out.Flush(); err != nil {
		log.Debug("write API response", "err", err)
	}
}
