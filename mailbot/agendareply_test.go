package mailbot_test

import (
	"strings"
	"testing"

	"mailbot/demo"
	"mailbot/mailbot"
)

const agendaReply = `From: Anna Beispiel <anna.beispiel@stadt.example>
To: 3344@stadt.example
Subject: AW: Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027
Date: Mon, 11 Jan 2027 08:12:00 +0100
Message-ID: <agenda-reply-1@stadt.example>
In-Reply-To: <mailbot.agenda.it.20270112.0011223344556677@stadt.example>
References: <mailbot.agenda.it.20270112.0011223344556677@stadt.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Ich komme zehn Minuten später.

> Tagesordnung: Jour fixe IT/Amt 50
`

func TestReplyToAgendaAnsweredWithoutTicket(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, agendaReply)
	// The same reply naming a foreign domain's agenda is an ordinary mail.
	h.deliver(demo.SupportAddr, strings.NewReplacer("agenda-reply-1@", "agenda-reply-2@",
		"7@stadt.example>", "7@example.net>").Replace(agendaReply))
	h.start()
	h.waitIdle(2)
	if got := h.handledAt(0); !got.Record.Ticket.IsZero() || !strings.Contains(got.Record.Reason, "agenda") {
		t.Errorf("first mail handled as %+v, want an answer without a ticket", got.Record)
	}
	list, err := mailbot.ListTickets(h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].MessageIDs[0] != "agenda-reply-2@stadt.example" {
		t.Fatalf("tickets %+v, want one, from the reply to a foreign agenda only", list)
	}
	sent := h.sentTo("anna.beispiel@stadt.example")
	var note *sentMail
	for _, m := range sent {
		if m.subject() == "Ihre Antwort auf die Tagesordnung" {
			note = m
		}
	}
	if note == nil {
		t.Fatalf("no note on the agenda reply among %v", subjects(sent))
	}
	for _, want := range []string{"„Tagesordnung Jour fixe IT/Amt 50 am 12.01.2027“", "kein Ticket", "als Antwort auf eine Mail"} {
		if !strings.Contains(note.body, want) {
			t.Errorf("note lacks %q:\n%s", want, note.body)
		}
	}
	if note.header.Get("In-Reply-To") != "<agenda-reply-1@stadt.example>" {
		t.Errorf("note In-Reply-To %q", note.header.Get("In-Reply-To"))
	}
}

func TestReplyToAgendaNoteNotAnswered(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, agendaReply)
	h.start()
	h.waitIdle(1)
	sent := h.sentTo("anna.beispiel@stadt.example")
	if len(sent) != 1 {
		t.Fatalf("mails to the clerk %q, want the note", subjects(sent))
	}
	note := sent[0]
	// The reply to the note names the agenda mail too, in References.
	second := "From: Anna Beispiel <anna.beispiel@stadt.example>\nTo: 3344@stadt.example\n" +
		"Subject: AW: Ihre Antwort auf die Tagesordnung\nMessage-ID: <agenda-reply-3@stadt.example>\n" +
		"In-Reply-To: " + note.header.Get("Message-ID") + "\nReferences: " + note.header.Get("References") + " " +
		note.header.Get("Message-ID") + "\n\nIch komme trotzdem später.\n"
	h.deliver(demo.SupportAddr, second)
	h.waitIdle(2)
	if got := h.handledAt(1).Record; got.Outcome != "ignored" || !got.Ticket.IsZero() {
		t.Errorf("reply to the note handled as %+v, want ignored without ticket", got)
	}
	if got := subjects(h.sentTo("anna.beispiel@stadt.example")); len(got) != 1 {
		t.Errorf("mails to the clerk %q, want no second note", got)
	}
}
