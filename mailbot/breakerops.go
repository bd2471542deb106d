package mailbot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"mailbot/store"
)

// BreakerStatus returns the state of the circuit breaker on automatic
// mail. It is open while Until lies ahead.
func BreakerStatus(db *store.DB) (store.Breaker, error) {
	var br store.Breaker
	err := db.View(func(tx *store.Tx) error {
		var err error
		br, err = tx.Breaker()
		return err
	})
	return br, err
}

// ResetBreaker closes an open circuit breaker at now on behalf of by, an
// operator's name for the log and the state. For the hour after, only
// automatic mails counted since the reset can trip it again, so a loop
// that goes on still stops it. It reports whether the breaker was open.
func ResetBreaker(db *store.DB, log *slog.Logger, now time.Time, by string) (store.Breaker, bool, error) {
	var br store.Breaker
	var wasOpen bool
	err := db.Update(func(tx *store.Tx) error {
		var err error
		if br, err = tx.Breaker(); err != nil {
			return err
		}
		if wasOpen = now.Before(br.Until); !wasOpen {
			return nil
		}
		if br.ResetMinute, err = tx.CountSince(now, now); err != nil {
			return err
		}
		br.Until, br.ResetAt, br.ResetBy = now, now, by
		return tx.PutBreaker(br)
	})
	if err != nil {
		return br, false, fmt.Errorf("reset circuit breaker: %w", err)
	}
	if wasOpen {
		log.Warn("circuit breaker reset by operator, automatic mail resumes", "by", by, "tripped_at", br.TrippedAt)
	}
	return br, wasOpen, nil
}

// CheckOperatorName checks the name an operator gives for a reset: one
// line of at most 200 bytes, not blank, without control characters, since
// it is logged and printed back to terminals.
func CheckOperatorName(name string) error {
	if strings.TrimSpace(name) == "" || len(name) > 200 {
		return errors.New("want a name of 1 to 200 characters")
	}
	if strings.ContainsFunc(name, unicode.IsControl) {
		return errors.New("control characters are not allowed")
	}
	return nil
}

// breakerReply is the response body of the breaker endpoints.
type breakerReply struct {
	Breaker store.Breaker `json:"breaker"`
	Open    bool          `json:"open"`
	WasOpen bool          `json:"was_open,omitempty"` // of a reset
}

// breakerHandlers serves GET /v1/breaker and POST /v1/breaker/reset.
func breakerHandlers(mux *http.ServeMux, db *store.DB, log *slog.Logger) {
	mux.HandleFunc("GET /v1/breaker", func(w http.ResponseWriter, _ *http.Request) {
		br, err := BreakerStatus(db)
		writeJSON(w, breakerReply{Breaker: br, Open: time.Now().Before(br.Until)}, err, log)
	})
	mux.HandleFunc("POST /v1/breaker/reset", func(w http.ResponseWriter, req *http.Request) {
		by := req.FormValue("by")
		if err := CheckOperatorName(by); err != nil {
			http.Error(w, fmt.Sprintf("invalid by %q: %v", by, err), http.StatusBadRequest)
			return
		}
		br, wasOpen, err := ResetBreaker(db, log, time.Now(), by)
		writeJSON(w, breakerReply{Breaker: br, WasOpen: wasOpen}, err, log)
	})
}

// Breaker returns the circuit breaker's state from the running service
// and whether it is open.
func (c *Client) Breaker() (store.Breaker, bool, error) {
	var rep breakerReply
	err := c.get("/v1/breaker", &rep)
	return rep.Breaker, rep.Open, err
}

// ResetBreaker closes the breaker through the running service and
// reports whether it was open.
func (c *Client) ResetBreaker(by string) (store.Breaker, bool, error) {
	resp, err := c.http.PostForm("http://mailbot/v1/breaker/reset", url.Values{"by": {by}})
	if err != nil {
		return store.Breaker{}, false, c.requestError("/v1/breaker/reset", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return store.Breaker{}, false, fmt.Errorf("read API response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return store.Breaker{}, false, fmt.Errorf("reset through the service: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	var rep breakerReply
	if err := json.Unmarshal(body, &rep); err != nil {
		return store.Breaker{}, false, fmt.Errorf("decode API response: %w", err)
	}
	return rep.Breaker, rep.WasOpen, nil
}
