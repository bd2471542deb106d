package templates

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// triageSample is ticket data with every triage detail set.
func triageSample() TicketData {
	d := sample()
	d.TypeName, d.Next = TypeName("c", ""), NextStep("c")
	d.Project, d.Position, d.Cite = "Digitale Post", "50.3.12", "Ausstattung bleibt an der Stelle."
	d.Application, d.Responsibility = "Wohngeldverfahren", "Komplettsupport durch die IT"
	d.BudgetItem, d.BudgetTitle, d.BudgetStatus = "2026-14", "Dokumentenscanner", "approved"
	d.Announcement, d.HasDescription, d.Urgency = true, true, "nicht angegeben"
	d.Missing = []string{"die Dringlichkeit"}
	d.OrgaContacts = []string{"orga.amt50@stadt.example"}
	d.AnnouncementTo = []string{"3344@stadt.example", "digitalisierung@stadt.example"}
	d.AnnouncementForm = "Vorklärung Projekt für IT/50-JF:"
	return d
}

func TestTriageTemplatesNameNumberTypeNextStep(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{Ack, Notify, AckAnnouncement, AckNeedsAnnouncement, NotifyOrga} {
		for _, d := range []TicketData{sample(), triageSample()} {
			out, err := s.Render(name, d)
			if err != nil {
				t.Fatalf("render %s: %v", name, err)
			}
			wants := []string{d.Number, d.TypeName, "So geht es weiter"}
			if name != Notify {
				// IT's notice names IT's next step, the others the next step
				// of the process type.
				wants = append(wants, d.Next)
			}
			// The next step is wrapped, so it is compared with the text's
			// line breaks as spaces.
			flat := strings.Join(strings.Fields(out), " ")
			for _, want := range wants {
				if !strings.Contains(flat, want) {
					t.Errorf("%s lacks %q:\n%s", name, want, out)
				}
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "So geht es weiter") && utf8.RuneCountInString(line) > lineWidth {
					t.Errorf("%s has an unwrapped next-step line of %d characters: %q", name, utf8.RuneCountInString(line), line)
				}
			}
			if strings.Contains(out, "<no value>") || strings.Contains(out, "{{") {
				t.Errorf("%s has template leftovers:\n%s", name, out)
			}
		}
	}
}

func TestTriageDetailsInTemplates(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	render := func(name string) string {
		out, err := s.Render(name, triageSample())
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	checks := map[string][]string{
		Ack: {"Stelle:      50.3.12", "Anwendung:   Wohngeldverfahren", "Budgetposten: 2026-14 – Dokumentenscanner",
			"Bitte beachten Sie die vereinbarte Regel: Ausstattung bleibt an der Stelle."},
		AckAnnouncement: {"Projektname: Digitale Post", "Beschreibung der fachlichen Anforderung: vorhanden",
			"Dringlichkeit: nicht angegeben", "Bitte ergänzen Sie", "  - die Dringlichkeit"},
		AckNeedsAnnouncement: {"(orga.amt50@stadt.example)", "3344@stadt.example und digitalisierung@stadt.example",
			"bereits die Form einer Vorankündigung", "Ausstattung bleibt an der Stelle."},
		NotifyOrga: {"Anna Beispiel (anna.beispiel@stadt.example)", "Stelle:      50.3.12", "die Ticketnummer 2026-00042"},
		Notify: {"Stelle:     50.3.12", "Anwendung:  Wohngeldverfahren (Komplettsupport durch die IT)",
			"(ohne Vorbehalt freigegeben)", "Vorankündigung: Beschreibung vorhanden, Dringlichkeit: nicht angegeben"},
	}
	for name, wants := range checks {
		out := render(name)
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
	}
	d := triageSample()
	d.Missing = nil
	out, _ := s.Render(AckAnnouncement, d)
	if !strings.Contains(out, "Die Vorankündigung ist vollständig.") || strings.Contains(out, "Bitte ergänzen") {
		t.Errorf("complete announcement:\n%s", out)
	}
}
