package mailbot_test

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

// newRobotErr builds a robot from c and returns the error of mailbot.New.
func newRobotErr(t *testing.T, c config.Config) error {
	t.Helper()
	c.Store.Path = filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(c.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, err = mailbot.New(&c, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return err
}

func TestStartRejectsMissingTemplateDir(t *testing.T) {
	c := config.Builtin()
	c.Templates.Dir = filepath.Join(t.TempDir(), "fehlt")
	if err := newRobotErr(t, c); err == nil || !strings.Contains(err.Error(), "templates.dir") {
		t.Errorf("New with a missing templates.dir: %v, want an error naming the key", err)
	}
}

func TestStartRejectsBrokenTemplate(t *testing.T) {
	c := config.Builtin()
	c.Templates.Dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(c.Templates.Dir, "status.txt.tmpl"), []byte("{{.Anrede}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := newRobotErr(t, c); err == nil || !strings.Contains(err.Error(), "Anrede") {
		t.Errorf("New with a broken status template: %v, want an error naming the field", err)
	}
}
