package rules

import "testing"

// TestClassifyNonFaultRequests checks that requests for software, remote
// access and access rights are c, and that fault reports about the same
// things stay a (by a fault rule or by the support mailbox's fallback).
func TestClassifyNonFaultRequests(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	tests := []struct {
		subject, body      string
		wantType, wantRule string
	}{
		{"Visio", "Ich brauche Visio", "c", "software-wunsch"},
		{"Acrobat", "Bitte Adobe Acrobat Pro für mich", "c", "software-wunsch"},
		{"Frage", "Können wir MindManager bekommen?", "c", "software-wunsch"},
		{"Programm", "Ich bräuchte für die Zeiterfassung eine andere Software.", "c", "software-wunsch"},
		{"Lizenz", "Ich benötige eine Lizenz für das Grafikprogramm.", "c", "zusatzlizenz"},
		{"Visio", "Visio startet nicht mehr.", "a", "stoerung"},
		{"Visio", "Visio bringt beim Öffnen eine Fehlermeldung.", "a", "stoerung"},
		{"Acrobat", "Acrobat geht nicht mehr, bitte helfen.", "a", "stoerung"},
		{"Visio", "Visio ist seit gestern weg, ich brauche es wieder.", "a", "fallback"},
		{"Visio", "Ich brauche eine Schulung für Visio.", "a", "fallback"},
		{"Visio", "Meine Visio-Lizenz ist abgelaufen, bitte verlängern.", "c", "software-wunsch"},
		{"Programm", "Bitte das Programm Zeiterfassung für Frau Muster freischalten.", "c", "software-wunsch"},
		{"Programm", "Ich brauche ein neues Passwort für das Programm Zeiterfassung.", "a", "fallback"},
		{"Software", "Bei der Software Zeiterfassung bekomme ich beim Speichern eine Warnung.", "a", "fallback"},
		{"Software", "Bitte schicken Sie mir die Anleitung zur Software Zeiterfassung.", "a", "fallback"},
		{"Software", "Die Software für die Kasse bitte heute noch neu starten.", "a", "fallback"},
		{"Acrobat", "Ich möchte wissen, welche Version von Acrobat ich habe.", "a", "fallback"},

		{"VPN", "Ich brauche einen VPN-Zugang für Homeoffice ab März", "c", "fernzugang"},
		{"Zugang von zu Hause", "Bitte richten Sie mir einen Zugang von zu Hause ein.", "c", "homeoffice"},
		{"Rückfrage", "Ich arbeite heute von zu Hause und brauche die Durchwahl der Poststelle.", "a", "fallback"},
		{"Homeoffice", "Mein Homeoffice ist genehmigt, bitte die Ausstattung vorbereiten.", "c", "homeoffice"},
		{"VPN", "VPN bricht ständig ab", "a", "stoerung"},
		{"VPN", "Seit heute keine Verbindung über das VPN.", "a", "stoerung"},
		{"Homeoffice", "Ich bin heute im Homeoffice und ab 14 Uhr erreichbar.", "a", "fallback"},
		{"VPN", "Mein VPN-Token ist abgelaufen, ich brauche einen neuen.", "a", "fallback"},
		{"VPN", "Ich brauche die Zugangsdaten für das VPN, ich habe sie verlegt.", "a", "fallback"},

		{"Laufwerk", `Bitte Zugriff auf das Laufwerk G:\Bauamt für Frau Muster`, "c", "zugriffsrechte"},
		{"Rechte", "Schreibrechte auf den Ordner Haushalt", "c", "zugriffsrechte"},
		{"Postfach", "Bitte Berechtigung für das Gruppenpostfach Bürgerbüro.", "c", "zugriffsrechte"},
		{"Verteiler", "Bitte Herrn Probe in den Verteiler Sachgebiet 2 aufnehmen.", "c", "zugriffsrechte"},
		{"Ordner", "Bitte Frau Muster mit Leserechten auf den Ordner Haushalt eintragen.", "c", "zugriffsrechte"},
		{"Laufwerk", "Zugriff auf Laufwerk G geht seit heute nicht", "a", "fallback"},
		{"Laufwerk", "Ich habe keinen Zugriff auf Laufwerk G.", "a", "stoerung"},
		{"Ordner", "Der Ordner Haushalt ist verschwunden.", "a", "stoerung"},
		{"Ordner", "Ich habe keine Rechte mehr auf den Ordner Haushalt.", "a", "fallback"},
		{"Postfach", "Outlook zeigt das Postfach Bürgerbüro nicht an, obwohl ich die Berechtigung habe.", "a", "fallback"},
		{"Postfach", "Bitte das Funktionspostfach Wohngeld in meinem Outlook einbinden, Berechtigung habe ich.", "a", "fallback"},
		{"Laufwerk", "Bitte Frau Muster den Zugriff auf Laufwerk G entziehen, sie hat das Amt gewechselt.", "a", "fallback"},
		{"Laufwerk", "Im Homeoffice kann ich nicht auf Laufwerk G zugreifen, die Berechtigung fehlt angeblich.", "a", "fallback"},
	}
	for _, tc := range tests {
		d := e.Classify(Input{Mailbox: "support", Subject: tc.subject, Body: tc.body}, "a")
		if d.Type != tc.wantType || d.Rule != tc.wantRule {
			t.Errorf("%q: got %s by %s (matched %q), want %s by %s", tc.body, d.Type, d.Rule, d.Matched, tc.wantType, tc.wantRule)
		}
	}
}
