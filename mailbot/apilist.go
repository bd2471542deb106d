package mailbot

import (
	"bufio"
	"log/slog"
	"net/http"

	"mailbot/store"
)

// listPage is the number of ticket summaries read per read transaction
// while the list is written out, so that neither the service's memory
// nor a read transaction grows with the number of tickets.
const listPage = 1000

// writeTicketList writes the summaries of all tickets as one JSON array,
// copying the stored JSON of each page of tickets out of the store
// before writing it.
func writeTicketList(w http.ResponseWriter, db *store.DB, log *slog.Logger) {
	w.Header().Set("Content-Type", "application/json")
	out := bufio.NewWriterSize(w, 64<<10)
	out.WriteByte('[')
	var from store.Number
	first := true
	for {
		var page [][]byte
		var next store.Number
		err := db.View(func(tx *store.Tx) error {
			return tx.SummaryJSON(from, func(n store.Number, data []byte) bool {
				if len(page) == listPage {
					next = n
					return false
				}
				page = append(page, append([]byte(nil), data...))
				return true
			})
		})
		if err != nil {
			// The status line is gone once the first page was written, so
			// the client sees a truncated array and fails to decode it.
			log.Error("list tickets", "err", err)
			if first {
				http.Error(w, err.Error(), http.StatusInternalServerError)
			}
			return
		}
		for _, data := range page {
			if !first {
				out.WriteByte(',')
			}
			first = false
			out.Write(data)
		}
		if next.IsZero() {
			break
		}
		from = next
	}
	out.WriteString("]\n")
	if err := out.Flush(); err != nil {
		log.Debug("write API response", "err", err)
	}
}
