package rules

import (
	"slices"
	"testing"

	"mailbot/register"
)

func TestTermGapsAndAlternatives(t *testing.T) {
	tests := []struct {
		term, text string
		want       bool
	}{
		{"hängt … ^auf$", "Das Verfahren hängt sich seit dem Update beim Speichern auf.", true},
		{"hängt ... ^auf$", "hängt sich auf", true},
		{"hängt … ^auf$", "Es hängt davon ab. Bitte auf Rückmeldung warten.", false},
		{"hängt … ^auf$", "hängt sich seit dem großen Update vom letzten Dienstag immer wieder beim Speichern großer Dateien auf", false},
		{"bleibt … ^dunkel", "mein Bildschirm bleibt seit heute früh dunkel", true},
		{"scannt … ^nicht$", "Der Scanner scannt nicht mehr", true},
		{"scannt … ^nicht$", "scannt nichts", false},
		{"zusätzlich | ^zweite", "einen zweiten Monitor", true},
		{"zusätzlich | ^zweite", "eine zusätzliche Maus", true},
		{"zusätzlich | ^zweite", "inzwischen", false},
	}
	for _, tc := range tests {
		tm, ok := compileTerm(tc.term)
		if !ok {
			t.Fatalf("compileTerm(%q) failed", tc.term)
		}
		if got := tm.index(Normalize(tc.text)) >= 0; got != tc.want {
			t.Errorf("term %q in %q = %v, want %v", tc.term, tc.text, got, tc.want)
		}
	}
}

func TestNormalizeComposesUnicode(t *testing.T) {
	if got := Normalize("Vorkla\u0308rung fu\u0308r"); got != "vorklaerung fuer" {
		t.Errorf("Normalize of decomposed umlauts = %q", got)
	}
	for _, s := range []string{"a\u0308\u0308", "a\u00ad\u0308", "A\u0308\u00ad\u0308"} {
		if n := Normalize(s); Normalize(n) != n {
			t.Errorf("Normalize(%q) = %q, then %q", s, n, Normalize(n))
		}
	}
}

func TestSignatureBlockIsNoNewText(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"name and department", "Hallo,\n\nmein Bildschirm bleibt dunkel.\n\nHans Beispiel\nAmt 50 | Sachgebiet Digitalisierung und Projekte\nTel. 0711 0000-12\n",
			"Hallo,\n\nmein Bildschirm bleibt dunkel."},
		{"contact lines", "Drucker kaputt.\n\nLena Test\nProjektleitung E-Akte\nZimmer 1.04\nlena.test@stadt.example", "Drucker kaputt."},
		{"disclaimer", "Scanner defekt.\nDiese E-Mail kann vertrauliche Informationen enthalten. Projekte im Intranet.", "Scanner defekt."},
		{"lone name stays", "Neu.\n\nUmzug", "Neu.\n\nUmzug"},
		{"contact lines without name", "Drucker druckt nicht.\n\nAmt 50 | Sachgebiet Projekte\nTel. 0711 0000-1", "Drucker druckt nicht."},
		{"one contact-like line stays", "Bitte kommt vorbei.\nZimmer 2.14", "Bitte kommt vorbei.\nZimmer 2.14"},
		{"running text stays", "Bitte ruft mich an.\nTel. 0711 0000-12 ist meine Nummer, ich bin bis zum Abend im Büro erreichbar.", "Bitte ruft mich an.\nTel. 0711 0000-12 ist meine Nummer, ich bin bis zum Abend im Büro erreichbar."},
		{"signature only", "Hans Beispiel\nTel. 0711 0000-12", "Hans Beispiel\nTel. 0711 0000-12"},
	}
	for _, tc := range tests {
		if got := NewText(tc.body); got != tc.want {
			t.Errorf("%s: NewText = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFindBudgetIDs(t *testing.T) {
	regs := &register.Set{Budget: []register.BudgetItem{{ID: "2026-14", Approved: true}, {ID: "2026-15", Approved: true}, {ID: "2026-21"}}}
	tests := []struct {
		text string
		want []string
	}{
		{"aus Posten 2026-14 die Scanner und aus Posten 2026-21 ein Tablet bestellen", []string{"2026-14", "2026-21"}},
		{"aus den Budgetposten 2026-14 und 2026-21", []string{"2026-14", "2026-21"}},
		{"Budgetantrag 2026/15", []string{"2026-15"}},
		{"Haushaltsposten 2026 - 30", []string{"2026-30"}},
		{"Budgetantrag Nr. 2026–15", []string{"2026-15"}},
		{"Unter der Durchwahl 2026-14 kommt kein Ton", nil},
		{"Wann werden die Scanner (2026-14) bestellt?", []string{"2026-14"}},
		{"Ticket [IT-2026-00014] bestellen", nil},
		{"Lieferung am 2026-12-14", nil},
		{"Budget für 2026", nil},
	}
	for _, tc := range tests {
		if got := findBudgetIDs(tc.text, regs); !slices.Equal(got, tc.want) {
			t.Errorf("findBudgetIDs(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestEveryBudgetItemMustBeApproved(t *testing.T) {
	regs := &register.Set{Budget: []register.BudgetItem{{ID: "2026-14", Title: "Scanner", Approved: true}, {ID: "2026-21", Title: "Tablets"}}}
	e, err := New(Options{Registers: regs})
	if err != nil {
		t.Fatal(err)
	}
	d := e.Classify(Input{Mailbox: "support", Subject: "Bestellung",
		Body: "Bitte aus Posten 2026-14 die Scanner und aus Posten 2026-21 ein Tablet bestellen."}, "a")
	if d.Type != "c" || d.Rule != "budgetposten-vorbehalt" || d.BudgetID != "2026-21" {
		t.Errorf("got %s %s %s, want c budgetposten-vorbehalt 2026-21: %s", d.Type, d.Rule, d.BudgetID, d.Reason)
	}
	if !slices.Equal(d.BudgetIDs, []string{"2026-14", "2026-21"}) {
		t.Errorf("BudgetIDs = %q", d.BudgetIDs)
	}
}

func TestAnnouncementSubjectVariants(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for subject, project := range map[string]string{
		"Vorklärung Projekt für IT/50-JF: Alpha":                        "Alpha",
		"Vorklärung (Mini-)Projekt für IT/50-JF: Beta":                  "Beta",
		"Vorklärung Projekt für IT-50-JF: Gamma":                        "Gamma",
		"Vorklärung Projekt für IT/50 JF - Delta":                       "Delta",
		"Vorkla\u0308rung Projekt fu\u0308r IT/50-JF: Äpsilon":          "Äpsilon",
		"AW: WG: [IT-2026-00004] Vorklärung Projekt fuer IT/50-JF:Zeta": "Zeta",
		"Vorklärung Projekt für IT/50-JF:":                              "",
		"Vorklärung Projekt für IT/50-JF: …?":                           "",
	} {
		d := e.Classify(Input{Mailbox: "support", Subject: subject, Body: "Text."}, "a")
		if d.Rule != "vorklaerung-betreff" || d.Project != project {
			t.Errorf("%q: rule %s, project %q, want vorklaerung-betreff, %q", subject, d.Rule, d.Project, project)
		}
	}
	for _, subject := range []string{"Projekt Vorklärung für IT/50-JF: falsche Reihenfolge", "Vorklärung Projekt für IT/50-JFX"} {
		if d := e.Classify(Input{Mailbox: "support", Subject: subject, Body: "Text."}, "a"); d.Rule == "vorklaerung-betreff" {
			t.Errorf("%q counted as announcement", subject)
		}
	}
}

func TestHardwareWishNeedsAWish(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for body, want := range map[string]string{
		"Ich brauche die Telefonnummer vom Hausmeister.":            FallbackRule,
		"Die Schulung zum neuen Drucker findet am Montag statt.":    FallbackRule,
		"Ich habe vom Drucker keine Antwort bekommen.":              FallbackRule,
		"Ich bräuchte Hilfe beim Einrichten des Scanners.":          FallbackRule,
		"Ich brauche ein zweites Telefon.":                          "neue-hardware",
		"Kann ich für das Besprechungszimmer ein Telefon bekommen?": "hardware-wunsch",
		"Ich hätte gern einen Laptop statt meines PCs.":             "hardware-wunsch",
		"Mein Laptop startet nicht, ich brauche ihn heute.":         "stoerung",
	} {
		if d := e.Classify(Input{Mailbox: "support", Subject: "Frage", Body: body}, "a"); d.Rule != want {
			t.Errorf("%q: rule %s, want %s", body, d.Rule, want)
		}
	}
}
