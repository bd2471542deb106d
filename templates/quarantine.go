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
