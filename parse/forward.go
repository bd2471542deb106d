package parse

import (
	"strings"
)

// Limits on attached mails (message/rfc822) whose text joins Message.Text.
const (
	maxForwardsShown  = 5 // attached mails per mail whose text is shown
	maxForwardNesting = 3 // attached mails inside attached mails
)

// ForwardSeparator opens the text of an attached mail in Message.Text. It
// is the line mail programs put above a forwarded mail, so that quote
// detection (package rules) treats what follows as forwarded text.
const ForwardSeparator = "---------- Weitergeleitete Nachricht ----------"

// forwardedText parses an attached mail and returns its sender, date,
// subject and text as a block for Message.Text, or "" when the attached
// mail has no header or the limits are reached.
func (wk *walker) forwardedText(inner []byte) string {
	if len(wk.forwards) >= maxForwardsShown || wk.nesting >= maxForwardNesting {
		return ""
	}
	m, err := parse(inner, wk.nesting+1)
	if err != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(ForwardSeparator + "\n")
	if m.From.Addr != "" || m.From.Name != "" {
		b.WriteString("Von: " + formatAddress(m.From) + "\n")
	}
	if !m.Date.IsZero() {
		b.WriteString("Datum: " + m.Date.Format("02.01.2006 15:04") + "\n")
	}
	b.WriteString("Betreff: " + m.Subject + "\n\n")
	b.WriteString(strings.TrimSpace(m.Text))
	return b.String()
}

// formatAddress writes a as "Name <addr>", or the part it has.
func formatAddress(a Address) string {
	switch {
	case a.Name == "":
		return a.Addr
	case a.Addr == "":
		return a.Name
	}
	return a.Name + " <" + a.Addr + ">"
}

// appendForwards adds the blocks of attached mails below text.
func appendForwards(text string, forwards []string) string {
	if len(forwards) == 0 {
		return text
	}
	parts := forwards
	if t := strings.TrimRight(text, "\n"); strings.TrimSpace(t) != "" {
		parts = append([]string{t}, forwards...)
	}
	return strings.Join(parts, "\n\n") + "\n"
}
