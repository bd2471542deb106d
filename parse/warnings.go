package parse

import "fmt"

// maxWarnings bounds the warnings kept for one message, so that a mail with
// thousands of broken lines still yields a short list.
const maxWarnings = 50

// warnings collects repair messages without duplicates.
type warnings struct {
	list    []string
	seen    map[string]bool
	dropped bool
}

// add formats one warning and stores it unless the same text is already
// stored or the list is full.
func (w *warnings) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if w.seen[msg] {
		return
	}
	if len(w.list) >= maxWarnings {
		if !w.dropped {
			w.dropped = true
			w.list = append(w.list, "further warnings omitted")
		}
		return
	}
	if w.seen == nil {
		w.seen = make(map[string]bool)
	}
	w.seen[msg] = true
	w.list = append(w.list, msg)
}

// quoteSnippet quotes at most the first 40 bytes of s for a warning.
func quoteSnippet(s string) string {
	const maxSnippet = 40
	if len(s) > maxSnippet {
		return fmt.Sprintf("%q…", s[:maxSnippet])
	}
	return fmt.Sprintf("%q", s)
}
