// Package workday counts working days: Monday to Friday, without the
// public holidays of Baden-Württemberg (from github.com/rickar/cal/v2/de).
// Days are taken in the calendar's time zone, so a ticket changed at 00:30
// on a Saturday in Berlin counts from Saturday, although it is still Friday
// in UTC.
package workday

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/de"
)

// Calendar answers working-day questions in one time zone.
type Calendar struct {
	bc  *cal.BusinessCalendar
	loc *time.Location
}

// New returns a calendar for Baden-Württemberg in loc (nil means UTC).
func New(loc *time.Location) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(de.HolidaysBW...)
	return &Calendar{bc: bc, loc: loc}
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsWorkday reports whether t falls on a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.bc.IsWorkday(t.In(c.loc))
}

// Holiday returns the German name of the public holiday on t's day, or "".
func (c *Calendar) Holiday(t time.Time) string {
	actual, observed, h := c.bc.IsHoliday(t.In(c.loc))
	if (actual || observed) && h != nil {
		return h.Name
	}
	return ""
}

// Add returns the moment n working days after t, at the same clock time.
// A t on a weekend or holiday counts from that day, so Add(Saturday, 1)
// is the following Monday.
func (c *Calendar) Add(t time.Time, n int) time.Time {
	return c.bc.WorkdaysFrom(t.In(c.loc), n)
}

// Elapsed counts the working days that have fully passed since from:
// the number of n for which Add(from, n) is not after to. It is 0 when to
// is not after from.
func (c *Calendar) Elapsed(from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	n := 0
	for d := c.Add(from, 1); !d.After(to); d = c.Add(d, 1) {
		n++
	}
	return n
}

// Past reports whether limit working days have passed since from, that
// is whether to is at or after Add(from, limit). A limit of 0 or less
// never passes.
func (c *Calendar) Past(from, to time.Time, limit int) bool {
	if limit <= 0 {
		return false
	}
	return !to.Before(c.Add(from, limit))
}
