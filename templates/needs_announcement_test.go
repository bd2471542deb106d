package templates

import (
	"strings"
	"testing"
)

// TestNeedsAnnouncementWithPrefix checks that a clerk who already wrote
// the announcement subject is not told to use it, and learns that the
// orga contact sends announcements.
func TestNeedsAnnouncementWithPrefix(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	d := triageSample()
	out, err := s.Render(AckNeedsAnnouncement, d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "bereits die Form einer Vorankündigung") {
		t.Errorf("reply does not say the subject already has the form:\n%s", out)
	}
	if strings.Contains(out, "<Projektname>") {
		t.Errorf("reply still asks for the subject format:\n%s", out)
	}
	if !strings.Contains(out, "orga.amt50@stadt.example") {
		t.Errorf("reply does not name the orga contact:\n%s", out)
	}

	d.Announcement = false
	out, err = s.Render(AckNeedsAnnouncement, d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Vorklärung Projekt für IT/50-JF: <Projektname>") {
		t.Errorf("reply without the prefix lacks the subject format:\n%s", out)
	}
}
