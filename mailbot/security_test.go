package mailbot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"mailbot/demo"
	"mailbot/mailbot"
	"mailbot/store"
)

// syncBuffer is a bytes.Buffer safe for the robot's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestFailedLoginLogsNoPassword runs the robot with a wrong IMAP password
// at debug level and checks that the log names the failure but not the
// password.
func TestFailedLoginLogsNoPassword(t *testing.T) {
	h := newHarness(t)
	const password = "Falsch-4711-Geheim"
	h.cfg.Mailboxes[0].Password = password
	db, err := store.Open(h.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out syncBuffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := mailbot.New(h.cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "IMAP connection error") {
		if time.Now().After(deadline) {
			t.Fatalf("no connection error logged:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	logged := out.String()
	if !strings.Contains(logged, "log in to") || !strings.Contains(logged, demo.SupportAddr) {
		t.Errorf("log lacks the failed login and the user:\n%s", logged)
	}
	if strings.Contains(logged, password) {
		t.Errorf("log shows the password:\n%s", logged)
	}
	if h := r.Health(); h.Mailboxes["support"] == "connected" {
		t.Errorf("health %+v reports a mailbox connected that never logged in", h)
	}
}
