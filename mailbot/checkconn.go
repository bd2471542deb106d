package mailbot

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/emersion/go-imap/v2"

	"mailbot/config"
)

// CheckConnections logs in to the IMAP server as each mailbox and examines
// its watched folder, then connects and authenticates to the SMTP server
// without sending. It returns one message per failure, each naming the
// configuration key concerned. cfg needs resolved passwords.
func CheckConnections(ctx context.Context, cfg *config.Config, log *slog.Logger) []string {
	var problems []string
	for i := range cfg.Mailboxes {
		mb := &cfg.Mailboxes[i]
		if err := checkIMAP(cfg, mb, log); err != nil {
			problems = append(problems, fmt.Sprintf("mailboxes[%d] (%s): imap.host %s: %v", i, mb.Name, cfg.IMAP.Host, err))
		}
	}
	if err := checkSMTP(ctx, cfg); err != nil {
		problems = append(problems, fmt.Sprintf("smtp.host %s: %v", cfg.SMTP.Host, err))
	}
	return problems
}

func checkIMAP(cfg *config.Config, mb *config.Mailbox, log *slog.Logger) error {
	ic, err := dialIMAP(cfg.IMAP, mb, log)
	if err != nil {
		return err
	}
	defer ic.close()
	return ic.do("examine "+mb.Folder, func() error {
		_, err := ic.c.Select(mb.Folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
}

func checkSMTP(ctx context.Context, cfg *config.Config) error {
	r := &Robot{cfg: cfg}
	c, err := r.smtpClient()
	if err != nil {
		return err
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("connect and log in: %w", err)
	}
	return c.CloseWithSMTPClient(sc)
}
