package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mailbot/store"
)

// tripBreaker stores an open circuit breaker in db.
func tripBreaker(t *testing.T, db *store.DB) {
	t.Helper()
	now := time.Now()
	err := db.Update(func(tx *store.Tx) error {
		return tx.PutBreaker(store.Breaker{TrippedAt: now.Add(-time.Minute), Until: now.Add(time.Hour), LastHour: 250, Limit: 200})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBreakerFromStoreFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, err := runCLI(t, "breaker", "status", "--db", path)
	if err != nil || !strings.Contains(out, "closed: the circuit breaker has never tripped.") {
		t.Fatalf("status of a new store: %v\n%s", err, out)
	}
	if db, err = store.Open(path, store.Options{}); err != nil {
		t.Fatal(err)
	}
	tripBreaker(t, db)
	db.Close()

	out, err = runCLI(t, "breaker", "status", "--db", path)
	if err != nil || !strings.Contains(out, "open: automatic mail is held back until") || !strings.Contains(out, "250 automatic mails") {
		t.Errorf("status of an open breaker: %v\n%s", err, out)
	}
	for _, by := range []string{"a\nb", "   ", "a\x1b[2Jb"} {
		if _, err := runCLI(t, "breaker", "reset", "--db", path, "--by", by); err == nil || !strings.Contains(err.Error(), "invalid --by") {
			t.Errorf("reset with --by %q: %v", by, err)
		}
	}
	missing := filepath.Join(t.TempDir(), "tippfehler.db")
	if _, err := runCLI(t, "breaker", "reset", "--db", missing); err == nil {
		t.Error("reset on a missing store file succeeded")
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("reset created a store at a mistyped path")
	}
	out, err = runCLI(t, "breaker", "reset", "--db", path, "--by", "admin")
	if err != nil || !strings.Contains(out, "Circuit breaker reset by admin") {
		t.Fatalf("reset: %v\n%s", err, out)
	}
	out, err = runCLI(t, "breaker", "status", "--db", path, "--json")
	if err != nil || !strings.Contains(out, `"open": false`) || !strings.Contains(out, `"reset_by": "admin"`) {
		t.Errorf("status after the reset: %v\n%s", err, out)
	}
	out, err = runCLI(t, "breaker", "reset", "--db", path)
	if err != nil || !strings.Contains(out, "not open; nothing to reset") {
		t.Errorf("second reset: %v\n%s", err, out)
	}
}

func TestBreakerThroughService(t *testing.T) {
	db, _, path := shortPathStore(t)
	tripBreaker(t, db)
	socket := serveOps(t, db, path)
	out, err := runCLI(t, "breaker", "reset", "--db", path, "--socket", socket, "--by", "admin")
	if err != nil || !strings.Contains(out, "Circuit breaker reset by admin") {
		t.Fatalf("reset through the service: %v\n%s", err, out)
	}
	out, err = runCLI(t, "breaker", "status", "--db", path, "--socket", socket)
	if err != nil || !strings.Contains(out, "closed: last tripped at") || !strings.Contains(out, "reset by admin") {
		t.Errorf("status through the service: %v\n%s", err, out)
	}
}
