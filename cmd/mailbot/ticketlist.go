package main

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"

	"mailbot/mailbot"
)

// listFlags are the flags of `tickets list` that select the page.
type listFlags struct {
	all       bool
	limit     int
	before    string
	requester string
}

func newTicketListCmd(f *ticketFlags, g *globalFlags) *cobra.Command {
	lf := &listFlags{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the open tickets, newest first",
		Long: `List the open tickets, newest first, at most --limit of them.
--all includes the tickets with a final status (closed, withdrawn,
merged, approved, rejected). When more tickets are selected than shown,
a line on stderr gives the --before value of the next page. --json
prints the tickets as a JSON array and that line on stderr as well.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := lf.query(cmd)
			if err != nil {
				return err
			}
			src, err := f.source(g)
			if err != nil {
				return err
			}
			defer src.close()
			page, err := src.list(q)
			if err != nil {
				return err
			}
			if f.json {
				err = writeJSONOut(cmd.OutOrStdout(), listJSON(page.Tickets, src.prefix))
			} else {
				err = printList(cmd.OutOrStdout(), page.Tickets, src.prefix)
			}
			if err != nil {
				return err
			}
			if page.More {
				fmt.Fprintf(cmd.ErrOrStderr(), "more tickets: use --before %s for the next page, or --limit 0\n", page.NextBefore)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&lf.all, "all", false, "include tickets with a final status (closed, withdrawn, merged, approved, rejected)")
	cmd.Flags().IntVar(&lf.limit, "limit", mailbot.DefaultListLimit, "list at most `N` tickets; 0 lists all")
	cmd.Flags().StringVar(&lf.before, "before", "", "list only tickets numbered below `NUMBER` (like 2026-00042 or IT-2026-00042), for the next page")
	cmd.Flags().StringVar(&lf.requester, "requester", "", "list only tickets that `ADDR` requested")
	return cmd
}

// query checks the flags as the service checks the query parameters of
// its API, so that both sources reject the same values.
func (lf *listFlags) query(cmd *cobra.Command) (mailbot.ListQuery, error) {
	v := url.Values{}
	v.Set("all", strconv.FormatBool(lf.all))
	v.Set("limit", strconv.Itoa(lf.limit))
	if cmd.Flags().Changed("before") {
		v.Set("before", lf.before)
	}
	if cmd.Flags().Changed("requester") {
		v.Set("requester", lf.requester)
	}
	q, err := mailbot.ParseListQuery(v)
	if err != nil {
		return q, fmt.Errorf("tickets list: %w", err)
	}
	return q, nil
}
