package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"mailbot/e2e"
	"mailbot/mailbot"
	"mailbot/store"
)

// mountTinyTmpfs mounts a tmpfs of size bytes on a new directory and
// skips the test where mounting is not permitted.
func mountTinyTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "mbdisk")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		os.Remove(dir)
		t.Skipf("cannot mount a tmpfs for the full-disk test (needs root and mount rights): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
		os.Remove(dir)
	})
	return dir
}

// fillDisk writes a file into dir until the file system is full.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill %s: %v", dir, err)
			}
			return path
		}
	}
}

// TestFullDiskStoreCatchesUp puts the store on a tiny tmpfs and fills it
// while mail arrives: commits fail with ENOSPC, mailbot logs and retries,
// and once space is freed each mail gets one ticket and one reply.
func TestFullDiskStoreCatchesUp(t *testing.T) {
	s := newRobotSetup(t)
	disk := mountTinyTmpfs(t, 512<<10)
	s.cfg.Store.Path = filepath.Join(disk, "mailbot.db")

	db, err := store.Open(s.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedWriter{w: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(t.Output(), logs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := mailbot.New(s.cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	filler := fillDisk(t, disk)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	s.db = db

	clerk := e2e.NewAddress(t, "stadt.example")
	for i, subject := range []string{"Drucker defekt", "Monitor flackert"} {
		s.srv.Send(t, clerk, []string{s.support}, clerkMail(clerk, s.support, subject,
			fmt.Sprintf("disk-%d-%d@stadt.example", time.Now().UnixNano(), i), "Bitte um Hilfe: "+subject+"."))
	}
	waitFor(t, "a commit to fail with ENOSPC", func() bool {
		return strings.Contains(logs.String(), "no space left on device")
	}, logs.String)
	if n := s.ticketCount(t); n != 0 {
		t.Fatalf("%d tickets on a full disk, want 0", n)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	s.srv.WaitFor(t, clerk, "INBOX", 2, deliveryTimeout)
	s.srv.WaitFor(t, s.it, "INBOX", 2, deliveryTimeout)
	waitFor(t, "both mails to leave the INBOX", func() bool {
		return len(s.srv.Fetch(t, s.support, "INBOX")) == 0
	}, logs.String)
	s.srv.WaitQueueEmpty(t, deliveryTimeout)
	if n := s.ticketCount(t); n != 2 {
		t.Errorf("%d tickets, want 2", n)
	}
	expectOnce(t, s, clerk, 2)
	expectOnce(t, s, s.it, 2)
}
