package parse

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readCase reads a field case from the repository's testdata/cases.
func readCase(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "cases", name))
	if err != nil {
		t.Fatalf("reading case: %v", err)
	}
	return raw
}

// readFixture reads a file from parse/testdata.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return raw
}

// mustParse parses raw and fails the test on an error.
func mustParse(t *testing.T, raw []byte) *Message {
	t.Helper()
	m, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

// crlf turns "\n" line ends into CRLF, for messages written in tests.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// equal fails the test when got and want differ.
func equal[T any](t *testing.T, label string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %#v, want %#v", label, got, want)
	}
}

// hasWarning fails the test unless a warning contains substr.
func hasWarning(t *testing.T, m *Message, substr string) {
	t.Helper()
	for _, w := range m.Warnings {
		if strings.Contains(w, substr) {
			return
		}
	}
	t.Errorf("no warning contains %q; warnings: %q", substr, m.Warnings)
}

// noWarnings fails the test when m has warnings.
func noWarnings(t *testing.T, m *Message) {
	t.Helper()
	if len(m.Warnings) > 0 {
		t.Errorf("unexpected warnings: %q", m.Warnings)
	}
}

// readCaseBytes reads a field case without a testing.T, for benchmarks.
func readCaseBytes(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "testdata", "cases", name))
}
