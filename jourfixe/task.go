package jourfixe

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TaskSpec is a task as written after the #aufgabe keyword.
type TaskSpec struct {
	Owner string    // address of who is responsible
	What  string    // the task, without the owner and the due date
	With  []string  // other addresses named in the text
	Due   time.Time // midnight of the due day; zero when no date was given
}

// The task grammar, after the keyword "#aufgabe":
//
//	task    = owner text [ "bis" date ]
//	owner   = address                     the first word, required
//	text    = any words; every further address in it counts as "with whom",
//	          and a trailing "mit ADDR[, ADDR][ und ADDR]" is dropped from
//	          the task text because the with-column shows it
//	date    = TT.MM.JJJJ | TT.MM.JJ | TT.MM. | JJJJ-MM-TT
//	        | weekday                     Montag … Sonntag: the next such day after today
//	        | "heute" | "morgen" | "übermorgen"
//
// "bis" must be the last but one word (or the date the last words), so a
// "bis" inside the text stays text. A date without year is the next such
// day on or after today. Words are matched case-insensitively.
//
// ParseTask parses args, the text after "#aufgabe", relative to the day of
// now in loc.
func ParseTask(args string, now time.Time, loc *time.Location) (TaskSpec, error) {
	words := strings.Fields(args)
	if len(words) == 0 {
		return TaskSpec{}, errors.New("es fehlt die verantwortliche Adresse: #aufgabe adresse@stadt.example Was ist zu tun bis TT.MM.JJJJ")
	}
	owner, ok := address(words[0])
	if !ok {
		return TaskSpec{}, fmt.Errorf("%q ist keine Mail-Adresse; das erste Wort nach #aufgabe nennt, wer die Aufgabe übernimmt", words[0])
	}
	spec := TaskSpec{Owner: owner}
	words = words[1:]

	today := dayStart(now.In(loc))
	if n := len(words); n >= 2 && strings.EqualFold(words[n-2], "bis") {
		due, err := parseDate(words[n-1], today)
		if err != nil {
			return TaskSpec{}, err
		}
		spec.Due = due
		words = words[:n-2]
	}
	spec.With = addresses(words, owner)
	spec.What = strings.Join(dropWithClause(words), " ")
	if spec.What == "" {
		return TaskSpec{}, errors.New("es fehlt, was zu tun ist: #aufgabe adresse@stadt.example Was ist zu tun bis TT.MM.JJJJ")
	}
	return spec, nil
}

// address returns the bare, lower-case address in a word, which may carry
// angle brackets or trailing punctuation.
func address(word string) (string, bool) {
	w := strings.Trim(word, "<>,;:.()")
	if !strings.Contains(w, "@") {
		return "", false
	}
	a, err := mail.ParseAddress(w)
	if err != nil {
		return "", false
	}
	return strings.ToLower(a.Address), true
}

func addresses(words []string, owner string) []string {
	var out []string
	seen := map[string]bool{owner: true}
	for _, w := range words {
		if a, ok := address(w); ok && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// dropWithClause removes a trailing "mit a@x, b@y und c@z".
func dropWithClause(words []string) []string {
	i := len(words)
	for i > 0 {
		w := strings.ToLower(words[i-1])
		if _, ok := address(w); ok || w == "und" || w == "," {
			i--
			continue
		}
		break
	}
	if i < len(words) && i > 0 && strings.EqualFold(words[i-1], "mit") {
		return words[:i-1]
	}
	return words
}

var (
	dateFull  = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$`)
	dateShort = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.?$`)
	dateISO   = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
)

var germanWeekdays = map[string]time.Weekday{"montag": time.Monday, "dienstag": time.Tuesday,
	"mittwoch": time.Wednesday, "donnerstag": time.Thursday, "freitag": time.Friday,
	"samstag": time.Saturday, "sonnabend": time.Saturday, "sonntag": time.Sunday}

// parseDate reads one date word relative to today (midnight, local).
func parseDate(word string, today time.Time) (time.Time, error) {
	w := strings.ToLower(strings.TrimRight(word, ",;!"))
	switch w {
	case "heute":
		return today, nil
	case "morgen":
		return today.AddDate(0, 0, 1), nil
	case "übermorgen":
		return today.AddDate(0, 0, 2), nil
	}
	if wd, ok := germanWeekdays[w]; ok {
		days := (int(wd) - int(today.Weekday()) + 7) % 7
		if days == 0 {
			days = 7
		}
		return today.AddDate(0, 0, days), nil
	}
	var y, m, d int
	if g := dateISO.FindStringSubmatch(w); g != nil {
		y, m, d = atoi(g[1]), atoi(g[2]), atoi(g[3])
	} else if g := dateFull.FindStringSubmatch(w); g != nil {
		d, m, y = atoi(g[1]), atoi(g[2]), atoi(g[3])
		if y < 100 {
			y += 2000
		}
	} else if g := dateShort.FindStringSubmatch(w); g != nil {
		d, m, y = atoi(g[1]), atoi(g[2]), today.Year()
	} else {
		return time.Time{}, fmt.Errorf("%q ist kein Datum; erlaubt sind z. B. 20.12.2026, 20.12., Freitag oder morgen", word)
	}
	due := time.Date(y, time.Month(m), d, 0, 0, 0, 0, today.Location())
	if due.Day() != d || int(due.Month()) != m {
		return time.Time{}, fmt.Errorf("%q ist kein gültiges Datum", word)
	}
	if dateShort.MatchString(w) && due.Before(today) {
		due = due.AddDate(1, 0, 0)
	}
	if due.Before(today) {
		return time.Time{}, fmt.Errorf("das Datum %s liegt in der Vergangenheit", due.Format("02.01.2006"))
	}
	return due, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
