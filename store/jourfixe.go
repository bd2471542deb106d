package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Buckets of the jour fixe bookkeeping:
//
//	agenda:   ticket key (8 bytes) → AgendaItem as JSON, tickets on an agenda
//	tasks:    8-byte big-endian id → Task as JSON
//	meetings: series name + 0x00 + "2006-01-02" → Meeting as JSON, agendas mailed
var (
	bucketAgenda   = []byte("agenda")
	bucketTasks    = []byte("tasks")
	bucketMeetings = []byte("meetings")
)

// The buckets are registered here rather than in the list in store.go so
// that this file carries the whole jour fixe layout.
func init() {
	allBuckets = append(allBuckets, bucketAgenda, bucketTasks, bucketMeetings)
}

// Ticket states set by a jour fixe decision.
const (
	StatusApproved = "approved" // freigegeben by the IT jour fixe
	StatusRejected = "rejected" // abgelehnt by the IT jour fixe
)

// Event kinds of the jour fixe.
const (
	EventEscalated = "escalated"
	EventDecision  = "decision"
	EventTask      = "task"
)

// Reasons for a ticket to be on an agenda.
const (
	AgendaEscalated = "escalated" // past its limit or escalated by command
	AgendaProject   = "project"   // a mini-project routed to the meeting
)

// AgendaItem puts a ticket on the agenda of the next meeting of a series
// until a decision takes it off.
type AgendaItem struct {
	Ticket   Number    `json:"ticket"`
	Series   string    `json:"series"` // it or digi
	Reason   string    `json:"reason"` // AgendaEscalated or AgendaProject
	Since    time.Time `json:"since"`
	By       string    `json:"by,omitempty"`   // address, or empty for the escalation scanner
	Text     string    `json:"text,omitempty"` // why, in German
	Deferred int       `json:"deferred,omitempty"`
}

// PutAgendaItem adds or replaces the agenda item of a ticket.
func (t *Tx) PutAgendaItem(it *AgendaItem) error {
	b, err := t.bucket(bucketAgenda)
	if err != nil {
		return err
	}
	if err := putJSON(b, it.Ticket.key(), it); err != nil {
		return fmt.Errorf("store agenda item of ticket %s: %w", it.Ticket, err)
	}
	return nil
}

// AgendaItem returns the agenda item of ticket n, or nil when it has none.
func (t *Tx) AgendaItem(n Number) (*AgendaItem, error) {
	b, err := t.bucket(bucketAgenda)
	if err != nil {
		return nil, err
	}
	v := b.Get(n.key())
	if v == nil {
		return nil, nil
	}
	var it AgendaItem
	if err := json.Unmarshal(v, &it); err != nil {
		return nil, fmt.Errorf("decode agenda item of ticket %s: %w", n, err)
	}
	return &it, nil
}

// DeleteAgendaItem takes ticket n off every agenda.
func (t *Tx) DeleteAgendaItem(n Number) error {
	b, err := t.bucket(bucketAgenda)
	if err != nil {
		return err
	}
	return b.Delete(n.key())
}

// AgendaItems returns every agenda item in ticket order.
func (t *Tx) AgendaItems() ([]*AgendaItem, error) {
	b, err := t.bucket(bucketAgenda)
	if err != nil {
		return nil, err
	}
	var out []*AgendaItem
	err = b.ForEach(func(k, v []byte) error {
		var it AgendaItem
		if err := json.Unmarshal(v, &it); err != nil {
			return fmt.Errorf("decode agenda item of ticket %s: %w", numberFromKey(k), err)
		}
		out = append(out, &it)
		return nil
	})
	return out, err
}

// Task states.
const (
	TaskOpen = "open"
	TaskDone = "done"
)

// Task is one line of the jour fixe's binding task list: who does what
// with whom by when.
type Task struct {
	ID        uint64    `json:"id"`
	Ticket    Number    `json:"ticket,omitzero"`
	Owner     string    `json:"owner"` // address of who is responsible
	What      string    `json:"what"`
	With      []string  `json:"with,omitempty"` // addresses to clarify it with
	Due       time.Time `json:"due,omitzero"`   // midnight of the due day in the jour fixe zone
	State     string    `json:"state"`
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by,omitempty"`
	Closed    time.Time `json:"closed,omitzero"`
	ClosedBy  string    `json:"closed_by,omitempty"`
	Reminded  time.Time `json:"reminded,omitzero"` // when the owner was reminded of the due date
}

// AddTask stores a new task and assigns its ID.
func (t *Tx) AddTask(tk *Task) error {
	b, err := t.bucket(bucketTasks)
	if err != nil {
		return err
	}
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("task sequence: %w", err)
	}
	tk.ID = id
	if tk.State == "" {
		tk.State = TaskOpen
	}
	return t.PutTask(tk)
}

// PutTask writes a changed task.
func (t *Tx) PutTask(tk *Task) error {
	b, err := t.bucket(bucketTasks)
	if err != nil {
		return err
	}
	if err := putJSON(b, idKey(tk.ID), tk); err != nil {
		return fmt.Errorf("store task %d: %w", tk.ID, err)
	}
	return nil
}

// ErrNoTask means the requested task does not exist.
var ErrNoTask = errors.New("task not found")

// Task loads one task, or returns ErrNoTask.
func (t *Tx) Task(id uint64) (*Task, error) {
	b, err := t.bucket(bucketTasks)
	if err != nil {
		return nil, err
	}
	v := b.Get(idKey(id))
	if v == nil {
		return nil, fmt.Errorf("task %d: %w", id, ErrNoTask)
	}
	var tk Task
	if err := json.Unmarshal(v, &tk); err != nil {
		return nil, fmt.Errorf("decode task %d: %w", id, err)
	}
	return &tk, nil
}

// Tasks returns every task in ID order.
func (t *Tx) Tasks() ([]*Task, error) {
	b, err := t.bucket(bucketTasks)
	if err != nil {
		return nil, err
	}
	var out []*Task
	err = b.ForEach(func(k, v []byte) error {
		var tk Task
		if err := json.Unmarshal(v, &tk); err != nil {
			return fmt.Errorf("decode task %d: %w", binary.BigEndian.Uint64(k), err)
		}
		out = append(out, &tk)
		return nil
	})
	return out, err
}

// Meeting records that the agenda of one meeting was mailed.
type Meeting struct {
	Series    string    `json:"series"`
	Start     time.Time `json:"start"`
	SentAt    time.Time `json:"sent_at"`
	MessageID string    `json:"message_id"`
	Items     int       `json:"items"`
}

func meetingKey(series string, start time.Time) []byte {
	return append([]byte(series+"\x00"), start.Format("2006-01-02")...)
}

// Meeting returns the record of the meeting of series on start's day, or
// nil when its agenda was not mailed yet.
func (t *Tx) Meeting(series string, start time.Time) (*Meeting, error) {
	b, err := t.bucket(bucketMeetings)
	if err != nil {
		return nil, err
	}
	v := b.Get(meetingKey(series, start))
	if v == nil {
		return nil, nil
	}
	var m Meeting
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("decode meeting %s %s: %w", series, start.Format("2006-01-02"), err)
	}
	return &m, nil
}

// PutMeeting records that the agenda of a meeting was mailed.
func (t *Tx) PutMeeting(m *Meeting) error {
	b, err := t.bucket(bucketMeetings)
	if err != nil {
		return err
	}
	if err := putJSON(b, meetingKey(m.Series, m.Start), m); err != nil {
		return fmt.Errorf("store meeting %s %s: %w", m.Series, m.Start.Format("2006-01-02"), err)
	}
	return nil
}
