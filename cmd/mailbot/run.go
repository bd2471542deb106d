package main

import (
	"context"
	"errors"
	"log/slog"
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
			for _, w := range cfg.Warnings() {
				log.Warn("insecure configuration", "problem", w)
			}
			// check-config calls a missing it or admin role an error. The
			// service still runs, so that a role can be added later, but
			// logs the problem at the start, not first when a notice is lost.
			roleErrs, roleWarns := cfg.RoleProblems()
			for _, p := range roleErrs {
				log.Error("role without addresses, its notices go nowhere", "problem", p)
			}
			for _, p := range roleWarns {
				log.Warn("role without addresses", "problem", p)
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
			go func() { apiDone <- mailbot.ServeAPI(ctx, cfg.API.Socket, db, log, mailbot.OpsHandlers(cfg, db, log)) }()
			go serveMetrics(ctx, robot, cfg.Metrics.Listen, log)
			runErr := robot.Run(ctx)
			stop()
			if err := <-apiDone; err != nil && !errors.Is(err, context.Canceled) {
				log.Error("local API stopped", "err", err)
			}
			return runErr
		},
	}
}

// serveMetrics serves /healthz and /metrics unless metrics.listen is
// empty. A failure is logged and not fatal: handling mail matters more.
func serveMetrics(ctx context.Context, robot *mailbot.Robot, addr string, log *slog.Logger) {
	if addr == "" {
		return
	}
	if err := robot.ServeMetrics(ctx, addr, log); err != nil {
		log.Error("metrics endpoint stopped", "err", err)
	}
}
