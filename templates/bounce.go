package templates

import (
	"fmt"
	"time"
)

// Bounce tells the it and admin roles of a mail mailbot could not deliver.
const Bounce = "bounce.txt.tmpl"

// BounceData is what the bounce notice may use.
type BounceData struct {
	Number     string // ticket number, empty when the mail belongs to no known ticket
	Subject    string // subject of the undelivered mail
	MessageID  string // its Message-ID in angle brackets, or its subject in quotes
	Recipients []string
	Reason     string // German: who reported the failure
	Code       string // enhanced status code such as 5.7.1, may be empty
	Pause      string // German duration automatic mail to the recipients pauses, empty for none
}

// Duration writes d in German words, such as "24 Stunden" or "90 Minuten",
// in the largest unit that divides it.
func Duration(d time.Duration) string {
	unit := func(n int64, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "Tag", "Tage")
	case d >= time.Hour && d%time.Hour == 0:
		return unit(int64(d/time.Hour), "Stunde", "Stunden")
	case d >= time.Minute && d%time.Minute == 0:
		return unit(int64(d/time.Minute), "Minute", "Minuten")
	}
	return unit(int64((d+time.Second-1)/time.Second), "Sekunde", "Sekunden")
}
