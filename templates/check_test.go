package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckEmbedded(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("embedded templates fail the check: %v", err)
	}
}

func TestCheckSampleForEveryTemplate(t *testing.T) {
	for _, name := range All {
		if _, ok := samples[name]; !ok {
			t.Errorf("template %s has no sample data", name)
		}
	}
}

func TestCheckBrokenOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Confirm), []byte("{{range .Results}}{{.Grund}}{{end}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatalf("the override parses, Load failed: %v", err)
	}
	err = s.Check()
	if err == nil || !strings.Contains(err.Error(), Confirm) || !strings.Contains(err.Error(), "Grund") {
		t.Errorf("Check = %v, want an error naming %s and the field", err, Confirm)
	}
}
