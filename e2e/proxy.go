package e2e

import (
	"bytes"
	"net"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
)

// CutProxy forwards IMAP between a client and a server and, once armed,
// drops the connection right after the first message literal of a FETCH
// of message bodies, before the reply is complete. It cuts once, then
// forwards every later connection unchanged.
type CutProxy struct {
	// Addr is the host:port the client connects to instead of the server.
	Addr string

	ln     net.Listener
	target string
	armed  atomic.Bool
	cuts   atomic.Int32
	conns  atomic.Int32
}

var bodyLiteral = regexp.MustCompile(`BODY\[\] \{(\d+)\}\r\n`)

// StartCutProxy listens on a free port of 127.0.0.1 and forwards to
// target until the test ends. It starts disarmed.
func StartCutProxy(tb testing.TB, target string) *CutProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &CutProxy{Addr: ln.Addr().String(), ln: ln, target: target}
	go p.serve()
	tb.Cleanup(func() { ln.Close() })
	return p
}

// Arm makes the proxy cut the next FETCH of message bodies.
func (p *CutProxy) Arm() { p.armed.Store(true) }

// Cuts returns how many connections the proxy dropped.
func (p *CutProxy) Cuts() int { return int(p.cuts.Load()) }

// Conns returns how many client connections the proxy accepted.
func (p *CutProxy) Conns() int { return int(p.conns.Load()) }

func (p *CutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		go p.handle(c)
	}
}

func (p *CutProxy) handle(client net.Conn) {
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
			if m := bodyLiteral.FindSubmatchIndex(pending); m != nil {
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
