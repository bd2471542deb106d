package mailbot_test

import (
	"bytes"
	"net"
	"os"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

// cuttingProxy forwards IMAP between mailbot and the in-process server and,
// once armed, drops the connection right after the first message literal
// of a FETCH reply, before the reply is complete.
type cuttingProxy struct {
	ln     net.Listener
	target string
	armed  atomic.Bool
	cuts   atomic.Int32
	conns  atomic.Int32
}

func startProxy(t *testing.T, target string) *cuttingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cuttingProxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *cuttingProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		go p.handle(c)
	}
}

var literalStart = regexp.MustCompile(`BODY\[\] \{(\d+)\}\r\n`)

func (p *cuttingProxy) handle(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	defer client.Close()
	defer server.Close()
	// fetching is set once the client asked for message bodies.
	var fetching atomic.Bool
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := client.Read(buf)
			if n > 0 {
				if bytes.Contains(buf[:n], []byte("BODY.PEEK[]")) {
					fetching.Store(true)
				}
				server.Write(buf[:n])
			}
			if err != nil {
				server.Close()
				return
			}
		}
	}()
	var pending []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		data := buf[:n]
		if !fetching.Load() || !p.armed.Load() {
			if _, werr := client.Write(data); werr != nil {
				return
			}
		} else {
			// Hold the reply back until the first literal is complete,
			// then pass exactly that much and drop the connection.
			pending = append(pending, data...)
			if m := literalStart.FindSubmatchIndex(pending); m != nil {
				size, _ := strconv.Atoi(string(pending[m[2]:m[3]]))
				if end := m[1] + size; len(pending) >= end && p.armed.CompareAndSwap(true, false) {
					client.Write(pending[:end])
					p.cuts.Add(1)
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

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
	proxy := startProxy(t, h.srv.IMAPAddr)
	host, port := splitAddr(t, proxy.ln.Addr().String())
	h.cfg.IMAP.Host, h.cfg.IMAP.Port = host, port
	if err := h.srv.Deliver(demo.SupportAddr, "INBOX", []byte(readCase(t, "015-imap-drop-mid-fetch-uid4711.eml"))); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Deliver(demo.SupportAddr, "INBOX", []byte(readCase(t, "015-imap-drop-mid-fetch-uid4712.eml"))); err != nil {
		t.Fatal(err)
	}
	proxy.armed.Store(true)
	h.start()
	h.waitIdle(2)
	h.waitFor("both mails moved", func() bool { return h.count(demo.SupportAddr, "INBOX") == 0 })

	if proxy.cuts.Load() != 1 {
		t.Fatalf("proxy cut %d connections, want 1", proxy.cuts.Load())
	}
	if proxy.conns.Load() < 3 {
		t.Errorf("%d IMAP connections, want a reconnect of the support mailbox", proxy.conns.Load())
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
