package rules

import (
	"strconv"
	"strings"
	"testing"

	"mailbot/register"
)

func TestFindQuantity(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Bitte 3 Stück aus Posten 2026-14 bestellen.", 3},
		{"Bitte drei Monitore bestellen.", 3},
		{"Drei Monitore aus dem Budgetposten 2026-15.", 3},
		{"2x Scanner (Budgetposten 2026-14)", 2},
		{"2 × Headset", 2},
		{"5 X Headsets", 5},
		{"Headsets für 4 Arbeitsplätze, Posten 2026-30", 4},
		{"Wir brauchen die zwei neuen Scanner bis Januar.", 2},
		{"sechs Monitorarme bestellen", 6},
		{"Budgetposten Nr. 2026-14: 3 Stk. Dokumentenscanner", 3},
		{"3 Scanner, also 3 Stück", 3},

		// No quantity stated.
		{"Bitte die Headsets bestellen.", 0},
		{"Bestellung Haushaltsposten 2026 - 30\nBitte die Headsets bestellen.", 0},
		{"Posten 2026-14", 0},
		{"Betrag 1.800 € laut Posten", 0},
		{"Stelle 50.3.12 Monitor", 0},
		{"am 04.12.2026 Lieferung", 0},
		{"ein Scanner", 0},
		{"Bitte bis 3 bestellen", 0},

		// Numbers that count something else.
		{"Lieferung in 3 Wochen", 0},
		{"Monitore mit 27 Zoll", 0},
		{"Wir sind 10 Mitarbeiter im Team.", 0},
		{"für Windows 11 Rechner", 0},
		{"in Raum 3 Drucker aufstellen", 0},
		{"um 10 Uhr", 0},
		{"Nr. 3 Scanner", 0},
		{"zwei bestellen", 0},
		{"3 mal", 0},

		// Unclear: several different numbers, a range or a count per
		// something.
		{"3 Monitore und 2 Tastaturen", 0},
		{"2 oder 3 Scanner", 0},
		{"2-3 Scanner", 0},
		{"ca. 5 Scanner", 0},
		{"für 4 Arbeitsplätze je 2 Monitore", 0},
		{"2 Monitore pro Arbeitsplatz", 0},
		{"Zeile eins: 2\nMonitore", 0},
	}
	for _, tc := range tests {
		if got := FindQuantity(tc.text); got != tc.want {
			t.Errorf("FindQuantity(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

// FuzzFindQuantity checks that a quantity found is one the text writes,
// as digits or as a number word, and at most 999.
func FuzzFindQuantity(f *testing.F) {
	for _, s := range []string{"3 Stück", "drei Monitore", "2x Scanner", "für 4 Arbeitsplätze", "2026 - 30 Bitte",
		"je 2 Monitore", "Zwölf\u00a0Headsets", "1 × a", "x 2 X Y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := FindQuantity(text)
		if n == 0 {
			return
		}
		if n < 0 || n > 999 {
			t.Fatalf("FindQuantity(%q) = %d, out of range", text, n)
		}
		written := strings.Contains(text, strconv.Itoa(n))
		for w, v := range quantityWords {
			if v == n && strings.Contains(strings.ToLower(text), w) {
				written = true
			}
		}
		if !written {
			t.Errorf("FindQuantity(%q) = %d, which the text does not write", text, n)
		}
	})
}

func TestOrderAboveBudgetQuantity(t *testing.T) {
	regs := &register.Set{Budget: []register.BudgetItem{
		{ID: "2026-14", Title: "Scanner", Quantity: 2, Approved: true},
		{ID: "2026-30", Title: "Headsets", Quantity: 12, Approved: true},
		{ID: "2026-40", Title: "Kabel", Approved: true}, // not counted
		{ID: "2026-21", Title: "Tablets", Quantity: 8},
	}}
	e, err := New(Options{Registers: regs})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		rule, typ  string
		quantity   int
		reason     string
	}{
		{"within", "Bitte 2 Stück aus Budgetposten 2026-14 bestellen.", "budgetposten-freigegeben", "b", 2, ""},
		{"below", "Bitte einen Scanner, 1 Stück, aus Budgetposten 2026-14 bestellen.", "budgetposten-freigegeben", "b", 1, ""},
		{"above", "Bitte 5 Stück aus Budgetposten 2026-14 bestellen.", "budgetposten-mehrmenge", "c", 5,
			"Die Bestellung nennt 5 Stück, der Budgetposten 2026-14 (Scanner) gibt nur 2 frei; die Mehrmenge braucht eine Vorklärung."},
		{"above in words", "Bitte drei Scanner aus Budgetposten 2026-14 bestellen.", "budgetposten-mehrmenge", "c", 3, ""},
		{"different numbers", "Aus Posten 2026-30 bitte dreizehn … nein: zwölf Headsets und dann noch drei Headsets.", "budgetposten-freigegeben", "b", 0, ""},
		{"no quantity", "Bitte die Scanner aus Budgetposten 2026-14 bestellen.", "budgetposten-freigegeben", "b", 0, ""},
		{"item without count", "Bitte 50 Stück aus Budgetposten 2026-40 bestellen.", "budgetposten-freigegeben", "b", 50, ""},
		{"unknown item", "Bitte 5 Stück aus Budgetposten 2026-99 bestellen.", "budgetposten-unbekannt", "c", 5, ""},
		{"reserved item", "Bitte 3 Tablets aus Budgetposten 2026-21 bestellen.", "budgetposten-vorbehalt", "c", 3, ""},
		{"two items", "Bitte 5 Stück aus den Budgetposten 2026-14 und 2026-30 bestellen.", "budgetposten-freigegeben", "b", 5, ""},
	}
	for _, tc := range tests {
		d := e.Classify(Input{Mailbox: "support", Subject: "Bestellung", Body: tc.body}, "a")
		if d.Rule != tc.rule || d.Type != tc.typ || d.Quantity != tc.quantity {
			t.Errorf("%s: got %s %s quantity %d, want %s %s %d: %s", tc.name, d.Type, d.Rule, d.Quantity, tc.typ, tc.rule, tc.quantity, d.Reason)
		}
		if tc.reason != "" && d.Reason != tc.reason {
			t.Errorf("%s: reason %q, want %q", tc.name, d.Reason, tc.reason)
		}
	}
}

func TestQuantityConditionIsValidated(t *testing.T) {
	_, err := fromYAML([]byte("rules:\n  - id: x\n    type: c\n    quantity: more\n    reason: R\n"), "test")
	if err == nil || !strings.Contains(err.Error(), `quantity "more" is invalid`) {
		t.Errorf("err = %v, want quantity invalid", err)
	}
	if _, err := fromYAML([]byte("rules:\n  - id: x\n    type: c\n    quantity: named\n    reason: R\n"), "test"); err != nil {
		t.Errorf("quantity alone: %v", err)
	}
}
