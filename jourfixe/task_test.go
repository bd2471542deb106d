package jourfixe

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// now is Friday, 4 December 2026, 15:00 in Berlin.
var now = time.Date(2026, 12, 4, 15, 0, 0, 0, berlin)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, berlin) }

func TestParseTaskFullForm(t *testing.T) {
	spec, err := ParseTask("an@stadt.example Druckerstandorte klären mit x@stadt.example bis 20.12.2026", now, berlin)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Owner != "an@stadt.example" {
		t.Errorf("Owner = %q, want an@stadt.example", spec.Owner)
	}
	if spec.What != "Druckerstandorte klären" {
		t.Errorf("What = %q, want %q", spec.What, "Druckerstandorte klären")
	}
	if !slices.Equal(spec.With, []string{"x@stadt.example"}) {
		t.Errorf("With = %v, want [x@stadt.example]", spec.With)
	}
	if !spec.Due.Equal(date(2026, 12, 20)) {
		t.Errorf("Due = %s, want 2026-12-20", spec.Due)
	}
}

func TestParseTaskDateForms(t *testing.T) {
	cases := []struct {
		word string
		want time.Time
	}{
		{"20.12.2026", date(2026, 12, 20)},
		{"20.12.26", date(2026, 12, 20)},
		{"20.12.", date(2026, 12, 20)},
		{"5.1.", date(2027, 1, 5)},    // no year, already past this year: next year
		{"04.12.", date(2026, 12, 4)}, // today
		{"2027-01-15", date(2027, 1, 15)},
		{"Freitag", date(2026, 12, 11)}, // written on a Friday: next week
		{"montag", date(2026, 12, 7)},
		{"morgen", date(2026, 12, 5)},
		{"heute", date(2026, 12, 4)},
		{"übermorgen", date(2026, 12, 6)},
		{"07.01.2027,", date(2027, 1, 7)},
	}
	for _, tc := range cases {
		spec, err := ParseTask("an@stadt.example Angebot einholen bis "+tc.word, now, berlin)
		if err != nil {
			t.Errorf("bis %s: %v", tc.word, err)
			continue
		}
		if !spec.Due.Equal(tc.want) {
			t.Errorf("bis %s: Due = %s, want %s", tc.word, spec.Due.Format("2006-01-02"), tc.want.Format("2006-01-02"))
		}
	}
}

func TestParseTaskWithoutDate(t *testing.T) {
	spec, err := ParseTask("<an@stadt.example> Lizenzbedarf ermitteln", now, berlin)
	if err != nil {
		t.Fatal(err)
	}
	if !spec.Due.IsZero() {
		t.Errorf("Due = %s, want zero", spec.Due)
	}
	if spec.What != "Lizenzbedarf ermitteln" || spec.Owner != "an@stadt.example" {
		t.Errorf("got %+v", spec)
	}
}

func TestParseTaskBisInsideText(t *testing.T) {
	spec, err := ParseTask("an@stadt.example Bestand bis zum Keller zählen", now, berlin)
	if err != nil {
		t.Fatal(err)
	}
	if spec.What != "Bestand bis zum Keller zählen" || !spec.Due.IsZero() {
		t.Errorf("got %+v, want the whole text and no date", spec)
	}
}

func TestParseTaskSeveralWith(t *testing.T) {
	spec, err := ParseTask("an@stadt.example Umzug planen mit b@stadt.example, c@stadt.example und an@stadt.example bis Freitag", now, berlin)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(spec.With, []string{"b@stadt.example", "c@stadt.example"}) {
		t.Errorf("With = %v, want b and c without the owner", spec.With)
	}
	if spec.What != "Umzug planen" {
		t.Errorf("What = %q, want %q", spec.What, "Umzug planen")
	}
}

func TestParseTaskErrors(t *testing.T) {
	cases := map[string]string{
		"":                                    "verantwortliche Adresse",
		"niemand Druckerstandorte klären":     "keine Mail-Adresse",
		"an@stadt.example":                    "was zu tun ist",
		"an@stadt.example Tun bis 31.02.2027": "kein gültiges Datum",
		"an@stadt.example Tun bis 01.12.2026": "Vergangenheit",
		"an@stadt.example Tun bis irgendwann": "kein Datum",
		"an@stadt.example Tun bis 2026-13-01": "kein gültiges Datum",
	}
	for in, want := range cases {
		_, err := ParseTask(in, now, berlin)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTask(%q) error = %v, want one containing %q", in, err, want)
		}
	}
}
