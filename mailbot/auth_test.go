package mailbot

import (
	"strings"
	"testing"

	"mailbot/parse"
)

func TestSenderVerified(t *testing.T) {
	const id = "mx.stadt.example"
	tests := []struct {
		name    string
		from    string
		headers []string
		want    bool
	}{
		{"dmarc pass", "it@stadt.example", []string{"mx.stadt.example; spf=pass smtp.mailfrom=stadt.example; dmarc=pass (p=none dis=none) header.from=stadt.example"}, true},
		{"dkim aligned subdomain", "it@it.stadt.example", []string{"mx.stadt.example 1; dkim=pass (2048-bit key) header.d=stadt.example header.s=sel"}, true},
		{"dkim other domain", "it@stadt.example", []string{"mx.stadt.example; dkim=pass header.d=example.net; dmarc=fail header.from=stadt.example"}, false},
		{"dmarc fail", "it@stadt.example", []string{"mx.stadt.example; dmarc=fail header.from=stadt.example"}, false},
		{"untrusted server", "it@stadt.example", []string{"mx.example.net; dmarc=pass header.from=stadt.example"}, false},
		{"no header", "it@stadt.example", nil, false},
		{"topmost counts", "it@stadt.example", []string{"mx.stadt.example; dmarc=fail header.from=stadt.example", "mx.stadt.example; dmarc=pass header.from=stadt.example"}, false},
		{"dkim aligned sibling subdomain", "it@it.stadt.example", []string{"mx.stadt.example; dkim=pass header.d=mail.stadt.example"}, true},
		{"dkim aligned upper case", "it@stadt.example", []string{"mx.stadt.example; dkim=pass header.d=Mail.Stadt.Example"}, true},
		{"dkim public suffix", "it@stadt.example", []string{"mx.stadt.example; dkim=pass header.d=example"}, false},
		{"dkim co.uk same organization", "it@a.council.co.uk", []string{"mx.stadt.example; dkim=pass header.d=council.co.uk"}, true},
		{"dkim co.uk other organization", "it@council.co.uk", []string{"mx.stadt.example; dkim=pass header.d=other.co.uk"}, false},
		{"dkim co.uk public suffix", "it@council.co.uk", []string{"mx.stadt.example; dkim=pass header.d=co.uk"}, false},
		{"dkim private suffix", "it@a.github.io", []string{"mx.stadt.example; dkim=pass header.d=b.github.io"}, false},
		{"dmarc for other from", "it@stadt.example", []string{"mx.stadt.example; dmarc=pass header.from=example.net"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := "From: " + tc.from + "\r\n"
			for _, h := range tc.headers {
				raw += "Authentication-Results: " + h + "\r\n"
			}
			raw += "Subject: x\r\nMessage-ID: <a@b>\r\n\r\ntext\r\n"
			msg, err := parse.Parse([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := senderVerified(msg, id); got != tc.want {
				t.Errorf("senderVerified = %v, want %v (headers %s)", got, tc.want, strings.Join(tc.headers, " | "))
			}
		})
	}
}
