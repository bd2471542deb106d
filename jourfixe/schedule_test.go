package jourfixe

import (
	"testing"
	"time"

	"mailbot/config"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testConfig returns a valid configuration whose jour fixe series are
// given only by the IT series' first date and time, so every other key
// comes from the defaults.
func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c := config.Builtin()
	c.IMAP.Host, c.SMTP.Host = "imap.stadt.example", "smtp.stadt.example"
	for i := range c.Mailboxes {
		c.Mailboxes[i].QuarantineFolder = "Quarantaene"
	}
	c.JourFixe.Series = []config.Series{
		{Name: config.SeriesIT, Weekday: "tuesday", Time: "10:00", First: "2027-01-12"},
		{Name: config.SeriesDigi},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return &c
}

func defaultSeries(t *testing.T, name string) *config.Series {
	t.Helper()
	s := testConfig(t).JourFixe.SeriesByName(name)
	if s == nil {
		t.Fatalf("no series %q", name)
	}
	return s
}

func TestNextBeforeFirstIsFirst(t *testing.T) {
	s := defaultSeries(t, config.SeriesIT)
	got, err := Next(s, berlin, time.Date(2026, 12, 4, 12, 0, 0, 0, berlin))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("Next = %s, want %s", got, want)
	}
}

func TestNextStepsEveryFourWeeks(t *testing.T) {
	s := defaultSeries(t, config.SeriesIT)
	cases := []struct {
		after, want time.Time
	}{
		{time.Date(2027, 1, 12, 10, 0, 0, 0, berlin), time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)},
		{time.Date(2027, 1, 12, 10, 1, 0, 0, berlin), time.Date(2027, 2, 9, 10, 0, 0, 0, berlin)},
		{time.Date(2027, 2, 1, 0, 0, 0, 0, berlin), time.Date(2027, 2, 9, 10, 0, 0, 0, berlin)},
		// Across the change to summer time on 28 March 2027 the meeting
		// stays at 10:00 local time.
		{time.Date(2027, 3, 10, 0, 0, 0, 0, berlin), time.Date(2027, 4, 6, 10, 0, 0, 0, berlin)},
	}
	for _, tc := range cases {
		got, err := Next(s, berlin, tc.after)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(tc.want) {
			t.Errorf("Next(%s) = %s, want %s", tc.after, got, tc.want)
		}
	}
}

func TestSeriesAlternateEveryTwoWeeks(t *testing.T) {
	c := testConfig(t)
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, berlin)
	to := time.Date(2027, 4, 1, 0, 0, 0, 0, berlin)
	type meeting struct {
		series string
		at     time.Time
	}
	var all []meeting
	for i := range c.JourFixe.Series {
		s := &c.JourFixe.Series[i]
		list, err := Meetings(s, berlin, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range list {
			all = append(all, meeting{s.Name, at})
		}
	}
	if len(all) != 6 {
		t.Fatalf("got %d meetings in the first quarter, want 6: %v", len(all), all)
	}
	byDay := map[string]string{}
	for _, m := range all {
		byDay[m.at.Format("2006-01-02")] = m.series
	}
	want := map[string]string{"2027-01-12": "it", "2027-01-26": "digi", "2027-02-09": "it",
		"2027-02-23": "digi", "2027-03-09": "it", "2027-03-23": "digi"}
	for day, series := range want {
		if byDay[day] != series {
			t.Errorf("meeting on %s = %q, want %q", day, byDay[day], series)
		}
	}
}
