package mailbot_test

import (
	"strings"
	"testing"
)

func TestAssignmentMailCarriesComment(t *testing.T) {
	tr := newTriageRobot(t)
	tk, _ := tr.handle("support", "anna.beispiel@stadt.example", "Telefon geht nicht", "Mein Telefon ist tot.")
	_, out := tr.reply(tk, "it-support@stadt.example", "#zuweisen kai.muster@stadt.example\nBitte Telefon prüfen, evtl. Port am Switch.")
	if len(out["assigned"]) != 1 {
		t.Fatalf("assignment mails %d, want 1", len(out["assigned"]))
	}
	body := out["assigned"][0].Body
	wantContains(t, "assignment mail", body, "Bitte Telefon prüfen, evtl. Port am Switch.", "Mein Telefon ist tot.", "#erledigt", "#notiz")
	for _, itOnly := range []string{"#zuweisen", "#übernehmen", "#bestellung"} {
		if strings.Contains(body, itOnly) {
			t.Errorf("assignment mail to an assignee without an IT role lists %s:\n%s", itOnly, body)
		}
	}
}

func TestAssignmentMailListsITCommands(t *testing.T) {
	tr := newTriageRobot(t)
	tk, _ := tr.handle("support", "anna.beispiel@stadt.example", "Telefon geht nicht", "Mein Telefon ist tot.")
	_, out := tr.reply(tk, "it-leitung@stadt.example", "#zuweisen it-support@stadt.example")
	if len(out["assigned"]) != 1 {
		t.Fatalf("assignment mails %d, want 1", len(out["assigned"]))
	}
	body := out["assigned"][0].Body
	wantContains(t, "assignment mail", body, "#zuweisen", "#erledigt")
	if strings.Contains(body, "Hinweis zur Zuweisung") {
		t.Errorf("assignment mail without a comment has a comment heading:\n%s", body)
	}
}
