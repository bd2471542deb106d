package main

import (
	"errors"

	"github.com/spf13/cobra"

	"mailbot/config"
	"mailbot/mailbot"
)

// storeFlags locate the store and the running service's API socket, as
// `mailbot tickets` does: --db and --socket, else the configuration.
type storeFlags struct {
	db     string
	socket string
}

func (f *storeFlags) register(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&f.db, "db", "", "store file (default: store.path of the configuration)")
	cmd.PersistentFlags().StringVar(&f.socket, "socket", "", "API socket of a running service (default: the store file + .sock)")
}

// resolve returns the store path, the API client and the configuration
// (nil without --config), read without secrets.
func (f *storeFlags) resolve(g *globalFlags) (string, *mailbot.Client, *config.Config, error) {
	path, socket := f.db, f.socket
	var cfg *config.Config
	if g.config != "" {
		var err error
		if cfg, err = config.LoadWithoutSecrets(g.config); err != nil {
			return "", nil, nil, err
		}
		if path == "" {
			path = cfg.Store.Path
		}
		if socket == "" && f.db == "" {
			socket = cfg.API.Socket
		}
	}
	if path == "" {
		return "", nil, nil, errors.New("no store given: use --config FILE or --db FILE")
	}
	if socket == "" {
		socket = path + ".sock"
	}
	return path, mailbot.NewClient(socket), cfg, nil
}
