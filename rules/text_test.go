package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNormalizeHyphensAndSpaces(t *testing.T) {
	tests := map[string]string{
		"Ersatz-Tastatur":            "ersatztastatur",
		"Ersatz-\n  beschaffung":     "ersatzbeschaffung",
		"Hard- und Software":         "hard- und software",
		"Stra\u00dfe  \u00a0 Nummer": "strasse nummer",
		"Lizenz\u00aderweiterung":    "lizenzerweiterung",
		"IT-JF / JF DI/50":           "itjf / jf di/50",
		"Gr\u00fc\u00dfe - Anna":     "gruesse - anna",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTermMatching(t *testing.T) {
	tests := []struct {
		term, text string
		want       bool
	}{
		{"Ersatz", "Bitte Ersatztastatur", true},
		{"Lizenz", "eine Lizenzerweiterung", true},
		{"lizenz", "Softwarelizenzen", true},
		{"Störung", "STOERUNG im Netz", true},
		{"funktioniert nicht", "funktioniert\n   nicht", true},
		{"^austausch", "Datenaustausch klappt", false},
		{"^austausch", "Austausch des Monitors", true},
		{"^bricht$", "unterbricht", false},
		{"^bricht$", "die Verbindung bricht ab", true},
		{"kaputt$", "kaputte Maus", false},
		{"Straße", "Strasse", true},
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

func TestSplitNewText(t *testing.T) {
	tests := []struct {
		name, body, wantNew, wantQuoted string
	}{
		{"thunderbird reply", "Neue Zeile.\n\nAm 02.12.2026 um 14:03 schrieb Anna Beispiel:\n> alter Text\n> Umzug\n",
			"Neue Zeile.", "alter Text\nUmzug"},
		{"quote header over two lines", "Neu.\n\nAm Mittwoch, 02.12.2026 um 14:03 schrieb Anna Beispiel\n<anna@stadt.example>:\n> alt\n",
			"Neu.", "<anna@stadt.example>:\nalt"},
		{"english", "New.\nOn Wed, Dec 2, 2026 at 2:03 PM Anna <a@example.org> wrote:\n> old\n", "New.", "old"},
		{"outlook block", "Neu.\n\n________________________________\nVon: Anna <a@stadt.example>\nGesendet: Mittwoch\nAn: x\nBetreff: Drucker\n\nalter Text\n",
			"Neu.", "Drucker\n\nalter Text"},
		{"outlook without separator", "Neu.\n\nVon: Anna <a@stadt.example>\nGesendet: Mittwoch\nAn: x\nBetreff: Drucker\n\nalt\n",
			"Neu.", "Drucker\n\nalt"},
		{"original message", "Neu.\n-----Ursprüngliche Nachricht-----\nVon: Anna\nGesendet: heute\nBetreff: B\n\nalt",
			"Neu.", "B\n\nalt"},
		{"forward", "Siehe unten.\n\n-------- Weitergeleitete Nachricht --------\nBetreff: \tScanner\nVon: \tEmil\n\nScanner kaputt.\n",
			"Siehe unten.", "Scanner\n\nScanner kaputt."},
		{"dash signature", "Text.\n-- \nAnna\nUmzugsplanung\n", "Text.", ""},
		{"closing formula", "Text.\n\nMit freundlichen Grüßen\nBernd\nIT-Budget Amt 50", "Text.", ""},
		{"closing in the middle of a sentence", "Viele Grüße an das Team, der Drucker ist kaputt.", "Viele Grüße an das Team, der Drucker ist kaputt.", ""},
		{"interleaved quote", "> Frage?\nAntwort.\n> Noch eine?\nJa.", "Antwort.\nJa.", ""},
		{"von in text", "Von: mir\nBitte den Drucker prüfen.", "Von: mir\nBitte den Drucker prüfen.", ""},
		{"mobile signature", "Drucker kaputt.\n\nVon meinem iPhone gesendet\n", "Drucker kaputt.", ""},
		{"crlf", "Neu.\r\n\r\nAm 1.1.2026 schrieb A:\r\n> alt\r\n", "Neu.", "alt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, q := Split(tc.body)
			if n != tc.wantNew {
				t.Errorf("new text = %q, want %q", n, tc.wantNew)
			}
			if q != tc.wantQuoted {
				t.Errorf("quoted = %q, want %q", q, tc.wantQuoted)
			}
		})
	}
}

func TestIsForward(t *testing.T) {
	for subject, want := range map[string]bool{
		"WG: Drucker": true, "AW: WG: Drucker": true, "Fwd: x": true, "AW: Drucker": false, "Drucker": false, "Weg: x": false,
	} {
		if got := IsForward(subject); got != want {
			t.Errorf("IsForward(%q) = %v, want %v", subject, got, want)
		}
	}
}

func TestCheckAnnouncement(t *testing.T) {
	tests := []struct {
		name, text string
		urgency    string
		desc       bool
		sketch     bool
	}{
		{"complete", "Hallo,\nBeschreibung: Die Poststelle soll Briefe scannen und digital an die Sachgebiete verteilen.\nDringlichkeit: Klärung im nächsten IT-JF ausreichend.\n2 Scanner, 3 Lizenzen.", UrgencyITJF, true, true},
		{"digi", "Bürgerinnen sollen Termine online buchen können, damit die Wartezeit im Foyer sinkt.\nKlärung im JF DI/50 notwendig.", UrgencyDigiJF, true, false},
		{"template copied unchanged", "Dringlichkeit: Klärung im nächsten IT-JF ausreichend/Klärung im JF DI/50 notw.", "", false, false},
		{"both weighed", "Eine Klärung im IT-JF reicht nicht, der JF DI/50 ist notwendig.", "", false, false},
		{"digi jour fixe spelled out", "Wir brauchen den Jour fixe Digitalisierung dafür.", UrgencyDigiJF, false, false},
		{"sketch label", "Lösungsskizze: zentrale Etagendrucker statt Arbeitsplatzdrucker.", "", false, true},
		{"date is no quantity", "Start am 01.03.2027 Montag.", "", false, false},
		{"greeting is no description", "Guten Tag liebe Kolleginnen und Kollegen der IT und der Digitalisierung,", "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := CheckAnnouncement(tc.text)
			if a.Urgency != tc.urgency {
				t.Errorf("urgency = %q, want %q", a.Urgency, tc.urgency)
			}
			if a.Description != tc.desc {
				t.Errorf("description = %v, want %v", a.Description, tc.desc)
			}
			if a.Sketch != tc.sketch {
				t.Errorf("sketch = %v, want %v", a.Sketch, tc.sketch)
			}
			want := 0
			for _, ok := range []bool{tc.desc, tc.urgency != "", tc.sketch} {
				if !ok {
					want++
				}
			}
			if len(a.Missing) != want {
				t.Errorf("missing = %q, want %d parts", a.Missing, want)
			}
		})
	}
}

func TestFindPositionAndBudget(t *testing.T) {
	for text, want := range map[string]string{
		"für Stelle 50.3.12 bitte":    "50.3.12",
		"Stellennummer: 50.1.7":       "50.1.7",
		"Stellen-Nr. 50.2.4":          "50.2.4",
		"Stellenplannummer 50.10.3":   "50.10.3",
		"Stelle Nr. 12.3":             "12.3",
		"am 04.01.2027 an der Stelle": "",
		"Kostenstelle 3400":           "",
	} {
		if got := FindPosition(text); got != want {
			t.Errorf("FindPosition(%q) = %q, want %q", text, got, want)
		}
	}
	for text, want := range map[string]string{
		"Budgetantrag 2026-14":               "2026-14",
		"aus dem IT-Budgetposten Nr. 2026-7": "2026-7",
		"Haushaltsposten: 2026-03":           "2026-03",
		"Ticket [IT-2026-00014]":             "",
		"Budget für 2026":                    "",
	} {
		if got := findBudgetID(text, nil); got != want {
			t.Errorf("findBudgetID(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestExtendModeAndPlaceholders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	own := `rules:
  - id: stoerung
    type: a
    priority: 40
    any: [defekt, wackelkontakt]
    reason: "Fehler gemeldet ({position})."
  - id: umzug
    disabled: true
  - id: beamer
    type: c
    priority: 95
    subject: [beamer]
    sender_roles: [orga]
    reason: "Beamer für {project}."
`
	if err := os.WriteFile(path, []byte(own), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{File: path, Mode: ModeExtend})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	d := e.Classify(Input{Mailbox: "support", Subject: "Wackelkontakt", Body: "an Stelle 50.3.12"}, "a")
	if d.Rule != "stoerung" || d.Reason != "Fehler gemeldet (50.3.12)." || d.Matched != "wackelkontakt" {
		t.Errorf("extended rule: %+v", d)
	}
	if d := e.Classify(Input{Subject: "Umzug"}, "a"); d.Rule == "umzug" {
		t.Error("disabled rule still decides")
	}
	if d := e.Classify(Input{Subject: "Lizenzerweiterung"}, "a"); d.Rule != "zusatzlizenz" {
		t.Errorf("default rule lost in extend mode: %+v", d)
	}
	if d := e.Classify(Input{Subject: "Beamer"}, "a"); d.Rule == "beamer" {
		t.Error("sender_roles ignored")
	}
	if d := e.Classify(Input{Subject: "Beamer", SenderRoles: []string{"budget", "orga"}}, "a"); d.Rule != "beamer" {
		t.Errorf("sender_roles: %+v", d)
	}

	e, err = New(Options{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Classify(Input{Subject: "Lizenzerweiterung"}, "a"); d.Rule != FallbackRule {
		t.Errorf("replace mode kept the default rules: %+v", d)
	}
	if _, err := New(Options{File: path, Mode: "merge"}); err == nil {
		t.Error("unknown mode accepted")
	}
	dup := filepath.Join(t.TempDir(), "dup.yaml")
	if err := os.WriteFile(dup, []byte(own+"  - id: beamer\n    disabled: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{File: dup, Mode: ModeExtend}); err == nil || !strings.Contains(err.Error(), "duplicate id") {
		t.Errorf("id used twice in the file: error %v", err)
	}
}

func TestFallbackReasonNamesMailbox(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	d := e.Classify(Input{Mailbox: "digitalisierung", Subject: "Hallo"}, "c")
	if d.Rule != FallbackRule || !strings.Contains(d.Reason, "digitalisierung (c)") || !strings.Contains(d.Reason, "von Hand") {
		t.Errorf("fallback: %+v", d)
	}
}

// TestDocsExamplesCompile keeps the YAML examples of docs/rules.md valid.
func TestDocsExamplesCompile(t *testing.T) {
	data, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```yaml\n")[1:]
	n := 0
	for _, b := range blocks {
		b, _, _ = strings.Cut(b, "```")
		// Blocks inside a numbered list are indented; remove the indent
		// of the first line from every line.
		indent := len(b) - len(strings.TrimLeft(b, " "))
		b = strings.ReplaceAll("\n"+b, "\n"+strings.Repeat(" ", indent), "\n")
		if !strings.Contains(b, "- id:") {
			continue
		}
		n++
		if _, err := fromYAML([]byte(b), "docs/rules.md"); err != nil {
			t.Errorf("example does not compile: %v\n%s", err, b)
		}
	}
	if n < 2 {
		t.Errorf("found %d rule examples in docs/rules.md, want 2", n)
	}
}

func TestAnnouncementAdd(t *testing.T) {
	a := Announcement{Description: true, Missing: []string{MissingProject, MissingUrgency, MissingSketch}}
	a.Add(CheckAnnouncement("Dringlichkeit: nächster IT-JF reicht."))
	if a.Urgency != UrgencyITJF || !a.Description || a.Sketch {
		t.Errorf("merged %+v", a)
	}
	if want := []string{MissingProject, MissingSketch}; !slices.Equal(a.Missing, want) {
		t.Errorf("missing %q, want %q", a.Missing, want)
	}
	a.Add(CheckAnnouncement("Mengen: 3 Scanner"))
	if !a.Sketch || len(a.Missing) != 1 {
		t.Errorf("after the sketch: %+v", a)
	}
}
