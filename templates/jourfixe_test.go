package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderJourFixeTemplates(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	agenda := AgendaData{Subject: "Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027", Title: "Jour fixe IT/Amt 50",
		When: "Dienstag, 12.01.2027, 10:00 Uhr", IT: true,
		Items: []AgendaItemData{{Tag: "[IT-2026-00007]", Kind: "Eskalation", Title: "<b>Drucker</b> & Scanner",
			Since: "02.11.2026", LastState: "neu", Reason: "Frist abgelaufen.", Deferred: 2}},
		Tasks: []AgendaTaskData{{ID: 3, Owner: "a@stadt.example", What: "Angebot einholen", With: []string{"b@stadt.example", "c@stadt.example"},
			Due: "08.01.2027", State: "offen", Since: "02.11.2026"}}}
	tests := []struct {
		name string
		data any
		want []string
	}{
		{Agenda, agenda, []string{"Tagesordnung: Jour fixe IT/Amt 50\nDienstag, 12.01.2027, 10:00 Uhr\n\n",
			"1. [IT-2026-00007] Eskalation: <b>Drucker</b> & Scanner\n   seit 02.11.2026, Stand: neu\n   Grund: Frist abgelaufen.\n   2-mal vertagt\n",
			"- Aufgabe 3: a@stadt.example: Angebot einholen, mit b@stadt.example, c@stadt.example, bis 08.01.2027 (offen, seit 02.11.2026)\n",
			"#beschluss freigegeben|abgelehnt|vertagt [Text]\n"}},
		{AgendaHTML, agenda, []string{"<td>&lt;b&gt;Drucker&lt;/b&gt; &amp; Scanner</td>", "(2-mal vertagt)",
			"<td>b@stadt.example, c@stadt.example</td>", "<h2>Offene Aufgaben</h2>"}},
		{AgendaMail, AgendaMailData{Agenda: "Tagesordnung: X\n"}, []string{"hängt an.\n\nTagesordnung: X\n\nDiese Nachricht"}},
		{AgendaReply, AgendaReplyData{Subject: "Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027", Title: "Jour fixe IT/Amt 50"},
			[]string{"„Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027“", "kein Ticket", "im Jour fixe IT/Amt 50 besprochen", "Antwort auf eine Mail"}},
		{Escalation, EscalationData{Tag: "[IT-2026-00042]", Title: "Drucker", Who: "automatisch nach Fristablauf", Reason: "Frist.",
			Requester: "anna@stadt.example", Created: "01.12.2026", LastState: "neu", Next: "Dienstag, 12.01.2027, 10:00 Uhr"},
			[]string{"das Ticket [IT-2026-00042] „Drucker“ wurde automatisch nach Fristablauf eskaliert.", "Anfragende Person: anna@stadt.example",
				"Jour fixe IT/Amt 50 (Dienstag, 12.01.2027, 10:00 Uhr)."}},
		{EscalationStatus, EscalationData{Tag: "[IT-2026-00042]", Title: "Drucker", Next: "Dienstag, 12.01.2027, 10:00 Uhr"},
			[]string{"Ihr Ticket [IT-2026-00042] „Drucker“ ist noch nicht abgeschlossen.", "der am Dienstag, 12.01.2027, 10:00 Uhr darüber spricht."}},
		{Decision, DecisionData{Meeting: "Jour fixe IT/Amt 50", Tag: "[IT-2026-00042]", Title: "Scanstraße", Outcome: "freigegeben",
			Text: "Im 1. Quartal.", By: "leitung@stadt.example"},
			[]string{"beschlossen: freigegeben.\n\nBegründung / Auflagen: Im 1. Quartal.\n\nFestgehalten von leitung@stadt.example.\n"}},
		{Reminder, TaskData{ID: 4, Owner: "a@stadt.example", What: "Klären", With: []string{"b@stadt.example"}, Due: "20.12.2026", Ticket: "[IT-2026-00042]"},
			[]string{"ist bis 20.12.2026 fällig.\n\nAufgabe 4\n  Wer:      a@stadt.example\n  Was:      Klären\n  Mit wem:  b@stadt.example\n  Bis:      20.12.2026\n  Ticket:   [IT-2026-00042]\n\nWenn",
				"#aufgabe erledigt 4\n"}},
		{Budget, BudgetData{Lines: []BudgetLineData{{ID: "HH-2026-017", Title: "Scanner", Amount: "5.000 €",
			Orders: []BudgetOrderData{{Tag: "[IT-2026-00042]", Title: "Scanner", StatusName: "neu"}}}, {ID: "HH-2026-018", Title: "Monitore"}}},
			[]string{"dazu:\n\nHH-2026-017 Scanner (5.000 €)\n  [IT-2026-00042] Scanner: neu\nHH-2026-018 Monitore\n  noch keine Bestellung\n\nDiese"}},
		{Budget, BudgetData{}, []string{"dazu:\n\nKeine freigegebenen Posten.\n\nDiese"}},
		{CommandReply, CommandReplyData{Results: []string{"#agenda\nSie erhalten gleich: X.", "#budget\nNicht ausgeführt: Y."}},
			[]string{"Befehle:\n\n#agenda\n  Sie erhalten gleich: X.\n\n#budget\n  Nicht ausgeführt: Y.\n\nDiese Nachricht"}},
	}
	for _, tt := range tests {
		got, err := s.Render(tt.name, tt.data)
		if err != nil {
			t.Errorf("Render %s: %v", tt.name, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", tt.name, w, got)
			}
		}
		if strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
			t.Errorf("%s has template leftovers:\n%s", tt.name, got)
		}
	}
}

func TestOverrideHTMLTemplateEscapes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, AgendaHTML), []byte("<p>{{.Title}}</p>"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Render(AgendaHTML, AgendaData{Title: `<script>alert("x")</script>`})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "<script>") {
		t.Errorf("override HTML not escaped: %s", got)
	}
}

func TestRenderJourFixeReplies(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data ReplyData
		want string
	}{
		{"agenda_sent", ReplyData{Subjects: []string{"A", "B"}}, "Sie erhalten gleich: A; B."},
		{"not_allowed", ReplyData{Command: "budget", Roles: "budget"}, "#budget dürfen nur diese Rollen verwenden: budget."},
		{"outcome_closed", ReplyData{Word: "freigegeben", Resumed: true},
			"freigegeben; der Tagesordnungspunkt ist damit abgeschlossen, und die IT bearbeitet das Ticket nach diesem Beschluss weiter"},
		{"outcome_closed", ReplyData{Word: "abgelehnt"}, "abgelehnt; der Tagesordnungspunkt ist damit abgeschlossen"},
		{"task_created", ReplyData{Task: "Aufgabe 3\n  Wer:      a@stadt.example\n", ID: 3},
			"Angelegt:\nAufgabe 3\n  Wer:      a@stadt.example\nSie steht auf der Tagesordnung des Jour fixe IT/Amt 50, bis sie mit #aufgabe erledigt 3 geschlossen wird."},
		{"task_bad_number", ReplyData{Value: "x3"}, `"x3" ist keine Aufgabennummer.`},
		{"not_run", ReplyData{Value: "Nein."}, "Nicht ausgeführt: Nein."},
	}
	for _, tt := range tests {
		got, err := s.Line(JourFixeReplies, tt.name, tt.data)
		if err != nil || got != tt.want {
			t.Errorf("Line(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	for _, name := range ReplyNames {
		if got, err := s.Line(JourFixeReplies, name, ReplyData{}); err != nil || got == "" {
			t.Errorf("Line(%s) with empty data = %q, %v", name, got, err)
		}
	}
}

func TestRepliesOverrideMustDefineAll(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, JourFixeReplies), []byte(`{{define "task_done"}}Fertig.{{end}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "agenda_sent") {
		t.Errorf("Load error = %v, want one naming the missing agenda_sent", err)
	}
}
