package templates

import (
	"strings"
	"testing"
)

func TestRenderStatusTemplates(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data any
		want []string
	}{
		{Status, StatusData{Number: "2026-00042", Tag: "[IT-2026-00042]", Subject: "Drucker", RequesterName: "Anna Beispiel",
			Changes: []string{"Das Ticket ist erledigt."}, Actor: "it@stadt.example", ActorRole: "IT-Sachbearbeitung",
			StatusName: StatusName("closed"), Message: "Toner getauscht.", Next: "Nichts mehr zu tun."},
			[]string{"Guten Tag Anna Beispiel,", "Änderung:      Das Ticket ist erledigt.", "IT-Sachbearbeitung (it@stadt.example)",
				"Stand jetzt:   erledigt", "Nachricht der IT:\nToner getauscht.", "So geht es weiter: Nichts mehr zu tun."}},
		{Confirm, ConfirmData{Number: "2026-00042", Results: []CommandResult{{OK: true, Command: "#übernehmen", Text: "Zugewiesen."},
			{Command: "#erledigt", Text: "Nicht berechtigt."}}, Comment: true, Help: []string{"#hilfe – listet"}},
			[]string{"[ausgeführt] #übernehmen\n      Zugewiesen.", "[NICHT ausgeführt] #erledigt", "als Kommentar", "  #hilfe – listet"}},
		{Outcome, OutcomeData{Number: "2026-00042", Subject: "Vorklärung", Project: "Scanstraße", Requester: "orga@stadt.example",
			OutcomeName: RoutingName("order"), Next: RoutingNext("order"), Actor: "lead@stadt.example", ActorRole: "IT-Teamleitung"},
			[]string{"Ticket 2026-00042", "Projekt:         Scanstraße", "Angemeldet von:  orga@stadt.example", "Entschieden von: IT-Teamleitung", "Direktbestellung", "IT-Teamleitung (lead@stadt.example)"}},
		{FollowUp, FollowUpData{Number: "2026-00042", From: "fremd@example.net", FromRole: "außenstehender Absender", Outside: true,
			StatusName: StatusName("new"), Text: "Hallo", Commands: []string{"#erledigt [TEXT] – schließt"}},
			[]string{"fremd@example.net (außenstehender Absender)", "Achtung", "Text der Nachricht:\nHallo", "  #erledigt [TEXT] – schließt"}},
		{List, ListData{Address: "anna@stadt.example", Tickets: []ListEntry{{Number: "[IT-2026-00042]", Subject: "Drucker",
			StatusName: StatusName("assigned"), Assignee: "it@stadt.example", Updated: "04.12.2026 10:00"}}},
			[]string{"Ihre offenen Tickets (anna@stadt.example):", "[IT-2026-00042]  Drucker", "Stand: zugewiesen, in Bearbeitung, zuständig: it@stadt.example"}},
		{List, ListData{Address: "anna@stadt.example"}, []string{"keine offenen Tickets"}},
		{Help, HelpData{Commands: []string{"#hilfe – listet"}}, []string{"Betreff \"Status\"", "  #hilfe – listet"}},
	}
	for _, tc := range tests {
		out, err := s.Render(tc.name, tc.data)
		if err != nil {
			t.Errorf("Render %s: %v", tc.name, err)
			continue
		}
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", tc.name, want, out)
			}
		}
		if strings.Contains(out, "<no value>") || strings.Contains(out, "{{") {
			t.Errorf("%s has template leftovers:\n%s", tc.name, out)
		}
	}
}
