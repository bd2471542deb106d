// Command mailbot turns the mail of an office's support and digitalisation
// addresses into tracked IT tickets. See README.md.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
)

type globalFlags struct {
	config    string
	logFormat string
	logLevel  string
}

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "mailbot:", err)
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "mailbot",
		Short:         "IT ticket robot for an office's support and digitalisation mailboxes",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.config, "config", "", "configuration file (YAML)")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	root.AddCommand(newRunCmd(g), newDemoCmd(g), newClassifyCmd(g), newTicketsCmd(g))
	root.AddCommand(newQuarantineCmd(g), newBackupCmd(g), newCheckConfigCmd(g), newBreakerCmd(g))
	root.AddCommand(newAgendaCmd(g), newTasksCmd(g))
	return root
}

// logger builds the process logger on stderr.
func (g *globalFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, fmt.Errorf("invalid --log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch g.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("invalid --log-format %q: want text or json", g.logFormat)
}
