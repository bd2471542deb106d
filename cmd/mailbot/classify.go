package main

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/parse"
	"mailbot/rules"
)

// classifyResult is one output line of `mailbot classify`; other tools
// read these field names.
type classifyResult struct {
	File          string   `json:"file"`
	MessageID     string   `json:"message_id"`
	From          string   `json:"from"`
	Subject       string   `json:"subject"`
	Type          string   `json:"type"`
	Subtype       string   `json:"subtype"`
	Rule          string   `json:"rule"`
	Reason        string   `json:"reason"`
	Project       string   `json:"project,omitempty"`
	AutoSubmitted bool     `json:"auto_submitted"`
	Mailbox       string   `json:"mailbox"`
	Tag           string   `json:"tag,omitempty"` // ticket tag in the subject: a follow-up, if that ticket exists
	Attachments   int      `json:"attachments"`
	Warnings      []string `json:"warnings,omitempty"`
	Error         string   `json:"error,omitempty"`

	// Triage details, empty when the mail names none.
	SenderRoles    []string            `json:"sender_roles,omitempty"`
	Matched        string              `json:"matched,omitempty"` // the term that decided
	Cite           string              `json:"cite,omitempty"`
	Position       string              `json:"position,omitempty"`
	PositionStatus string              `json:"position_status,omitempty"`
	Application    string              `json:"application,omitempty"`
	Responsibility string              `json:"responsibility,omitempty"`
	BudgetItem     string              `json:"budget_item,omitempty"`
	BudgetStatus   string              `json:"budget_status,omitempty"`
	BudgetItems    []string            `json:"budget_items,omitempty"` // every item named, when several
	Quantity       int                 `json:"quantity,omitempty"`     // pieces ordered, when stated clearly
	Announcement   *rules.Announcement `json:"announcement,omitempty"`
	// Candidates lists every rule that matches, first the deciding one;
	// set with --explain.
	Candidates []string `json:"candidates,omitempty"`
}

func newClassifyCmd(g *globalFlags) *cobra.Command {
	var mailboxName string
	var explain bool
	cmd := &cobra.Command{
		Use:   "classify [--config FILE] [--mailbox NAME] FILE.eml...",
		Short: "Print the triage of mail files as JSON lines, changing nothing",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			cfg, err := classifyConfig(g.config)
			if err != nil {
				return err
			}
			var mb *config.Mailbox // nil: chosen per mail by its recipients
			if mailboxName != "" {
				if mb, err = findMailbox(cfg, mailboxName); err != nil {
					return err
				}
			}
			eng, err := mailbot.LoadRules(cfg)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			failed := 0
			for _, f := range files {
				res := classifyFile(cfg, mb, eng, f, explain)
				if res.Error != "" {
					failed++
				}
				if err := enc.Encode(res); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files could not be read", failed, len(files))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&mailboxName, "mailbox", "", "mailbox the mails arrived in (default: the one whose address is in Delivered-To, To or Cc, else the first configured)")
	cmd.Flags().BoolVar(&explain, "explain", false, "also list every rule that matches, as \"candidates\", the deciding rule first")
	return cmd
}

func classifyConfig(path string) (*config.Config, error) {
	if path == "" {
		c := config.Builtin()
		return &c, nil
	}
	// classify talks to no server, so passwords need not resolve; the
	// configuration is still validated as a whole.
	return config.LoadWithoutSecrets(path)
}

func findMailbox(cfg *config.Config, name string) (*config.Mailbox, error) {
	if name == "" {
		return &cfg.Mailboxes[0], nil
	}
	var names []string
	for i := range cfg.Mailboxes {
		if cfg.Mailboxes[i].Name == name {
			return &cfg.Mailboxes[i], nil
		}
		names = append(names, cfg.Mailboxes[i].Name)
	}
	return nil, fmt.Errorf("unknown mailbox %q: configured are %v", name, names)
}

// mailboxFor returns the mailbox a mail arrived in, judged by its
// recipients: the first configured mailbox address found in
// Delivered-To, X-Original-To, To or Cc, in this order. Without a match
// it returns the first configured mailbox.
func mailboxFor(cfg *config.Config, msg *parse.Message) *config.Mailbox {
	var rcpts []string
	for _, key := range []string{"Delivered-To", "X-Original-To"} {
		for _, v := range msg.Header.Values(key) {
			if a, err := mail.ParseAddress(strings.TrimSpace(v)); err == nil {
				rcpts = append(rcpts, a.Address)
			} else {
				rcpts = append(rcpts, strings.Trim(strings.TrimSpace(v), "<>"))
			}
		}
	}
	for _, a := range append(slices.Clone(msg.To), msg.Cc...) {
		rcpts = append(rcpts, a.Addr)
	}
	for _, r := range rcpts {
		for i := range cfg.Mailboxes {
			if strings.EqualFold(r, cfg.Mailboxes[i].Address) {
				return &cfg.Mailboxes[i]
			}
		}
	}
	return &cfg.Mailboxes[0]
}

func classifyFile(cfg *config.Config, mb *config.Mailbox, eng *rules.Engine, file string, explain bool) classifyResult {
	res := classifyResult{File: file}
	if mb != nil {
		res.Mailbox = mb.Name
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	msg, err := parse.Parse(raw)
	if err != nil {
		res.Error = "unreadable mail, would be quarantined: " + err.Error()
		return res
	}
	if mb == nil {
		mb = mailboxFor(cfg, msg)
		res.Mailbox = mb.Name
	}
	res.MessageID, res.From, res.Subject = msg.MessageID, msg.From.Addr, msg.Subject
	res.Attachments, res.Warnings = len(msg.Attachments), msg.Warnings
	if n, ok := mailbot.FindTag(msg.Subject, cfg.Tickets.Prefix); ok {
		res.Tag = n.Tag(cfg.Tickets.Prefix)
	}
	t := mailbot.Classify(cfg, eng, mb, msg)
	if t.Robot {
		res.AutoSubmitted, res.Reason = true, t.RobotReason
		return res
	}
	d := t.Decision
	res.Type, res.Subtype, res.Rule, res.Reason, res.Project = d.Type, d.Subtype, d.Rule, d.Reason, d.Project
	res.SenderRoles, res.Matched, res.Cite = cfg.Roles.RolesOf(msg.From.Addr), d.Matched, d.Cite
	res.Position, res.PositionStatus = d.Position, d.PositionStatus
	res.BudgetItem, res.BudgetStatus, res.Announcement = d.BudgetID, d.BudgetStatus, d.Announcement
	res.BudgetItems = d.BudgetIDs
	res.Quantity = d.Quantity
	if d.Application != nil {
		res.Application, res.Responsibility = d.Application.Name, d.Application.Model
	}
	if explain {
		res.Candidates = mailbot.Candidates(cfg, eng, mb, msg)
	}
	return res
}
