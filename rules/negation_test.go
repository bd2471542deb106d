package rules

import "testing"

func TestTermMatchSkipsNegated(t *testing.T) {
	tests := []struct {
		term, text string
		want       bool
	}{
		{"sondersoftware", "Standardarbeitsplatz ohne Sondersoftware für die neue Kollegin", false},
		{"sondersoftware", "Standardarbeitsplatz für die neue Kollegin, keine Sondersoftware", false},
		{"sondersoftware", "Bitte KEINE Sondersoftware installieren.", false},
		{"zusatzlizenz", "Der Arbeitsplatz braucht keinerlei Zusatzlizenzen.", false},
		{"zusätzliche lizenz", "ohne zusätzliche Lizenzen für die Stelle", false},
		{"neue software", "ein Arbeitsplatz ohne die neue Software", false},
		{"smartphone", "ohne Sondersoftware, Zusatzlizenzen oder Smartphone", false},
		{"smartphone", "ohne Sondersoftware und Smartphone", false},
		{"smartphone", "weder Sondersoftware noch ein Smartphone", false},
		{"tablet", "keine Smartphones/Tablets", false},
		{"smartphone", "ein Smartphone ist nicht nötig", false},
		{"smartphone", "Smartphone wird nicht benötigt.", false},
		{"sondersoftware", "Sondersoftware brauchen wir nicht", false},
		{"sondersoftware", "Sondersoftware: nein", false},
		{"sondersoftware", "Sondersoftware entfällt", false},
		{"sondersoftware", "Sondersoftware: keine", false},
		{"sondersoftware", "Sondersoftware: keine Angabe", true},
		{"spezialhardware", "Für Spezialhardware besteht kein Bedarf.", false},
		{"sondersoftware", "Sondersoftware ist nicht erforderlich", false},
		{"sondersoftware", "nicht Sondersoftware, sondern Standard", false},

		// The negation governs another word, or its reach has ended.
		{"smartphone", "ohne Sondersoftware, aber mit Smartphone", true},
		{"smartphone", "ohne Sondersoftware und bitte ein Smartphone", true},
		{"smartphone", "keine Sondersoftware. Ein Smartphone brauchen wir schon.", true},
		{"smartphone", "keine Sondersoftware, die Kollegin braucht ein Smartphone", true},
		{"sondersoftware", "nicht nur Sondersoftware", true},
		{"sondersoftware", "nicht ohne Sondersoftware", true},
		{"absturz", "ohne dass ich etwas geändert habe, kommt ein Absturz", true},
		{"neuen kollegen", "einen Rechner ohne Sondersoftware für den neuen Kollegen", true},
		{"sondersoftware", "Standardarbeitsplatz ohne Drucker. Sondersoftware installieren", true},
		{"sondersoftware", "ohne Sondersoftware geht es nicht, bitte Sondersoftware installieren", true},

		// Faults: a negated verb is the fault itself.
		{"druckt nicht", "Drucker druckt nicht", true},
		{"drucker", "Drucker druckt nicht", true},
		{"kein ton", "Telefon: kein Ton", true},
		{"keine verbindung", "Seit heute keine Verbindung zum Server", true},
		{"fehler", "zeigt keinen Tonerstand mehr an und meldet Fehler 59", true},
		{"fehlermeldung", "Kein Papier mehr und der Drucker zeigt Fehlermeldung", true},
		{"fehlermeldung", "keinen Zugriff, Fehlermeldung 403", true},
		{"fehlermeldung", "Ich kann mich nicht anmelden, Fehlermeldung", true},
		{"startet nicht", "Der PC startet nicht mehr", true},
		{"^problem", "kein Problem", false},
		{"defekt", "das alte Gerät ist nicht defekt", false},

		// German folding: case, umlauts, compounds.
		{"sondersoftware", "OHNE SONDERSOFTWARE", false},
		{"zusätzliche lizenz", "ohne zusaetzliche Lizenz", false},
		{"lizenz", "keine Softwarelizenzen", false},
		{"software", "ohne Spezial-Software", false},
		{"smartphone", "Smartphone nicht nötig", false},
		{"smartphone", "Smartphone nicht noetig", false},
	}
	for _, tc := range tests {
		tm, ok := compileTerm(tc.term)
		if !ok {
			t.Fatalf("compileTerm(%q) failed", tc.term)
		}
		text := Normalize(tc.text)
		if got := tm.match(text) >= 0; got != tc.want {
			t.Errorf("term %q in %q: match %v, want %v", tc.term, tc.text, got, tc.want)
		}
		if tm.index(text) < 0 {
			t.Errorf("term %q in %q: index finds nothing", tc.term, tc.text)
		}
	}
}

func TestClassifyNegatedTerms(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	tests := []struct {
		subject, body               string
		wantType, wantSub, wantRule string
	}{
		{"Neuer Arbeitsplatz", "Standardarbeitsplatz ohne Sondersoftware für die neue Kollegin.", "b", "b3", "standardarbeitsplatz"},
		{"Neuer Arbeitsplatz", "Standardarbeitsplatz für die neue Kollegin, keine Sondersoftware.", "b", "b3", "standardarbeitsplatz"},
		{"Neuer Kollege", "Bitte einen Standardarbeitsplatz, weder Smartphone noch Tablet.", "b", "b3", "standardarbeitsplatz"},
		{"Neue Mitarbeiterin", "Standardarbeitsplatz ohne Sondersoftware und Zusatzlizenzen.", "b", "b3", "standardarbeitsplatz"},
		{"Neue Mitarbeiterin", "Standardarbeitsplatz; ein Diensthandy ist nicht erforderlich.", "b", "b3", "standardarbeitsplatz"},
		{"Neue Mitarbeiterin", "Standardarbeitsplatz ohne Sondersoftware, aber mit Smartphone.", "c", "", "spezialhardware"},
		{"Neuer Arbeitsplatz", "Standardarbeitsplatz mit Sondersoftware.", "c", "", "sondersoftware"},
		{"Neue Kollegin", "Standardarbeitsplatz für die neue Kollegin.\nSondersoftware: keine\nSmartphone: nein", "b", "b3", "standardarbeitsplatz"},
		{"Neue Kollegin", "Standardarbeitsplatz für die neue Kollegin.\nSondersoftware: keine\nSmartphone: ja", "c", "", "spezialhardware"},
		{"Neuer Kollege", "Bitte einen Standardarbeitsplatz:\n- ohne Sondersoftware\n- Smartphone", "c", "", "spezialhardware"},
		{"Neuer Kollege", "Bitte einen Standardarbeitsplatz ohne\nSondersoftware und ohne Smartphone.", "b", "b3", "standardarbeitsplatz"},
		{"Drucker", "Drucker druckt nicht.", "a", "", "stoerung"},
		{"Telefon", "Seit gestern kein Ton.", "a", "", "stoerung"},
		{"VPN", "Seit heute keine Verbindung zum Server.", "a", "", "stoerung"},
	}
	for _, tc := range tests {
		d := e.Classify(Input{Mailbox: "digitalisierung", Subject: tc.subject, Body: tc.body}, "c")
		if d.Type != tc.wantType || d.Subtype != tc.wantSub || d.Rule != tc.wantRule {
			t.Errorf("%q: got %s/%s by %s, want %s/%s by %s", tc.body, d.Type, d.Subtype, d.Rule, tc.wantType, tc.wantSub, tc.wantRule)
		}
	}
}
