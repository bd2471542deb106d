package templates

import (
	"strings"
	"testing"
)

// BenchmarkRenderNewTicket renders the two mails of a new ticket: the
// acknowledgement and the notice to IT, with a body of a few paragraphs
// and the command list.
func BenchmarkRenderNewTicket(b *testing.B) {
	s, err := Load("")
	if err != nil {
		b.Fatal(err)
	}
	d := sample()
	d.RequesterName = "Bäcker, Jürgen"
	d.Text = strings.Repeat("Der Drucker im Bürgerbüro Süd druckt seit heute früh nicht mehr. Die Aufträge bleiben hängen.\n\n", 3)
	d.Commands = []string{"#übernehmen – Sie bearbeiten das Ticket", "#zuweisen ADRESSE – eine andere Person bearbeitet es",
		"#typ b1 – anderer Prozesstyp", "#erledigt – das Ticket ist fertig"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Render(Ack, d); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Render(Notify, d); err != nil {
			b.Fatal(err)
		}
	}
}
