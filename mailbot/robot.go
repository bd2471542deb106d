// Package mailbot is the engine of the ticket robot: it watches the
// configured IMAP mailboxes, turns each new mail into a ticket change in one
// store transaction, queues the German replies in the outbox and sends them
// over SMTP.
//
// The order of effects is what keeps mail from being lost or answered
// twice: a mail is fetched with BODY.PEEK, its ticket change, outgoing mails
// and UID record are committed together, and only then is it moved on the
// server. The outbox sender runs on its own and marks a mail sent after the
// SMTP server accepted it.
package mailbot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"mailbot/config"
	"mailbot/rules"
	"mailbot/store"
	"mailbot/templates"
)

// Robot is one running mailbot.
type Robot struct {
	cfg   *config.Config
	db    *store.DB
	rules *rules.Engine
	tmpl  *templates.Set
	log   *slog.Logger
	cmds  *commandTable

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// OnHandled, when set, is called after each incoming mail is committed.
	OnHandled func(Handled)
	// OnSent, when set, is called after each outgoing mail is finished.
	OnSent func(*store.OutMail)
	// Budget, when set, lists the approved budget items for #budget.
	Budget BudgetRegister

	kick     chan struct{} // wakes the outbox sender
	metrics  *metrics
	ownAddrs map[string]bool
	robots   *RobotCheck
	counters Counters
	mu       sync.Mutex
	busy     map[string]bool // mailboxes in the middle of a sync
	// digest gathers IT notices while a fetch batch is decided; set only
	// inside that batch's store transaction (see commitBatch).
	digest *noticeDigest
}

// Handled describes what became of one incoming mail.
type Handled struct {
	Mailbox   string
	UID       uint32
	MessageID string
	From      string
	Subject   string
	Record    store.UIDRecord
	Type      string
	Subtype   string
	Rule      string
}

// New builds a robot from a validated configuration and an open store.
func New(cfg *config.Config, db *store.DB, log *slog.Logger) (*Robot, error) {
	if p := cfg.PathProblems(); len(p) > 0 {
		return nil, fmt.Errorf("config: %s", strings.Join(p, "; "))
	}
	eng, err := LoadRules(cfg)
	if err != nil {
		return nil, err
	}
	tmpl, err := templates.Load(cfg.Templates.Dir)
	if err == nil {
		err = tmpl.Check()
	}
	if err != nil {
		return nil, fmt.Errorf("templates.dir %s: %w", cfg.Templates.Dir, err)
	}
	// A bad CA file would otherwise only show when sending fails.
	if _, err := TLSConfig(cfg.IMAP.Host, cfg.IMAP.CAFile, false); err != nil {
		return nil, fmt.Errorf("imap.ca_file: %w", err)
	}
	if _, err := TLSConfig(cfg.SMTP.Host, cfg.SMTP.CAFile, false); err != nil {
		return nil, fmt.Errorf("smtp.ca_file: %w", err)
	}
	cmds, err := newCommandTable(cfg.Commands)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	r := &Robot{cfg: cfg, db: db, rules: eng, tmpl: tmpl, log: log, Now: time.Now, cmds: cmds,
		kick: make(chan struct{}, 1), ownAddrs: OwnAddresses(cfg), robots: NewRobotCheck(cfg), busy: map[string]bool{},
		metrics: newMetrics(db)}
	if cfg.Registers.BudgetItems != "" {
		r.Budget = registerBudget{eng.Registers()}
	}
	return r, nil
}

// Run watches every mailbox and sends the outbox until ctx is cancelled,
// then finishes the mail in hand and returns.
func (r *Robot) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for i := range r.cfg.Mailboxes {
		mb := &r.cfg.Mailboxes[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.watch(ctx, mb)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.sendLoop(ctx)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.jourFixeLoop(ctx)
	}()
	r.log.Info("mailbot started", "mailboxes", len(r.cfg.Mailboxes), "store", r.db.Path())
	wg.Wait()
	r.log.Info("mailbot stopped")
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// Kick wakes the outbox sender.
func (r *Robot) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Idle reports whether no mailbox is syncing and the outbox is empty. The
// demo and the tests use it to know when all work is done.
func (r *Robot) Idle() (bool, error) {
	r.mu.Lock()
	for _, b := range r.busy {
		if b {
			r.mu.Unlock()
			return false, nil
		}
	}
	r.mu.Unlock()
	var n int
	err := r.db.View(func(tx *store.Tx) error {
		n = tx.OutboxLen()
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read outbox: %w", err)
	}
	return n == 0, nil
}

func (r *Robot) setBusy(mailbox string, b bool) {
	r.mu.Lock()
	r.busy[mailbox] = b
	r.mu.Unlock()
}

// sleep waits for d or until ctx is done; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
