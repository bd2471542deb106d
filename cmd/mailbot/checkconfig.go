package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/templates"
)

func newCheckConfigCmd(g *globalFlags) *cobra.Command {
	var connect bool
	cmd := &cobra.Command{
		Use:   "check-config --config FILE [--connect]",
		Short: "Validate the configuration file; with --connect also log in to the servers",
		Long: `check-config reads the configuration as mailbot run does and prints
every problem with the key it concerns: unknown keys, invalid values,
passwords written into the file, missing roles, unreadable password and
CA files, missing or invalid rules, register and template files (each
template is rendered once with sample data). Warnings (unencrypted connections to other hosts, roles without
addresses) do not fail the check. With --connect it also logs in to the
IMAP server as each mailbox, selects the watched folder, and connects and
authenticates to the SMTP server; it sends no mail.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.config == "" {
				return errors.New("check-config needs --config FILE")
			}
			return checkConfig(cmd.Context(), cmd.OutOrStdout(), g.config, connect)
		},
	}
	cmd.Flags().BoolVar(&connect, "connect", false, "also log in to the IMAP and SMTP servers")
	return cmd
}

// errCheckFailed is returned after the problems were printed.
var errCheckFailed = errors.New("configuration check failed")

func checkConfig(ctx context.Context, w io.Writer, path string, connect bool) error {
	cfg, errs, err := config.LoadProblems(path)
	if err != nil {
		fmt.Fprintln(w, "error:", err)
		return errCheckFailed
	}
	roleErrs, warns := cfg.RoleProblems()
	errs = append(errs, roleErrs...)
	errs = append(errs, cfg.PathProblems()...)
	warns = append(cfg.Warnings(), warns...)
	errs = append(errs, config.ErrorLines(cfg.ResolveSecrets())...)
	errs = append(errs, contentProblems(cfg, errs)...)
	if _, err := mailbot.TLSConfig(cfg.IMAP.Host, cfg.IMAP.CAFile, false); err != nil {
		errs = append(errs, "imap.ca_file: "+err.Error())
	}
	if _, err := mailbot.TLSConfig(cfg.SMTP.Host, cfg.SMTP.CAFile, false); err != nil {
		errs = append(errs, "smtp.ca_file: "+err.Error())
	}
	if connect && len(errs) == 0 {
		errs = append(errs, mailbot.CheckConnections(ctx, cfg, slog.New(slog.DiscardHandler))...)
	}
	for _, s := range warns {
		fmt.Fprintln(w, "warning:", s)
	}
	for _, s := range errs {
		fmt.Fprintln(w, "error:", s)
	}
	if len(errs) > 0 {
		fmt.Fprintf(w, "%s: invalid configuration, %d %s\n", path, len(errs), plural(len(errs), "error", "errors"))
		return errCheckFailed
	}
	what := "configuration is valid"
	if connect {
		what += "; IMAP and SMTP logins work"
	}
	fmt.Fprintf(w, "%s: %s\n", path, what)
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// contentProblems reads the rules file, the registers and the template
// overrides as mailbot run does, and renders every template with sample
// data, so an error there fails the check rather than the start. The rules
// and registers are skipped when found lists a missing one already.
func contentProblems(cfg *config.Config, found []string) []string {
	var p []string
	missing := slices.ContainsFunc(found, func(s string) bool {
		return strings.HasPrefix(s, "registers.") || strings.HasPrefix(s, "rules.file:")
	})
	if _, err := mailbot.LoadRules(cfg); err != nil && !missing {
		p = append(p, err.Error())
	}
	tmpl, err := templates.Load(cfg.Templates.Dir)
	if err == nil {
		err = tmpl.Check()
	}
	for _, line := range config.ErrorLines(err) {
		p = append(p, "templates.dir: "+line)
	}
	return p
}
