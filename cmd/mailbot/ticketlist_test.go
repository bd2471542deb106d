package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/mailbot"
	"mailbot/store"
)

// runCLISplit runs the command line with args and returns stdout and
// stderr apart.
func runCLISplit(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err = root.Execute()
	return out.String(), errOut.String(), err
}

// listStore writes tickets 2026-00001 to 2026-00006 into a new store in
// dir and returns its path. Anna requests the odd ones, Bernd the even
// ones; 2026-00003 and 2026-00006 are closed.
func listStore(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *store.Tx) error {
		for i := 1; i <= 6; i++ {
			tk := &store.Ticket{Number: store.Number{Year: 2026, Seq: i}, Type: "a", Status: store.StatusNew,
				Requester: "anna.beispiel@stadt.example", Subject: "Störung Nr. " + string(rune('0'+i)),
				Created: now, Updated: now}
			if i%2 == 0 {
				tk.Requester = "bernd.muster@stadt.example"
			}
			if i%3 == 0 {
				tk.Status = store.StatusClosed
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
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// listedNumbers returns the ticket tags of the table `tickets list`
// printed, in order.
func listedNumbers(out string) string {
	var tags []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		tags = append(tags, strings.Fields(line)[0])
	}
	return strings.Join(tags, " ")
}

// listCLICases are calls of `tickets list` on listStore with the tags
// they print and the paging line they print on stderr.
var listCLICases = []struct {
	args       []string
	want, hint string
}{
	{nil, "IT-2026-00005 IT-2026-00004 IT-2026-00002 IT-2026-00001", ""},
	{[]string{"--all"}, "IT-2026-00006 IT-2026-00005 IT-2026-00004 IT-2026-00003 IT-2026-00002 IT-2026-00001", ""},
	{[]string{"--limit", "2"}, "IT-2026-00005 IT-2026-00004",
		"more tickets: use --before 2026-00004 for the next page, or --limit 0\n"},
	{[]string{"--limit", "2", "--before", "2026-00004"}, "IT-2026-00002 IT-2026-00001", ""},
	{[]string{"--all", "--limit", "3", "--before", "IT-2026-00006"}, "IT-2026-00005 IT-2026-00004 IT-2026-00003",
		"more tickets: use --before 2026-00003 for the next page, or --limit 0\n"},
	{[]string{"--requester", "Anna.Beispiel@stadt.example"}, "IT-2026-00005 IT-2026-00001", ""},
	{[]string{"--requester", "anna.beispiel@stadt.example", "--all", "--limit", "0"}, "IT-2026-00005 IT-2026-00003 IT-2026-00001", ""},
	{[]string{"--before", "2026-00001"}, "", ""},
}

func TestTicketsListFromStoreFile(t *testing.T) {
	checkListCases(t, listStore(t, t.TempDir()))
}

// checkListCases runs listCLICases on the store at path.
func checkListCases(t *testing.T, path string) {
	t.Helper()
	for _, c := range listCLICases {
		out, hint, err := runCLISplit(t, append([]string{"tickets", "list", "--db", path}, c.args...)...)
		if err != nil {
			t.Fatalf("list %v: %v", c.args, err)
		}
		if got := listedNumbers(out); got != c.want {
			t.Errorf("list %v printed %q, want %q:\n%s", c.args, got, c.want, out)
		}
		if hint != c.hint {
			t.Errorf("list %v: stderr %q, want %q", c.args, hint, c.hint)
		}
	}
}

func TestTicketsListJSONPage(t *testing.T) {
	path := listStore(t, t.TempDir())
	out, hint, err := runCLISplit(t, "tickets", "list", "--db", path, "--json", "--limit", "1")
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json --limit 1: %v\n%s", err, out)
	}
	if list[0]["tag"] != "IT-2026-00005" {
		t.Errorf("list --json --limit 1 gave %v, want IT-2026-00005", list[0]["tag"])
	}
	if hint != "more tickets: use --before 2026-00005 for the next page, or --limit 0\n" {
		t.Errorf("list --json --limit 1: stderr %q", hint)
	}
}

func TestTicketsListRejectsBadFlags(t *testing.T) {
	path := listStore(t, t.TempDir())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--limit", "-1"}, `invalid limit "-1"`},
		{[]string{"--before", "zweiundvierzig"}, `invalid ticket number "zweiundvierzig"`},
		{[]string{"--requester", "anna"}, `invalid requester "anna"`},
	} {
		_, _, err := runCLISplit(t, append([]string{"tickets", "list", "--db", path}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("list %v: error %v, want one with %q", c.args, err, c.want)
		}
	}
}

func TestTicketsListThroughRunningService(t *testing.T) {
	// Unix socket paths are limited to about 100 bytes; t.TempDir may be longer.
	dir, err := os.MkdirTemp("", "mb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := listStore(t, dir)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Cleanups run last first: the API stops before the store closes.
	t.Cleanup(func() { db.Close() })
	serveAPI(t, db, path+".sock")

	// The service holds the bbolt lock, so output proves the socket was used.
	checkListCases(t, path)
}

// serveAPI serves the API of db on socket until the test ends and
// returns once it answers.
func serveAPI(t *testing.T, db *store.DB, socket string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- mailbot.ServeAPI(ctx, socket, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeAPI: %v", err)
		}
	})
	client := mailbot.NewClient(socket)
	deadline := time.Now().Add(5 * time.Second)
	for client.Ping() != nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}
