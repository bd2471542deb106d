package rules

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzClassify checks that no subject or body makes triage panic, that
// every decision has a valid type and a reason, and that Normalize is
// idempotent. Seeds are the corpus mails' raw bytes split at the first
// blank line.
func FuzzClassify(f *testing.F) {
	files, _ := filepath.Glob("../testdata/triage/*.eml")
	for _, name := range files[:min(len(files), 20)] {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("AW: Vorklärung Projekt für IT/50-JF: Test", string(data))
	}
	f.Add("Ersatz-", "-\n-\n> \nAm x schrieb\n")
	e, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, subject, body string) {
		d := e.Classify(Input{Mailbox: "support", Subject: subject, Body: body}, "a")
		if err := CheckType(d.Type, d.Subtype); err != nil {
			t.Errorf("invalid decision %+v: %v", d, err)
		}
		if d.Reason == "" {
			t.Errorf("decision %s without reason", d.Rule)
		}
		if n := Normalize(body); Normalize(n) != n {
			t.Errorf("Normalize not idempotent on %q: %q then %q", body, n, Normalize(n))
		}
	})
}
