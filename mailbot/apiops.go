package mailbot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"mailbot/config"
	"mailbot/store"
)

// OpsHandlers returns the operator endpoints of the local API: the
// quarantine list and release, the circuit breaker's state and reset,
// and a consistent backup of the store. They
// let `mailbot quarantine` and `mailbot backup` work while the service
// holds the store's file lock. cfg needs resolved passwords for release.
func OpsHandlers(cfg *config.Config, db *store.DB, log *slog.Logger) func(*http.ServeMux) {
	return func(mux *http.ServeMux) {
		mux.HandleFunc("GET /v1/quarantine", func(w http.ResponseWriter, _ *http.Request) {
			list, err := ListQuarantine(db)
			writeJSON(w, list, err, log)
		})
		mux.HandleFunc("POST /v1/quarantine/release", func(w http.ResponseWriter, req *http.Request) {
			uid, err := strconv.ParseUint(req.FormValue("uid"), 10, 32)
			if err != nil {
				http.Error(w, fmt.Sprintf("invalid uid %q", req.FormValue("uid")), http.StatusBadRequest)
				return
			}
			e, err := Release(req.Context(), cfg, db, log, req.FormValue("mailbox"), uint32(uid))
			if errors.Is(err, store.ErrNotQuarantined) {
				http.Error(w, err.Error(), http.StatusNotFound)
				return
			}
			if errors.Is(err, ErrUnknownMailbox) {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			writeJSON(w, e, err, log)
		})
		breakerHandlers(mux, db, log)
		mux.HandleFunc("GET /v1/backup", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			if _, err := db.WriteBackup(w); err != nil {
				// The status line is gone; the client sees a short body
				// and the backup fails its check.
				log.Error("backup over API failed", "err", err)
			}
		})
	}
}

// Quarantine lists the quarantined mails through the running service.
func (c *Client) Quarantine() ([]*store.QuarantineEntry, error) {
	var list []*store.QuarantineEntry
	return list, c.get("/v1/quarantine", &list)
}

// Release releases a quarantined mail through the running service.
func (c *Client) Release(mailbox string, uid uint32) (*store.QuarantineEntry, error) {
	form := url.Values{"mailbox": {mailbox}, "uid": {strconv.FormatUint(uint64(uid), 10)}}
	hc := *c.http
	hc.Timeout = releaseTimeout // the service dials IMAP for this
	resp, err := hc.PostForm("http://mailbot/v1/quarantine/release", form)
	if err != nil {
		return nil, c.requestError("/v1/quarantine/release", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read API response: %w", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, remoteError(body, store.ErrNotQuarantined)
	case http.StatusBadRequest:
		return nil, errors.New(strings.TrimSpace(string(body)))
	default:
		return nil, fmt.Errorf("release through the service: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	var e store.QuarantineEntry
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("decode API response: %w", err)
	}
	return &e, nil
}

// Backup streams a consistent copy of the service's store to w.
func (c *Client) Backup(w io.Writer) (int64, error) {
	hc := *c.http
	hc.Timeout = 0 // a large store takes a while; the socket is local
	resp, err := hc.Get("http://mailbot/v1/backup")
	if err != nil {
		return 0, c.requestError("/v1/backup", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return 0, fmt.Errorf("backup through the service: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("read backup from the service: %w", err)
	}
	return n, nil
}

// releaseTimeout bounds a release through the service, which logs in to
// the IMAP server and moves the mail.
const releaseTimeout = 3 * time.Minute

// requestError maps a failed request on the socket to ErrNoService when
// nothing listens there.
func (c *Client) requestError(path string, err error) error {
	if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%w: %s", ErrNoService, c.socket)
	}
	return fmt.Errorf("API request %s: %w", path, err)
}
