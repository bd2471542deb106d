package parse_test

import (
	"fmt"

	"mailbot/parse"
)

// Example shows a subject whose encoded-words split "ü" in two and a body
// labelled iso-8859-1 that holds windows-1252 quotes and the euro sign.
func Example() {
	raw := "From: \"Lang, Petra\" <p.lang@example.org>\r\n" +
		"Subject: =?utf-8?B?QmVzdGVsbHVuZyBmww==?= =?utf-8?B?vHIgZGFzIFN0YW5kZXNhbXQ=?=\r\n" +
		"Content-Type: text/plain; charset=iso-8859-1\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Zwei Headsets (=84Stereo Pro=93) zu je 45 =80.\r\n"
	m, err := parse.Parse([]byte(raw))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.From.Name)
	fmt.Println(m.Subject)
	fmt.Print(m.Text)
	fmt.Println(len(m.Warnings), "warnings")
	// Output:
	// Lang, Petra
	// Bestellung für das Standesamt
	// Zwei Headsets („Stereo Pro“) zu je 45 €.
	// 0 warnings
}
