package templates

import (
	"errors"
	"fmt"
)

// Check renders every template of s with sample data. An override that
// parses but names a field its data lacks, or calls a function wrongly,
// then fails when the configuration is checked or mailbot starts, not when
// the first such mail is due. It returns one error per broken template,
// joined.
func (s *Set) Check() error {
	var errs []error
	for _, name := range All {
		data, ok := samples[name]
		if !ok {
			errs = append(errs, fmt.Errorf("template %s: no sample data to check it with", name))
			continue
		}
		if _, err := s.Render(name, data); err != nil {
			errs = append(errs, err)
		}
	}
	for _, name := range ReplyNames {
		if _, err := s.Line(JourFixeReplies, name, sampleReply); err != nil {
			errs = append(errs, fmt.Errorf("template %s, {{define %q}}: %w", JourFixeReplies, name, err))
		}
	}
	for _, name := range TaskErrorNames {
		if _, err := s.Line(TaskErrors, name, sampleTaskError); err != nil {
			errs = append(errs, fmt.Errorf("template %s, {{define %q}}: %w", TaskErrors, name, err))
		}
	}
	return errors.Join(errs...)
}

// sampleTicket fills every field and list, so each range and with block of
// a template runs once.
var sampleTicket = TicketData{
	Number: "2026-00042", Tag: "[IT-2026-00042]", Subject: "Drucker druckt nicht", Requester: "anna.beispiel@stadt.example",
	RequesterName: "Anna Beispiel", RawFrom: "Anna Beispiel <anna.beispiel@stadt.example>", AckSent: true, Mailbox: "support",
	TypeName: TypeName("a", ""), Next: NextStep("a"), Rule: "stoerung", Reason: "Die Mail meldet einen Fehler.",
	Project: "Digitale Post", ManualTriage: true, Attachments: []Attachment{{Name: "foto.jpg", Size: 2048}},
	Text: "Der Drucker zeigt Fehler 17.", Commands: []string{"#erledigt [TEXT] – schließt das Ticket"},
	Cite: "Ausstattung bleibt an der Stelle.", Position: "50.3.12", Application: "Wohngeldverfahren",
	Responsibility: "Komplettsupport durch die IT", Responsible: []string{"it-fachverfahren@stadt.example"},
	BudgetItem: "2026-14", BudgetTitle: "Dokumentenscanner", BudgetStatus: "approved",
	Announcement: true, HasDescription: true, Urgency: "JF IT/Amt 50 genügt", HasSketch: true, Missing: []string{"Lösungsskizze"},
	OrgaContacts: []string{"orga.amt50@stadt.example"}, AnnouncementTo: []string{"3344@stadt.example"},
	AnnouncementForm: "Vorklärung Projekt für IT/50-JF: <Projektname>",
}

var sampleResults = []CommandResult{{OK: true, Command: "#erledigt", Text: "Ticket erledigt."}}

var sampleQuarantine = QuarantineData{Mailbox: "support", Folder: "Quarantaene", Watched: "INBOX",
	Reason: "Die Mail ist zu groß.", Detail: "size limit", UID: 28, MessageID: "x@example.org",
	From: "absender@example.org", Subject: "Test", Size: 1 << 20}

var sampleAgenda = AgendaData{Subject: "Tagesordnung", Title: "Jour fixe IT/Amt 50", When: "Dienstag, 12.01.2027, 10:00 Uhr",
	Location: "Raum 1", IT: true,
	Items: []AgendaItemData{{Tag: "[IT-2026-00042]", Kind: "Eskalation", Title: "Drucker", Since: "01.12.2026",
		LastState: "neu", Reason: "offen", Deferred: 1}},
	Tasks: []AgendaTaskData{{ID: 3, Owner: "anna.beispiel@stadt.example", What: "klären", With: []string{"ben.muster@stadt.example"},
		Due: "20.12.2026", State: "offen", Since: "01.12.2026", Tag: "[IT-2026-00042]", Title: "Drucker"}},
}

var sampleReply = ReplyData{Command: "agenda", Roles: "it", Subjects: []string{"Tagesordnung"}, Tag: "[IT-2026-00042]",
	Word: "freigegeben", Next: "12.01.2027", Resumed: true, Outcome: "freigegeben", Task: "Wer: anna.beispiel@stadt.example",
	Note: "bis 20.12.2026", ID: 3, Owner: "anna.beispiel@stadt.example", What: "klären", Count: 2, Value: "x"}

// samples holds the data each template is rendered with in Check, of the
// type mailbot renders it with.
var samples = map[string]any{
	Ack: sampleTicket, Notify: sampleTicket, AckAnnouncement: sampleTicket, AckNeedsAnnouncement: sampleTicket, NotifyOrga: sampleTicket,
	OrgaVoid: sampleTicket,
	NotifyDigest: DigestData{Count: 2, Mailbox: "support", Address: "3344@stadt.example", Tickets: []DigestTicket{
		{TicketData: sampleTicket, Excerpt: "Der Drucker im Zimmer 1.04 druckt nicht.",
			Mailto: "mailto:3344@stadt.example?subject=%5BIT-2026-00042%5D%20Drucker"},
		{TicketData: TicketData{Number: "2026-00043", Tag: "[IT-2026-00043]", TypeName: TypeName("b", "b1"), Subject: "Ersatz Maus"},
			Mailto: "mailto:3344@stadt.example?subject=%5BIT-2026-00043%5D"}}},
	Quarantine: sampleQuarantine,
	QuarantineSummary: QuarantineSummaryData{Since: "04.12.2026 09:00", Count: 2, Burst: 1,
		Entries: []QuarantineData{sampleQuarantine}, More: 1},
	Status: StatusData{Number: "2026-00042", Tag: "[IT-2026-00042]", Subject: "Drucker", RequesterName: "Anna Beispiel",
		Changes: []string{"Ticket erledigt."}, Actor: "it-support@stadt.example", ActorRole: "IT-Sachbearbeitung",
		StatusName: StatusName("closed"), Assignee: "it-support@stadt.example", Message: "Toner getauscht.", Next: "Nichts."},
	Confirm: ConfirmData{Number: "2026-00042", Tag: "[IT-2026-00042]", Results: sampleResults, Comment: true,
		Help: []string{"#hilfe – listet die Befehle"}, Skipped: 1, MaxCommands: 20},
	Outcome: OutcomeData{Number: "2026-00042", Tag: "[IT-2026-00042]", Subject: "Vorklärung", Project: "Digitale Post",
		Requester: "orga.amt50@stadt.example", OutcomeName: RoutingName("itjf"), Next: RoutingNext("itjf"),
		Actor: "it-leitung@stadt.example", ActorRole: "IT-Teamleitung", Message: "Bitte vorbereiten.", Previous: RoutingName("digi")},
	FollowUp: FollowUpData{Number: "2026-00042", Tag: "[IT-2026-00042]", Subject: "Drucker", From: "anna.beispiel@stadt.example",
		FromRole: "anfragende Person", Outside: true, StatusName: StatusName("new"), Assignee: "it-support@stadt.example",
		Text: "Noch eine Frage.", Commands: []string{"#erledigt"}, Heading: "Neue Nachricht", Results: sampleResults},
	List: ListData{Address: "anna.beispiel@stadt.example", Tickets: []ListEntry{{Number: "2026-00042", Subject: "Drucker",
		StatusName: StatusName("new"), Assignee: "it-support@stadt.example", Updated: "04.12.2026"}}},
	Help:        HelpData{Commands: []string{"#hilfe"}, Refused: []string{"#erledigt"}, TagExample: "[IT-2026-00042]", Digest: true},
	Agenda:      sampleAgenda,
	AgendaHTML:  sampleAgenda,
	AgendaMail:  AgendaMailData{Agenda: "Tagesordnung"},
	AgendaReply: AgendaReplyData{Subject: "Tagesordnung", Title: "Jour fixe IT/Amt 50"},
	Escalation: EscalationData{Tag: "[IT-2026-00042]", Title: "Drucker", Who: "von orga.amt50@stadt.example", Reason: "offen",
		Requester: "anna.beispiel@stadt.example", Created: "01.12.2026", LastState: "neu", Next: "12.01.2027"},
	EscalationStatus: EscalationData{Tag: "[IT-2026-00042]", Title: "Drucker", Who: "automatisch nach Fristablauf", Reason: "offen",
		Requester: "anna.beispiel@stadt.example", Created: "01.12.2026", LastState: "neu", Next: "Termin noch offen"},
	Decision: DecisionData{Meeting: "Jour fixe IT/Amt 50", Tag: "[IT-2026-00042]", Title: "Drucker", Outcome: "freigegeben",
		Text: "Im 1. Quartal.", By: "it-leitung@stadt.example", BindingBy: "Jour fixe IT/Amt 50"},
	Reminder: TaskData{ID: 3, Owner: "anna.beispiel@stadt.example", What: "klären", With: []string{"ben.muster@stadt.example"},
		Due: "20.12.2026", Ticket: "[IT-2026-00042]"},
	Budget: BudgetData{Lines: []BudgetLineData{{ID: "2026-14", Title: "Scanner", Amount: "1.800 €", Quantity: 2,
		Orders: []BudgetOrderData{{Tag: "[IT-2026-00042]", Title: "Scanner", StatusName: StatusName("new")}}}}},
	CommandReply:    CommandReplyData{Results: []string{"#agenda\nTagesordnung gesendet."}},
	JourFixeReplies: ReplyData{},
	TaskErrors:      TaskErrorData{},
	TaskNote: TaskNoteData{Words: "Anfang Mai", Read: "Samstag, 01.05.2027", Day: "01.05.2027", Why: "Feiertag (Maifeiertag)",
		Moved: "Montag, 03.05.2027"},
	ReplyHint: ReplyHintData{Subject: "Ihre offenen Tickets", Address: "3344@stadt.example", TagExample: "[IT-2026-00042]", List: true, Digest: true},
	Bounce: BounceData{Number: "2026-00042", Subject: "[IT-2026-00042] Drucker", MessageID: "<x@stadt.example>",
		Recipients: []string{"anna.beispiel@stadt.example"}, Reason: "vom SMTP-Server abgelehnt", Code: "5.7.1", Pause: "24 Stunden"},
}
