package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"mailbot/config"
	"mailbot/mailbot"
	"mailbot/store"
)

// profileRobot runs mailbot in this process with a CPU profile written to
// path, until ackAddrs hold want mails, and returns the time taken. It is
// for finding where mailbot spends its time, so the run's other figures
// come from the binary.
func (b *bench) profileRobot(cfgPath, path string, ackAddrs []string, want int) (time.Duration, error) {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return 0, err
	}
	db, err := store.Open(cfg.Store.Path, store.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	r, err := mailbot.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- r.Run(ctx) }()
	end, waitErr := b.srv.waitCount(ackAddrs, want, 60*time.Second+time.Duration(want)*50*time.Millisecond)
	pprof.StopCPUProfile()
	cancel()
	if err := <-done; err != nil {
		return 0, fmt.Errorf("run mailbot in process: %w", err)
	}
	return end.Sub(start), waitErr
}
