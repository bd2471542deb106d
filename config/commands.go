package config

import (
	"fmt"
	"strings"
)

// Commands configures the keyword commands people send by mail.
type Commands struct {
	// Vocabulary replaces the keywords of a command, by canonical command
	// name (assign, close, …): vocabulary: {close: [erledigt, fertig]}.
	// Commands not listed keep their German defaults.
	Vocabulary map[string][]string `mapstructure:"vocabulary"`
	// Roles replaces the roles that may run a command, by canonical
	// command name. Role names are those of the roles section plus
	// requester, cc and assignee, which depend on the ticket.
	Roles map[string][]string `mapstructure:"roles"`
	// TrustedAuthservID, when set, makes a command run only if the
	// topmost Authentication-Results header of this authserv-id (the
	// receiving server) reports that DMARC, or DKIM of an aligned domain,
	// passed.
	TrustedAuthservID string `mapstructure:"trusted_authserv_id"`
	// MaxPerMail is the most commands run from one mail; the rest are
	// reported to the sender as not run.
	MaxPerMail int `mapstructure:"max_per_mail"`
}

// DefaultMaxCommandsPerMail is the default of commands.max_per_mail.
const DefaultMaxCommandsPerMail = 20

// Role names that depend on the ticket rather than on the roles section.
const (
	RoleRequester = "requester"
	RoleCc        = "cc"
	RoleAssignee  = "assignee"
	// RoleResponsible holds the addresses a specialist application's
	// responsibility model names for a ticket (Ticket.Responsible).
	RoleResponsible = "responsible"
)

// RoleNames lists every role name a command may be granted to.
var RoleNames = []string{RoleRequester, RoleCc, RoleAssignee, RoleResponsible, "it", "it_leads", "it_head", "orga", "budget", "digi", "admin"}

// Holders returns the addresses holding a role of the roles section, or
// nil for the ticket-dependent roles.
func (r Roles) Holders(role string) []string { return r.byName()[role] }

// validate reports unknown role names and empty keywords.
func (c Commands) validate() []string {
	var p []string
	if c.MaxPerMail < 1 {
		p = append(p, fmt.Sprintf("commands.max_per_mail: %d is below 1; the default is %d", c.MaxPerMail, DefaultMaxCommandsPerMail))
	}
	for cmd, roles := range c.Roles {
		for _, role := range roles {
			if !validRole(role) {
				p = append(p, fmt.Sprintf("commands.roles.%s: unknown role %q, want one of %s", cmd, role, strings.Join(RoleNames, ", ")))
			}
		}
	}
	for cmd, words := range c.Vocabulary {
		if len(words) == 0 {
			p = append(p, fmt.Sprintf("commands.vocabulary.%s: empty; leave the command out to keep its default keywords", cmd))
		}
		for _, w := range words {
			if strings.TrimSpace(strings.TrimPrefix(w, "#")) == "" || strings.ContainsAny(w, " \t") {
				p = append(p, fmt.Sprintf("commands.vocabulary.%s: %q is not a single word", cmd, w))
			}
		}
	}
	return p
}

func validRole(role string) bool {
	for _, r := range RoleNames {
		if r == role {
			return true
		}
	}
	return false
}
