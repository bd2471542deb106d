package templates

import (
	"strings"
	"testing"
)

func TestGreetingName(t *testing.T) {
	for in, want := range map[string]string{
		"Beispiel, Anna":            "Anna Beispiel",
		"  Beispiel ,  Anna ":       "Anna Beispiel",
		"Müller-Lüdenscheidt, Jörg": "Jörg Müller-Lüdenscheidt",
		"Weiß, Dr. Anna":            "Dr. Anna Weiß",
		"Dr. Weiß, Anna":            "Dr. Anna Weiß",
		"Prof. Dr. Weiß, Anna":      "Prof. Dr. Anna Weiß",
		"von der Heide, Karl":       "Karl von der Heide",
		"Beispiel, Anna (Amt 50)":   "Anna Beispiel",
		"Anna Beispiel":             "Anna Beispiel",
		"Beispiel, Anna, Amt 50":    "Beispiel, Anna, Amt 50",
		"Beispiel,":                 "Beispiel,",
		"Dr., Anna":                 "Dr., Anna",
		"":                          "",
	} {
		if got := GreetingName(in); got != want {
			t.Errorf("GreetingName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAckGreetsFirstNameFirst(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	d := sample()
	d.RequesterName = "Beispiel, Anna"
	for _, name := range []string{Ack, AckAnnouncement} {
		out, err := s.Render(name, d)
		if err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(out, "\n"); first != "Guten Tag Anna Beispiel," {
			t.Errorf("%s starts %q", name, first)
		}
	}
}

func TestOrgaNoticeNamesFirstNameFirst(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	d := sample()
	d.RequesterName = "Beispiel, Anna"
	out, err := s.Render(NotifyOrga, d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Anna Beispiel (anna.beispiel@stadt.example) hat ein Anliegen") {
		t.Errorf("orga notice does not name the requester first name first:\n%s", out)
	}
}
