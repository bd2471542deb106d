package mailbot_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"mailbot/bench/fill"
	"mailbot/bench/gen"
	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

// benchSizes are the store sizes of the benchmarks that show how a cost
// grows with the number of tickets.
var benchSizes = []int{1000, 10000, 100000}

func BenchmarkFindTag(b *testing.B) {
	subjects := []string{
		"AW: [IT-2026-00042] Drucker im Bauamt druckt nicht",
		"Re: Fwd: [IT-2026-00042] Störung: Dell OptiPlex 7010 startet nicht",
		"Umzug des Sachgebiets ins Rathaus, Zimmer 2.14",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		mailbot.FindTag(subjects[i%len(subjects)], "IT")
		i++
	}
}

// benchRobot returns a robot on a copy of a filled store of size tickets
// (0: empty) that is never started: Handle is called directly.
func benchRobot(b testing.TB, size int) (*mailbot.Robot, *config.Config, *store.DB) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "mailbot.db")
	if size > 0 {
		src, err := fill.Cached(os.TempDir(), size)
		if err != nil {
			b.Fatal(err)
		}
		if err := copyFile(src, path); err != nil {
			b.Fatal(err)
		}
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cfg := config.Defaults()
	cfg.Mailboxes = []config.Mailbox{{Name: "support", Address: "support@stadt.example", Folder: "INBOX",
		ProcessedFolder: "Bearbeitet", QuarantineFolder: "Quarantaene", DefaultType: "a"}}
	cfg.Roles.IT = []string{"it@stadt.example"}
	r, err := mailbot.New(&cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return r, &cfg, db
}

// BenchmarkHandleNewTicket handles new mails one by one: parse, dedupe,
// classify, render both mails and commit (one fsync per mail).
func BenchmarkHandleNewTicket(b *testing.B) {
	r, cfg, _ := benchRobot(b, 0)
	staff := gen.People(50, "bench")
	date := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		raw := gen.Mail(i, staff[i%len(staff)], "support@stadt.example", "bench"+strconv.Itoa(i), date)
		h, err := r.Handle(mailbot.Incoming{Mailbox: &cfg.Mailboxes[0], UIDValidity: 1, UID: uint32(i + 1), Raw: raw, Size: int64(len(raw))})
		if err != nil || h.Record.Outcome != store.OutcomeTicket {
			b.Fatalf("mail %d: outcome %q, err %v", i, h.Record.Outcome, err)
		}
		i++
	}
}

// BenchmarkFollowUp handles replies that name a ticket by subject tag and
// In-Reply-To in stores of growing size: the lookup, the rewrite of the
// ticket and the commit.
func BenchmarkFollowUp(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("tickets=%d", size), func(b *testing.B) {
			r, cfg, _ := benchRobot(b, size)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				seq := (i*7919)%size + 1
				raw := followUp(i, seq)
				h, err := r.Handle(mailbot.Incoming{Mailbox: &cfg.Mailboxes[0], UIDValidity: 1, UID: uint32(i + 1), Raw: raw, Size: int64(len(raw))})
				if err != nil || h.Record.Outcome != store.OutcomeFollowUp {
					b.Fatalf("reply %d to ticket %d: outcome %q, err %v", i, seq, h.Record.Outcome, err)
				}
				i++
			}
		})
	}
}

// followUp is reply i of a clerk to the acknowledgement of ticket seq.
func followUp(i, seq int) []byte {
	return []byte(fmt.Sprintf("From: =?utf-8?q?J=C3=BCrgen_B=C3=A4cker?= <juergen.baecker@stadt.example>\r\n"+
		"To: support@stadt.example\r\nSubject: AW: [IT-%d-%05d] Drucker druckt nicht\r\n"+
		"Date: Fri, 04 Dec 2026 10:00:00 +0100\r\nMessage-ID: <reply.%d@stadt.example>\r\n"+
		"In-Reply-To: <%d-%05d.0.%d@stadt.example>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+
		"Nachtrag Nr. %d: der Fehler tritt nur morgens auf. Gr=C3=BC=C3=9Fe\r\n",
		fill.Year, seq, i, fill.Year, seq, seq-1, i))
}

// BenchmarkListTickets lists tickets from the store as `mailbot tickets
// list` does without a running service: "open" is the default call (the
// newest DefaultListLimit open tickets), "newest" the same with --all,
// and "all" the full listing of --all --limit 0. The filled stores have
// open tickets only at 100,000 tickets (see bench/fill), so "newest"
// shows a full page at every size.
func BenchmarkListTickets(b *testing.B) {
	for _, c := range []struct {
		name string
		q    mailbot.ListQuery
		want func(size int) int
	}{
		{"open", mailbot.ListQuery{Limit: mailbot.DefaultListLimit}, nil},
		{"newest", mailbot.ListQuery{All: true, Limit: mailbot.DefaultListLimit},
			func(int) int { return mailbot.DefaultListLimit }},
		{"all", mailbot.ListQuery{All: true}, func(size int) int { return size }},
	} {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("%s/tickets=%d", c.name, size), func(b *testing.B) {
				_, _, db := benchRobot(b, size)
				b.ReportAllocs()
				for b.Loop() {
					page, err := mailbot.ListPage(db, c.q)
					if err != nil || c.want != nil && len(page.Tickets) != c.want(size) {
						b.Fatalf("listed %d tickets, err %v", len(page.Tickets), err)
					}
				}
			})
		}
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Without this the first commit's fsync would write the whole copy.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkStatusQuery answers "Status" from a clerk with five tickets in
// stores of growing size: the lookup reads the clerk's tickets through the
// address index, so its cost does not grow with the store.
func BenchmarkStatusQuery(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("tickets=%d", size), func(b *testing.B) {
			r, cfg, _ := benchRobot(b, size)
			clerk := gen.People(1, "status")[0]
			date := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
			uid := uint32(1)
			handle := func(raw []byte, want string) {
				h, err := r.Handle(mailbot.Incoming{Mailbox: &cfg.Mailboxes[0], UIDValidity: 1, UID: uid, Raw: raw, Size: int64(len(raw))})
				if err != nil || h.Record.Outcome != want {
					b.Fatalf("mail uid %d: outcome %q, want %q, err %v", uid, h.Record.Outcome, want, err)
				}
				uid++
			}
			for i := range 5 {
				handle(gen.Mail(i, clerk, "support@stadt.example", "status"+strconv.Itoa(i), date), store.OutcomeTicket)
			}
			b.ReportAllocs()
			for b.Loop() {
				raw := fmt.Sprintf("From: %s@stadt.example\r\nTo: support@stadt.example\r\nSubject: Status\r\n"+
					"Message-ID: <status.%d@stadt.example>\r\n\r\nStatus\r\n", clerk.Local, uid)
				handle([]byte(raw), store.OutcomeAnswered)
			}
		})
	}
}

// budgetItems is a register of three approved items for BenchmarkBudgetView.
type budgetItems []mailbot.BudgetItem

func (b budgetItems) ApprovedItems(*store.Tx) ([]mailbot.BudgetItem, error) { return b, nil }

// BenchmarkBudgetView builds the budget view in stores of growing size. It
// reads only the order tickets (type b) through the order index, a third
// of the generated tickets, so it still grows with their number.
func BenchmarkBudgetView(b *testing.B) {
	reg := budgetItems{{ID: "HH-2026-017", Title: "Monitore"}, {ID: "HH-2026-018", Title: "Headsets"},
		{ID: "HH-2026-019", Title: "Dockingstationen"}}
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("tickets=%d", size), func(b *testing.B) {
			_, _, db := benchRobot(b, size)
			b.ReportAllocs()
			for b.Loop() {
				err := db.View(func(tx *store.Tx) error {
					lines, err := mailbot.BudgetView(tx, reg)
					if err == nil && len(lines) != len(reg) {
						err = fmt.Errorf("%d budget lines, want %d", len(lines), len(reg))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
