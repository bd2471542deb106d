package mailbot_test

import (
	"net"
	"os"
	"strconv"
	"testing"

	"mailbot/demo"
	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

func readCase(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("../testdata/cases/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestConnectionDropMidFetch covers a server that drops the connection
// after the first literal of a UID FETCH of two mails: after reconnecting
// each mail has exactly one ticket.
func TestConnectionDropMidFetch(t *testing.T) {
	h := newHarness(t)
	proxy := e2e.StartCutProxy(t, h.srv.IMAPAddr)
	host, port := splitAddr(t, proxy.Addr)
	h.cfg.IMAP.Host, h.cfg.IMAP.Port = host, port
	if err := h.srv.Deliver(demo.SupportAddr, "INBOX", []byte(readCase(t, "015-imap-drop-mid-fetch-uid4711.eml"))); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Deliver(demo.SupportAddr, "INBOX", []byte(readCase(t, "015-imap-drop-mid-fetch-uid4712.eml"))); err != nil {
		t.Fatal(err)
	}
	proxy.Arm()
	h.start()
	h.waitIdle(2)
	h.waitFor("both mails moved", func() bool { return h.count(demo.SupportAddr, "INBOX") == 0 })

	if proxy.Cuts() != 1 {
		t.Fatalf("proxy cut %d connections, want 1", proxy.Cuts())
	}
	if proxy.Conns() < 3 {
		t.Errorf("%d IMAP connections, want a reconnect of the support mailbox", proxy.Conns())
	}
	list, err := mailbot.ListTickets(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d tickets, want 2", len(list))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	byID := map[string]int{}
	for _, x := range h.handled {
		if x.Record.Outcome == store.OutcomeTicket {
			byID[x.MessageID]++
		}
	}
	if len(byID) != 2 {
		t.Errorf("tickets made for %d distinct mails, want 2: %v", len(byID), byID)
	}
	for id, n := range byID {
		if n != 1 {
			t.Errorf("mail %s made %d tickets, want 1", id, n)
		}
	}
}

func splitAddr(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(p)
	return host, port
}
