package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Number identifies a ticket: a year and a gap-free sequence within it.
type Number struct {
	Year int
	Seq  int
}

// String formats the number as "2026-00042".
func (n Number) String() string { return fmt.Sprintf("%04d-%05d", n.Year, n.Seq) }

// Tag returns the subject tag, such as "[IT-2026-00042]".
func (n Number) Tag(prefix string) string { return "[" + prefix + "-" + n.String() + "]" }

// IsZero reports whether n is unset.
func (n Number) IsZero() bool { return n.Year == 0 && n.Seq == 0 }

func (n Number) key() []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint32(k[:4], uint32(n.Year))
	binary.BigEndian.PutUint32(k[4:], uint32(n.Seq))
	return k
}

func numberFromKey(k []byte) Number {
	return Number{Year: int(binary.BigEndian.Uint32(k[:4])), Seq: int(binary.BigEndian.Uint32(k[4:]))}
}

// MarshalText writes the "2026-00042" form, so JSON shows readable numbers.
func (n Number) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText reads any form ParseNumber accepts.
func (n *Number) UnmarshalText(b []byte) error {
	v, err := ParseNumber(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

var numberPattern = regexp.MustCompile(`^\[?#?(?:[A-Za-z][A-Za-z0-9]*-)?(\d{4})-(\d{1,9})\]?$`)

// ParseNumber accepts "2026-00042", "2026-42", "IT-2026-00042" and
// "[IT-2026-00042]".
func ParseNumber(s string) (Number, error) {
	m := numberPattern.FindStringSubmatch(s)
	if m == nil {
		return Number{}, fmt.Errorf("invalid ticket number %q: want a form like 2026-00042 or IT-2026-00042", s)
	}
	year, _ := strconv.Atoi(m[1])
	seq, err := strconv.Atoi(m[2])
	if err != nil || seq == 0 {
		return Number{}, fmt.Errorf("invalid ticket number %q: sequence out of range", s)
	}
	return Number{Year: year, Seq: seq}, nil
}

// Status values of a ticket.
const (
	StatusNew       = "new"
	StatusAssigned  = "assigned"  // an IT clerk is responsible
	StatusDecided   = "decided"   // a mini-project has its routing outcome
	StatusClosed    = "closed"    // done (#erledigt)
	StatusWithdrawn = "withdrawn" // withdrawn by its requester
	StatusMerged    = "merged"    // merged into the ticket named by MergedInto
)

// Routing outcomes of a mini-project (type c).
const (
	RoutingDigi  = "digi"  // digitalisation project, forwarded to the digitalisation unit
	RoutingOrder = "order" // direct order by the budget contact
	RoutingITJF  = "itjf"  // to be discussed in the IT jour fixe
)

// Ticket is one request with its whole history.
type Ticket struct {
	Number        Number       `json:"number"`
	Type          string       `json:"type"`              // a, b or c
	Subtype       string       `json:"subtype,omitempty"` // b1, b2 or b3
	Rule          string       `json:"rule"`              // id of the deciding triage rule
	Reason        string       `json:"reason"`            // German sentence for the requester
	Project       string       `json:"project,omitempty"` // project name of a mini-project announcement
	Triage                     // details triage found: position, application, budget item, …
	Status        string       `json:"status"`
	Requester     string       `json:"requester"` // address
	RequesterName string       `json:"requester_name,omitempty"`
	Subject       string       `json:"subject"`
	Mailbox       string       `json:"mailbox"` // mailbox the first mail arrived in
	Created       time.Time    `json:"created"`
	Updated       time.Time    `json:"updated"`
	MessageIDs    []string     `json:"message_ids"` // every Message-ID seen or sent on the ticket
	Attachments   []Attachment `json:"attachments,omitempty"`
	History       []Event      `json:"history"`

	// Set by commands.
	StatusText string   `json:"status_text,omitempty"` // last #status text from IT
	Assignee   string   `json:"assignee,omitempty"`    // address of the responsible IT clerk
	Routing    string   `json:"routing,omitempty"`     // routing outcome of a mini-project
	Escalated  bool     `json:"escalated,omitempty"`
	MergedInto Number   `json:"merged_into,omitzero"` // surviving ticket when Status is merged
	Cc         []string `json:"cc,omitempty"`         // addresses in Cc of the first mail
	// MergedRequesters are the requesters of tickets merged into this
	// one; they get its status mails too.
	MergedRequesters []string `json:"merged_requesters,omitempty"`
}

// Attachment lists a file of an incoming mail; its content is not stored.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	MessageID   string `json:"message_id,omitempty"`
}

// Event kinds in a ticket's history.
const (
	EventCreated  = "created"
	EventMailIn   = "mail_in"
	EventMailOut  = "mail_out"
	EventRobotIn  = "robot_in"
	EventNote     = "note"
	EventBounce   = "bounce"
	EventDelivery = "delivered"
	EventOutside  = "mail_in_outside" // follow-up from an address with no part in the ticket
	EventCommand  = "command"         // a command that ran
	EventDenied   = "command_denied"  // a command that was not run, and why
	EventInternal = "internal_note"   // #notiz: for IT only, never sent to the requester
	EventMerged   = "merged"
)

// Event is one entry of a ticket's history.
type Event struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	Actor     string    `json:"actor,omitempty"` // address of who caused it
	Mailbox   string    `json:"mailbox,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Text      string    `json:"text,omitempty"`
	To        []string  `json:"to,omitempty"` // recipients of a sent mail
}

// MaxEventText caps the text kept per history event, so one huge mail
// cannot bloat the ticket record that every later change rewrites.
const MaxEventText = 64 << 10

// NextNumber allocates the next ticket number of year. The counter is part
// of the transaction, so a rolled-back transaction leaves no gap.
func (t *Tx) NextNumber(year int) (Number, error) {
	b, err := t.bucket(bucketCounters)
	if err != nil {
		return Number{}, err
	}
	key := []byte(strconv.Itoa(year))
	var last uint64
	if v := b.Get(key); len(v) == 8 {
		last = binary.BigEndian.Uint64(v)
	}
	next := last + 1
	v := make([]byte, 8)
	binary.BigEndian.PutUint64(v, next)
	if err := b.Put(key, v); err != nil {
		return Number{}, fmt.Errorf("store counter for %d: %w", year, err)
	}
	return Number{Year: year, Seq: int(next)}, nil
}

// PutTicket writes t with its summary and indexes all its Message-IDs.
func (t *Tx) PutTicket(tk *Ticket) error {
	b, err := t.bucket(bucketTickets)
	if err != nil {
		return err
	}
	for i := range tk.History {
		if len(tk.History[i].Text) > MaxEventText {
			tk.History[i].Text = truncateUTF8(tk.History[i].Text, MaxEventText) + "\n[…]"
		}
	}
	data, err := json.Marshal(tk)
	if err != nil {
		return fmt.Errorf("encode ticket %s: %w", tk.Number, err)
	}
	if err := b.Put(tk.Number.key(), data); err != nil {
		return fmt.Errorf("store ticket %s: %w", tk.Number, err)
	}
	if err := t.putSummary(tk); err != nil {
		return err
	}
	for _, id := range tk.MessageIDs {
		if err := t.IndexMessageID(id, tk.Number); err != nil {
			return err
		}
	}
	return nil
}

// Ticket loads one ticket, or returns ErrNotFound.
func (t *Tx) Ticket(n Number) (*Ticket, error) {
	b, err := t.bucket(bucketTickets)
	if err != nil {
		return nil, err
	}
	v := b.Get(n.key())
	if v == nil {
		return nil, ticketNotFoundError{n}
	}
	var tk Ticket
	if err := json.Unmarshal(v, &tk); err != nil {
		return nil, fmt.Errorf("decode ticket %s: %w", n, err)
	}
	return &tk, nil
}

// Tickets calls fn for every ticket in number order until fn returns false.
func (t *Tx) Tickets(fn func(*Ticket) bool) error {
	b, err := t.bucket(bucketTickets)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var tk Ticket
		if err := json.Unmarshal(v, &tk); err != nil {
			return fmt.Errorf("decode ticket %s: %w", numberFromKey(k), err)
		}
		if !fn(&tk) {
			return nil
		}
	}
	return nil
}

// IndexMessageID maps a Message-ID to a ticket, for threading replies.
func (t *Tx) IndexMessageID(id string, n Number) error {
	if id == "" {
		return nil
	}
	b, err := t.bucket(bucketMsgIDs)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(id), n.key()); err != nil {
		return fmt.Errorf("index message id %q: %w", id, err)
	}
	return nil
}

// TicketByMessageID returns the ticket a Message-ID belongs to.
func (t *Tx) TicketByMessageID(id string) (Number, bool) {
	if id == "" {
		return Number{}, false
	}
	b := t.tx.Bucket(bucketMsgIDs)
	if b == nil {
		return Number{}, false
	}
	v := b.Get([]byte(id))
	if len(v) != 8 {
		return Number{}, false
	}
	return numberFromKey(v), true
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
