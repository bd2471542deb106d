package store

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// listFixture writes tickets 2025-00001 to 2025-00002 and 2026-00001 to
// 2026-00006 to db. Anna requests 2025-00002, 2026-00001, 2026-00003
// and 2026-00005; Bernd the others, with Anna in copy of 2026-00002 and
// assigned to 2026-00004. 2025-00001, 2026-00003 and 2026-00004 are
// closed.
func listFixture(t *testing.T, db *DB) {
	t.Helper()
	const anna, bernd = "Anna.Beispiel@stadt.example", "bernd.muster@stadt.example"
	now := time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)
	tickets := []*Ticket{
		{Number: Number{2025, 1}, Requester: bernd, Status: StatusClosed},
		{Number: Number{2025, 2}, Requester: anna, Status: StatusNew},
		{Number: Number{2026, 1}, Requester: anna, Status: StatusNew},
		{Number: Number{2026, 2}, Requester: bernd, Status: StatusAssigned, Cc: []string{anna}},
		{Number: Number{2026, 3}, Requester: anna, Status: StatusClosed},
		{Number: Number{2026, 4}, Requester: bernd, Status: StatusWithdrawn, Assignee: anna},
		{Number: Number{2026, 5}, Requester: anna, Status: StatusDecided},
		{Number: Number{2026, 6}, Requester: bernd, Status: StatusNew},
	}
	err := db.Update(func(tx *Tx) error {
		for _, tk := range tickets {
			tk.Type, tk.Subject, tk.Created, tk.Updated = "a", "Störung "+tk.Number.String(), now, now
			tk.History = []Event{{At: now, Kind: EventCreated, Text: "Der Drucker druckt nicht."}}
			if err := tx.PutTicket(tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// listed returns the numbers ListSummaryJSON gives for f, at most limit
// of them (0: all), and checks that each summary is the ticket without
// History.
func listed(t *testing.T, db *DB, f ListFilter, limit int) []string {
	t.Helper()
	got := []string{}
	err := db.View(func(tx *Tx) error {
		return tx.ListSummaryJSON(f, func(n Number, data []byte) bool {
			var tk Ticket
			if err := json.Unmarshal(data, &tk); err != nil {
				t.Errorf("summary of %s: %v", n, err)
			}
			if tk.Number != n || tk.History != nil || tk.Subject != "Störung "+n.String() {
				t.Errorf("summary of %s = number %s, subject %q, history %v", n, tk.Number, tk.Subject, tk.History)
			}
			got = append(got, n.String())
			return limit == 0 || len(got) < limit
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// listCases are filters on listFixture with the numbers they select.
var listCases = []struct {
	name  string
	f     ListFilter
	limit int
	want  []string
}{
	{"open", ListFilter{}, 0, []string{"2026-00006", "2026-00005", "2026-00002", "2026-00001", "2025-00002"}},
	{"open limit", ListFilter{}, 2, []string{"2026-00006", "2026-00005"}},
	{"open before", ListFilter{Before: Number{2026, 5}}, 2, []string{"2026-00002", "2026-00001"}},
	{"open before closed", ListFilter{Before: Number{2026, 4}}, 0, []string{"2026-00002", "2026-00001", "2025-00002"}},
	{"open before year", ListFilter{Before: Number{2026, 1}}, 0, []string{"2025-00002"}},
	{"before first", ListFilter{All: true, Before: Number{2025, 1}}, 0, []string{}},
	{"before past last", ListFilter{Before: Number{2027, 1}}, 1, []string{"2026-00006"}},
	{"all", ListFilter{All: true}, 0, []string{"2026-00006", "2026-00005", "2026-00004", "2026-00003",
		"2026-00002", "2026-00001", "2025-00002", "2025-00001"}},
	{"all limit past end", ListFilter{All: true, Before: Number{2026, 2}}, 10, []string{"2026-00001", "2025-00002", "2025-00001"}},
	{"requester open", ListFilter{Requester: " anna.beispiel@STADT.example"}, 0, []string{"2026-00005", "2026-00001", "2025-00002"}},
	{"requester all", ListFilter{All: true, Requester: "anna.beispiel@stadt.example"}, 0,
		[]string{"2026-00005", "2026-00003", "2026-00001", "2025-00002"}},
	{"requester before", ListFilter{All: true, Requester: "anna.beispiel@stadt.example", Before: Number{2026, 3}}, 1,
		[]string{"2026-00001"}},
	{"requester prefix of another", ListFilter{All: true, Requester: "anna.beispiel@stadt.ex"}, 0, []string{}},
	{"requester unknown", ListFilter{Requester: "niemand@stadt.example"}, 0, []string{}},
}

func TestListSummaryJSON(t *testing.T) {
	db := openTemp(t)
	listFixture(t, db)
	for _, c := range listCases {
		t.Run(c.name, func(t *testing.T) {
			if got := listed(t, db, c.f, c.limit); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestListSummaryJSONEmptyStore(t *testing.T) {
	db := openTemp(t)
	for _, f := range []ListFilter{{}, {All: true}, {Before: Number{2026, 5}}, {Requester: "anna.beispiel@stadt.example"}} {
		if got := listed(t, db, f, 0); len(got) != 0 {
			t.Errorf("empty store lists %v for %+v", got, f)
		}
	}
}

func TestListSummaryJSONClosedAndReopened(t *testing.T) {
	db := openTemp(t)
	listFixture(t, db)
	updateTicket(t, db, 6, func(tk *Ticket) { tk.Status = StatusClosed })
	updateTicket(t, db, 3, func(tk *Ticket) { tk.Status = StatusNew })
	want := []string{"2026-00005", "2026-00003", "2026-00002"}
	if got := listed(t, db, ListFilter{}, 3); !slices.Equal(got, want) {
		t.Errorf("open tickets = %v, want %v", got, want)
	}
	want = []string{"2026-00005", "2026-00003", "2026-00001", "2025-00002"}
	if got := listed(t, db, ListFilter{Requester: "anna.beispiel@stadt.example"}, 0); !slices.Equal(got, want) {
		t.Errorf("open tickets of Anna = %v, want %v", got, want)
	}
}

// downgradeTo rewrites the store at path as a store of schema 1 or 2
// looks: schema 2 has no address and order indexes, schema 1 has no
// summaries and no open index either.
func downgradeTo(t *testing.T, path string, schema int) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	drop := [][]byte{bucketAddresses, bucketOrders}
	if schema == 1 {
		drop = append(drop, bucketSummaries, bucketOpen)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range drop {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put([]byte("schema"), []byte{byte('0' + schema)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestListSummaryJSONOldSchemaReadOnly(t *testing.T) {
	for _, schema := range []int{1, 2} {
		path := filepath.Join(t.TempDir(), "mailbot.db")
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		listFixture(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		downgradeTo(t, path, schema)
		ro, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range listCases {
			if got := listed(t, ro, c.f, c.limit); !slices.Equal(got, c.want) {
				t.Errorf("schema %d, %s: got %v, want %v", schema, c.name, got, c.want)
			}
		}
		if err := ro.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
