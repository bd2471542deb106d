package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/mailbot"
	"mailbot/store"
)

func newAgendaCmd(g *globalFlags) *cobra.Command {
	f := &ticketFlags{}
	var series string
	cmd := &cobra.Command{
		Use:   "agenda --config FILE [--series it|digi] [--json]",
		Short: "Print the agenda of the next jour fixe of each series, or of one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.config == "" {
				return errors.New("agenda needs --config FILE: the jour fixe series are configured there")
			}
			cfg, err := config.LoadWithoutSecrets(g.config)
			if err != nil {
				return err
			}
			names := []string{series}
			if series == "" {
				names = nil
				for _, s := range cfg.JourFixe.Series {
					names = append(names, s.Name)
				}
				if len(names) == 0 {
					return fmt.Errorf("config %s has no jourfixe.series", g.config)
				}
			}
			src, err := f.source(g)
			if err != nil {
				return err
			}
			defer src.close()
			data, err := src.agendaData()
			if err != nil {
				return err
			}
			var agendas []*jourfixe.Agenda
			for _, name := range names {
				a, err := data.Agenda(cfg, name, time.Now())
				if err != nil {
					return err
				}
				agendas = append(agendas, a)
			}
			if f.json {
				return writeJSONOut(cmd.OutOrStdout(), agendas)
			}
			for i, a := range agendas {
				if i > 0 {
					fmt.Fprintln(cmd.OutOrStdout())
				}
				fmt.Fprint(cmd.OutOrStdout(), a.Text())
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&series, "series", "", "jour fixe series: it or digi (default: every configured series)")
	return cmd
}

func newTasksCmd(g *globalFlags) *cobra.Command {
	f := &ticketFlags{}
	cmd := &cobra.Command{
		Use:   "tasks [--json]",
		Short: "List the jour fixe tasks: who, what, with whom, by when",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			src, err := f.source(g)
			if err != nil {
				return err
			}
			defer src.close()
			tasks, err := src.tasks()
			if err != nil {
				return err
			}
			if f.json {
				if tasks == nil {
					tasks = []*store.Task{}
				}
				return writeJSONOut(cmd.OutOrStdout(), tasks)
			}
			return printTasks(cmd.OutOrStdout(), tasks, src.prefix)
		},
	}
	f.register(cmd)
	return cmd
}

// register adds the store and --json flags to cmd and its subcommands.
func (f *ticketFlags) register(cmd *cobra.Command) {
	f.storeFlags.register(cmd)
	cmd.PersistentFlags().BoolVar(&f.json, "json", false, "print JSON")
}

func (s *ticketSource) agendaData() (*mailbot.AgendaData, error) {
	if s.client != nil {
		return s.client.AgendaData()
	}
	return mailbot.ReadAgendaData(s.db)
}

func (s *ticketSource) tasks() ([]*store.Task, error) {
	if s.client != nil {
		return s.client.Tasks()
	}
	return mailbot.ListTasks(s.db)
}

func printTasks(w io.Writer, tasks []*store.Task, prefix string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tOWNER\tWHAT\tWITH\tDUE\tTICKET\tCREATED")
	for _, t := range tasks {
		due, ticket := "-", "-"
		if !t.Due.IsZero() {
			due = t.Due.Format("2006-01-02")
		}
		if !t.Ticket.IsZero() {
			ticket = prefix + "-" + t.Ticket.String()
		}
		with := strings.Join(t.With, ",")
		if with == "" {
			with = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.State, t.Owner, clip(t.What, 50), with, due, ticket,
			t.Created.Local().Format(timeLayout))
	}
	return tw.Flush()
}
