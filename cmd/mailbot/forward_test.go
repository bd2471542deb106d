package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClassifyAttachedMail checks that a mail forwarded as an attachment,
// with no text of its own, is triaged by the attached mail's text.
func TestClassifyAttachedMail(t *testing.T) {
	raw := strings.Join([]string{
		"From: Anna Beispiel <anna.beispiel@stadt.example>",
		"To: 3344@stadt.example",
		"Subject: WG: Drucker",
		"Message-ID: <fw-2@stadt.example>",
		"Content-Type: multipart/mixed; boundary=b1",
		"",
		"--b1",
		"Content-Type: message/rfc822",
		"Content-Disposition: attachment; filename=\"Drucker.eml\"",
		"",
		"From: Bernd Muster <bernd.muster@stadt.example>",
		"Subject: Drucker",
		"",
		"Der Drucker ist defekt und druckt nicht mehr.",
		"--b1--",
		"",
	}, "\r\n")
	path := filepath.Join(t.TempDir(), "fw.eml")
	if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "classify", path)
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, out)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if res["type"] != "a" || res["rule"] != "stoerung" {
		t.Errorf("type %v rule %v, want a stoerung", res["type"], res["rule"])
	}
}
