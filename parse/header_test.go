package parse

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMalformedHeaderFixture(t *testing.T) {
	m := mustParse(t, readFixture(t, "malformed-header.eml"))
	equal(t, "From", m.From, Address{Name: "Fischer Tanja", Addr: "t.fischer@example.org"})
	equal(t, "MessageID", m.MessageID, "malformed-1@mail.example.org")
	equal(t, "Date", m.Date.Equal(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), true)
	equal(t, "bare CR field", m.Header.Get("X-After-Bare-CR"), "yes")
	equal(t, "NUL field", m.Header.Get("X-BadField"), "NUL in the name")
	// The line without a colon is taken as a lost fold of the Subject.
	equal(t, "Subject", m.Subject, "Telefon im Zimmer 2.11 stört this line has no colon")
	equal(t, "Text", m.Text, "Das Telefon klingelt nicht mehr. Grüße, Tanja Fischer\n")
	for _, w := range []string{
		`removed mbox "From " line`,
		"joined line without a colon",
		"removed NUL bytes",
		"bare CR treated as a line break",
		"CR CR LF line end treated as CRLF",
		"address without angle brackets",
		`unknown Content-Transfer-Encoding "x-uuencode"`,
		`unknown charset "x-unknown-42"`,
	} {
		hasWarning(t, m, w)
	}
}

func TestReadHeaderRepairs(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		fields  map[string]string
		body    string
		warning string
	}{
		{
			name:   "well formed",
			raw:    "Subject: a\r\n b\r\nTo: x@example.org\r\n\r\nbody",
			fields: map[string]string{"Subject": "a b", "To": "x@example.org"},
			body:   "body",
		},
		{
			name:    "no empty line before body",
			raw:     "Subject: Drucker\r\nHallo Team,\r\nder Drucker ist defekt.\r\n",
			fields:  map[string]string{"Subject": "Drucker"},
			body:    "Hallo Team,\r\nder Drucker ist defekt.\r\n",
			warning: "no empty line after the header",
		},
		{
			name:    "space in field name",
			raw:     "Subject: a\r\nBad Name: x\r\nTo: y@example.org\r\n\r\n",
			fields:  map[string]string{"Subject": "a", "To": "y@example.org"},
			warning: "dropped line with an invalid field name",
		},
		{
			name:    "lost fold",
			raw:     "Subject: Drucker im\r\nBürgerbüro\r\nTo: y@example.org\r\n\r\n",
			fields:  map[string]string{"Subject": "Drucker im Bürgerbüro", "To": "y@example.org"},
			warning: "joined line without a colon",
		},
		{
			name:    "continuation first",
			raw:     " lost\r\nSubject: a\r\n\r\nb",
			fields:  map[string]string{"Subject": "a"},
			body:    "b",
			warning: "dropped continuation line",
		},
		{
			name:   "LF only",
			raw:    "Subject: a\nTo: b@example.org\n\nbody\n",
			fields: map[string]string{"Subject": "a", "To": "b@example.org"},
			body:   "body\n",
		},
		{
			name:    "CR only",
			raw:     "Subject: a\rTo: b@example.org\r\rbody",
			fields:  map[string]string{"Subject": "a", "To": "b@example.org"},
			body:    "body",
			warning: "bare CR",
		},
		{
			name:   "header without body",
			raw:    "Subject: a\r\n",
			fields: map[string]string{"Subject": "a"},
		},
		{
			name:   "trailing blanks in name",
			raw:    "Subject : a\r\n\r\n",
			fields: map[string]string{"Subject": "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &warnings{}
			h, body := readHeader([]byte(tt.raw), "header", w)
			for k, v := range tt.fields {
				equal(t, k, h.get(k), v)
			}
			equal(t, "body", string(body), tt.body)
			if tt.warning == "" {
				equal(t, "warnings", w.list, []string(nil))
				return
			}
			if !strings.Contains(strings.Join(w.list, "\n"), tt.warning) {
				t.Errorf("warnings %q lack %q", w.list, tt.warning)
			}
		})
	}
}

func TestHeaderKeepsFieldOrder(t *testing.T) {
	m := mustParse(t, crlf("Received: one\nReceived: two\nSubject: s\nFrom: a@example.org\n\nx"))
	equal(t, "Received", m.Header.Values("Received"), []string{"one", "two"})
	equal(t, "Subject", m.Header.Get("Subject"), "s")
}

func TestParseErrors(t *testing.T) {
	for _, raw := range []string{"", "\r\n \t\r\n"} {
		if _, err := Parse([]byte(raw)); err == nil || !strings.Contains(err.Error(), ErrEmpty.Error()) {
			t.Errorf("Parse(%q): got %v, want ErrEmpty", raw, err)
		}
	}
	_, err := Parse([]byte("just some text\r\nwithout any header\r\n"))
	if err == nil || !strings.Contains(err.Error(), "no header fields found") {
		t.Errorf("got %v, want ErrNoHeader", err)
	}
}

func TestParseErrorsWrapSentinels(t *testing.T) {
	_, err := Parse(nil)
	if !errors.Is(err, ErrEmpty) {
		t.Errorf("got %v, want errors.Is ErrEmpty", err)
	}
	_, err = Parse([]byte("\x00\x01\x02 binary"))
	if !errors.Is(err, ErrNoHeader) {
		t.Errorf("got %v, want errors.Is ErrNoHeader", err)
	}
}
