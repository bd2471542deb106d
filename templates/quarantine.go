package templates

// Quarantine is the notice to the admin role about a mail moved to the
// quarantine folder.
const Quarantine = "quarantine.txt.tmpl"

// QuarantineData is what the quarantine template may use.
type QuarantineData struct {
	Mailbox   string // mailbox name from the configuration
	Folder    string // quarantine folder
	Watched   string // the watched folder a released mail returns to
	Reason    string // German sentence
	Detail    string // technical cause, English, may be empty
	UID       uint32
	MessageID string
	From      string
	Subject   string
	Size      int64
}

// QuarantineSummary sums up the quarantine notices held back after
// brakes allowed a burst of them in one window.
const QuarantineSummary = "quarantine_summary.txt.tmpl"

// QuarantineSummaryData is what the quarantine summary may use.
type QuarantineSummaryData struct {
	Since   string           // start of the window, 02.01.2006 15:04
	Count   int              // notices held back
	Burst   int              // notices sent one by one per window
	Entries []QuarantineData // mails quarantined since then, newest last
	More    int              // entries left out of the list
}
