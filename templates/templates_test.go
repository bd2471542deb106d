package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample() TicketData {
	return TicketData{
		Number: "2026-00042", Tag: "[IT-2026-00042]", Subject: "Drucker im 2. OG",
		Requester: "anna.beispiel@stadt.example", RequesterName: "Anna Beispiel", Mailbox: "support",
		TypeName: TypeName("a", ""), Next: NextStep("a"), Rule: "stoerung",
		Reason: "Die Mail meldet einen Fehler.", Text: "Der Drucker druckt nicht.",
		Attachments: []Attachment{{Name: "foto.jpg", Size: 2048}}, AckSent: true,
	}
}

func TestRenderEmbedded(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ack, err := s.Render(Ack, sample())
	if err != nil {
		t.Fatalf("Render ack: %v", err)
	}
	for _, want := range []string{"Guten Tag Anna Beispiel,", "Betreff:     Drucker im 2. OG", "das Ticket 2026-00042",
		"a) Support", "[IT-2026-00042]", "zuständigen", "schließt"} {
		if !strings.Contains(ack, want) {
			t.Errorf("ack lacks %q:\n%s", want, ack)
		}
	}
	if strings.Contains(ack, "<no value>") || strings.Contains(ack, "{{") {
		t.Errorf("ack has template leftovers:\n%s", ack)
	}
	note, err := s.Render(Notify, sample())
	if err != nil {
		t.Fatalf("Render notify: %v", err)
	}
	if !strings.Contains(note, "foto.jpg (2048 Bytes)") || strings.Contains(note, "von Hand") {
		t.Errorf("notify text wrong:\n%s", note)
	}
	d := sample()
	d.ManualTriage = true
	note, _ = s.Render(Notify, d)
	if !strings.Contains(note, "von Hand") {
		t.Errorf("manual triage not asked for:\n%s", note)
	}
}

func TestOverrideDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Ack), []byte("Hallo {{.Number}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got, _ := s.Render(Ack, sample())
	if got != "Hallo 2026-00042\n" {
		t.Errorf("override = %q", got)
	}
	// Templates without an override still come from the binary.
	if note, _ := s.Render(Notify, sample()); !strings.Contains(note, "Neues Ticket") {
		t.Errorf("notify not embedded:\n%s", note)
	}
}

func TestBrokenOverrideRejected(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Notify), []byte("{{.Number"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), Notify) {
		t.Errorf("Load error = %v, want one naming %s", err, Notify)
	}
	if err := os.WriteFile(filepath.Join(dir, Notify), []byte("{{.Unknown}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Render(Notify, sample()); err == nil {
		t.Error("unknown field rendered without error")
	}
}

func TestNotifyHeldAck(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	d := sample()
	d.AckSent, d.AckHeld = false, true
	note, err := s.Render(Notify, d)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(note), " ")
	if !strings.Contains(text, "Die Eingangsbestätigung an die anfragende Person wurde zum Schutz vor Mailschleifen zurückgehalten") {
		t.Errorf("notice of a held acknowledgement:\n%s", note)
	}
	if strings.Contains(text, "erhält eine Eingangsbestätigung") || strings.Contains(text, "keine gültige Absenderadresse") {
		t.Errorf("notice of a held acknowledgement promises one or blames the address:\n%s", note)
	}
}
