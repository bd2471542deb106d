package config

import (
	"strings"
	"time"
)

// Robots tunes which mails count as sent by a program.
type Robots struct {
	// Allow lists sender addresses ("anna@stadt.example") and domains
	// ("@stadt.example" or "stadt.example") whose mails are never taken
	// for automatic replies, because header checks have false positives.
	// Mailbot's own mails and delivery reports are recognised regardless.
	Allow []string `mapstructure:"allow"`
}

// Allowed reports whether addr is on the allowlist.
func (r Robots) Allowed(addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return false
	}
	domain := Domain(addr)
	for _, a := range r.Allow {
		a = strings.ToLower(strings.TrimSpace(a))
		switch {
		case a == addr:
			return true
		case strings.HasPrefix(a, "@") && a[1:] == domain:
			return true
		case !strings.Contains(a, "@") && a == domain:
			return true
		}
	}
	return false
}

// Brakes limits automatic mail on top of the header checks, so that a
// mail loop the checks miss stays small.
type Brakes struct {
	// RecipientDaily is the most automatic mails one address gets per
	// calendar day. Role addresses are exempt; 0 turns the cap off.
	RecipientDaily int `mapstructure:"recipient_daily"`
	// TicketBurst automatic mails per ticket within TicketWindow to
	// addresses without a role; mail to role holders neither counts nor
	// is held. 0 turns the cap off.
	TicketBurst  int           `mapstructure:"ticket_burst"`
	TicketWindow time.Duration `mapstructure:"ticket_window"`
	// The circuit breaker trips when the automatic mails of the last hour
	// exceed BreakerFactor times the hourly average of the week before,
	// but never below BreakerMinHourly. 0 in BreakerMinHourly turns it off.
	BreakerMinHourly int           `mapstructure:"breaker_min_hourly"`
	BreakerFactor    float64       `mapstructure:"breaker_factor"`
	BreakerPause     time.Duration `mapstructure:"breaker_pause"`
	// BouncePause is how long no automatic mail goes to an address after
	// a delivery report reported it failed.
	BouncePause time.Duration `mapstructure:"bounce_pause"`
}

func defaultBrakes() Brakes {
	return Brakes{RecipientDaily: 40, TicketBurst: 10, TicketWindow: 10 * time.Minute,
		BreakerMinHourly: 200, BreakerFactor: 10, BreakerPause: time.Hour, BouncePause: 24 * time.Hour}
}

// validateBrakes appends the problems of the brakes and robots sections.
func (c *Config) validateBrakes(add func(format string, args ...any)) {
	b := c.Brakes
	if b.RecipientDaily < 0 {
		add("brakes.recipient_daily: %d is negative, want 0 (off) or more", b.RecipientDaily)
	}
	if b.TicketBurst < 0 {
		add("brakes.ticket_burst: %d is negative, want 0 (off) or more", b.TicketBurst)
	}
	if b.TicketBurst > 0 && b.TicketWindow <= 0 {
		add("brakes.ticket_window: %s, want a positive duration such as 10m", b.TicketWindow)
	}
	if b.BreakerMinHourly < 0 {
		add("brakes.breaker_min_hourly: %d is negative, want 0 (off) or more", b.BreakerMinHourly)
	}
	if b.BreakerMinHourly > 0 && (b.BreakerFactor < 1 || b.BreakerPause <= 0) {
		add("brakes: breaker_factor (%g) must be at least 1 and breaker_pause (%s) positive", b.BreakerFactor, b.BreakerPause)
	}
	if b.BouncePause < 0 {
		add("brakes.bounce_pause: %s is negative", b.BouncePause)
	}
	for i, a := range c.Robots.Allow {
		if strings.TrimSpace(a) == "" || strings.ContainsAny(a, " <>,") {
			add("robots.allow[%d]: %q is invalid, want an address or a domain such as @stadt.example", i, a)
		}
	}
}

// IsRoleAddress reports whether addr holds any role.
func (c *Config) IsRoleAddress(addr string) bool {
	for _, list := range c.Roles.byName() {
		for _, a := range list {
			if strings.EqualFold(a, addr) {
				return true
			}
		}
	}
	return false
}
