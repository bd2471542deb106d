package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mailbot/mailbot"
	"mailbot/store"
)

// ticketFlags are the flags of the commands that read tickets, agendas
// and tasks: where the store is, and whether to print JSON.
type ticketFlags struct {
	storeFlags
	json bool
}

func newTicketsCmd(g *globalFlags) *cobra.Command {
	f := &ticketFlags{}
	cmd := &cobra.Command{
		Use:   "tickets",
		Short: "List and show tickets, through the running service or from the store file",
	}
	f.register(cmd)
	show := &cobra.Command{
		Use:   "show NUMBER",
		Short: "Show one ticket with its history (NUMBER like 2026-00042 or IT-2026-00042)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := store.ParseNumber(args[0])
			if err != nil {
				return err
			}
			src, err := f.source(g)
			if err != nil {
				return err
			}
			defer src.close()
			tk, err := src.show(n)
			if err != nil {
				return err
			}
			if f.json {
				return writeJSONOut(cmd.OutOrStdout(), showJSON(tk, src.prefix))
			}
			return printTicket(cmd.OutOrStdout(), tk, src.prefix)
		},
	}
	cmd.AddCommand(newTicketListCmd(f, g), show)
	return cmd
}

// ticketSource reads tickets from the service's API when it runs, else from
// the store file opened read-only.
type ticketSource struct {
	client *mailbot.Client
	db     *store.DB
	prefix string
}

func (f *ticketFlags) source(g *globalFlags) (*ticketSource, error) {
	path, client, cfg, err := f.resolve(g)
	if err != nil {
		return nil, err
	}
	prefix := "IT"
	if cfg != nil {
		prefix = cfg.Tickets.Prefix
	}
	src := &ticketSource{client: client, prefix: prefix}
	if err := src.client.Ping(); err == nil {
		return src, nil
	} else if !errors.Is(err, mailbot.ErrNoService) {
		return nil, err
	}
	src.client = nil
	db, err := store.Open(path, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w, and no service listens on %s: does the running mailbot use another api.socket?", err, client.Socket())
	}
	if err != nil {
		return nil, err
	}
	src.db = db
	return src, nil
}

func (s *ticketSource) list(q mailbot.ListQuery) (*mailbot.TicketPage, error) {
	if s.client != nil {
		return s.client.ListPage(q)
	}
	return mailbot.ListPage(s.db, q)
}

func (s *ticketSource) show(n store.Number) (*store.Ticket, error) {
	if s.client != nil {
		return s.client.Ticket(n)
	}
	return mailbot.ShowTicket(s.db, n)
}

func (s *ticketSource) close() {
	if s.db != nil {
		s.db.Close()
	}
}

func writeJSONOut(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

const timeLayout = "2006-01-02 15:04"

func typeOf(t *store.Ticket) string {
	if t.Subtype != "" {
		return t.Subtype
	}
	return t.Type
}

func printList(w io.Writer, list []*store.Ticket, prefix string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tTYPE\tSTATUS\tREQUESTER\tSUBJECT\tCREATED\tUPDATED")
	for _, t := range list {
		fmt.Fprintf(tw, "%s-%s\t%s\t%s\t%s\t%s\t%s\t%s\n", prefix, t.Number, typeOf(t), t.Status, t.Requester,
			clip(t.Subject, 50), t.Created.Local().Format(timeLayout), t.Updated.Local().Format(timeLayout))
	}
	return tw.Flush()
}

func printTicket(w io.Writer, t *store.Ticket, prefix string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Number:\t%s-%s\n", prefix, t.Number)
	fmt.Fprintf(tw, "Type:\t%s\n", typeOf(t))
	fmt.Fprintf(tw, "Rule:\t%s\n", t.Rule)
	fmt.Fprintf(tw, "Reason:\t%s\n", t.Reason)
	if t.Project != "" {
		fmt.Fprintf(tw, "Project:\t%s\n", t.Project)
	}
	printTriage(tw, t)
	fmt.Fprintf(tw, "Status:\t%s\n", t.Status)
	printCommandFields(tw, t, prefix)
	fmt.Fprintf(tw, "Requester:\t%s\n", t.Requester)
	fmt.Fprintf(tw, "Subject:\t%s\n", t.Subject)
	fmt.Fprintf(tw, "Mailbox:\t%s\n", t.Mailbox)
	fmt.Fprintf(tw, "Created:\t%s\n", t.Created.Local().Format(timeLayout))
	fmt.Fprintf(tw, "Updated:\t%s\n", t.Updated.Local().Format(timeLayout))
	for _, a := range t.Attachments {
		fmt.Fprintf(tw, "Attachment:\t%s (%s, %d bytes)\n", a.Name, a.ContentType, a.Size)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nHistory:")
	for _, e := range t.History {
		fmt.Fprintf(w, "  %s  %-9s %s", e.At.Local().Format(timeLayout), e.Kind, e.Actor)
		if e.Subject != "" {
			fmt.Fprintf(w, "  %q", e.Subject)
		}
		if e.MessageID != "" {
			fmt.Fprintf(w, "  <%s>", e.MessageID)
		}
		fmt.Fprintln(w)
		if e.Text != "" {
			for _, line := range strings.Split(clip(e.Text, 2000), "\n") {
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
