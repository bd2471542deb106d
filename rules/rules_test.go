package rules

import (
	"strings"
	"testing"
)

func TestClassifyDefaultRules(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	tests := []struct {
		name, mailbox, subject, body string
		wantType, wantSub, wantRule  string
		wantProject                  string
	}{
		{"announcement", "support", "Vorklärung Projekt für IT/50-JF: Digitale Akte", "Kurze Beschreibung", "c", "", "vorklaerung-betreff", "Digitale Akte"},
		{"announcement behind AW and fuer", "support", "AW:  WG: vorklaerung projekt fuer IT/50-JF:   Scanstraße", "", "c", "", "vorklaerung-betreff", "Scanstraße"},
		{"announcement without colon", "support", "Vorklärung Projekt für IT / 50 - JF – Kita-Anmeldung: Süd", "", "c", "", "vorklaerung-betreff", "Kita-Anmeldung: Süd"},
		{"announcement prefix only", "support", "Vorklaerung Projekt fuer IT/50-JF", "", "c", "", "vorklaerung-betreff", ""},
		{"old device taken away", "support", "Ersatzmonitor", "Bitte nehmen Sie bei der Lieferung den alten Monitor zum Entsorgen mit, falls Sie ihn mitnehmen können.", "b", "b1", "ersatzbeschaffung", ""},
		{"fault", "support", "Drucker im 2. OG", "Der Drucker druckt nicht mehr.", "a", "", "stoerung", ""},
		{"fault with umlaut spelled out", "support", "Stoerung Fachverfahren", "", "a", "", "stoerung", ""},
		{"compound replacement", "support", "Ersatztastatur", "Bitte eine neue Tastatur, die alte ist abgenutzt.", "b", "b1", "ersatzbeschaffung", ""},
		{"move beats fault", "support", "Umzug Zimmer 204", "Nach dem Umzug funktioniert nicht das Telefon.", "c", "", "umzug", ""},
		{"licence extension", "support", "Lizenzerweiterung", "", "c", "", "zusatzlizenz", ""},
		{"standard workstation", "support", "Neuer Standardarbeitsplatz für Stelle 50.3.12", "", "b", "b3", "standardarbeitsplatz", ""},
		{"fallback support", "support", "Frage", "Wie geht das?", "a", "", FallbackRule, ""},
		{"fallback digitalisation", "digitalisierung", "Rückruf", "Bitte rufen Sie mich an.", "c", "", FallbackRule, ""},
	}
	defaults := map[string]string{"support": "a", "digitalisierung": "c"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := e.Classify(Input{Mailbox: tc.mailbox, Subject: tc.subject, Body: tc.body}, defaults[tc.mailbox])
			if d.Type != tc.wantType {
				t.Errorf("type = %q, want %q", d.Type, tc.wantType)
			}
			if d.Subtype != tc.wantSub {
				t.Errorf("subtype = %q, want %q", d.Subtype, tc.wantSub)
			}
			if d.Rule != tc.wantRule {
				t.Errorf("rule = %q, want %q", d.Rule, tc.wantRule)
			}
			if d.Project != tc.wantProject {
				t.Errorf("project = %q, want %q", d.Project, tc.wantProject)
			}
			if d.Reason == "" {
				t.Error("empty reason")
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	got := Normalize("  Störung\r\n  im   GROẞEN Büro ")
	want := "stoerung im grossen buero"
	if got != want {
		t.Errorf("Normalize = %q, want %q", got, want)
	}
}

func TestStripReplyPrefixes(t *testing.T) {
	for in, want := range map[string]string{
		"AW: WG: Re[2]: Fwd: Antw: Hallo": "Hallo",
		"re:Hallo":                        "Hallo",
		"Reise: Hallo":                    "Reise: Hallo",
		"AWARD":                           "AWARD",
	} {
		if got := StripReplyPrefixes(in); got != want {
			t.Errorf("StripReplyPrefixes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRejectsInvalidRules(t *testing.T) {
	_, err := fromYAML([]byte("rules:\n  - id: x\n    type: b\n    any: [a]\n    reason: r\n  - id: x\n    type: d\n"), "test")
	if err == nil {
		t.Fatal("invalid rules accepted")
	}
	for _, want := range []string{"subtype b1, b2 or b3", "duplicate id", "invalid type", "needs subject_prefix or any", "missing reason"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := fromYAML([]byte("rules:\n  - id: x\n    typo: a\n"), "test"); err == nil {
		t.Error("unknown key accepted")
	}
}
