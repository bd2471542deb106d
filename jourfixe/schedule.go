// Package jourfixe prepares the two jour fixe meetings from the store: when
// the next meeting of a series takes place, what is on its agenda, and the
// agenda as German text, an HTML table and an iCalendar invitation. It also
// parses the German task grammar of #aufgabe.
package jourfixe

import (
	"time"

	"mailbot/config"
)

// Next returns the start of the first meeting of s that begins at or after
// t, in loc. Meetings fall every s.EveryWeeks weeks from s.First at s.Time.
// Next steps the calendar date, not a duration, so a meeting stays at its
// local time across daylight saving changes.
func Next(s *config.Series, loc *time.Location, t time.Time) (time.Time, error) {
	first, err := s.Start(loc)
	if err != nil {
		return time.Time{}, err
	}
	if !first.Before(t) {
		return first, nil
	}
	step := 7 * max(s.EveryWeeks, 1)
	days := int(t.Sub(first).Hours() / 24)
	n := days / step
	at := first.AddDate(0, 0, n*step)
	for at.Before(t) {
		n++
		at = first.AddDate(0, 0, n*step)
	}
	return at, nil
}

// Meetings returns the starts of the meetings of s in [from, to).
func Meetings(s *config.Series, loc *time.Location, from, to time.Time) ([]time.Time, error) {
	var out []time.Time
	for t := from; ; {
		at, err := Next(s, loc, t)
		if err != nil {
			return nil, err
		}
		if !at.Before(to) {
			return out, nil
		}
		out = append(out, at)
		t = at.Add(time.Minute)
	}
}
