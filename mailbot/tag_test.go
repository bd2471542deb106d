package mailbot_test

import (
	"testing"

	"mailbot/mailbot"
	"mailbot/store"
)

func TestFindTag(t *testing.T) {
	n := store.Number{Year: 2026, Seq: 42}
	tests := []struct {
		subject string
		ok      bool
	}{
		{"[IT-2026-00042] Drucker", true},
		{"AW: [IT-2026-00042] Drucker", true},
		{"AW: WG: Re: Fwd: Antw: RE: AW: [IT-2026-00042] Drucker", true},
		{"Drucker defekt (IT-2026-00042)", true},
		{"AW: IT-2026-42 Drucker", true},
		{"aw: [it-2026-00042]", true},
		{"[#IT-2026-0042] Drucker", true},
		{"Drucker im Raum 2026-00042", false},
		{"[ITX-2026-00042] Drucker", false},
		{"[IT-2026-00042X]", false},
		{"", false},
	}
	for _, tc := range tests {
		got, ok := mailbot.FindTag(tc.subject, "IT")
		if ok != tc.ok || (ok && got != n) {
			t.Errorf("FindTag(%q) = %v, %v; want %v, %v", tc.subject, got, ok, n, tc.ok)
		}
	}
	if got, ok := mailbot.FindTag("AW: [HD-2026-00007]", "HD"); !ok || got.Seq != 7 {
		t.Errorf("FindTag with prefix HD = %v, %v", got, ok)
	}
}

// FuzzFindTag checks that a found tag always formats back to a tag
// FindTag reads as the same number. Seeds: testdata/fuzz/FuzzFindTag.
func FuzzFindTag(f *testing.F) {
	f.Add("AW: [IT-2026-00042] Drucker")
	f.Add("WG: IT-2026-1")
	f.Fuzz(func(t *testing.T, subject string) {
		n, ok := mailbot.FindTag(subject, "IT")
		if !ok {
			return
		}
		if n.Seq < 1 || n.Year < 0 || n.Year > 9999 {
			t.Fatalf("FindTag(%q) = %v, out of range", subject, n)
		}
		again, ok := mailbot.FindTag("Re: "+n.Tag("IT"), "IT")
		if !ok || again != n {
			t.Fatalf("tag %s of %q reads back as %v, %v", n.Tag("IT"), subject, again, ok)
		}
	})
}
