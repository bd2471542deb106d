package mailbot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"syscall"
	"time"

	"mailbot/store"
)

// The local API lets `mailbot tickets` read the store while `mailbot run`
// holds the bbolt file lock. It listens on a unix socket whose file mode
// (0600) limits it to the service's user.

// ErrNoService means no running service listens on the socket.
var ErrNoService = errors.New("no mailbot service listens on the socket")

// ServeAPI listens on socket until ctx is done. Each of extra may add
// handlers to the API's mux.
func ServeAPI(ctx context.Context, socket string, db *store.DB, log *slog.Logger, extra ...func(*http.ServeMux)) error {
	if err := removeStaleSocket(socket); err != nil {
		return err
	}
	ln, err := net.Listen("unix", socket)
	if err != nil {
		return fmt.Errorf("listen on API socket %s: %w", socket, err)
	}
	if err := os.Chmod(socket, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("restrict API socket %s: %w", socket, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/tickets", func(w http.ResponseWriter, req *http.Request) {
		serveTicketList(w, req, db, log)
	})
	mux.HandleFunc("GET /v1/ping", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]bool{"ok": true}, nil, log)
	})
	mux.HandleFunc("GET /v1/tickets/{number}", func(w http.ResponseWriter, req *http.Request) {
		n, err := store.ParseNumber(req.PathValue("number"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		tk, err := ShowTicket(db, n)
		writeJSON(w, tk, err, log)
	})
	registerJourFixeAPI(mux, db, log)
	for _, add := range extra {
		add(mux)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	log.Info("local API listening", "socket", socket)
	err = srv.Serve(ln)
	os.Remove(socket)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("serve API socket %s: %w", socket, err)
}

// removeStaleSocket deletes a socket file no process listens on any more.
func removeStaleSocket(socket string) error {
	if _, err := os.Stat(socket); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	c, err := net.DialTimeout("unix", socket, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("API socket %s is in use: is another mailbot running on this store?", socket)
	}
	if err := os.Remove(socket); err != nil {
		return fmt.Errorf("remove stale API socket %s: %w", socket, err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any, err error, log *slog.Logger) {
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err != nil {
		log.Error("API request failed", "err", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Debug("write API response", "err", err)
	}
}

// ListTickets returns every ticket, without History, in number order, all
// at once. Listings for people use ListPage, which is newest first and
// reads only as many tickets as it returns.
func ListTickets(db *store.DB) ([]*store.Ticket, error) {
	var list []*store.Ticket
	err := db.View(func(tx *store.Tx) error {
		return tx.Summaries(func(t *store.Ticket) bool {
			list = append(list, t)
			return true
		})
	})
	return list, err
}

// ShowTicket returns one ticket with its history.
func ShowTicket(db *store.DB, n store.Number) (*store.Ticket, error) {
	var tk *store.Ticket
	err := db.View(func(tx *store.Tx) error {
		var err error
		tk, err = tx.Ticket(n)
		return err
	})
	return tk, err
}

// Client reads tickets from a running service's socket.
type Client struct {
	socket string
	http   *http.Client
}

// NewClient returns a client for the API on socket.
func NewClient(socket string) *Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", socket)
	}}
	return &Client{socket: socket, http: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// Ping checks that a service listens on the socket. It returns
// ErrNoService when nothing does.
func (c *Client) Ping() error {
	var ok map[string]bool
	err := c.get("/v1/ping", &ok)
	if errors.Is(err, store.ErrNotFound) {
		return nil // a service without this endpoint
	}
	return err
}

// Socket returns the path of the API socket the client dials.
func (c *Client) Socket() string { return c.socket }

// ListPage returns the page of tickets q selects, newest first, as the
// package's ListPage does on the service's store. It returns
// ErrNoService when nothing listens.
func (c *Client) ListPage(q ListQuery) (*TicketPage, error) {
	var page TicketPage
	if err := c.get("/v1/tickets?"+q.Values().Encode(), &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// Tickets returns every ticket, without History, in number order, as
// ListTickets does. It returns ErrNoService when nothing listens.
func (c *Client) Tickets() ([]*store.Ticket, error) {
	page, err := c.ListPage(ListQuery{All: true})
	if err != nil {
		return nil, err
	}
	slices.Reverse(page.Tickets)
	return page.Tickets, nil
}

// Ticket returns one ticket with its history.
func (c *Client) Ticket(n store.Number) (*store.Ticket, error) {
	var tk store.Ticket
	if err := c.get("/v1/tickets/"+n.String(), &tk); err != nil {
		return nil, err
	}
	return &tk, nil
}

func (c *Client) get(path string, v any) error {
	resp, err := c.http.Get("http://mailbot" + path)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			return fmt.Errorf("%w: %s", ErrNoService, c.socket)
		}
		return fmt.Errorf("API request %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("read API response %s: %w", path, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return remoteError(body, store.ErrNotFound)
	default:
		return fmt.Errorf("API request %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode API response %s: %w", path, err)
	}
	return nil
}
