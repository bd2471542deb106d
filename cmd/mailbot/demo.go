package main

import (
	"os"

	"github.com/spf13/cobra"

	"mailbot/demo"
)

func newDemoCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run mailbot on in-process IMAP and SMTP servers with sample mails and print a transcript",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("log-level") {
				g.logLevel = "warn" // keep the transcript readable
			}
			log, err := g.logger(os.Stderr)
			if err != nil {
				return err
			}
			return demo.Run(cmd.Context(), os.Stdout, log)
		},
	}
}
