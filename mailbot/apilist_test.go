package mailbot

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// storeOf returns a new store with tickets 2026-00001 to 2026-n. Every
// third ticket is closed, and the even ones are requested by Anna, the
// others by Bernd.
func storeOf(t *testing.T, n int) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "mailbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.Update(func(tx *store.Tx) error {
		for i := 1; i <= n; i++ {
			tk := &store.Ticket{Number: store.Number{Year: 2026, Seq: i}, Status: store.StatusNew,
				Requester: "bernd.muster@stadt.example",
				History:   []store.Event{{Kind: store.EventCreated, Text: "Bitte um Rückruf."}}}
			if i%3 == 0 {
				tk.Status = store.StatusClosed
			}
			if i%2 == 0 {
				tk.Requester = "anna.beispiel@stadt.example"
			}
			if err := tx.PutTicket(tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// getList requests the ticket list with query from the handler and
// returns the status and the body.
func getList(t *testing.T, db *store.DB, query string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/tickets?"+query, nil)
	serveTicketList(rec, req, db, slog.New(slog.DiscardHandler))
	return rec.Code, rec.Body.String()
}

func decodePage(t *testing.T, body string) TicketPage {
	t.Helper()
	var page TicketPage
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatalf("decode list: %v\n%.300s", err, body)
	}
	return page
}

func TestTicketListSpansBatches(t *testing.T) {
	const n = 2*listPage + 3
	db := storeOf(t, n)
	code, body := getList(t, db, "all=true&limit=0")
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	page := decodePage(t, body)
	if len(page.Tickets) != n {
		t.Fatalf("%d tickets listed, want %d", len(page.Tickets), n)
	}
	for i, tk := range page.Tickets {
		if tk.Number.Seq != n-i {
			t.Fatalf("ticket %d is %v, want sequence %d", i, tk.Number, n-i)
		}
		if tk.History != nil {
			t.Fatalf("ticket %v listed with history", tk.Number)
		}
	}
	if page.More || !page.NextBefore.IsZero() {
		t.Errorf("full list has more %v, next before %v", page.More, page.NextBefore)
	}
}

func TestTicketListLimitAtBatchEnd(t *testing.T) {
	db := storeOf(t, listPage+1)
	page := decodePage(t, mustList(t, db, "all=1&limit="+strconv.Itoa(listPage)))
	if len(page.Tickets) != listPage || !page.More || page.NextBefore != (store.Number{Year: 2026, Seq: 2}) {
		t.Errorf("%d tickets, more %v, next before %v; want %d, true, 2026-00002",
			len(page.Tickets), page.More, page.NextBefore, listPage)
	}
	page = decodePage(t, mustList(t, db, "all=1&limit="+strconv.Itoa(listPage+1)))
	if len(page.Tickets) != listPage+1 || page.More {
		t.Errorf("limit of exactly all tickets: %d tickets, more %v", len(page.Tickets), page.More)
	}
}

func mustList(t *testing.T, db *store.DB, query string) string {
	t.Helper()
	code, body := getList(t, db, query)
	if code != http.StatusOK {
		t.Fatalf("?%s: status %d: %s", query, code, body)
	}
	return body
}

func TestTicketListDefaultIsOpenNewestFirst(t *testing.T) {
	db := storeOf(t, 200)
	page := decodePage(t, mustList(t, db, ""))
	if len(page.Tickets) != DefaultListLimit || !page.More {
		t.Fatalf("%d tickets, more %v; want %d and more", len(page.Tickets), page.More, DefaultListLimit)
	}
	if page.Tickets[0].Number.Seq != 200 || page.Tickets[1].Number.Seq != 199 || page.Tickets[2].Number.Seq != 197 {
		t.Errorf("first tickets %v %v %v, want 200 199 197", page.Tickets[0].Number, page.Tickets[1].Number, page.Tickets[2].Number)
	}
	for _, tk := range page.Tickets {
		if tk.Status != store.StatusNew {
			t.Errorf("ticket %v with status %s in the open list", tk.Number, tk.Status)
		}
	}
	last := page.Tickets[len(page.Tickets)-1].Number
	if page.NextBefore != last {
		t.Errorf("next before %v, want the last listed %v", page.NextBefore, last)
	}
}

func TestTicketListEmpty(t *testing.T) {
	db := storeOf(t, 0)
	body := mustList(t, db, "")
	if strings.TrimSpace(body) != `{"tickets":[],"more":false}` {
		t.Errorf("empty store listed %q", body)
	}
}

func TestTicketListRejectsBadQuery(t *testing.T) {
	db := storeOf(t, 3)
	for _, c := range []struct{ query, want string }{
		{"limit=-1", `invalid limit "-1"`},
		{"limit=viele", `invalid limit "viele"`},
		{"limit=", `invalid limit ""`},
		{"before=zweiundvierzig", `invalid before: invalid ticket number "zweiundvierzig"`},
		{"before=2026-0", `invalid before: invalid ticket number "2026-0"`},
		{"all=vielleicht", `invalid all "vielleicht"`},
		{"requester=anna", `invalid requester "anna"`},
		{"limt=5", `unknown query parameter "limt"`},
	} {
		code, body := getList(t, db, c.query)
		if code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("?%s: status %d, body %q; want 400 with %q", c.query, code, body, c.want)
		}
	}
}

func TestListQueryValuesRoundTrip(t *testing.T) {
	for _, q := range []ListQuery{
		{},
		{All: true, Limit: 7, Before: store.Number{Year: 2026, Seq: 42}, Requester: "anna.beispiel@stadt.example"},
	} {
		got, err := ParseListQuery(q.Values())
		if err != nil || got != q {
			t.Errorf("ParseListQuery(%v) = %+v, %v; want %+v", q.Values(), got, err, q)
		}
	}
	q, err := ParseListQuery(url.Values{"before": {"IT-2026-00042"}, "requester": {"Anna <anna.beispiel@stadt.example>"}})
	if err != nil || q.Before != (store.Number{Year: 2026, Seq: 42}) || q.Requester != "anna.beispiel@stadt.example" || q.Limit != DefaultListLimit {
		t.Errorf("ParseListQuery of a tag and a named address = %+v, %v", q, err)
	}
}

// TestListPageSameThroughAPI compares the file source, ListPage, with the
// service's API for the queries `tickets list` sends.
func TestListPageSameThroughAPI(t *testing.T) {
	db := storeOf(t, 30)
	// Unix socket paths are limited to about 100 bytes; t.TempDir may be longer.
	dir, err := os.MkdirTemp("", "mb")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "api.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeAPI(ctx, socket, db, slog.New(slog.DiscardHandler)) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeAPI: %v", err)
		}
	}()
	c := NewClient(socket)
	deadline := time.Now().Add(5 * time.Second)
	for c.Ping() != nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}

	for _, q := range []ListQuery{
		{Limit: DefaultListLimit},
		{Limit: 4},
		{Limit: 4, Before: store.Number{Year: 2026, Seq: 23}},
		{All: true, Limit: 5, Before: store.Number{Year: 2026, Seq: 3}},
		{All: true},
		{Limit: 3, Requester: "Anna.Beispiel@stadt.example"},
		{All: true, Limit: 0, Requester: "bernd.muster@stadt.example", Before: store.Number{Year: 2026, Seq: 10}},
		{All: true, Before: store.Number{Year: 2026, Seq: 1}},
	} {
		file, err := ListPage(db, q)
		if err != nil {
			t.Fatalf("ListPage(%+v): %v", q, err)
		}
		api, err := c.ListPage(q)
		if err != nil {
			t.Fatalf("Client.ListPage(%+v): %v", q, err)
		}
		if numbers(file.Tickets) != numbers(api.Tickets) || file.More != api.More || file.NextBefore != api.NextBefore {
			t.Errorf("%+v: file %s more %v next %v; API %s more %v next %v", q,
				numbers(file.Tickets), file.More, file.NextBefore, numbers(api.Tickets), api.More, api.NextBefore)
		}
	}
	all, err := c.Tickets()
	if err != nil || len(all) != 30 || all[0].Number.Seq != 1 {
		t.Errorf("Client.Tickets gave %d tickets starting %v (%v), want 30 in number order", len(all), all, err)
	}
}

func numbers(list []*store.Ticket) string {
	var out []string
	for _, tk := range list {
		out = append(out, tk.Number.String())
	}
	return strings.Join(out, " ")
}
