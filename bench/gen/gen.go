// Package gen writes realistic German office mails for benchmarks: fault
// reports (type a), orders (type b) and pre-clarification requests for
// mini-projects (type c), with umlauts in names, subjects and bodies, and
// quoted-printable bodies in UTF-8 or ISO-8859-1. The same index always
// gives the same mail, so runs can be compared.
package gen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Person is an invented member of staff.
type Person struct {
	Name  string
	Local string // local part of the address, without domain
}

var firstNames = []string{"Jürgen", "Änne", "Björn", "Sören", "Gisela", "Horst", "Käthe", "Lütfiye",
	"Matthias", "Özlem", "Renate", "Torsten", "Ursula", "Wolfgang", "Zoë", "Dörte"}

var lastNames = []string{"Bäcker", "Größmann", "Hölzel", "Kürschner", "Lämmle", "Möhring", "Nüßlein",
	"Öztürk", "Pfründer", "Rößler", "Schäfer", "Thürmer", "Völker", "Wächter", "Zöllner", "Ehrhardt"}

// People returns n invented clerks whose local parts carry tag, so that
// runs with different tags never share a mailbox.
func People(n int, tag string) []Person {
	out := make([]Person, n)
	for i := range out {
		first := firstNames[i%len(firstNames)]
		last := lastNames[(i/len(firstNames)+i)%len(lastNames)]
		out[i] = Person{Name: first + " " + last, Local: fmt.Sprintf("%s.%s.%d.%s", ascii(first), ascii(last), i, tag)}
	}
	return out
}

// ascii spells umlauts out the way address local parts do.
func ascii(s string) string {
	return strings.ToLower(strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe",
		"Ü", "Ue", "ß", "ss", "ë", "e").Replace(s))
}

type template struct {
	subject string
	body    string
}

// Templates by process type. %[1]s is a room or place, %[2]s a device, %[3]s the sender's name.
var templates = map[string][]template{
	"a": {
		{"Drucker im %[1]s druckt nicht", "Guten Morgen,\n\nder Drucker %[2]s im %[1]s druckt seit heute früh nicht mehr. Die Aufträge bleiben in der Warteschlange hängen, und am Gerät blinkt eine gelbe Lampe. Ein Neustart hat nichts geändert.\n\nKönnten Sie bitte jemanden vorbeischicken? Wir müssen heute noch die Bescheide für die Bürgerinnen und Bürger ausdrucken.\n\nMit freundlichen Grüßen\n%[3]s\n"},
		{"Störung: %[2]s startet nicht", "Hallo liebes IT-Team,\n\nmein Rechner (%[2]s) im %[1]s startet nicht mehr: nach dem Einschalten bleibt der Bildschirm schwarz, der Lüfter läuft aber. Gestern Abend ging noch alles.\n\nIch bin bis 16 Uhr unter der Durchwahl 4711 erreichbar.\n\nViele Grüße\n%[3]s\n"},
		{"Fehler beim Öffnen der Fachanwendung", "Sehr geehrte Damen und Herren,\n\nbeim Öffnen der Fachanwendung erscheint an meinem Arbeitsplatz im %[1]s die Meldung „Verbindung zum Server fehlgeschlagen“. Die Kolleginnen im Nachbarbüro können normal arbeiten. Das Gerät ist ein %[2]s.\n\nFür eine schnelle Lösung wäre ich dankbar.\n\nFreundliche Grüße\n%[3]s\n"},
	},
	"b": {
		{"Ersatz für defekte Tastatur im %[1]s", "Hallo,\n\nbitte bestellen Sie Ersatz für die Tastatur am Arbeitsplatz im %[1]s; mehrere Tasten (ä, ö und ü) reagieren nicht mehr. Ein gleichwertiges Modell genügt. Der Rechner ist ein %[2]s.\n\nBesten Dank und freundliche Grüße\n%[3]s\n"},
		{"Budgetantrag: Dokumentenscanner für das %[1]s", "Guten Tag,\n\nwie im Budgetantrag für das laufende Jahr vorgesehen, bitten wir um die Bestellung eines Dokumentenscanners für das %[1]s. Er soll neben dem %[2]s stehen und beidseitig scannen können.\n\nMit freundlichen Grüßen\n%[3]s\n"},
		{"Neuer Arbeitsplatz für Auszubildende ab 1. März", "Sehr geehrte Damen und Herren,\n\nab dem 1. März beginnt bei uns im %[1]s eine neue Auszubildende. Bitte richten Sie einen Standardarbeitsplatz mit Monitor, Tastatur, Maus und Headset ein.\n\nVielen Dank im Voraus\n%[3]s\n"},
	},
	"c": {
		{"Vorklärung Projekt für IT/50-JF: Digitale Akte im %[1]s", "Sehr geehrte Kolleginnen und Kollegen,\n\nwir möchten im %[1]s die Papierakten der Gewerbeabteilung schrittweise durch eine digitale Akte ersetzen. Betroffen sind etwa zwölf Arbeitsplätze. Bitte nehmen Sie das Vorhaben in die nächste Jour-fixe-Runde auf.\n\nMit freundlichen Grüßen\n%[3]s\n"},
		{"Umzug des Sachgebiets ins %[1]s", "Hallo zusammen,\n\nunser Sachgebiet zieht um: Ab dem 15. des nächsten Monats sitzen wir im %[1]s. Es geht um acht Arbeitsplätze samt Druckern (u. a. %[2]s) und Telefonen.\n\nBitte melden Sie sich zur Abstimmung bei mir.\n\nGrüße\n%[3]s\n"},
		{"Zusätzliche Lizenz für Planungssoftware", "Guten Tag,\n\nfür eine neue Kollegin im %[1]s benötigen wir eine zusätzliche Lizenz der Planungssoftware. Die Software läuft auf einem %[2]s.\n\nFreundliche Grüße\n%[3]s\n"},
	},
}

var rooms = []string{"Rathaus, Zimmer 2.14", "Bürgerbüro Süd", "Bauamt, 3. OG", "Standesamt", "Kämmerei",
	"Ordnungsamt, Raum 112", "Grünflächenamt", "Bücherei am Marktplatz"}

var devices = []string{"Kyocera FS-4200", "HP LaserJet M507", "Dell OptiPlex 7010", "Lenovo ThinkCentre M70q",
	"Fujitsu Esprimo P758", "Brother MFC-L8900"}

// Types lists the process types in the order Mail cycles through them.
var Types = []string{"a", "b", "c"}

// Mail returns mail i from from to to, CRLF line endings, with Message-ID
// <tag.i@stadt.example>. Its type is Types[i%3]. Every fifth mail is
// ISO-8859-1, every seventh multipart/alternative with an HTML part.
func Mail(i int, from Person, to, tag string, date time.Time) []byte {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	typ := Types[i%len(Types)]
	list := templates[typ]
	t := list[rng.IntN(len(list))]
	room, device := rooms[rng.IntN(len(rooms))], devices[rng.IntN(len(devices))]
	subject := fmt.Sprintf(t.subject, room, device, from.Name)
	body := fmt.Sprintf(t.body, room, device, from.Name)
	charset := "utf-8"
	if i%5 == 4 {
		charset = "iso-8859-1"
	}

	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", mime.QEncoding.Encode("utf-8", from.Name)+" <"+from.Local+"@stadt.example>")
	header("To", to)
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<%s.%d@stadt.example>", tag, i))
	header("MIME-Version", "1.0")
	header("X-Mailer", "Microsoft Outlook 16.0")
	if i%7 == 6 {
		boundary := fmt.Sprintf("=_alt_%d_%s", i, tag)
		header("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
		b.WriteString("\r\n")
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		writePart(&b, "text/plain", charset, body)
		fmt.Fprintf(&b, "\r\n--%s\r\n", boundary)
		html := "<html><body><p>" + strings.ReplaceAll(strings.TrimSpace(body), "\n\n", "</p><p>") + "</p></body></html>"
		writePart(&b, "text/html", charset, strings.ReplaceAll(html, "\n", "<br>\n"))
		fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
		return b.Bytes()
	}
	writePart(&b, "text/plain", charset, body)
	return b.Bytes()
}

// writePart writes Content-Type and Content-Transfer-Encoding, a blank
// line and text encoded as quoted-printable in charset.
func writePart(b *bytes.Buffer, contentType, charset, text string) {
	fmt.Fprintf(b, "Content-Type: %s; charset=%s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", contentType, charset)
	raw := []byte(strings.ReplaceAll(text, "\n", "\r\n"))
	if charset == "iso-8859-1" {
		// Latin-1 lacks the German quotation marks.
		latin := strings.NewReplacer("„", `"`, "“", `"`).Replace(string(raw))
		if enc, err := charmap.ISO8859_1.NewEncoder().String(latin); err == nil {
			raw = []byte(enc)
		}
	}
	w := quotedprintable.NewWriter(b)
	w.Write(raw)
	w.Close()
}
