package rules

import (
	"regexp"
	"slices"
	"strings"
)

// Urgency values of a mini-project announcement.
const (
	UrgencyITJF   = "it-jf"   // clarification in the next IT jour fixe is enough
	UrgencyDigiJF = "digi-jf" // the digitalisation jour fixe is needed
)

// Announcement is the check of a mini-project announcement's body against
// the parts the rulebook requires: a short description of the requirement, the
// urgency, and, where already known, a technical sketch with quantities.
type Announcement struct {
	Description bool   `json:"description"`
	Urgency     string `json:"urgency,omitempty"` // UrgencyITJF, UrgencyDigiJF or "" when not stated or unclear
	Sketch      bool   `json:"sketch"`
	// Missing lists, in German, the parts the orga contact should add.
	Missing []string `json:"missing,omitempty"`
}

// German texts of the missing parts, as the acknowledgement lists them.
const (
	MissingDescription = "eine kurze Beschreibung der fachlichen Anforderung"
	MissingUrgency     = "die Dringlichkeit: Klärung im nächsten IT-JF ausreichend oder Klärung im JF DI/50 notwendig"
	MissingSketch      = "eine technische Lösungsskizze mit geschätzten Mengen, z. B. zusätzliche Drucker oder Lizenzen (nur falls schon bekannt)"
)

// minDescriptionWords is how many words of running text, beyond the
// urgency and sketch lines, count as a description.
const minDescriptionWords = 8

var (
	// urgencyDigi and urgencyIT match the two urgencies in normalised text.
	urgencyDigi = regexp.MustCompile(`jf ?(?:di|digi|digitalisierung)\b|(?:digi|digitalisierungs) ?jf|jour ?fixe (?:der |zur )?digitalisierung`)
	urgencyIT   = regexp.MustCompile(`(?:it ?jf|jf ?it|it jour ?fixe|jour ?fixe it)`)
	// urgencyNeed matches words stating that a meeting is needed, as
	// opposed to "enough".
	urgencyNeed   = regexp.MustCompile(`notw|noetig|erforderlich|braucht|brauchen|muss|zwingend`)
	urgencyEnough = regexp.MustCompile(`ausreichend|reicht|genuegt|genügt`)
	// sketchLabel matches a heading for the technical sketch.
	sketchLabel = regexp.MustCompile(`(?i)(?:l(?:ö|oe)sungsskizze|technische skizze|techn\. ?(?:l(?:ö|oe)sungs)?skizze|technik\s*:|mengenger(?:ü|ue)st|mengen\s*:)`)
	// quantity matches a count followed by a noun, such as "3 Drucker",
	// "12 x Lizenzen" or "2 Stück Scanner".
	quantity = regexp.MustCompile(`(?:^|[\s(:,;])\d{1,4}[ \t]*(?:x|×|stück|stk\.?)?[ \t]*[A-ZÄÖÜ][\p{L}-]+`)
	// labelLine matches lines that only carry a label of the template.
	labelLine = regexp.MustCompile(`(?i)^\s*(?:beschreibung|anforderung|dringlichkeit|urgency|l(?:ö|oe)sungsskizze|technische skizze|projekt(?:name)?)\s*:\s*`)
	// greetingLine matches salutations, which are no description.
	greetingLine = regexp.MustCompile(`(?i)^\s*(?:hallo|guten (?:morgen|tag|abend)|sehr geehrte|liebe|lieber|moin|servus|hi)\b.*$`)
)

// CheckAnnouncement checks the new text of an announcement.
func CheckAnnouncement(text string) Announcement {
	var a Announcement
	words := 0
	for _, line := range strings.Split(text, "\n") {
		n := Normalize(line)
		if n == "" || greetingLine.MatchString(line) {
			continue
		}
		digi, it := false, false
		if strings.Contains(n, "jf") || strings.Contains(n, "jour") {
			// Every urgency wording contains one of these, so most
			// lines skip both regexp searches.
			digi, it = urgencyDigi.MatchString(n), urgencyIT.MatchString(n)
		}
		switch {
		case digi && it:
			// Both named on one line: the sender copied both options or
			// weighed them; which one holds decides the wording.
			if urgencyNeed.MatchString(n) && !urgencyEnough.MatchString(n) {
				a.Urgency = UrgencyDigiJF
			} else if urgencyEnough.MatchString(n) && !urgencyNeed.MatchString(n) {
				a.Urgency = UrgencyITJF
			}
			continue
		case digi:
			a.Urgency = UrgencyDigiJF
			continue
		case it:
			a.Urgency = UrgencyITJF
			continue
		}
		if sketchLabel.MatchString(line) || strings.ContainsAny(line, "0123456789") && quantity.MatchString(line) {
			a.Sketch = true
		}
		words += len(strings.Fields(labelLine.ReplaceAllString(line, "")))
	}
	a.Description = words >= minDescriptionWords
	a.listMissing()
	return a
}

// Add merges the parts a later mail of the same announcement brings, such
// as the orga contact's reply with the urgency the first mail lacked.
func (a *Announcement) Add(later Announcement) {
	a.Description = a.Description || later.Description
	if later.Urgency != "" {
		a.Urgency = later.Urgency
	}
	a.Sketch = a.Sketch || later.Sketch
	noProject := slices.Contains(a.Missing, MissingProject)
	a.listMissing()
	if noProject {
		// Only a new mail with a new subject can name the project.
		a.Missing = append([]string{MissingProject}, a.Missing...)
	}
}

// listMissing sets Missing from the parts found.
func (a *Announcement) listMissing() {
	a.Missing = nil
	if !a.Description {
		a.Missing = append(a.Missing, MissingDescription)
	}
	if a.Urgency == "" {
		a.Missing = append(a.Missing, MissingUrgency)
	}
	if !a.Sketch {
		a.Missing = append(a.Missing, MissingSketch)
	}
}

// UrgencyName returns the German wording of an urgency.
func UrgencyName(u string) string {
	switch u {
	case UrgencyITJF:
		return "Klärung im nächsten IT-JF ausreichend"
	case UrgencyDigiJF:
		return "Klärung im JF DI/50 notwendig"
	}
	return "nicht angegeben"
}
