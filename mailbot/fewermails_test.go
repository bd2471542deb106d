package mailbot_test

import (
	"slices"
	"strings"
	"testing"
)

func TestBudgetOrderOnlyAckToRequester(t *testing.T) {
	tr := newTriageRobot(t)
	const budget = "it-budget.amt50@stadt.example"
	tk, out := tr.handle("support", "Bernd Muster <"+budget+">", "Scanner bestellen", "Bitte die Scanner aus Posten 2026-14 bestellen.")
	if tk.Subtype != "b2" {
		t.Fatalf("ticket type %s/%s, want b2", tk.Type, tk.Subtype)
	}
	if out["ack"] == nil || !slices.Contains(out["ack"].To, budget) {
		t.Errorf("acknowledgement %+v, want it to go to the budget contact", out["ack"])
	}
	if note := out["notify"]; note == nil || slices.Contains(note.To, budget) || !slices.Contains(note.To, "it-support@stadt.example") {
		t.Errorf("notice %+v, want it to go to IT and not to the requester, who has the acknowledgement", note)
	}
}

func TestHelpForClerkShowsNoITForms(t *testing.T) {
	tr := newTriageRobot(t)
	tk, _ := tr.handle("support", "anna.beispiel@stadt.example", "Telefon geht nicht", "Mein Telefon ist tot.")
	_, out := tr.reply(tk, "anna.beispiel@stadt.example", "#hilfe")
	if len(out["confirm"]) != 1 {
		t.Fatalf("replies to #hilfe: %d, want 1", len(out["confirm"]))
	}
	body := out["confirm"][0].Body
	wantContains(t, "help reply", body, "#status – nennt den Stand des Tickets", "#zurückziehen")
	for _, hidden := range []string{"nur IT", "[TEXT]", "mit Text", "#erledigt", "#zuweisen"} {
		if strings.Contains(body, hidden) {
			t.Errorf("help reply to a clerk contains %q:\n%s", hidden, body)
		}
	}
}
