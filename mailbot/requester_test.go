package mailbot_test

import (
	"strings"
	"testing"

	"mailbot/demo"
	"mailbot/store"
)

func TestRequesterIsFromNotReplyTo(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, `From: Anna Beispiel <anna.beispiel@stadt.example>
Reply-To: Fremd <fremd@example.net>
To: 3344@stadt.example
Subject: Drucker defekt
Message-ID: <reply-to-1@stadt.example>

Der Drucker ist defekt.
`)
	h.start()
	h.waitIdle(1)
	tk := h.ticket(thisYear(1))
	if tk.Requester != "anna.beispiel@stadt.example" {
		t.Errorf("requester %q, want the From address", tk.Requester)
	}
	if actor := tk.History[0].Actor; actor != "anna.beispiel@stadt.example" {
		t.Errorf("history actor %q, want the From address", actor)
	}
	if n := len(h.sentTo("anna.beispiel@stadt.example")); n != 1 {
		t.Errorf("%d acknowledgements to the From address, want 1", n)
	}
	if n := len(h.sentTo("fremd@example.net")); n != 0 {
		t.Errorf("%d mails to the outside Reply-To, want 0", n)
	}
}

func TestInvalidFromGetsNoAck(t *testing.T) {
	for name, from := range map[string]string{
		"missing":     "",
		"not address": "From: <<<not an address>>>\n",
		"no domain":   "From: Anna <anna@>\n",
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.deliver(demo.SupportAddr, from+`To: 3344@stadt.example
Subject: Drucker defekt
Message-ID: <no-from-1@stadt.example>

Der Drucker ist defekt.
`)
			h.start()
			h.waitIdle(1)
			tk := h.ticket(thisYear(1))
			if tk.Requester != "" {
				t.Errorf("requester %q, want none", tk.Requester)
			}
			sent := h.srv.Sent()
			if len(sent) != 1 {
				t.Fatalf("%d mails sent, want only IT's notice", len(sent))
			}
			notes := h.sentTo("it-support@stadt.example")
			if len(notes) != 1 {
				t.Fatalf("%d IT notices, want 1", len(notes))
			}
			body := notes[0].body
			if !strings.Contains(body, "Von:        keine gültige Absenderadresse") {
				t.Errorf("notice lacks the missing sender:\n%s", body)
			}
			if !strings.Contains(body, "daher wurde keine Eingangsbestätigung") || strings.Contains(body, "hat eine Eingangsbestätigung") {
				t.Errorf("notice claims an acknowledgement:\n%s", body)
			}
		})
	}
}

func TestStatusQueryFromInvalidAddress(t *testing.T) {
	h := newHarness(t)
	h.deliver(demo.SupportAddr, `From: <<<not an address>>>
To: 3344@stadt.example
Subject: Status
Message-ID: <status-invalid@stadt.example>

Status
`)
	h.start()
	h.waitIdle(1)
	var out []string
	err := h.db.View(func(tx *store.Tx) error {
		return tx.Sent(func(m *store.OutMail) bool {
			out = append(out, m.Kind+" to "+strings.Join(m.To, ","))
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 {
		t.Errorf("mails queued for a status query without a valid sender: %q", out)
	}
}
