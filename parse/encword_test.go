package parse

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeHeaderText(t *testing.T) {
	tests := []struct {
		name, in, want, warning string
	}{
		{"plain", "Drucker defekt", "Drucker defekt", ""},
		{"utf-8 B split inside a character", "=?utf-8?B?ZsM=?= =?utf-8?B?vHI=?=", "für", ""},
		{"unpadded base64 split", "=?utf-8?B?SGVsbG8gV2?= =?utf-8?B?9ybGQ=?=", "Hello World", ""},
		{"Q with underscores", "=?utf-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?=", "Grüße aus München", ""},
		{"Q lowercase hex", "=?utf-8?q?gr=c3=bc=c3=9fe?=", "grüße", ""},
		{"Q split inside a character", "=?utf-8?Q?f=C3?= =?utf-8?Q?=BCr?=", "für", ""},
		{"latin1 label as windows-1252", "=?iso-8859-1?Q?Preis_=80_=96_=84gut=93?=", "Preis € – „gut“", ""},
		{"text around words", "Re: =?utf-8?Q?St=C3=B6rung?= im Amt", "Re: Störung im Amt", ""},
		{"blank kept between word and text", "=?utf-8?Q?a?= b =?utf-8?Q?c?=", "a b c", ""},
		{"different charsets", "=?iso-8859-1?Q?B=FCro?= =?utf-8?Q?_f=C3=BCr?=", "Büro für", ""},
		{"language suffix", "=?utf-8*de?Q?T=C3=BCr?=", "Tür", ""},
		{"no blank before word", "Antwort:=?utf-8?Q?_T=C3=BCr?=", "Antwort: Tür", ""},
		{"malformed B kept", "=?UTF-8?B?!!!?=", "=?UTF-8?B?!!!?=", "malformed encoded-word"},
		{"unknown charset", "=?x-unknown-42?Q?B=FCro?=", "Büro", `unknown charset "x-unknown-42"`},
		{"raw 8-bit latin1", "B\xfcro", "Büro", "not valid UTF-8; decoded as windows-1252"},
		{"raw UTF-8", "Büro", "Büro", ""},
		{"unterminated word", "=?utf-8?Q?abc", "=?utf-8?Q?abc", ""},
		{"question mark in Q text", "=?utf-8?Q?wer_noch??=", "wer noch?", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &warnings{}
			got := decodeHeaderText(tt.in, "Subject", w)
			equal(t, "decoded", got, tt.want)
			if !utf8.ValidString(got) {
				t.Errorf("result is not valid UTF-8: %q", got)
			}
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

func TestSubjectWhitespaceUnfolded(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nSubject:  Drucker \n\t im\n   Amt\t50 \n\nx"))
	equal(t, "Subject", m.Subject, "Drucker im Amt 50")
}

func TestCharsetDecoding(t *testing.T) {
	tests := []struct {
		name, label string
		in          []byte
		want        string
		warning     string
	}{
		{"iso-8859-1 as windows-1252", "iso-8859-1", []byte("\x84Stereo\x93 \x80 \x96"), "„Stereo“ € –", ""},
		{"latin1", "LATIN1", []byte("Gr\xfc\xdfe"), "Grüße", ""},
		{"quoted label", `"windows-1252"`, []byte("\x80"), "€", ""},
		{"us-ascii as windows-1252", "us-ascii", []byte("\x80"), "€", ""},
		{"us-ascii holding UTF-8", "us-ascii", []byte("Grüße"), "Grüße", "holds UTF-8"},
		{"undefined windows-1252 byte", "windows-1252", []byte("a\x81b"), "a\u0081b", ""},
		{"no label, UTF-8", "", []byte("Grüße"), "Grüße", ""},
		{"no label, not UTF-8", "", []byte("5\x80, \x93K\xe4se\x94"), "5€, “Käse”", "has no charset"},
		{"utf-8 with invalid bytes", "utf-8", []byte("Gr\xfc\xdfe aus München"), "Grüße aus München", "not valid UTF-8"},
		{"iso-8859-15", "iso-8859-15", []byte("\xa4"), "€", ""},
		{"windows-1250", "windows-1250", []byte("\x8a"), "Š", ""},
		{"ibm850 via IANA names", "ibm850", []byte("\x81"), "ü", ""},
		{"unknown", "x-unknown-42", []byte("B\xfcro"), "Büro", "unknown charset"},
		{"utf-16le", "utf-16le", []byte("B\x00\xfc\x00"), "Bü", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &warnings{}
			got := decodeCharset(tt.label, tt.in, "text/plain part", w)
			equal(t, "decoded", got, tt.want)
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

func TestBodyWithoutCharsetIsWindows1252(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nSubject: Preis\nContent-Type: text/plain\n\nPreis: 5\x80, \x93K\xe4se\x94\n"))
	equal(t, "Text", m.Text, "Preis: 5€, “Käse”\n")
	hasWarning(t, m, "has no charset and is not valid UTF-8; decoded as windows-1252")
}

func TestUnknownCharsetBodyKeepsGoing(t *testing.T) {
	m := mustParse(t, crlf("From: a@example.org\nSubject: =?x-unknown-42?Q?Gr=FC=DFe?=\n"+
		"Content-Type: text/plain; charset=x-unknown-42\n\nGr\xfc\xdfe\n"))
	equal(t, "Subject", m.Subject, "Grüße")
	equal(t, "Text", m.Text, "Grüße\n")
	hasWarning(t, m, `unknown charset "x-unknown-42" in Subject`)
	hasWarning(t, m, `unknown charset "x-unknown-42" in message body (text/plain)`)
}

func TestUTF16SubjectLosesBOM(t *testing.T) {
	// "Drucker" in UTF-16 with a byte-order mark, big and little endian,
	// and a UTF-8 subject that starts with a BOM.
	for _, subject := range []string{
		"=?utf-16?B?/v8ARAByAHUAYwBrAGUAcg==?=",
		"=?utf-16?B?//5EAHIAdQBjAGsAZQByAA==?=",
		"=?utf-8?B?77u/RHJ1Y2tlcg==?=",
		"\xef\xbb\xbfDrucker",
	} {
		m, err := Parse([]byte("From: a@stadt.example\r\nSubject: " + subject + "\r\n\r\nText\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "subject of "+subject, m.Subject, "Drucker")
	}
}

func TestUTF16BodyLosesBOM(t *testing.T) {
	body := "\xfe\xff\x00D\x00r\x00u\x00c\x00k\x00e\x00r"
	m, err := Parse([]byte("From: a@stadt.example\r\nContent-Type: text/plain; charset=utf-16\r\n" +
		"Content-Transfer-Encoding: binary\r\n\r\n" + body))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "text", m.Text, "Drucker")
}
