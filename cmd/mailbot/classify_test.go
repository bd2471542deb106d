package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassifyMailboxFromRecipients(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, headers, want string }{
		{"to digitalisation", "To: Digitalisierung <digitalisierung@stadt.example>\r\n", `"mailbox":"digitalisierung"`},
		{"cc digitalisation", "To: kollege@stadt.example\r\nCc: DIGITALISIERUNG@stadt.example\r\n", `"mailbox":"digitalisierung"`},
		{"delivered-to beats to", "Delivered-To: digitalisierung@stadt.example\r\nTo: 3344@stadt.example\r\n", `"mailbox":"digitalisierung"`},
		{"to support", "To: 3344@stadt.example, digitalisierung@stadt.example\r\n", `"mailbox":"support"`},
		{"no robot address", "To: kollege@stadt.example\r\n", `"mailbox":"support"`},
	}
	for i, tc := range tests {
		path := filepath.Join(dir, tc.name+".eml")
		mail := "From: a@stadt.example\r\n" + tc.headers + "Subject: Frage\r\nMessage-ID: <r" + string(rune('0'+i)) + "@stadt.example>\r\n\r\nWann ist die nächste Schulung?\r\n"
		if err := os.WriteFile(path, []byte(mail), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := runCLI(t, "classify", path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s: want %s in %s", tc.name, tc.want, out)
		}
	}
	// --mailbox still decides when given.
	out, err := runCLI(t, "classify", "--mailbox", "support", filepath.Join(dir, "to digitalisation.eml"))
	if err != nil || !strings.Contains(out, `"mailbox":"support"`) || !strings.Contains(out, `"type":"a"`) {
		t.Errorf("--mailbox support: %v %s", err, out)
	}
}
