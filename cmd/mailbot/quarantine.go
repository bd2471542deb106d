package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

func newQuarantineCmd(g *globalFlags) *cobra.Command {
	f := &storeFlags{}
	var asJSON bool
	var mailbox string
	cmd := &cobra.Command{
		Use:   "quarantine",
		Short: "List quarantined mails and release them for another try",
	}
	f.register(cmd)
	list := &cobra.Command{
		Use:   "list",
		Short: "List the mails in quarantine with the reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			entries, err := listQuarantine(f, g)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(cmd.OutOrStdout(), entries)
			}
			return printQuarantine(cmd.OutOrStdout(), entries)
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	release := &cobra.Command{
		Use:   "release [--mailbox NAME] UID",
		Short: "Move a quarantined mail back to its watched folder, to be handled again",
		Long: `release moves the mail that was quarantined from UID of the watched
folder (the UID that quarantine list shows) back to that folder, where
mailbot handles it again as a new mail. Fix the cause first, for example
raise limits.max_message_bytes or correct a template, and restart the
service. While mailbot run holds the store, the service does the move;
otherwise this command logs in to the IMAP server itself, which needs
--config with the mailbox passwords.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			uid, err := strconv.ParseUint(args[0], 10, 32)
			if err != nil || uid == 0 {
				return fmt.Errorf("invalid UID %q: want the number quarantine list shows", args[0])
			}
			e, err := releaseQuarantined(cmd.Context(), f, g, mailbox, uint32(uid))
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), releasedLine(e))
			return nil
		},
	}
	release.Flags().StringVar(&mailbox, "mailbox", "", "mailbox name from the configuration; needed when the UID is quarantined in several")
	cmd.AddCommand(list, release)
	return cmd
}

func listQuarantine(f *storeFlags, g *globalFlags) ([]*store.QuarantineEntry, error) {
	path, client, _, err := f.resolve(g)
	if err != nil {
		return nil, err
	}
	entries, err := client.Quarantine()
	if !errors.Is(err, mailbot.ErrNoService) {
		return entries, err
	}
	db, err := store.Open(path, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return mailbot.ListQuarantine(db)
}

func releaseQuarantined(ctx context.Context, f *storeFlags, g *globalFlags, mailbox string, uid uint32) (*store.QuarantineEntry, error) {
	path, client, _, err := f.resolve(g)
	if err != nil {
		return nil, err
	}
	e, err := client.Release(mailbox, uid)
	if !errors.Is(err, mailbot.ErrNoService) {
		return e, err
	}
	if g.config == "" {
		return nil, errors.New("no service runs, so release logs in to the IMAP server itself: use --config FILE")
	}
	cfg, err := config.Load(g.config)
	if err != nil {
		return nil, err
	}
	log, err := g.logger(os.Stderr)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return mailbot.Release(ctx, cfg, db, log, mailbox, uid)
}

func printQuarantine(w io.Writer, list []*store.QuarantineEntry) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "no mails in quarantine")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MAILBOX\tUID\tQUARANTINED\tFROM\tSUBJECT\tREASON")
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", e.Mailbox, e.UID, e.At.Local().Format(timeLayout),
			clip(e.From, 40), clip(e.Subject, 40), e.Reason)
	}
	return tw.Flush()
}

// releasedLine reports a released mail, with its subject when it has one.
func releasedLine(e *store.QuarantineEntry) string {
	subject := ""
	if strings.TrimSpace(e.Subject) != "" {
		subject = fmt.Sprintf(" (subject %q)", e.Subject)
	}
	return fmt.Sprintf("released uid %d of mailbox %s%s to be handled again", e.UID, e.Mailbox, subject)
}
