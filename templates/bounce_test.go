package templates

import (
	"testing"
	"time"
)

func TestDurationGerman(t *testing.T) {
	for text, want := range map[string]string{"24h": "24 Stunden", "1h": "1 Stunde", "48h": "2 Tage", "90m": "90 Minuten",
		"1m": "1 Minute", "30s": "30 Sekunden", "1s": "1 Sekunde", "1h30m": "90 Minuten", "24h30m": "1470 Minuten"} {
		d, err := time.ParseDuration(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := Duration(d); got != want {
			t.Errorf("Duration(%s) = %q, want %q", text, got, want)
		}
	}
}
