package parse

import (
	"strings"
	"testing"
	"time"
)

// TestPathologicalInputsLinear parses inputs built to trigger quadratic
// work; each must finish well within the time a linear parser needs.
func TestPathologicalInputsLinear(t *testing.T) {
	inputs := map[string]string{
		"many encoded-word starts": "From: a@example.org\r\nSubject: " + strings.Repeat("=?a?q?", 150000) + "\r\n\r\nx",
		"many style elements": "From: a@example.org\r\nContent-Type: text/html\r\n\r\n" +
			strings.Repeat("<style>p{}</style>x", 50000),
		"many address fragments":         "From: a@example.org\r\nTo: " + strings.Repeat("a, ", 100000) + "\r\n\r\nx",
		"many short lines without colon": "From: a@example.org\r\n" + strings.Repeat("x\r\n", 200000) + "\r\nx",
		"many delimiter-like lines": "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
			strings.Repeat("--bX\r\n", 200000),
		"many unclosed msg-ids": "From: a@example.org\r\nReferences: " + strings.Repeat("<", 500000) + "\r\n\r\nx",
	}
	for name, raw := range inputs {
		start := time.Now()
		if _, err := Parse([]byte(raw)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}
