package config

import (
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Escalation sets when a ticket without a change of state is escalated.
type Escalation struct {
	// Limits maps a process type (a, b1, b2, b3, c) to working days without
	// a change of state; 0 or a missing type turns escalation off for it.
	Limits map[string]int `mapstructure:"limits"`
	// Interval is how often the service looks for overdue tickets, due
	// agendas and task reminders.
	Interval time.Duration `mapstructure:"interval"`
}

// JourFixe configures the two meeting series and their mails.
type JourFixe struct {
	TimeZone     string        `mapstructure:"time_zone"`     // IANA zone of weekdays, times and holidays
	AgendaDays   int           `mapstructure:"agenda_days"`   // days before a meeting the agenda is mailed
	ReminderDays int           `mapstructure:"reminder_days"` // working days before a task's due date its owner is reminded
	Duration     time.Duration `mapstructure:"duration"`      // length of a meeting in the invitation
	Series       []Series      `mapstructure:"series"`
	// DepartmentHeads maps a department code, such as "50", to the
	// addresses of its heads, who get the IT agenda when a mini-project
	// of their department is on it.
	DepartmentHeads map[string][]string `mapstructure:"department_heads"`
	// DepartmentMembers maps a department code to requester addresses or
	// @domains, for tickets that name no staffing-plan position.
	DepartmentMembers map[string][]string `mapstructure:"department_members"`
	location          *time.Location
}

// Series is one recurring jour fixe.
type Series struct {
	Name       string   `mapstructure:"name"`        // it or digi
	Title      string   `mapstructure:"title"`       // German title in subjects and invitations
	Roles      []string `mapstructure:"roles"`       // roles whose addresses take part
	Weekday    string   `mapstructure:"weekday"`     // English weekday name, such as tuesday
	Time       string   `mapstructure:"time"`        // start as HH:MM in time_zone
	First      string   `mapstructure:"first"`       // date of the first meeting, YYYY-MM-DD
	EveryWeeks int      `mapstructure:"every_weeks"` // weeks between two meetings of this series
	Location   string   `mapstructure:"location"`    // room, printed in the invitation
}

// Names of the two jour fixe series.
const (
	SeriesIT   = "it"
	SeriesDigi = "digi"
)

func defaultEscalation() Escalation {
	return Escalation{Limits: map[string]int{"a": 5, "b1": 10, "b2": 10, "b3": 10, "c": 10}, Interval: 10 * time.Minute}
}

// defaultJourFixe sets the mail and meeting defaults. It has no series:
// their dates and times are the office's, so they come from the file.
func defaultJourFixe() JourFixe {
	return JourFixe{TimeZone: "Europe/Berlin", AgendaDays: 2, ReminderDays: 2, Duration: time.Hour}
}

// Defaults of a series. With them the two series alternate. Each meets
// every four weeks, and the digitalisation jour fixe comes two weeks after
// the IT jour fixe, so one of them takes place every two weeks.
var (
	defaultTitles = map[string]string{SeriesIT: "Jour fixe IT/Amt 50", SeriesDigi: "Jour fixe Digitalisierung/Amt 50"}
	defaultRoles  = map[string][]string{SeriesIT: {"it_head", "it_leads", "orga", "budget"}, SeriesDigi: {"digi", "orga"}}
)

const (
	defaultEveryWeeks = 4
	alternateOffset   = 14 // days from an IT jour fixe to the next digitalisation jour fixe
)

// fillSeries derives the keys a series leaves empty.
func (j *JourFixe) fillSeries() {
	it := j.SeriesByName(SeriesIT)
	for i := range j.Series {
		s := &j.Series[i]
		if s.Title == "" {
			s.Title = defaultTitles[s.Name]
		}
		if len(s.Roles) == 0 {
			s.Roles = defaultRoles[s.Name]
		}
		if s.EveryWeeks == 0 {
			s.EveryWeeks = defaultEveryWeeks
		}
		if s.Name == SeriesDigi && it != nil {
			if s.Weekday == "" {
				s.Weekday = it.Weekday
			}
			if s.Time == "" {
				s.Time = it.Time
			}
			if first, err := time.Parse("2006-01-02", it.First); s.First == "" && err == nil {
				s.First = first.AddDate(0, 0, alternateOffset).Format("2006-01-02")
			}
		}
	}
}

// Location returns the time zone of the jour fixe configuration, UTC
// before Validate ran.
func (j *JourFixe) Location() *time.Location {
	if j.location == nil {
		return time.UTC
	}
	return j.location
}

// SeriesByName returns the series called name, or nil.
func (j *JourFixe) SeriesByName(name string) *Series {
	for i := range j.Series {
		if j.Series[i].Name == name {
			return &j.Series[i]
		}
	}
	return nil
}

// Addresses returns the addresses of the series' participants, each once.
func (s *Series) Addresses(r Roles) []string {
	roles := r.byName()
	seen := map[string]bool{}
	var out []string
	for _, role := range s.Roles {
		for _, a := range roles[role] {
			key := strings.ToLower(a)
			if !seen[key] {
				seen[key] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// Start returns the series' first meeting as a time in loc.
func (s *Series) Start(loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02 15:04", s.First+" "+s.Time, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("series %s: first %q and time %q: %w", s.Name, s.First, s.Time, err)
	}
	return d, nil
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

// validateJourFixe fills the series' defaults, checks the escalation and
// jour fixe keys, resolves the time zone and reports every problem
// through add.
func (c *Config) validateJourFixe(add func(string, ...any)) {
	c.JourFixe.fillSeries()
	for typ, days := range c.Escalation.Limits {
		if !validType(typ) {
			add("escalation.limits: %q is not a process type, want a, b1, b2, b3 or c", typ)
		}
		if days < 0 {
			add("escalation.limits.%s: %d, want 0 (off) or more working days", typ, days)
		}
	}
	if c.Escalation.Interval < time.Second {
		add("escalation.interval: %s is too short, want at least 1s", c.Escalation.Interval)
	}
	j := &c.JourFixe
	loc, err := time.LoadLocation(j.TimeZone)
	if err != nil {
		add("jourfixe.time_zone: %q: %v", j.TimeZone, err)
		loc = time.UTC
	}
	j.location = loc
	if j.AgendaDays < 0 || j.ReminderDays < 0 {
		add("jourfixe: agenda_days (%d) and reminder_days (%d) must not be negative", j.AgendaDays, j.ReminderDays)
	}
	if j.Duration <= 0 {
		add("jourfixe.duration: %s, want a positive duration such as 1h", j.Duration)
	}
	roles := c.Roles.byName()
	for i, s := range j.Series {
		where := fmt.Sprintf("jourfixe.series[%d]", i)
		if s.Name != SeriesIT && s.Name != SeriesDigi {
			add("%s.name: %q, want it or digi", where, s.Name)
		}
		if j.SeriesByName(s.Name) != &j.Series[i] {
			add("%s.name: %q is used twice", where, s.Name)
		}
		for _, r := range s.Roles {
			if _, ok := roles[r]; !ok {
				add("%s.roles: %q is not a role", where, r)
			}
		}
		wd, ok := weekdays[strings.ToLower(s.Weekday)]
		if !ok {
			add("%s.weekday: %q, want an English weekday name such as tuesday", where, s.Weekday)
		}
		start, err := s.Start(loc)
		if err != nil {
			add("%s: %v; want first as YYYY-MM-DD and time as HH:MM", where, err)
		} else if ok && start.Weekday() != wd {
			add("%s.first: %s is a %s, not a %s", where, s.First, start.Weekday(), wd)
		}
		if s.EveryWeeks < 1 {
			add("%s.every_weeks: %d, want at least 1", where, s.EveryWeeks)
		}
	}
	for dept, addrs := range j.DepartmentHeads {
		for _, a := range addrs {
			if _, err := mail.ParseAddress(a); err != nil {
				add("jourfixe.department_heads.%s: %q is not an address: %v", dept, a, err)
			}
		}
	}
	for dept, members := range j.DepartmentMembers {
		for _, a := range members {
			if strings.HasPrefix(a, "@") && strings.Contains(a, ".") {
				continue
			}
			if _, err := mail.ParseAddress(a); err != nil {
				add("jourfixe.department_members.%s: %q is neither an address nor an @domain", dept, a)
			}
		}
	}
}

// Department returns the department of a ticket: the first part of its
// staffing-plan position (50 for 50.3.12), else the department whose
// members list the requester's address or domain, else "".
func (j *JourFixe) Department(position, requester string) string {
	if position != "" {
		dept, _, _ := strings.Cut(position, ".")
		return dept
	}
	requester = strings.ToLower(requester)
	for _, dept := range slices.Sorted(maps.Keys(j.DepartmentMembers)) {
		for _, m := range j.DepartmentMembers[dept] {
			m = strings.ToLower(m)
			if m == requester || strings.HasPrefix(m, "@") && strings.HasSuffix(requester, m) {
				return dept
			}
		}
	}
	return ""
}
