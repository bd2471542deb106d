package command_test

import (
	"reflect"
	"testing"

	"mailbot/command"
)

var vocab = command.NewVocabulary(
	[]string{"assign", "take", "close", "reopen", "withdraw", "digi", "status"},
	map[string][]string{
		"assign":   {"zuweisen"},
		"take":     {"übernehmen"},
		"close":    {"erledigt"},
		"reopen":   {"wiedereröffnen"},
		"withdraw": {"zurückziehen"},
		"digi":     {"digi", "Digitalisierungsprojekt"},
		"status":   {"status"},
	})

func TestFold(t *testing.T) {
	for _, in := range []string{"Übernehmen", "uebernehmen", "ubernehmen", "U\u0308bernehmen", "ÜBERNEHMEN"} {
		if got := command.Fold(in); got != "ubernehmen" {
			t.Errorf("Fold(%q) = %q, want ubernehmen", in, got)
		}
	}
	if got := command.Fold("Straße"); got != "strasse" {
		t.Errorf("Fold(Straße) = %q", got)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []command.Command
		comment string
	}{
		{"none", "Hallo\nDanke", nil, "Hallo\nDanke"},
		{"one with arg", "#zuweisen anna@stadt.example", []command.Command{{Name: "assign", Keyword: "zuweisen", Arg: "anna@stadt.example", Line: 1}}, ""},
		{"umlaut spellings", "#Uebernehmen\n#WIEDERERÖFFNEN\n#zurueckziehen bitte", []command.Command{
			{Name: "take", Keyword: "Uebernehmen", Line: 1},
			{Name: "reopen", Keyword: "WIEDERERÖFFNEN", Line: 2},
			{Name: "withdraw", Keyword: "zurueckziehen", Arg: "bitte", Line: 3}}, ""},
		{"order and comment kept", "Vorab:\n#übernehmen\nIch komme um 10.\n  #erledigt. Toner getauscht\nGruß", []command.Command{
			{Name: "take", Keyword: "übernehmen", Line: 2},
			{Name: "close", Keyword: "erledigt", Arg: "Toner getauscht", Line: 4}}, "Vorab:\nIch komme um 10.\nGruß"},
		{"unknown keyword", "#erldigt", []command.Command{{Keyword: "erldigt", Line: 1}}, ""},
		{"not commands", "# Überschrift\n#1 Drucker\nText #erledigt mitten", nil, "# Überschrift\n#1 Drucker\nText #erledigt mitten"},
		{"long form", "#Digitalisierungsprojekt", []command.Command{{Name: "digi", Keyword: "Digitalisierungsprojekt", Line: 1}}, ""},
		{"no-break space", "#erledigt\u00a0Toner\u00a0getauscht", []command.Command{{Name: "close", Keyword: "erledigt", Arg: "Toner getauscht", Line: 1}}, ""},
		{"colon", "#status: in Arbeit", []command.Command{{Name: "status", Keyword: "status", Arg: "in Arbeit", Line: 1}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, comment := command.Parse(tc.text, vocab)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("commands = %+v, want %+v", got, tc.want)
			}
			if comment != tc.comment {
				t.Errorf("comment = %q, want %q", comment, tc.comment)
			}
		})
	}
}

func TestParseSubject(t *testing.T) {
	tests := []struct {
		subject string
		want    []command.Command
	}{
		{"AW: [IT-2026-00042] Drucker", nil},
		{"#status", []command.Command{{Name: "status", Keyword: "status"}}},
		{"AW: [#IT-2026-00042] Drucker #erledigt", []command.Command{{Name: "close", Keyword: "erledigt"}}},
		{"#zuweisen bernd@stadt.example #übernehmen", []command.Command{
			{Name: "assign", Keyword: "zuweisen", Arg: "bernd@stadt.example"}, {Name: "take", Keyword: "übernehmen"}}},
		{"Raum #3 und #hashtag", nil},
	}
	for _, tc := range tests {
		if got := command.ParseSubject(tc.subject, vocab); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseSubject(%q) = %+v, want %+v", tc.subject, got, tc.want)
		}
	}
}

func TestParseSpacedFindsKnownKeywords(t *testing.T) {
	v := command.NewVocabulary([]string{"note"}, map[string][]string{"note": {"notiz"}})
	got := command.ParseSpaced("# notiz Kabel getauscht\n# Überschrift\n#notiz richtig\n", v)
	if len(got) != 1 || got[0].Name != "note" || got[0].Arg != "Kabel getauscht" || got[0].Line != 1 {
		t.Errorf("ParseSpaced = %+v, want one note on line 1", got)
	}
	if cmds, _ := command.Parse("# notiz Kabel getauscht\n", v); len(cmds) != 0 {
		t.Errorf("Parse took a spaced line as command: %+v", cmds)
	}
}
