package mailbot

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"mailbot/config"
	"mailbot/jourfixe"
	"mailbot/store"
)

// AgendaData is the store content agendas are built from: every agenda
// item, every task and the tickets they refer to (without history but for
// the last entry, which the agenda's "last state" needs).
type AgendaData struct {
	Items   []*store.AgendaItem `json:"items"`
	Tasks   []*store.Task       `json:"tasks"`
	Tickets []*store.Ticket     `json:"tickets"`
}

// ReadAgendaData reads the agenda items, the tasks and their tickets.
func ReadAgendaData(db *store.DB) (*AgendaData, error) {
	var d *AgendaData
	err := db.View(func(tx *store.Tx) error {
		var err error
		d, err = agendaData(tx)
		return err
	})
	return d, err
}

func agendaData(tx *store.Tx) (*AgendaData, error) {
	d := &AgendaData{}
	var err error
	if d.Items, err = tx.AgendaItems(); err != nil {
		return nil, err
	}
	if d.Tasks, err = tx.Tasks(); err != nil {
		return nil, err
	}
	want := map[store.Number]bool{}
	for _, it := range d.Items {
		want[it.Ticket] = true
	}
	for _, t := range d.Tasks {
		if !t.Ticket.IsZero() {
			want[t.Ticket] = true
		}
	}
	for n := range want {
		tk, err := tx.Ticket(n)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		tk.History = lastEvent(tk.History)
		d.Tickets = append(d.Tickets, tk)
	}
	return d, nil
}

// lastEvent keeps the newest history entry that is not a delivery note,
// the one jourfixe.LastState shows.
func lastEvent(h []store.Event) []store.Event {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Kind != store.EventDelivery {
			return h[i : i+1]
		}
	}
	return nil
}

// Agenda builds the agenda of the next meeting of series at or after now.
func (d *AgendaData) Agenda(cfg *config.Config, series string, now time.Time) (*jourfixe.Agenda, error) {
	s := cfg.JourFixe.SeriesByName(series)
	if s == nil {
		return nil, fmt.Errorf("jour fixe series %q is not configured, want one of: %s", series, strings.Join(seriesNames(cfg), ", "))
	}
	loc := cfg.JourFixe.Location()
	start, err := jourfixe.Next(s, loc, now.In(loc))
	if err != nil {
		return nil, err
	}
	in := jourfixe.Input{Tickets: map[store.Number]*store.Ticket{}, Items: d.Items, Tasks: d.Tasks, Prefix: cfg.Tickets.Prefix,
		Now: now}
	for _, tk := range d.Tickets {
		in.Tickets[tk.Number] = tk
	}
	return jourfixe.Build(s, start, cfg.JourFixe.Duration, in), nil
}

// registerJourFixeAPI adds GET /v1/agenda (AgendaData) and GET /v1/tasks.
func registerJourFixeAPI(mux *http.ServeMux, db *store.DB, log *slog.Logger) {
	mux.HandleFunc("GET /v1/agenda", func(w http.ResponseWriter, _ *http.Request) {
		d, err := ReadAgendaData(db)
		writeJSON(w, d, err, log)
	})
	mux.HandleFunc("GET /v1/tasks", func(w http.ResponseWriter, _ *http.Request) {
		list, err := ListTasks(db)
		writeJSON(w, list, err, log)
	})
}

// AgendaData reads the agenda data from the running service.
func (c *Client) AgendaData() (*AgendaData, error) {
	var d AgendaData
	if err := c.get("/v1/agenda", &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Tasks lists the tasks from the running service.
func (c *Client) Tasks() ([]*store.Task, error) {
	var list []*store.Task
	return list, c.get("/v1/tasks", &list)
}
