package mailbot_test

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mailbot/bench/gen"
	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
	"mailbot/templates"
)

// batchMail is a clerk's mail with CRLF line ends.
func batchMail(from, id, inReplyTo, subject, body string) []byte {
	h := "From: " + from + "\nTo: support@stadt.example\nSubject: " + subject +
		"\nDate: Fri, 04 Dec 2026 09:00:00 +0100\nMessage-ID: <" + id + ">\n"
	if inReplyTo != "" {
		h += "In-Reply-To: <" + inReplyTo + ">\n"
	}
	h += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n"
	return []byte(strings.ReplaceAll(h, "\n", "\r\n"))
}

func incoming(mb *config.Mailbox, uid uint32, raw []byte) mailbot.Incoming {
	return mailbot.Incoming{Mailbox: mb, UIDValidity: 7, UID: uid, Raw: raw, Size: int64(len(raw))}
}

// TestBatchSharesOneCommit hands three mails to one HandleBatch: a fault
// report, a reply to it and a second copy of the report. The reply must
// find the ticket opened earlier in the same transaction, the copy must be
// known as a duplicate, and the batch must cost one commit.
func TestBatchSharesOneCommit(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	report := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "batch-1@stadt.example", "",
		"Scanner im Bürgerbüro defekt", "Der Scanner zieht kein Papier mehr ein.")
	reply := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "batch-2@stadt.example", "batch-1@stadt.example",
		"AW: Scanner im Bürgerbüro defekt", "Nachtrag: es ist der Scanner in Zimmer 1.04.")
	before := db.Commits()
	hs, err := r.HandleBatch([]mailbot.Incoming{incoming(mb, 1, report), incoming(mb, 2, reply), incoming(mb, 3, report)})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Commits() - before; got != 1 {
		t.Errorf("%d commits for a batch of three mails, want 1", got)
	}
	want := []string{store.OutcomeTicket, store.OutcomeFollowUp, store.OutcomeDuplicate}
	if len(hs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(hs), len(want), hs)
	}
	for i, h := range hs {
		if h.UID != uint32(i+1) || h.Record.Outcome != want[i] {
			t.Errorf("result %d: uid %d outcome %q, want uid %d outcome %q", i, h.UID, h.Record.Outcome, i+1, want[i])
		}
		if h.Record.Ticket != hs[0].Record.Ticket {
			t.Errorf("result %d names ticket %s, want %s", i, h.Record.Ticket, hs[0].Record.Ticket)
		}
	}
	tk, err := mailbot.ShowTicket(db, hs[0].Record.Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(eventTexts(tk), "Zimmer 1.04") {
		t.Errorf("ticket history lacks the reply:\n%s", eventTexts(tk))
	}
	err = db.View(func(tx *store.Tx) error {
		for uid := uint32(1); uid <= 3; uid++ {
			rec, err := tx.UID("support", 7, uid)
			if err != nil {
				return err
			}
			if rec == nil {
				t.Errorf("uid %d has no record", uid)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBatchDecidesReplyAfterItsOriginal hands a batch whose reply came
// before its original, as a relay may deliver them: the original opens
// the ticket and the reply lands on it.
func TestBatchDecidesReplyAfterItsOriginal(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	report := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "orig@stadt.example", "",
		"Drucker druckt nicht", "Der Drucker im Flur druckt nicht.")
	reply := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "late@stadt.example", "orig@stadt.example",
		"AW: Drucker druckt nicht", "Nachtrag: Fehlermeldung E-17.")
	other := batchMail("Tom Muster <tom.muster@stadt.example>", "other@stadt.example", "", "Maus defekt", "Die Maus klemmt.")
	hs, err := r.HandleBatch([]mailbot.Incoming{incoming(mb, 1, reply), incoming(mb, 2, other), incoming(mb, 3, report)})
	if err != nil {
		t.Fatal(err)
	}
	byUID := map[uint32]mailbot.Handled{}
	for _, h := range hs {
		byUID[h.UID] = h
	}
	if got := byUID[3].Record.Outcome; got != store.OutcomeTicket {
		t.Errorf("original: outcome %q, want ticket", got)
	}
	if got := byUID[1].Record; got.Outcome != store.OutcomeFollowUp || got.Ticket != byUID[3].Record.Ticket {
		t.Errorf("reply: outcome %q ticket %s, want a follow-up on %s", got.Outcome, got.Ticket, byUID[3].Record.Ticket)
	}
	if n := countTickets(t, db); n != 2 {
		t.Errorf("%d tickets, want 2", n)
	}
}

// TestBatchFailureQuarantinesOnlyTheFailingMail breaks the acknowledgement
// of one subject, so that one new ticket fails in processing, in a batch
// with a reply, an out-of-office mail and two other reports. The failing
// mail goes to quarantine and the rest is committed together, with its
// digest.
func TestBatchFailureQuarantinesOnlyTheFailingMail(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	seed := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "seed@stadt.example", "",
		"Monitor flackert", "Der Monitor flackert seit heute früh.")
	first, err := r.Handle(incoming(mb, 1, seed))
	if err != nil || first.Record.Outcome != store.OutcomeTicket {
		t.Fatalf("seed mail: %+v, %v", first.Record, err)
	}

	dir := t.TempDir()
	// The acknowledgement fails for one subject only.
	ack := []byte("{{if eq .Subject \"Störung Fachverfahren\"}}{{.NoSuchField}}{{end}}Ticket {{.Number}}\n")
	if err := os.WriteFile(filepath.Join(dir, templates.Ack), ack, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Templates.Dir = dir
	cfg.Tickets.DigestMin = 2
	broken, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	reply := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "reply-a@stadt.example", "seed@stadt.example",
		"AW: Monitor flackert", "Jetzt bleibt er ganz schwarz.")
	report := batchMail("Tom Muster <tom.muster@stadt.example>", "new@stadt.example", "",
		"Störung Fachverfahren", "Das Fachverfahren startet nicht, Fehlermeldung „Keine Verbindung“.")
	ooo := strings.ReplaceAll(string(batchMail("Tom Muster <tom.muster@stadt.example>", "ooo@stadt.example", "",
		"Automatische Antwort: Urlaub", "Ich bin nicht im Büro.")), "MIME-Version", "Auto-Submitted: auto-replied\r\nMIME-Version")
	other1 := batchMail("Tom Muster <tom.muster@stadt.example>", "new-2@stadt.example", "", "Drucker defekt", "Der Drucker druckt nicht.")
	other2 := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "new-3@stadt.example", "", "Maus defekt", "Die Maus klemmt.")
	before := db.Commits()
	hs, err := broken.HandleBatch([]mailbot.Incoming{incoming(mb, 2, reply), incoming(mb, 3, report), incoming(mb, 4, []byte(ooo)),
		incoming(mb, 5, other1), incoming(mb, 6, other2)})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Commits() - before; got != 2 {
		t.Errorf("%d commits, want 2: the quarantine and the rest of the batch together", got)
	}
	if n := len(queuedByKind(t, db)["notify-digest"]); n != 1 {
		t.Errorf("%d digests, want 1: the failing mail must not cost the rest their digest", n)
	}
	want := map[uint32]string{2: store.OutcomeFollowUp, 3: store.OutcomeQuarantine, 4: store.OutcomeIgnored,
		5: store.OutcomeTicket, 6: store.OutcomeTicket}
	if len(hs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(hs), len(want), hs)
	}
	for _, h := range hs {
		if h.Record.Outcome != want[h.UID] {
			t.Errorf("uid %d: outcome %q, want %q (%s)", h.UID, h.Record.Outcome, want[h.UID], h.Record.Reason)
		}
	}
	list, err := mailbot.ListQuarantine(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].UID != 3 {
		t.Errorf("quarantine %+v, want uid 3 alone", list)
	}
	if n := countTickets(t, db); n != 3 {
		t.Errorf("%d tickets, want the seed's and two new ones, none of the quarantined mail", n)
	}
}

// TestBatchQuarantinesUnreadableMailFirst puts an oversized mail into a
// batch: it goes to quarantine in a transaction of its own, and the
// readable mails still share one.
func TestBatchQuarantinesUnreadableMailFirst(t *testing.T) {
	r, cfg, db := benchRobot(t, 0)
	mb := &cfg.Mailboxes[0]
	a := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "a@stadt.example", "", "Maus defekt", "Die Maus klemmt.")
	b := batchMail("Tom Muster <tom.muster@stadt.example>", "b@stadt.example", "", "Drucker defekt", "Der Drucker druckt nicht.")
	big := mailbot.Incoming{Mailbox: mb, UIDValidity: 7, UID: 2, Size: 1 << 40, Oversize: true,
		Header: []byte("From: x@example.org\r\nSubject: riesig\r\n\r\n")}
	before := db.Commits()
	hs, err := r.HandleBatch([]mailbot.Incoming{incoming(mb, 1, a), big, incoming(mb, 3, b)})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Commits() - before; got != 2 {
		t.Errorf("%d commits, want 2: one for the quarantine, one for the batch", got)
	}
	got := map[uint32]string{}
	for _, h := range hs {
		got[h.UID] = h.Record.Outcome
	}
	if got[1] != store.OutcomeTicket || got[2] != store.OutcomeQuarantine || got[3] != store.OutcomeTicket {
		t.Errorf("outcomes %v", got)
	}
}

// countTickets returns the number of tickets in db.
func countTickets(t *testing.T, db *store.DB) int {
	t.Helper()
	tickets, err := mailbot.ListTickets(db)
	if err != nil {
		t.Fatal(err)
	}
	return len(tickets)
}

func eventTexts(tk *store.Ticket) string {
	var b strings.Builder
	for _, e := range tk.History {
		b.WriteString(e.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// queuedByKind returns the outbox of db by kind.
func queuedByKind(t *testing.T, db *store.DB) map[string][]*store.OutMail {
	t.Helper()
	out := map[string][]*store.OutMail{}
	for _, m := range queued(t, db) {
		out[m.Kind] = append(out[m.Kind], m)
	}
	return out
}

// TestBatchDigestForManyNewTickets hands a batch of four new fault reports
// and a mini-project request to a robot with tickets.digest_min 3. IT gets
// one digest of the four instead of four notices. The mini-project keeps
// its own notice to IT and the team leads, and every requester still gets
// an acknowledgement.
func TestBatchDigestForManyNewTickets(t *testing.T) {
	_, cfg, db := benchRobot(t, 0)
	cfg.Tickets.DigestMin = 3
	cfg.Roles.ITLeads = []string{"it-leitung@stadt.example"}
	r, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mb := &cfg.Mailboxes[0]
	subjects := []string{"Drucker druckt nicht", "Bildschirm bleibt schwarz", "Fachverfahren & Scanner gestört", "Tastatur defekt"}
	var batch []mailbot.Incoming
	for i, s := range subjects {
		batch = append(batch, incoming(mb, uint32(i+1), batchMail("Jana Beispiel <jana.beispiel@stadt.example>",
			"digest-"+strconv.Itoa(i)+"@stadt.example", "", s, "Seit heute früh: "+s+". Bitte um Hilfe, Grüße")))
	}
	batch = append(batch, incoming(mb, 5, batchMail("Tom Muster <tom.muster@stadt.example>", "digest-c@stadt.example", "",
		"Umzug des Sachgebiets", "Wir ziehen im März mit sechs Arbeitsplätzen in das Gebäude B um und brauchen neue Netzwerkanschlüsse.")))
	hs, err := r.HandleBatch(batch)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []store.Number
	for _, h := range hs {
		if h.Record.Outcome != store.OutcomeTicket {
			t.Fatalf("uid %d: outcome %q, want ticket", h.UID, h.Record.Outcome)
		}
		numbers = append(numbers, h.Record.Ticket)
	}
	if hs[4].Type != "c" {
		t.Fatalf("the move request is type %q, want c", hs[4].Type)
	}
	out := queuedByKind(t, db)
	if n := len(out["ack"]); n != 5 {
		t.Errorf("%d acknowledgements, want one per ticket (5)", n)
	}
	if n := len(out["notify"]); n != 1 || !slices.Contains(out["notify"][0].To, "it-leitung@stadt.example") {
		t.Fatalf("notices %+v, want only the mini-project's to IT and the team leads", out["notify"])
	}
	digests := out["notify-digest"]
	if len(digests) != 1 {
		t.Fatalf("%d digests, want 1", len(digests))
	}
	d := digests[0]
	if d.Subject != "4 neue Tickets im Postfach support (Sammelmeldung)" || !slices.Equal(d.To, cfg.Roles.IT) || d.Ticket != (store.Number{}) {
		t.Errorf("digest subject %q to %v ticket %s", d.Subject, d.To, d.Ticket)
	}
	for i, n := range numbers[:4] {
		tag := n.Tag("IT")
		for _, want := range []string{tag + " " + subjects[i], "Seit heute früh: " + subjects[i]} {
			if !strings.Contains(d.Body, want) {
				t.Errorf("digest lacks %q:\n%s", want, d.Body)
			}
		}
		tk, err := mailbot.ShowTicket(db, n)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(tk.MessageIDs, d.MessageID) {
			t.Errorf("ticket %s threads the digest's Message-ID: a reply to it would land on one ticket", n)
		}
		if !strings.Contains(eventTexts(tk), "An it@stadt.example (notify-digest)") {
			t.Errorf("ticket %s history lacks the digest:\n%s", n, eventTexts(tk))
		}
	}
	link := "mailto:support@stadt.example?subject=%5BIT-" + numbers[2].String() + "%5D%20Fachverfahren%20%26%20Scanner%20gest%C3%B6rt"
	if !strings.Contains(d.Body, link) {
		t.Errorf("digest lacks the link %s:\n%s", link, d.Body)
	}

	// IT replies to the digest: naming one ticket runs the commands on
	// it, naming none gets the hint.
	quoted := "\n\nAm 04.12.2026 schrieb IT-Ticketsystem:\n> " + strings.ReplaceAll(d.Body, "\n", "\n> ")
	take := batchMail("it@stadt.example", "digest-reply-1@stadt.example", d.MessageID, "AW: "+d.Subject,
		numbers[1].Tag("IT")+"\n#übernehmen"+quoted)
	vague := batchMail("it@stadt.example", "digest-reply-2@stadt.example", d.MessageID, "AW: "+d.Subject,
		"#übernehmen"+quoted)
	bare := batchMail("it@stadt.example", "digest-reply-3@stadt.example", d.MessageID, "AW: "+d.Subject,
		"Zu "+numbers[3].String()+":\n#übernehmen\n\nViele Grüße\nMax Muster\nTel. 0711-12345, Vorgang 2026-99999"+quoted)
	hs, err = r.HandleBatch([]mailbot.Incoming{incoming(mb, 6, take), incoming(mb, 7, vague), incoming(mb, 8, bare)})
	if err != nil {
		t.Fatal(err)
	}
	if hs[0].Record.Outcome != store.OutcomeFollowUp || hs[0].Record.Ticket != numbers[1] {
		t.Errorf("reply naming %s: outcome %q ticket %s", numbers[1], hs[0].Record.Outcome, hs[0].Record.Ticket)
	}
	tk, err := mailbot.ShowTicket(db, numbers[1])
	if err != nil {
		t.Fatal(err)
	}
	if tk.Assignee != "it@stadt.example" {
		t.Errorf("ticket %s assignee %q, want it@stadt.example", numbers[1], tk.Assignee)
	}
	if hs[1].Record.Outcome != store.OutcomeAnswered || !hs[1].Record.Ticket.IsZero() {
		t.Errorf("reply naming no ticket: outcome %q ticket %s, want a hint and no ticket", hs[1].Record.Outcome, hs[1].Record.Ticket)
	}
	var hint *store.OutMail
	for _, m := range queued(t, db) {
		if m.InReplyTo == "digest-reply-2@stadt.example" {
			hint = m
		}
	}
	if hint == nil || !strings.Contains(hint.Body, "ohne genau\neine Ticketnummer zu nennen") {
		t.Errorf("hint to the reply naming no ticket does not explain the digest: %+v", hint)
	}
	if hs[2].Record.Outcome != store.OutcomeFollowUp || hs[2].Record.Ticket != numbers[3] {
		t.Errorf("reply naming %s without tag: outcome %q ticket %s", numbers[3], hs[2].Record.Outcome, hs[2].Record.Ticket)
	}
}

// TestBatchBelowDigestMinSendsNotices hands a batch big enough for a
// digest that makes too few new tickets: each keeps its own notice, and
// a reply to that notice threads into its ticket.
func TestBatchBelowDigestMinSendsNotices(t *testing.T) {
	_, cfg, db := benchRobot(t, 0)
	cfg.Tickets.DigestMin = 3
	r, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mb := &cfg.Mailboxes[0]
	first := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "below-1@stadt.example", "", "Drucker druckt nicht", "Der Drucker druckt nicht.")
	hs, err := r.HandleBatch([]mailbot.Incoming{
		incoming(mb, 1, first),
		incoming(mb, 2, batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "below-2@stadt.example", "below-1@stadt.example",
			"AW: Drucker druckt nicht", "Es ist der Drucker im Flur.")),
		incoming(mb, 3, batchMail("Tom Muster <tom.muster@stadt.example>", "below-3@stadt.example", "", "Maus defekt", "Die Maus klemmt.")),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := queuedByKind(t, db)
	if len(out["notify-digest"]) != 0 || len(out["notify"]) != 2 {
		t.Fatalf("%d digests and %d notices, want none and 2", len(out["notify-digest"]), len(out["notify"]))
	}
	for _, m := range out["notify"] {
		tk, err := mailbot.ShowTicket(db, m.Ticket)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(tk.MessageIDs, m.MessageID) {
			t.Errorf("ticket %s does not thread its notice %s", m.Ticket, m.MessageID)
		}
		if !strings.HasPrefix(m.Subject, m.Ticket.Tag("IT")+" Neues Ticket") {
			t.Errorf("notice subject %q", m.Subject)
		}
		if strings.Contains(eventTexts(tk), "notify-digest") {
			t.Errorf("ticket %s still notes a digest that was not sent:\n%s", m.Ticket, eventTexts(tk))
		}
	}
	if hs[1].Record.Outcome != store.OutcomeFollowUp {
		t.Errorf("reply outcome %q, want follow-up", hs[1].Record.Outcome)
	}
}

// BenchmarkHandleBatch handles new mails in batches of 100, as the poller
// hands over one FETCH answer: parse, dedupe, classify, render and one
// commit per batch. Its ns/op is per mail, to compare with
// BenchmarkHandleNewTicket's one commit per mail. The IT role gets a
// notice per ticket, or one digest per batch.
func BenchmarkHandleBatch(b *testing.B) {
	for _, digestMin := range []int{0, 10} {
		name := "notices"
		if digestMin > 0 {
			name = "digest"
		}
		b.Run(name, func(b *testing.B) {
			_, cfg, db := benchRobot(b, 0)
			cfg.Tickets.DigestMin = digestMin
			r, err := mailbot.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			handleBatches(b, r, &cfg.Mailboxes[0], 100)
		})
	}
}

// TestBatchDigestPassesBreaker trips the circuit breaker with the
// acknowledgements of a batch, as a large backlog can: the digest still
// reaches IT, because IT must hear of the tickets whose requesters got
// no acknowledgement. With no team leads configured, the mini-project's
// notice goes to the IT role alone and joins the digest with its
// announcement details.
func TestBatchDigestPassesBreaker(t *testing.T) {
	_, cfg, db := benchRobot(t, 0)
	cfg.Tickets.DigestMin = 2
	cfg.Brakes.BreakerMinHourly, cfg.Brakes.BreakerFactor = 1, 1
	r, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mb := &cfg.Mailboxes[0]
	hs, err := r.HandleBatch([]mailbot.Incoming{
		incoming(mb, 1, batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "held-1@stadt.example", "", "Drucker defekt", "Der Drucker druckt nicht.")),
		incoming(mb, 2, batchMail("Tom Muster <tom.muster@stadt.example>", "held-2@stadt.example", "", "Maus defekt", "Die Maus klemmt.")),
		incoming(mb, 3, batchMail("Tom Muster <tom.muster@stadt.example>", "held-3@stadt.example", "", "Umzug des Sachgebiets",
			"Wir ziehen im März mit sechs Arbeitsplätzen in das Gebäude B um und brauchen neue Netzwerkanschlüsse.")),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := queuedByKind(t, db)
	if n := len(out["notify-digest"]); n != 1 {
		t.Fatalf("%d digests queued, want 1 past the open breaker", n)
	}
	digest := out["notify-digest"][0]
	if !strings.HasPrefix(digest.Subject, "3 neue Tickets") {
		t.Errorf("digest subject %q, want all three tickets", digest.Subject)
	}
	if n := len(out["ack"]); n != 1 {
		t.Errorf("%d acknowledgements queued, want 1 before the breaker tripped", n)
	}
	for _, h := range hs[:2] {
		tk, err := mailbot.ShowTicket(db, h.Record.Ticket)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(eventTexts(tk), "An it@stadt.example (notify-digest)") {
			t.Errorf("ticket %s history lacks the digest:\n%s", tk.Number, eventTexts(tk))
		}
	}
	if hs[2].Type != "c" {
		t.Fatalf("the move request is type %q, want c", hs[2].Type)
	}
	if want := "Prozesstyp:   c) (Mini-)Projekt"; !strings.Contains(digest.Body, want) {
		t.Errorf("digest lacks %q:\n%s", want, digest.Body)
	}
}

func handleBatches(b *testing.B, r *mailbot.Robot, mb *config.Mailbox, size int) {
	staff := gen.People(50, "bench")
	date := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	batch := make([]mailbot.Incoming, 0, size)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		raw := gen.Mail(i, staff[i%len(staff)], "support@stadt.example", "bench"+strconv.Itoa(i), date)
		batch = append(batch, mailbot.Incoming{Mailbox: mb, UIDValidity: 1, UID: uint32(i + 1), Raw: raw, Size: int64(len(raw))})
		i++
		if len(batch) == size {
			if _, err := r.HandleBatch(batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if _, err := r.HandleBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDigestLeavesOutBouncedITAddress pauses one of two IT addresses as
// bounced: the digest goes to the other alone, and the tickets' history
// names only that one.
func TestDigestLeavesOutBouncedITAddress(t *testing.T) {
	_, cfg, db := benchRobot(t, 0)
	cfg.Tickets.DigestMin = 2
	cfg.Roles.IT = []string{"it@stadt.example", "it-alt@stadt.example"}
	r, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		return tx.PutPause("it-alt@stadt.example", store.Pause{Until: time.Now().Add(time.Hour), Reason: "550"})
	})
	if err != nil {
		t.Fatal(err)
	}
	mb := &cfg.Mailboxes[0]
	hs, err := r.HandleBatch([]mailbot.Incoming{
		incoming(mb, 1, batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "pause-1@stadt.example", "", "Drucker defekt", "Der Drucker druckt nicht.")),
		incoming(mb, 2, batchMail("Tom Muster <tom.muster@stadt.example>", "pause-2@stadt.example", "", "Maus defekt", "Die Maus klemmt.")),
	})
	if err != nil {
		t.Fatal(err)
	}
	digests := queuedByKind(t, db)["notify-digest"]
	if len(digests) != 1 || !slices.Equal(digests[0].To, []string{"it@stadt.example"}) {
		t.Fatalf("digests %+v, want one to it@ alone", digests)
	}
	for _, h := range hs {
		tk, err := mailbot.ShowTicket(db, h.Record.Ticket)
		if err != nil {
			t.Fatal(err)
		}
		if texts := eventTexts(tk); strings.Contains(texts, "it-alt@") || !strings.Contains(texts, "An it@stadt.example (notify-digest)") {
			t.Errorf("ticket %s history:\n%s", tk.Number, texts)
		}
	}
}
