package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"mailbot/mailbot"
	"mailbot/store"
)

func newBackupCmd(g *globalFlags) *cobra.Command {
	f := &storeFlags{}
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the store to FILE, through the running service or from the store file",
		Long: `backup writes a consistent copy of the bbolt store to FILE (mode 0600),
through a temporary file that replaces FILE only once it is complete and
checked. While mailbot run holds the store, the copy comes from the
service over its API socket; otherwise the store file is opened read-only.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, client, _, err := f.resolve(g)
			if err != nil {
				return err
			}
			target := args[0]
			protected := []string{path, client.Socket()}
			n, err := store.WriteBackupFile(target, client.Backup, protected...)
			via := "the running service"
			if errors.Is(err, mailbot.ErrNoService) {
				via = path
				n, err = backupFile(path, target, protected)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d bytes) from %s\n", target, n, via)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

// backupFile copies the store at path, which no service holds, to target.
func backupFile(path, target string, protected []string) (int64, error) {
	db, err := store.Open(path, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return 0, fmt.Errorf("%w, and no service answers on its API socket: does the running mailbot use another api.socket?", err)
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return store.WriteBackupFile(target, func(w io.Writer) (int64, error) { return db.WriteBackup(w) }, protected...)
}
