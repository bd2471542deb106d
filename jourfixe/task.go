package jourfixe

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"mailbot/workday"
)

// TaskSpec is a task as written after the #aufgabe keyword.
type TaskSpec struct {
	Owner string    // address of who is responsible
	What  string    // the task, without the owner and the due date
	With  []string  // other addresses named in the text
	Due   time.Time // midnight of the due day; zero when no date was given
	// Note records how a vague date was read, or that the due day moved
	// to the next working day. It is the zero DueNote otherwise.
	Note DueNote
}

// DueNote is the reading of a due date by ParseTask, for the hint of the
// mail template task_note.txt.tmpl.
type DueNote struct {
	Words string // a vague date as written, such as "Ende Januar"; empty for an exact one
	Week  bool   // Words name a calendar week, read as its Friday
	Read  string // the day Words stands for: "Freitag, 29.01.2027", for a week "22.01.2027"
	Day   string // a due day that is no working day, as TT.MM.JJJJ
	Why   string // kind of Day: a German weekday name or "Feiertag (name)"
	Moved string // the working day after Day, as "Montag, 07.12.2026"; empty when not moved
}

// TaskError is the reason ParseTask could not read a task. Reason names
// the German text for the sender, a {{define}} block of the mail template
// task_errors.txt.tmpl, and the other fields fill it.
type TaskError struct {
	Reason string // no_owner, not_address, no_what, not_date, not_day_month, invalid_date, invalid_day, past, too_vague, not_week, week_past
	Word   string // the words written, as far as the reason names them
	Date   string // a day as TT.MM.JJJJ
	Day    int
	Month  string // German month name
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("task: %s (word %q, date %q, day %d, month %q)", e.Reason, e.Word, e.Date, e.Day, e.Month)
}

// The task grammar, after the keyword "#aufgabe":
//
//	task    = owner text [ "bis" date ]
//	owner   = address                     the first word, required
//	text    = any words; every further address in it counts as "with whom",
//	          and a trailing "mit ADDR[, ADDR][ und ADDR]" is dropped from
//	          the task text because the with-column shows it
//	date    = TT.MM.JJJJ | TT.MM.JJ | TT.MM. | JJJJ-MM-TT
//	        | TT. month [JJJJ]            month: Januar … Dezember or Jan. … Dez.
//	        | ("Anfang" | "Mitte" | "Ende") month [JJJJ]   the 1st, 15th or last working day
//	        | "KW" N [JJJJ]               Friday of ISO week N
//	        | weekday                     Montag … Sonntag: the next such day after today
//	        | "heute" | "morgen" | "übermorgen"
//
// The date is the one to three words after the last "bis" among the last
// four words. A "bis" followed by words that are no date attempt, as in
// "Bestand bis zum Keller zählen", stays text. One followed by a date
// that cannot be read is an error. A date without year is the next such
// day on or after today. A due day on a weekend or public holiday moves
// to the next working day. Words are matched case-insensitively.
//
// ParseTask parses args, the text after "#aufgabe", relative to the day of
// now in loc.
func ParseTask(args string, now time.Time, loc *time.Location) (TaskSpec, error) {
	words := strings.Fields(args)
	if len(words) == 0 {
		return TaskSpec{}, &TaskError{Reason: "no_owner"}
	}
	owner, ok := address(words[0])
	if !ok {
		return TaskSpec{}, &TaskError{Reason: "not_address", Word: words[0]}
	}
	spec := TaskSpec{Owner: owner}
	words = words[1:]

	today := dayStart(now.In(loc))
	if i := dueClause(words); i >= 0 {
		due, note, err := parseDue(words[i+1:], today)
		switch {
		case errors.Is(err, errNoDate):
		case err != nil:
			return TaskSpec{}, err
		default:
			spec.Due, spec.Note = workdayOnOrAfter(due, note)
			words = words[:i]
		}
	}
	spec.With = addresses(words, owner)
	spec.What = strings.Join(dropWithClause(words), " ")
	if spec.What == "" {
		return TaskSpec{}, &TaskError{Reason: "no_what"}
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
		return time.Time{}, &TaskError{Reason: "not_date", Word: word}
	}
	due := time.Date(y, time.Month(m), d, 0, 0, 0, 0, today.Location())
	if due.Day() != d || int(due.Month()) != m {
		return time.Time{}, &TaskError{Reason: "invalid_date", Word: word}
	}
	if dateShort.MatchString(w) && due.Before(today) {
		due = due.AddDate(1, 0, 0)
	}
	if due.Before(today) {
		return time.Time{}, &TaskError{Reason: "past", Date: due.Format("02.01.2006")}
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

// dueClause returns the index of the last "bis" that has one to three
// words after it, or -1.
func dueClause(words []string) int {
	for i := len(words) - 2; i >= 0 && i >= len(words)-4; i-- {
		if strings.EqualFold(words[i], "bis") {
			return i
		}
	}
	return -1
}

// errNoDate marks words after "bis" that do not try to be a date.
var errNoDate = errors.New("no date")

var germanMonths = map[string]time.Month{"januar": 1, "jan": 1, "jänner": 1, "februar": 2, "feb": 2, "märz": 3,
	"mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
	"aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
	"dezember": 12, "dez": 12}

var germanMonthNames = [...]string{"", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
	"September", "Oktober", "November", "Dezember"}

var (
	dayWord  = regexp.MustCompile(`^(\d{1,2})\.$`)
	yearWord = regexp.MustCompile(`^\d{4}$`)
	weekWord = regexp.MustCompile(`^kw(\d{1,2})$`)
)

// parseDue reads the date words after "bis". It returns how a vague date
// was read as note, and errNoDate for words that are no date attempt.
func parseDue(words []string, today time.Time) (time.Time, DueNote, error) {
	if len(words) == 1 {
		w := strings.ToLower(strings.TrimRight(words[0], ",;!."))
		if m, ok := germanMonths[w]; ok {
			return time.Time{}, DueNote{}, &TaskError{Reason: "too_vague", Word: words[0], Month: germanMonthNames[m]}
		}
		if weekWord.MatchString(w) {
			return parseWeek(words, w[2:], "", today)
		}
		due, err := parseDate(words[0], today)
		return due, DueNote{}, err
	}
	first := strings.ToLower(words[0])
	month, year := "", ""
	if len(words) >= 2 {
		month = strings.ToLower(strings.TrimRight(words[1], ",;!."))
	}
	if len(words) == 3 {
		year = strings.TrimRight(words[2], ",;!.")
		if !yearWord.MatchString(year) {
			return time.Time{}, DueNote{}, errNoDate
		}
	}
	switch {
	case first == "kw":
		if len(words) == 3 || len(words) == 2 {
			return parseWeek(words, month, year, today)
		}
	case dayWord.MatchString(first):
		m, ok := germanMonths[month]
		if !ok {
			return time.Time{}, DueNote{}, &TaskError{Reason: "not_day_month", Word: strings.Join(words, " ")}
		}
		due, err := dayOfMonth(atoi(strings.TrimSuffix(first, ".")), m, year, today)
		return due, DueNote{}, err
	case first == "anfang" || first == "mitte" || first == "ende":
		m, ok := germanMonths[month]
		if !ok {
			return time.Time{}, DueNote{}, errNoDate
		}
		day := map[string]int{"anfang": 1, "mitte": 15, "ende": 0}[first]
		due, err := dayOfMonth(day, m, year, today)
		if err != nil {
			return time.Time{}, DueNote{}, err
		}
		// The end of a month is its last working day, not a weekend
		// moved into the next month.
		for cal := workday.New(due.Location()); first == "ende" && !cal.IsWorkday(due) && due.After(today); {
			due = due.AddDate(0, 0, -1)
		}
		return due, DueNote{Words: strings.Join(words, " "), Read: dateName(due)}, nil
	}
	return time.Time{}, DueNote{}, errNoDate
}

// dayOfMonth returns day d of month m in year, or in the next year in
// which it is not past when year is empty. Day 0 is the month's last day.
func dayOfMonth(d int, m time.Month, year string, today time.Time) (time.Time, error) {
	at := func(y int) time.Time {
		if d == 0 {
			return time.Date(y, m+1, 0, 0, 0, 0, 0, today.Location())
		}
		return time.Date(y, m, d, 0, 0, 0, 0, today.Location())
	}
	y := today.Year()
	if year != "" {
		y = atoi(year)
	}
	due := at(y)
	if d != 0 && (due.Day() != d || due.Month() != m) {
		return time.Time{}, &TaskError{Reason: "invalid_day", Day: d, Month: germanMonthNames[m]}
	}
	if year == "" && due.Before(today) {
		due = at(y + 1)
	}
	if due.Before(today) {
		return time.Time{}, &TaskError{Reason: "past", Date: due.Format("02.01.2006")}
	}
	return due, nil
}

// parseWeek reads calendar week week (ISO 8601) and returns its Friday, in
// year or else the next such week not past.
func parseWeek(words []string, week, year string, today time.Time) (time.Time, DueNote, error) {
	n := atoi(week)
	friday := func(y int) (time.Time, bool) {
		// 4 January is always in week 1.
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, today.Location())
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		f := monday.AddDate(0, 0, 7*(n-1)+4)
		_, w := f.ISOWeek()
		return f, w == n
	}
	y := today.Year()
	if year != "" {
		y = atoi(year)
	}
	due, ok := friday(y)
	if year == "" && ok && due.Before(today) {
		due, ok = friday(y + 1)
	}
	if !ok || n < 1 {
		return time.Time{}, DueNote{}, &TaskError{Reason: "not_week", Word: strings.Join(words, " ")}
	}
	if due.Before(today) {
		return time.Time{}, DueNote{}, &TaskError{Reason: "week_past", Word: strings.Join(words, " ")}
	}
	return due, DueNote{Words: strings.Join(words, " "), Week: true, Read: due.Format("02.01.2006")}, nil
}

// workdayOnOrAfter moves due to the next working day when it falls on a
// weekend or public holiday of Baden-Württemberg, and adds that to note.
func workdayOnOrAfter(due time.Time, note DueNote) (time.Time, DueNote) {
	cal := workday.New(due.Location())
	if cal.IsWorkday(due) {
		return due, note
	}
	why := germanWeekdayNames[due.Weekday()]
	if h := cal.Holiday(due); h != "" {
		why = "Feiertag (" + h + ")"
	}
	moved := due
	for !cal.IsWorkday(moved) {
		moved = moved.AddDate(0, 0, 1)
	}
	note.Day, note.Why, note.Moved = due.Format("02.01.2006"), why, dateName(moved)
	return moved, note
}

// dateName returns a day as "Freitag, 22.01.2027".
func dateName(t time.Time) string {
	return germanWeekdayNames[t.Weekday()] + ", " + t.Format("02.01.2006")
}
