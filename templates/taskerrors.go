package templates

// TaskErrors defines why "#aufgabe" could not be read, one named template
// per reason of jourfixe.TaskError (see TaskErrorNames), rendered with
// Line and TaskErrorData.
const TaskErrors = "task_errors.txt.tmpl"

// TaskErrorNames lists the templates TaskErrors must define.
var TaskErrorNames = []string{"no_owner", "not_address", "no_what", "not_date", "not_day_month", "invalid_date",
	"invalid_day", "past", "too_vague", "not_week", "week_past"}

// TaskErrorData contains the fields of the TaskErrors texts. Each text
// uses a few of them.
type TaskErrorData struct {
	Word  string // the words written
	Date  string // a day as TT.MM.JJJJ
	Day   int
	Month string // German month name
}

var sampleTaskError = TaskErrorData{Word: "31.02.2027", Date: "01.12.2026", Day: 31, Month: "Februar"}

// TaskNote is the hint under a new task on how its due date was read,
// rendered with TaskNoteData; it is empty for an exact working day.
const TaskNote = "task_note.txt.tmpl"

// TaskNoteData contains the fields of TaskNote, those of jourfixe.DueNote.
type TaskNoteData struct {
	Words string // a vague date as written, such as "Ende Januar"
	Week  bool   // Words name a calendar week, read as its Friday
	Read  string // the day Words stands for
	Day   string // a due day that is no working day, as TT.MM.JJJJ
	Why   string // kind of Day: a weekday name or "Feiertag (name)"
	Moved string // the working day after Day; empty when not moved
}
