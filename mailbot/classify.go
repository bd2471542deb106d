package mailbot

import (
	"strings"

	"mailbot/config"
	"mailbot/parse"
	"mailbot/rules"
)

// Triage is what mailbot would decide for a mail before looking at the
// store: whether it comes from a robot, and else its process type.
type Triage struct {
	Robot       bool
	RobotReason string
	Decision    rules.Decision // zero when Robot is true
}

// Classify triages msg as the service would for mailbox mb.
func Classify(cfg *config.Config, eng *rules.Engine, mb *config.Mailbox, msg *parse.Message) Triage {
	if reason := NewRobotCheck(cfg).Reason(msg); reason != "" {
		return Triage{Robot: true, RobotReason: reason}
	}
	d := eng.Classify(triageInput(cfg, mb, msg), mb.DefaultType)
	return Triage{Decision: d}
}

// OwnAddresses returns the lower-cased addresses of the robot's mailboxes.
func OwnAddresses(cfg *config.Config) map[string]bool {
	own := map[string]bool{}
	for _, m := range cfg.Mailboxes {
		own[strings.ToLower(m.Address)] = true
	}
	return own
}

// RobotReason returns why a mail must get no automatic reply (RFC 3834),
// or "" when a person wrote it.
func RobotReason(msg *parse.Message, own map[string]bool) string {
	return (&RobotCheck{own: own}).Reason(msg)
}

// LoadRules returns the embedded rules, replaced or extended by the rules
// file of the configuration, with the registers it names.
func LoadRules(cfg *config.Config) (*rules.Engine, error) {
	regs, err := LoadRegisters(cfg)
	if err != nil {
		return nil, err
	}
	return rules.New(rules.Options{File: cfg.Rules.File, Mode: cfg.Rules.Mode, Registers: regs})
}
