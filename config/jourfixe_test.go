package config

import (
	"strings"
	"testing"
	"time"
)

func jourFixeConfig() Config {
	c := Builtin()
	c.IMAP.Host, c.SMTP.Host = "imap.stadt.example", "smtp.stadt.example"
	for i := range c.Mailboxes {
		c.Mailboxes[i].QuarantineFolder = "Quarantaene"
	}
	c.JourFixe.Series = []Series{{Name: SeriesIT, Weekday: "tuesday", Time: "10:00", First: "2027-01-12"}, {Name: SeriesDigi}}
	return c
}

func TestJourFixeDefaultsFilled(t *testing.T) {
	c := jourFixeConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	digi := c.JourFixe.SeriesByName(SeriesDigi)
	if digi.First != "2027-01-26" || digi.Weekday != "tuesday" || digi.Time != "10:00" || digi.EveryWeeks != 4 {
		t.Errorf("digi series = %+v, want it two weeks after the it series, every 4 weeks", digi)
	}
	if digi.Title != "Jour fixe Digitalisierung/Amt 50" || strings.Join(digi.Roles, ",") != "digi,orga" {
		t.Errorf("digi title %q roles %v", digi.Title, digi.Roles)
	}
	if c.JourFixe.Location().String() != "Europe/Berlin" {
		t.Errorf("Location = %s, want Europe/Berlin", c.JourFixe.Location())
	}
	start, err := digi.Start(c.JourFixe.Location())
	if err != nil || !start.Equal(time.Date(2027, 1, 26, 10, 0, 0, 0, c.JourFixe.Location())) {
		t.Errorf("digi Start = %s, %v", start, err)
	}
}

func TestJourFixeInvalidKeysReported(t *testing.T) {
	c := jourFixeConfig()
	c.Escalation.Limits = map[string]int{"x": 3, "a": -1}
	c.Escalation.Interval = 0
	c.JourFixe.TimeZone = "Mars/Olympus"
	c.JourFixe.Series[0].First = "2027-01-13" // a Wednesday
	c.JourFixe.Series[1] = Series{Name: "hr", Roles: []string{"boss"}, Weekday: "dienstag", Time: "25:00", First: "2027-01-26"}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate accepted invalid jour fixe keys")
	}
	for _, want := range []string{`escalation.limits: "x" is not a process type`, "escalation.limits.a: -1",
		"escalation.interval", `jourfixe.time_zone: "Mars/Olympus"`, "jourfixe.series[0].first: 2027-01-13 is a Wednesday",
		`jourfixe.series[1].name: "hr"`, `jourfixe.series[1].roles: "boss" is not a role`,
		`jourfixe.series[1].weekday: "dienstag"`, `jourfixe.series[1]: series hr: first "2027-01-26" and time "25:00"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
