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
	spec, err := ParseTask("an@stadt.example Druckerstandorte klären mit x@stadt.example bis 22.12.2026", now, berlin)
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
	if !spec.Due.Equal(date(2026, 12, 22)) {
		t.Errorf("Due = %s, want 2026-12-22", spec.Due)
	}
}

func TestParseTaskDateForms(t *testing.T) {
	cases := []struct {
		word string
		want time.Time
	}{
		{"22.12.2026", date(2026, 12, 22)},
		{"22.12.26", date(2026, 12, 22)},
		{"22.12.", date(2026, 12, 22)},
		{"5.1.", date(2027, 1, 5)},    // no year, already past this year: next year
		{"04.12.", date(2026, 12, 4)}, // today
		{"2027-01-15", date(2027, 1, 15)},
		{"Freitag", date(2026, 12, 11)}, // written on a Friday: next week
		{"montag", date(2026, 12, 7)},
		{"heute", date(2026, 12, 4)},
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
	cases := map[string]TaskError{
		"":                                    {Reason: "no_owner"},
		"niemand Druckerstandorte klären":     {Reason: "not_address", Word: "niemand"},
		"an@stadt.example":                    {Reason: "no_what"},
		"an@stadt.example Tun bis 31.02.2027": {Reason: "invalid_date", Word: "31.02.2027"},
		"an@stadt.example Tun bis 01.12.2026": {Reason: "past", Date: "01.12.2026"},
		"an@stadt.example Tun bis irgendwann": {Reason: "not_date", Word: "irgendwann"},
		"an@stadt.example Tun bis 2026-13-01": {Reason: "invalid_date", Word: "2026-13-01"},
	}
	for in, want := range cases {
		_, err := ParseTask(in, now, berlin)
		if got, ok := err.(*TaskError); !ok || *got != want {
			t.Errorf("ParseTask(%q) error = %v, want %+v", in, err, want)
		}
	}
}

// TestParseTaskMonthNames: dates with German month names, in full or
// abbreviated, with or without a year, and the vague forms, which are
// fixed to one day and named in the note.
func TestParseTaskMonthNames(t *testing.T) {
	cases := []struct {
		words string
		want  time.Time
		note  string
	}{
		{"22. Dezember", date(2026, 12, 22), ""},
		{"22. Dez.", date(2026, 12, 22), ""},
		{"22. dez", date(2026, 12, 22), ""},
		{"22. Dezember 2026", date(2026, 12, 22), ""},
		{"3. März", date(2027, 3, 3), ""},
		{"2. Dezember", date(2027, 12, 2), ""}, // past this year: next year
		{"Mitte Januar", date(2027, 1, 15), "Mitte Januar"},
		{"Ende Januar", date(2027, 1, 29), "Ende Januar"}, // 31 January 2027 is a Sunday
		{"Anfang Februar 2027", date(2027, 2, 1), "Anfang Februar 2027"},
		{"KW 3", date(2027, 1, 22), "KW 3"}, // Friday of ISO week 3 of 2027
		{"KW3", date(2027, 1, 22), "KW3"},
		{"KW 50", date(2026, 12, 11), "KW 50"},
	}
	for _, tc := range cases {
		spec, err := ParseTask("an@stadt.example Angebot einholen bis "+tc.words, now, berlin)
		if err != nil {
			t.Errorf("bis %s: %v", tc.words, err)
			continue
		}
		if !spec.Due.Equal(tc.want) || spec.What != "Angebot einholen" {
			t.Errorf("bis %s: Due %s, What %q; want %s and the text without the date", tc.words,
				spec.Due.Format("2006-01-02"), spec.What, tc.want.Format("2006-01-02"))
		}
		if spec.Note.Words != tc.note || (tc.note != "") != (spec.Note.Read != "") {
			t.Errorf("bis %s: Note %+v, want one naming %q", tc.words, spec.Note, tc.note)
		}
	}
}

// TestParseTaskWeekendMovesToWorkday: a due date on a weekend or public
// holiday moves to the next working day, and the note says so.
func TestParseTaskWeekendMovesToWorkday(t *testing.T) {
	cases := map[string]time.Time{
		"morgen":     date(2026, 12, 7), // written on a Friday
		"übermorgen": date(2026, 12, 7),
		"Sonntag":    date(2026, 12, 7),
		"25.12.":     date(2026, 12, 28), // Christmas, then the weekend
	}
	for word, want := range cases {
		spec, err := ParseTask("an@stadt.example Angebot einholen bis "+word, now, berlin)
		if err != nil {
			t.Errorf("bis %s: %v", word, err)
			continue
		}
		if !spec.Due.Equal(want) {
			t.Errorf("bis %s: Due = %s, want %s", word, spec.Due.Format("2006-01-02"), want.Format("2006-01-02"))
		}
		if spec.Note.Day == "" || spec.Note.Why == "" || !strings.HasSuffix(spec.Note.Moved, want.Format("02.01.2006")) {
			t.Errorf("bis %s: Note %+v, want it to name the move to %s", word, spec.Note, want.Format("02.01.2006"))
		}
	}
}

// TestParseTaskRejectsUnclearDates: a date-like phrase after "bis" that
// cannot be read is an error, not silently part of the text.
func TestParseTaskRejectsUnclearDates(t *testing.T) {
	for in, want := range map[string]TaskError{
		"an@stadt.example Tun bis 22. Dezemper":     {Reason: "not_day_month", Word: "22. Dezemper"},
		"an@stadt.example Tun bis Januar":           {Reason: "too_vague", Word: "Januar", Month: "Januar"},
		"an@stadt.example Tun bis KW 54":            {Reason: "not_week", Word: "KW 54"},
		"an@stadt.example Tun bis 31. Februar 2027": {Reason: "invalid_day", Day: 31, Month: "Februar"},
	} {
		spec, err := ParseTask(in, now, berlin)
		if got, ok := err.(*TaskError); !ok || *got != want {
			t.Errorf("ParseTask(%q) = %+v, %v; want %+v", in, spec, err, want)
		}
	}
}
