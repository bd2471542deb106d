package parse

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Address
		warning string
	}{
		{"quoted name with comma", `"Böhm, Jan" <j.boehm@example.org>`,
			[]Address{{"Böhm, Jan", "j.boehm@example.org"}}, ""},
		{"unquoted name with comma", `Böhm, Jan <j.boehm@example.org>`,
			[]Address{{"Böhm, Jan", "j.boehm@example.org"}}, "unquoted comma"},
		{"encoded name with comma", `=?utf-8?B?QsO2aG0sIEphbg==?= <j.boehm@example.org>`,
			[]Address{{"Böhm, Jan", "j.boehm@example.org"}}, ""},
		{"encoded quoted name", `"=?utf-8?Q?B=C3=B6hm=2C_Jan?=" <j.boehm@example.org>`,
			[]Address{{"Böhm, Jan", "j.boehm@example.org"}}, ""},
		{"raw 8-bit latin1 name", "B\xf6hm, Jan <j.boehm@example.org>",
			[]Address{{"Böhm, Jan", "j.boehm@example.org"}}, "windows-1252"},
		{"name without brackets", `Foo Bar foo@example.org`,
			[]Address{{"Foo Bar", "foo@example.org"}}, "without angle brackets"},
		{"comment as name", `foo@example.org (Foo Bar)`,
			[]Address{{"Foo Bar", "foo@example.org"}}, ""},
		{"bare address", `it-service@example.org`,
			[]Address{{"", "it-service@example.org"}}, ""},
		{"domain lowercased, local part kept", `<Anna.Berger@Example.ORG>`,
			[]Address{{"", "Anna.Berger@example.org"}}, ""},
		{"list with trailing comma", `a@example.org, "B" <b@example.org>,`,
			[]Address{{"", "a@example.org"}, {"B", "b@example.org"}}, ""},
		{"group", `Amt 50: a@example.org, b@example.org;, c@example.org`,
			[]Address{{"", "a@example.org"}, {"", "b@example.org"}, {"", "c@example.org"}}, ""},
		{"empty group", `undisclosed-recipients:;`, nil, ""},
		{"escaped quote", `"Jan \"IT\" Böhm" <j@example.org>`,
			[]Address{{`Jan "IT" Böhm`, "j@example.org"}}, ""},
		{"mailto and source route", `<mailto:x@example.org>, <@relay.example.net:y@Example.NET>`,
			[]Address{{"", "x@example.org"}, {"", "y@example.net"}}, ""},
		{"local part only", `MAILER-DAEMON`, []Address{{"", "MAILER-DAEMON"}}, ""},
		{"junk dropped", `Kein Empfänger`, nil, "dropped unreadable address"},
		{"missing closing bracket", `Anna <a@example.org`, []Address{{"Anna", "a@example.org"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &warnings{}
			got := parseAddressList(tt.in, "From", w)
			equal(t, "addresses", got, tt.want)
			joined := strings.Join(w.list, "\n")
			if tt.warning == "" && joined != "" {
				t.Errorf("unexpected warnings %q", w.list)
			}
			if tt.warning != "" && !strings.Contains(joined, tt.warning) {
				t.Errorf("warnings %q lack %q", w.list, tt.warning)
			}
		})
	}
}

func TestFromFallsBackToSender(t *testing.T) {
	m := mustParse(t, crlf("Sender: Scanner <scanner@example.org>\nSubject: Scan\n\nx"))
	equal(t, "From", m.From, Address{"Scanner", "scanner@example.org"})
	hasWarning(t, m, "using Sender")
}

func TestReturnPath(t *testing.T) {
	tests := map[string]string{
		"Return-Path: <>\r\n":                         "<>",
		"Return-Path: < >\r\n":                        "<>",
		"Return-Path:\r\n":                            "<>",
		"Return-Path: <Bounce@Lists.Example.NET>\r\n": "Bounce@lists.example.net",
		"X-Other: 1\r\n":                              "",
	}
	for field, want := range tests {
		m := mustParse(t, []byte("From: a@example.org\r\n"+field+"\r\nx"))
		equal(t, field, m.ReturnPath, want)
	}
}

func TestMsgIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@example.org>", []string{"a@example.org"}},
		{"<a@example.org>, <b@example.org>", []string{"a@example.org", "b@example.org"}},
		{"<a@example.org> <b@example.org> <a@example.org>", []string{"a@example.org", "b@example.org"}},
		{"<a@exam\r\n ple.org>", []string{"a@example.org"}},
		{"<a@example.org> (Jan's message of Monday)", []string{"a@example.org"}},
		{"Message from Jan <x <b@example.org>", []string{"b@example.org"}},
		{"a@example.org b@example.org", []string{"a@example.org", "b@example.org"}},
		{"no id here", nil},
		{"<>", nil},
		{"", nil},
	}
	for _, tt := range tests {
		equal(t, tt.in, MsgIDs(tt.in), tt.want)
	}
}

func TestMsgIDsLongHeader(t *testing.T) {
	var b strings.Builder
	var want []string
	for i := range 300 {
		id := strings.Repeat("x", 40) + "." + strconv.Itoa(i) + "@mail.example.org"
		want = append(want, id)
		b.WriteString("<" + id + ">,\r\n ")
	}
	header := b.String()
	if len(header) < 4096*3 {
		t.Fatalf("test header is only %d octets", len(header))
	}
	equal(t, "ids", MsgIDs(header), want)

	m := mustParse(t, []byte("From: a@example.org\r\nReferences: "+header+"\r\nSubject: Re: x\r\n\r\nbody"))
	equal(t, "References", m.References, want)
	equal(t, "Subject", m.Subject, "Re: x")
}

func TestMessageIDUnusable(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nMessage-ID: <>\n\nx"))
	equal(t, "MessageID", m.MessageID, "")
	hasWarning(t, m, "is unusable")

	m = mustParse(t, crlf("From: a@example.org\nMessage-ID: 1234@example.org\n\nx"))
	equal(t, "MessageID without brackets", m.MessageID, "1234@example.org")
	hasWarning(t, m, "has no angle brackets")
}

func TestParseDate(t *testing.T) {
	cet := time.FixedZone("", 3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Thu, 03 Dec 2026 08:41:17 +0100", time.Date(2026, 12, 3, 8, 41, 17, 0, cet)},
		{"Thu, 3 Dec 2026 08:41:17 +0100 (CET)", time.Date(2026, 12, 3, 8, 41, 17, 0, cet)},
		{"3 Dec 2026 08:41 +0100", time.Date(2026, 12, 3, 8, 41, 0, 0, cet)},
		{"Thu, 03 Dec 2026 08:41:17 CET", time.Date(2026, 12, 3, 8, 41, 17, 0, cet)},
		{"Thu, 03 Jul 2026 08:41:17 CEST", time.Date(2026, 7, 3, 6, 41, 17, 0, time.UTC)},
		{"Do, 03 Dez 2026 08:41:17 +0100", time.Date(2026, 12, 3, 8, 41, 17, 0, cet)},
		{"2026-12-03T08:41:17+01:00", time.Date(2026, 12, 3, 8, 41, 17, 0, cet)},
		{"Thu Dec  3 07:41:17 2026", time.Date(2026, 12, 3, 7, 41, 17, 0, time.UTC)},
		{"Fri, 4 Dec 2026 07:05:02 GMT", time.Date(2026, 12, 4, 7, 5, 2, 0, time.UTC)},
	}
	for _, tt := range tests {
		w := &warnings{}
		got := parseDate(tt.in, w)
		if !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
		equal(t, tt.in+" warnings", w.list, []string(nil))
	}

	w := &warnings{}
	if got := parseDate("gestern", w); !got.IsZero() {
		t.Errorf("invalid date gave %v", got)
	}
	if len(w.list) != 1 || !strings.Contains(w.list[0], "invalid Date") {
		t.Errorf("warnings: %q", w.list)
	}
	w = &warnings{}
	parseDate("Thu, 03 Dec 2026 08:41:17 XYZT", w)
	if len(w.list) != 1 || !strings.Contains(w.list[0], `unknown time zone "XYZT"`) {
		t.Errorf("warnings: %q", w.list)
	}
}
