package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderTaskErrors: each reason reads as the parser's text did when it
// was built in Go.
func TestRenderTaskErrors(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data TaskErrorData
		want string
	}{
		{"no_owner", TaskErrorData{}, "es fehlt die verantwortliche Adresse: #aufgabe adresse@stadt.example Was ist zu tun bis TT.MM.JJJJ"},
		{"not_address", TaskErrorData{Word: "niemand"},
			`"niemand" ist keine Mail-Adresse; das erste Wort nach #aufgabe nennt, wer die Aufgabe übernimmt`},
		{"no_what", TaskErrorData{}, "es fehlt, was zu tun ist: #aufgabe adresse@stadt.example Was ist zu tun bis TT.MM.JJJJ"},
		{"not_date", TaskErrorData{Word: "irgendwann"},
			`"irgendwann" ist kein Datum; erlaubt sind z. B. 22.12.2026, 22.12., 22. Dezember, Ende Januar, KW 3, Freitag oder morgen`},
		{"not_day_month", TaskErrorData{Word: "22. Dezemper"},
			`"22. Dezemper" ist kein Datum; erlaubt sind z. B. 22. Dezember, 22. Dez. oder 22.12.2026`},
		{"invalid_date", TaskErrorData{Word: "31.02.2027"}, `"31.02.2027" ist kein gültiges Datum`},
		{"invalid_day", TaskErrorData{Day: 31, Month: "Februar"}, "der 31. Februar ist kein gültiges Datum"},
		{"past", TaskErrorData{Date: "01.12.2026"}, "das Datum 01.12.2026 liegt in der Vergangenheit"},
		{"too_vague", TaskErrorData{Word: "Januar", Month: "Januar"},
			"„Januar“ ist zu ungenau; bitte einen Tag nennen, z. B. bis Ende Januar oder bis 15. Januar"},
		{"not_week", TaskErrorData{Word: "KW 54"}, "„KW 54“ ist keine Kalenderwoche; erlaubt sind KW 1 bis KW 52 oder 53"},
		{"week_past", TaskErrorData{Word: "KW 2 2026"}, "die KW 2 2026 liegt in der Vergangenheit"},
	}
	if len(tests) != len(TaskErrorNames) {
		t.Errorf("%d cases for %d reasons", len(tests), len(TaskErrorNames))
	}
	for _, tt := range tests {
		got, err := s.Line(TaskErrors, tt.name, tt.data)
		if err != nil || got != tt.want {
			t.Errorf("Line(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestTaskErrorsOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, TaskErrors), []byte(`{{define "past"}}zu spät: {{.Date}}{{end}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("override defining one reason: Load error = %v, want one naming a missing define", err)
	}
	var src strings.Builder
	for _, name := range TaskErrorNames {
		src.WriteString(`{{define "` + name + `"}}Fehler {{.Wort}}{{end}}`)
	}
	if err := os.WriteFile(filepath.Join(dir, TaskErrors), []byte(src.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), TaskErrors) {
		t.Errorf("Check with a misnamed field = %v, want an error naming %s", err, TaskErrors)
	}
}

// TestRenderTaskNote: the due-date hint reads as it did when it was built
// in Go.
func TestRenderTaskNote(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		data TaskNoteData
		want string
	}{
		{TaskNoteData{}, ""},
		{TaskNoteData{Words: "Ende Januar", Read: "Freitag, 29.01.2027"}, "„Ende Januar“ gilt als Freitag, 29.01.2027"},
		{TaskNoteData{Words: "KW 3", Week: true, Read: "22.01.2027"}, "„KW 3“ gilt als Freitag der Woche, 22.01.2027"},
		{TaskNoteData{Day: "06.12.2026", Why: "Sonntag", Moved: "Montag, 07.12.2026"},
			"Der 06.12.2026 ist ein Sonntag; fällig ist die Aufgabe am nächsten Arbeitstag, Montag, 07.12.2026"},
		{TaskNoteData{Words: "Anfang Mai", Read: "Samstag, 01.05.2027", Day: "01.05.2027", Why: "Feiertag (Maifeiertag)",
			Moved: "Montag, 03.05.2027"},
			"„Anfang Mai“ gilt als Samstag, 01.05.2027; der 01.05.2027 ist ein Feiertag (Maifeiertag); " +
				"fällig ist die Aufgabe am nächsten Arbeitstag, Montag, 03.05.2027"},
	}
	for _, tt := range tests {
		got, err := s.Render(TaskNote, tt.data)
		if err != nil || strings.TrimSpace(got) != tt.want {
			t.Errorf("Render(%+v) = %q, %v; want %q", tt.data, got, err, tt.want)
		}
	}
}
