package jourfixe

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"mailbot/store"
	"mailbot/templates"
)

// TestRenderAgendaGolden pins the agenda text and HTML byte for byte to
// testdata, written by the renderer before the agenda moved to templates/.
func TestRenderAgendaGolden(t *testing.T) {
	c := testConfig(t)
	start := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	in := agendaInput()
	in.Tickets[store.Number{Year: 2026, Seq: 7}].Subject = "<b>Drucker</b> & Scanner"
	for _, series := range []string{"it", "digi"} {
		a := Build(c.JourFixe.SeriesByName(series), start, time.Hour, in)
		a.Location = "Raum 1"
		check := func(name string) {
			t.Helper()
			text, html, err := a.Render(templates.Embedded())
			if err != nil {
				t.Fatal(err)
			}
			for ext, got := range map[string]string{"txt": text, "html": html} {
				want, err := os.ReadFile(filepath.Join("testdata", "agenda."+name+"."+ext))
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("%s.%s differs:\ngot:\n%s\nwant:\n%s", name, ext, got, want)
				}
			}
		}
		check(series)
		a.Items, a.Tasks = nil, nil
		check("empty" + series)
	}
}
