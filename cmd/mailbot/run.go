package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

func newRunCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "run --config FILE",
		Short: "Run the service: watch the mailboxes, make tickets, send replies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.config == "" {
				return errors.New("run needs --config FILE (see config.example.yaml)")
			}
			log, err := g.logger(os.Stderr)
			if err != nil {
				return err
			}
			cfg, err := config.Load(g.config)
			if err != nil {
				return err
			}
			db, err := store.Open(cfg.Store.Path, store.Options{})
			if err != nil {
				return err
			}
			defer func() {
				if err := db.Close(); err != nil {
					log.Error("close store", "err", err)
				}
			}()
			robot, err := mailbot.New(cfg, db, log)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			apiDone := make(chan error, 1)
			go func() { apiDone <- mailbot.ServeAPI(ctx, cfg.API.Socket, db, log) }()
			runErr := robot.Run(ctx)
			stop()
			if err := <-apiDone; err != nil && !errors.Is(err, context.Canceled) {
				log.Error("local API stopped", "err", err)
			}
			return runErr
		},
	}
}
