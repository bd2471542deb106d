package workday

import (
	"testing"
	"time"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func day(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, berlin)
}

func TestIsWorkdayWeekendAndHolidays(t *testing.T) {
	c := New(berlin)
	cases := []struct {
		at   time.Time
		want bool
	}{
		{day(2026, 12, 4, 10), true},   // Friday
		{day(2026, 12, 5, 10), false},  // Saturday
		{day(2026, 12, 6, 10), false},  // Sunday
		{day(2026, 12, 24, 10), true},  // Christmas Eve is no public holiday
		{day(2026, 12, 25, 10), false}, // Christmas Day
		{day(2027, 1, 1, 10), false},   // New Year
		{day(2027, 1, 6, 10), false},   // Epiphany, a holiday in Baden-Württemberg
		{day(2027, 3, 26, 10), false},  // Good Friday 2027
		{day(2027, 5, 27, 10), false},  // Corpus Christi 2027
		{day(2027, 11, 1, 10), false},  // All Saints
		{day(2027, 10, 31, 10), false}, // Reformation Day is a Sunday anyway
		{day(2026, 10, 31, 10), false}, // Saturday
		{day(2028, 10, 31, 10), true},  // Reformation Day: no holiday in Baden-Württemberg
	}
	for _, tc := range cases {
		if got := c.IsWorkday(tc.at); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.at.Format("Mon 2006-01-02"), got, tc.want)
		}
	}
	if got := c.Holiday(day(2027, 1, 6, 10)); got != "Heilige Drei Könige" {
		t.Errorf("Holiday(2027-01-06) = %q, want Heilige Drei Könige", got)
	}
}

func TestIsWorkdayUsesCalendarZone(t *testing.T) {
	c := New(berlin)
	// Friday 23:30 UTC is already Saturday in Berlin.
	at := time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC)
	if c.IsWorkday(at) {
		t.Errorf("IsWorkday(%s) = true, want false: it is Saturday in Berlin", at)
	}
}

func TestAddSkipsWeekend(t *testing.T) {
	c := New(berlin)
	got := c.Add(day(2026, 12, 4, 9), 1) // Friday
	if want := day(2026, 12, 7, 9); !got.Equal(want) {
		t.Errorf("Add(Friday, 1) = %s, want %s", got, want)
	}
	got = c.Add(day(2026, 12, 5, 9), 1) // Saturday
	if want := day(2026, 12, 7, 9); !got.Equal(want) {
		t.Errorf("Add(Saturday, 1) = %s, want %s", got, want)
	}
}

func TestAddAcrossNewYear(t *testing.T) {
	c := New(berlin)
	from := day(2026, 12, 23, 10) // Wednesday before Christmas
	cases := []struct {
		n    int
		want time.Time
	}{
		{1, day(2026, 12, 24, 10)},
		{2, day(2026, 12, 28, 10)}, // 25th holiday, 26th Saturday
		{5, day(2026, 12, 31, 10)},
		{6, day(2027, 1, 4, 10)}, // 1 January holiday, then the weekend
		{7, day(2027, 1, 5, 10)},
		{8, day(2027, 1, 7, 10)}, // 6 January holiday
	}
	for _, tc := range cases {
		if got := c.Add(from, tc.n); !got.Equal(tc.want) {
			t.Errorf("Add(2026-12-23, %d) = %s, want %s", tc.n, got.Format("Mon 2006-01-02"), tc.want.Format("Mon 2006-01-02"))
		}
	}
}

func TestElapsedAndPastAcrossNewYear(t *testing.T) {
	c := New(berlin)
	from := day(2026, 12, 23, 10)
	if got := c.Elapsed(from, day(2027, 1, 7, 9)); got != 7 {
		t.Errorf("Elapsed(2026-12-23 10:00, 2027-01-07 09:00) = %d, want 7", got)
	}
	if got := c.Elapsed(from, day(2027, 1, 7, 10)); got != 8 {
		t.Errorf("Elapsed(2026-12-23 10:00, 2027-01-07 10:00) = %d, want 8", got)
	}
	if c.Past(from, day(2027, 1, 6, 23), 8) {
		t.Error("Past(limit 8) on the holiday of 6 January = true, want false")
	}
	if !c.Past(from, day(2027, 1, 7, 10), 8) {
		t.Error("Past(limit 8) on 7 January 10:00 = false, want true")
	}
	if c.Past(from, day(2030, 1, 1, 0), 0) {
		t.Error("Past with limit 0 = true, want false: 0 turns escalation off")
	}
	if got := c.Elapsed(from, from.Add(-time.Hour)); got != 0 {
		t.Errorf("Elapsed backwards = %d, want 0", got)
	}
}
