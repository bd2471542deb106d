package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"time"

	"github.com/spf13/cobra"

	"mailbot/mailbot"
	"mailbot/store"
)

func newBreakerCmd(g *globalFlags) *cobra.Command {
	f := &storeFlags{}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "breaker",
		Short: "Show or reset the circuit breaker on automatic mail",
	}
	f.register(cmd)
	status := &cobra.Command{
		Use:   "status",
		Short: "Show whether the circuit breaker holds automatic mail back",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			br, open, err := breakerStatus(f, g)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONOut(cmd.OutOrStdout(), map[string]any{"breaker": br, "open": open})
			}
			printBreaker(cmd.OutOrStdout(), br, open)
			return nil
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var by string
	reset := &cobra.Command{
		Use:   "reset",
		Short: "Let automatic mail go out again before brakes.breaker_pause ends",
		Long: `reset closes an open circuit breaker, so that acknowledgements and
notices go out again. Check the log for the cause first: the breaker
trips when mailbot sends more automatic mail in an hour than
brakes.breaker_min_hourly and brakes.breaker_factor allow, as in a mail
loop or a large backlog. For the hour after a reset only the mails sent
since then count, so a loop that goes on trips it again. Mails held
while it was open are not sent later; their tickets' histories list them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if by == "" {
				by = operatorName()
			}
			if err := mailbot.CheckOperatorName(by); err != nil {
				return fmt.Errorf("invalid --by %q: %w", by, err)
			}
			br, wasOpen, err := resetBreaker(f, g, by)
			if err != nil {
				return err
			}
			if !wasOpen {
				fmt.Fprintln(cmd.OutOrStdout(), "The circuit breaker is not open; nothing to reset.")
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Circuit breaker reset by %s; it had tripped at %s with %d automatic mails in an hour (limit %d).\n",
				by, br.TrippedAt.Local().Format(timeLayout), br.LastHour, br.Limit)
			return nil
		},
	}
	reset.Flags().StringVar(&by, "by", "", "operator name for the log (default: the login name)")
	cmd.AddCommand(status, reset)
	return cmd
}

func operatorName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "operator"
}

func breakerStatus(f *storeFlags, g *globalFlags) (store.Breaker, bool, error) {
	path, client, _, err := f.resolve(g)
	if err != nil {
		return store.Breaker{}, false, err
	}
	br, open, err := client.Breaker()
	if !errors.Is(err, mailbot.ErrNoService) {
		return br, open, err
	}
	db, err := store.Open(path, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return store.Breaker{}, false, err
	}
	defer db.Close()
	br, err = mailbot.BreakerStatus(db)
	return br, time.Now().Before(br.Until), err
}

func resetBreaker(f *storeFlags, g *globalFlags, by string) (store.Breaker, bool, error) {
	path, client, _, err := f.resolve(g)
	if err != nil {
		return store.Breaker{}, false, err
	}
	br, wasOpen, err := client.ResetBreaker(by)
	if !errors.Is(err, mailbot.ErrNoService) {
		return br, wasOpen, err
	}
	// A read-write open would create a missing file: a mistyped path
	// must not report a new, empty store's closed breaker.
	if _, err := os.Stat(path); err != nil {
		return store.Breaker{}, false, fmt.Errorf("store %s: %w", path, err)
	}
	db, err := store.Open(path, store.Options{LockTimeout: time.Second})
	if err != nil {
		return store.Breaker{}, false, err
	}
	defer db.Close()
	log, err := g.logger(os.Stderr)
	if err != nil {
		return store.Breaker{}, false, err
	}
	return mailbot.ResetBreaker(db, log, time.Now(), by)
}

func printBreaker(w io.Writer, br store.Breaker, open bool) {
	switch {
	case open:
		fmt.Fprintf(w, "open: automatic mail is held back until %s.\n", br.Until.Local().Format(timeLayout))
		fmt.Fprintf(w, "Tripped at %s with %d automatic mails in an hour (limit %d). `mailbot breaker reset` closes it.\n",
			br.TrippedAt.Local().Format(timeLayout), br.LastHour, br.Limit)
	case br.TrippedAt.IsZero():
		fmt.Fprintln(w, "closed: the circuit breaker has never tripped.")
	default:
		fmt.Fprintf(w, "closed: last tripped at %s with %d automatic mails in an hour (limit %d)",
			br.TrippedAt.Local().Format(timeLayout), br.LastHour, br.Limit)
		if !br.ResetAt.IsZero() {
			fmt.Fprintf(w, ", reset by %s at %s", br.ResetBy, br.ResetAt.Local().Format(timeLayout))
		}
		fmt.Fprintln(w, ".")
	}
}
