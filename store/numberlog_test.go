package store

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestNumberLogValueZeroIsNone(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	log.Info("x", "ticket", Number{}, "other", Number{Year: 2026, Seq: 42})
	if out := buf.String(); !strings.Contains(out, "ticket=none") || !strings.Contains(out, "other=2026-00042") {
		t.Errorf("log line %q", out)
	}
}
