package config

import (
	"strings"
	"testing"
)

func TestRobotsAllowed(t *testing.T) {
	r := Robots{Allow: []string{"Scanner@stadt.example", "@example.org", "example.net"}}
	tests := map[string]bool{
		"scanner@stadt.example":  true,
		"anna@stadt.example":     false,
		"portal@example.org":     true,
		"portal@sub.example.org": false,
		"x@EXAMPLE.NET":          true,
		"":                       false,
	}
	for addr, want := range tests {
		if got := r.Allowed(addr); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestBrakesValidation(t *testing.T) {
	c := Builtin()
	c.IMAP.Host, c.SMTP.Host = "imap.stadt.example", "smtp.stadt.example"
	c.Mailboxes[0].QuarantineFolder, c.Mailboxes[1].QuarantineFolder = "Q", "Q"
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	c.Brakes.TicketWindow = 0
	c.Brakes.BreakerFactor = 0.5
	c.Robots.Allow = []string{"a b"}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate accepted broken brakes")
	}
	for _, key := range []string{"brakes.ticket_window", "breaker_factor", "robots.allow[0]"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not name %s: %v", key, err)
		}
	}
}
