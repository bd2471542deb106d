package demo

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunTranscript(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	if err := Run(context.Background(), &out, log); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"type a (rule stoerung)",
		"type b1 (rule ersatzbeschaffung)",
		"type c (rule vorklaerung-betreff)",
		"-> duplicate",
		"-> ignored: Auto-Submitted: auto-replied",
		fmt.Sprintf("subject: [IT-%d-00001]", time.Now().Year()),
		"3 tickets in the store",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	if n := strings.Count(got, "OUT  to "); n != 6 {
		t.Errorf("%d mails out, want 6 (3 acknowledgements, 3 IT notices)\n%s", n, got)
	}
	if strings.Contains(got, "OUT  to dieter.beispiel") {
		t.Error("the out-of-office sender got a reply")
	}
}

func TestConfigIsFilledAndValid(t *testing.T) {
	srv, err := Start(Accounts(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	c := Config(srv, dir)
	if got := c.JourFixe.Location().String(); got != "Europe/Berlin" {
		t.Errorf("jour fixe time zone %s, want Europe/Berlin", got)
	}
	if want := filepath.Join(dir, "mailbot.db.sock"); c.API.Socket != want {
		t.Errorf("API socket %q, want %q", c.API.Socket, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("demo configuration invalid: %v", err)
	}
}
