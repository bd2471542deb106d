package parse

import (
	"strings"
	"testing"
	"time"
)

func TestCase001SplitEncodedWord(t *testing.T) {
	m := mustParse(t, readCase(t, "001-rfc2047-split-vorklaerung.eml"))
	equal(t, "Subject", m.Subject, "Vorklärung Projekt für IT/50-JF: Digitalisierung Kita-Anmeldung Süd")
	if strings.ContainsRune(m.Subject, '\uFFFD') {
		t.Errorf("Subject contains U+FFFD: %q", m.Subject)
	}
	equal(t, "From", m.From, Address{Name: "Feld, Jonas", Addr: "j.feld@example.org"})
	equal(t, "MessageID", m.MessageID, "000a01db4501$3c2f1e80$b48d5b80$@example.org")
	if !strings.Contains(m.Text, "im Bezirk Süd digitalisieren\n") {
		t.Errorf("Text lacks the joined soft line break: %q", m.Text)
	}
	equal(t, "Date", m.Date.Equal(time.Date(2026, 12, 3, 7, 41, 17, 0, time.UTC)), true)
	noWarnings(t, m)
}

func TestCase002Latin1LabelHoldsCP1252(t *testing.T) {
	m := mustParse(t, readCase(t, "002-latin1-label-cp1252-bytes.eml"))
	equal(t, "Subject", m.Subject, "Bestellung Headsets für Standesamt – Mittel freigegeben")
	equal(t, "MediaType", m.MediaType, "multipart/alternative")
	if !strings.Contains(m.Text, "(„Stereo Pro“, je ca. 45 €).") {
		t.Errorf("Text lacks the windows-1252 characters: %q", m.Text)
	}
	if m.FromHTML {
		t.Error("FromHTML is set although a text/plain part exists")
	}
	if !strings.Contains(m.HTML, "45&nbsp;€") {
		t.Errorf("HTML not decoded as windows-1252: %q", m.HTML)
	}
	noWarnings(t, m)
}

func TestCase004QuoteHeaderSoftBreak(t *testing.T) {
	m := mustParse(t, readCase(t, "004-german-quote-header-qp-softbreak-2-staff-reply.eml"))
	want := "ERLEDIGT Tonerkartusche getauscht, Testseite gedruckt, Gerät läuft wieder.\n\n" +
		"Am 04.12.2026 09:12 schrieb \"IT-Servicerobot\" <it-robot@example.org\n>:\n"
	if !strings.HasPrefix(m.Text, want) {
		t.Errorf("Text start: got %q, want prefix %q", m.Text[:min(len(m.Text), len(want))], want)
	}
	equal(t, "InReplyTo", m.InReplyTo, []string{"IT-2026-0042.2@robot.example.org"})
	robot, _ := m.Robot()
	equal(t, "Robot", robot, false)

	own := mustParse(t, readCase(t, "004-german-quote-header-qp-softbreak-1-robot.eml"))
	robot, reason := own.Robot()
	equal(t, "own mail Robot", robot, true)
	equal(t, "own mail reason", reason, "Auto-Submitted: auto-generated")
}

func TestCase005TNEF(t *testing.T) {
	m := mustParse(t, readCase(t, "005-winmail-dat-tnef.eml"))
	want := "Guten Morgen,\n\nder Scanner im Bürgerbüro (Platz 4) bricht seit heute früh jeden Scan mit\n" +
		"Fehler E-213 ab. Das Fehlerprotokoll hänge ich an.\n\nViele Grüße\nKarin Schulz\nBürgerbüro\n"
	equal(t, "Text", m.Text, want)
	equal(t, "Attachments", m.Attachments, []Attachment{{Name: "Fehlerprotokoll.txt", ContentType: "text/plain", Size: 135}})
	equal(t, "NeedsReview", m.NeedsReview, false)
	equal(t, "Subject", m.Subject, "Scanner im Bürgerbüro meldet Fehler E-213")
	noWarnings(t, m)
}

func TestCase006MissingMessageID(t *testing.T) {
	raw := readCase(t, "006-missing-message-id.eml")
	m := mustParse(t, raw)
	equal(t, "MessageID", m.MessageID, "")
	equal(t, "Subject", m.Subject, "Störung: Zeiterfassung Bauhof – Terminal nimmt keine Chips an")
	again := mustParse(t, append([]byte(nil), raw...))
	equal(t, "hash of the same bytes", again.ContentHash, m.ContentHash)

	other := strings.Replace(string(raw), "nimmt seit 6:30 Uhr", "nimmt seit 7:15 Uhr", 1)
	if mustParse(t, []byte(other)).ContentHash == m.ContentHash {
		t.Error("another mail without Message-ID has the same ContentHash")
	}
	noWarnings(t, m)
}

func TestCase008OutOfOfficeBySubject(t *testing.T) {
	m := mustParse(t, readCase(t, "008-exchange-ooo-no-auto-submitted-2-ooo.eml"))
	robot, reason := m.Robot()
	equal(t, "Robot", robot, true)
	equal(t, "reason", reason, "out-of-office subject")
	equal(t, "InReplyTo", m.InReplyTo, []string{"IT-2026-0058.3@robot.example.org"})
	if !strings.HasPrefix(m.Text, "Vielen Dank für Ihre Nachricht.\n") {
		t.Errorf("Text: %q", m.Text)
	}
	equal(t, "Report", m.Report, (*Report)(nil))
}

func TestCase009DeliveryReport(t *testing.T) {
	m := mustParse(t, readCase(t, "009-bounce-ndr-loop-2-ndr.eml"))
	robot, reason := m.Robot()
	equal(t, "Robot", robot, true)
	equal(t, "reason", reason, "delivery report")
	equal(t, "ReturnPath", m.ReturnPath, "<>")
	equal(t, "MediaType", m.MediaType, "multipart/report")
	equal(t, "Report", m.Report, &Report{
		OriginalMessageID: "IT-2026-0077.1@robot.example.org",
		OriginalSubject:   "[#IT-2026-0077] Eingangsbestätigung: Zugang Fachverfahren Wohngeld",
		Recipients:        []string{"m.alt@example.org"},
		Action:            "failed",
		Status:            "5.1.1",
	})
	equal(t, "Subject", m.Subject, "Unzustellbar: [#IT-2026-0077] Eingangsbestätigung: Zugang Fachverfahren Wohngeld")
	equal(t, "Attachments", len(m.Attachments), 0)
	noWarnings(t, m)
}

func TestCase010MailingList(t *testing.T) {
	m := mustParse(t, readCase(t, "010-mailman-precedence-list.eml"))
	robot, reason := m.Robot()
	equal(t, "Robot", robot, true)
	equal(t, "reason", reason, "Precedence: list")
	equal(t, "List-Id", m.Header.Get("List-Id"), "Austausch kommunaler IT-Abteilungen <kommunal-it.lists.example.net>")
	if !strings.Contains(m.Text, "Hat jemand schon eine Lösung gefunden?") {
		t.Errorf("Text: %q", m.Text)
	}
}

func TestCase012MissingClosingBoundary(t *testing.T) {
	m := mustParse(t, readCase(t, "012-missing-final-boundary.eml"))
	if !strings.HasSuffix(m.Text, "Mit freundlichen Grüßen\nUte Krause\nKämmerei\n") {
		t.Errorf("Text is not complete: %q", m.Text)
	}
	equal(t, "Attachments", m.Attachments, []Attachment{{Name: "Inventarliste.csv", ContentType: "text/csv", Size: 245}})
	hasWarning(t, m, "closing boundary \"=_7d1c0f2a8b3e4d59a6c1e0f2b3a4d5c6\" missing")
	equal(t, "warning count", len(m.Warnings), 1)
}

func TestCase014LongReferences(t *testing.T) {
	for _, name := range []string{
		"014-long-folded-references-2-reply-folded.eml",
		"014-long-folded-references-3-reply-single-line.eml",
	} {
		t.Run(name, func(t *testing.T) {
			raw := readCase(t, name)
			m := mustParse(t, raw)
			equal(t, "References count", len(m.References), 81)
			equal(t, "first reference", m.References[0], "91544f410f320daf85afa6c2c93e161ef32210ea.00@mail.example.org")
			equal(t, "reference 79", m.References[79], "0c515593e50067c55b2c6045280baf018a37b179.79@mail.example.org")
			equal(t, "last reference", m.References[80], "IT-2026-0150.7@robot.example.org")
			equal(t, "InReplyTo", m.InReplyTo, []string{"IT-2026-0150.7@robot.example.org"})
			equal(t, "Subject", m.Subject, "Re: [#IT-2026-0150] Rückfrage: Freigabe Softwareinstallation Statistikpaket")
			equal(t, "Text", m.Text, "Hallo,\n\nja, die Freigabe der Amtsleitung liegt seit gestern vor (Mail anbei im Vorgang\nvom 02.12.). Bitte installieren.\n\nTom Wendt\n")
			if len(m.Header.Get("References")) <= 4096 {
				t.Errorf("References field is only %d octets; the case needs more than 4096", len(m.Header.Get("References")))
			}
			noWarnings(t, m)
		})
	}
}

func TestCase015PlainMails(t *testing.T) {
	a := mustParse(t, readCase(t, "015-imap-drop-mid-fetch-uid4711.eml"))
	b := mustParse(t, readCase(t, "015-imap-drop-mid-fetch-uid4712.eml"))
	equal(t, "4711 Subject", a.Subject, "VPN-Verbindung bricht im Homeoffice ständig ab")
	equal(t, "4712 Subject", b.Subject, "Neuer Standardarbeitsplatz für Auszubildende ab 04.01.2027")
	if a.ContentHash == b.ContentHash {
		t.Error("two different mails share a ContentHash")
	}
}

func TestCase017HTMLOnly(t *testing.T) {
	m := mustParse(t, readCase(t, "017-html-only.eml"))
	equal(t, "From", m.From, Address{Name: "Böhm, Jan", Addr: "j.boehm@example.org"})
	equal(t, "FromHTML", m.FromHTML, true)
	want := "Hallo zusammen,\n\n" +
		"meine Maus ist seit heute defekt (linke Taste reagiert nicht mehr).\n" +
		"Bitte schicken Sie mir eine Ersatzmaus, gern das gleiche Modell.\n" +
		"Arbeitsplatz: Straßenverkehrsbehörde, Zimmer 1.09\n\n" +
		"Danke & viele Grüße\n" +
		"Jan Böhm\n" +
		"Straßenverkehrsbehörde"
	equal(t, "Text", m.Text, want)
	for _, bad := range []string{"MsoNormal", "font-family", "<", "&nbsp;", "&amp;"} {
		if strings.Contains(m.Text, bad) {
			t.Errorf("Text contains %q", bad)
		}
	}
	noWarnings(t, m)
}

func TestCaseRobotsOwnMails(t *testing.T) {
	for _, name := range []string{
		"008-exchange-ooo-no-auto-submitted-1-robot.eml",
		"009-bounce-ndr-loop-1-robot.eml",
		"014-long-folded-references-1-robot.eml",
	} {
		m := mustParse(t, readCase(t, name))
		robot, reason := m.Robot()
		equal(t, name+" Robot", robot, true)
		equal(t, name+" reason", reason, "Auto-Submitted: auto-generated")
	}
}

func TestCasesAllParseWithoutRobotFalsePositives(t *testing.T) {
	human := []string{
		"001-rfc2047-split-vorklaerung.eml",
		"002-latin1-label-cp1252-bytes.eml",
		"005-winmail-dat-tnef.eml",
		"006-missing-message-id.eml",
		"012-missing-final-boundary.eml",
		"015-imap-drop-mid-fetch-uid4711.eml",
		"017-html-only.eml",
	}
	for _, name := range human {
		m := mustParse(t, readCase(t, name))
		if robot, reason := m.Robot(); robot {
			t.Errorf("%s: Robot() = true (%s), want false", name, reason)
		}
	}
}
