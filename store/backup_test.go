package store

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesOwnerOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("new store has mode %o, want 600", mode)
	}
}

func TestOpenRestrictsLooseMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	fi, _ := os.Stat(path)
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("store reopened with mode %o, want 600", mode)
	}
}

// TestSecondWriterFailsFast opens the store twice for writing, as a
// second `mailbot run` would. bbolt's flock is per open file description,
// so this works within one process too.
func TestSecondWriterFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mailbot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	second, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second writer opened a locked store")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("error %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "another mailbot") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q should name the file and the likely cause", err)
	}
	// The default timeout bounds the wait; this one is 100 ms.
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("second open waited %s", waited)
	}
}

func TestWriteBackupFileIsConsistentCopy(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "mailbot.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tk := &Ticket{Number: Number{Year: 2026, Seq: 7}, Type: "a", Subject: "Drucker", Status: StatusNew}
	if err := db.Update(func(tx *Tx) error { return tx.PutTicket(tk) }); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "backup.db")
	n, err := WriteBackupFile(target, db.WriteBackup)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != n || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup size %d (reported %d), mode %o; want equal sizes and 600", fi.Size(), n, fi.Mode().Perm())
	}
	copyDB, err := Open(target, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var got *Ticket
	if err := copyDB.View(func(tx *Tx) error { got, err = tx.Ticket(tk.Number); return err }); err != nil {
		t.Fatal(err)
	}
	if got.Subject != "Drucker" {
		t.Errorf("ticket in backup %+v", got)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".backup.db.*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestWriteBackupFileKeepsOldOnFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	truncated := func(w io.Writer) (int64, error) {
		n, err := io.Copy(w, bytes.NewReader(make([]byte, 4096)))
		return n, err
	}
	if _, err := WriteBackupFile(target, truncated); err == nil {
		t.Fatal("a copy that is no bbolt file was accepted")
	}
	if data, _ := os.ReadFile(target); string(data) != "old" {
		t.Errorf("old backup replaced by a broken one: %q", data)
	}
}

func TestQuarantineEntries(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "mailbot.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *Tx) error {
		for _, e := range []*QuarantineEntry{
			{ID: QuarantineID("", "support", 1, 5), Mailbox: "support", UIDValidity: 1, UID: 5},
			{ID: QuarantineID("", "digi", 1, 5), Mailbox: "digi", UIDValidity: 1, UID: 5},
			{ID: QuarantineID("abc", "support", 1, 6), Mailbox: "support", UIDValidity: 1, UID: 6, ContentHash: "h6"},
		} {
			if err := tx.PutQuarantine(e); err != nil {
				return err
			}
		}
		return tx.MarkSeen("h6", Seen{Outcome: OutcomeQuarantine})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		if _, err := tx.FindQuarantined("", 5); err == nil || !strings.Contains(err.Error(), "name the mailbox") {
			t.Errorf("ambiguous UID: err %v", err)
		}
		e, err := tx.FindQuarantined("digi", 5)
		if err != nil || e.Mailbox != "digi" {
			t.Errorf("FindQuarantined(digi, 5) = %+v, %v", e, err)
		}
		e, err = tx.FindQuarantined("", 6)
		if err != nil || e.ID != "abc" {
			t.Fatalf("FindQuarantined(6) = %+v, %v", e, err)
		}
		if _, err := tx.FindQuarantined("support", 7); !errors.Is(err, ErrNotQuarantined) {
			t.Errorf("missing UID: err %v, want ErrNotQuarantined", err)
		}
		if err := tx.ForgetQuarantinedSeen("h6"); err != nil {
			return err
		}
		if s, _ := tx.Seen("h6"); s != nil {
			t.Errorf("quarantine dedupe record kept: %+v", s)
		}
		return tx.DeleteQuarantine("abc")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForgetQuarantinedSeenKeepsHandled(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "mailbot.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *Tx) error {
		if err := tx.MarkSeen("h1", Seen{Outcome: OutcomeTicket}); err != nil {
			return err
		}
		if err := tx.ForgetQuarantinedSeen("h1"); err != nil {
			return err
		}
		if s, _ := tx.Seen("h1"); s == nil {
			t.Error("dedupe record of a handled mail deleted")
		}
		return tx.ForgetQuarantinedSeen("")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteBackupFileRejectsLiveFiles(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "mailbot.db")
	db, err := Open(live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	socket := live + ".sock"
	if err := os.WriteFile(socket, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.db")
	if err := os.Link(live, hard); err != nil {
		t.Fatal(err)
	}
	fileLink := filepath.Join(t.TempDir(), "store.db")
	if err := os.Symlink(live, fileLink); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(live)
	if err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"store itself":          live,
		"unclean path":          filepath.Join(dir, ".", "x", "..", "mailbot.db"),
		"through a dir symlink": filepath.Join(link, "mailbot.db"),
		"symlink to the store":  fileLink,
		"hard link":             hard,
		"socket":                socket,
		"directory":             dir,
	} {
		if _, err := WriteBackupFile(target, db.WriteBackup, live, socket); err == nil {
			t.Errorf("%s: backup onto %s accepted", name, target)
		}
	}
	after, err := os.Stat(live)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("live store file replaced")
	}
	if _, err := WriteBackupFile(filepath.Join(link, "copy.db"), db.WriteBackup, live, socket); err != nil {
		t.Errorf("backup beside the store: %v", err)
	}
}
