package mailbot_test

import "testing"

func TestTriageBudgetOrderAboveQuantity(t *testing.T) {
	tr := newTriageRobot(t)
	tk, out := tr.handle("support", "Bernd Muster <it-budget.amt50@stadt.example>", "Bestellung aus Budgetantrag 2026-14",
		"Bitte 5 Stück Dokumentenscanner bestellen.")
	if tk.Type != "c" || tk.Rule != "budgetposten-mehrmenge" || tk.BudgetItem != "2026-14" || tk.BudgetStatus != "approved" {
		t.Fatalf("ticket %+v", tk)
	}
	ack := out["ack"]
	if ack == nil {
		t.Fatal("no acknowledgement")
	}
	wantContains(t, "acknowledgement", ack.Body, "c) (Mini-)Projekt",
		"Die Bestellung nennt 5 Stück, der Budgetposten 2026-14 (Dokumentenscanner für die Poststelle) gibt nur 2 frei; die Mehrmenge braucht eine Vorklärung.")
	if out["orga"] == nil {
		t.Error("an order above the item's quantity should reach the orga contact")
	}
}
