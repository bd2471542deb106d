package parse

import (
	"bytes"
	"regexp"
	"strings"
)

// statusCode matches an RFC 3463 enhanced status code in bounce text.
var statusCode = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)

// dsnRecipient is one per-recipient block of a delivery status part.
type dsnRecipient struct {
	addr, action, status string
}

// parseDSN reads a message/delivery-status body (RFC 3464 section 2): a
// block of per-message fields, then one block per recipient, separated by
// empty lines.
func parseDSN(body []byte) []dsnRecipient {
	var list []dsnRecipient
	w := &warnings{}
	rest := body
	for len(bytes.TrimSpace(rest)) > 0 {
		rest = bytes.TrimLeft(rest, "\r\n")
		var h header
		h, rest = readHeader(rest, "delivery status", w)
		if len(h) == 0 {
			break
		}
		addr := h.get("Final-Recipient")
		if addr == "" {
			addr = h.get("Original-Recipient")
		}
		if addr == "" {
			continue // the per-message block
		}
		if _, a, ok := strings.Cut(addr, ";"); ok {
			addr = a // drop the address type, usually "rfc822"
		}
		status, _, _ := strings.Cut(strings.TrimSpace(h.get("Status")), " ")
		list = append(list, dsnRecipient{
			addr:   cleanAddr(strings.TrimSpace(addr)),
			action: strings.ToLower(strings.TrimSpace(h.get("Action"))),
			status: status,
		})
	}
	return list
}

// buildReport fills Message.Report for a delivery status notification or
// for a bounce that looks like one. It returns nil for other mail.
func buildReport(m *Message, h header, wk *walker) *Report {
	if !isReport(m, h, wk) {
		return nil
	}
	r := &Report{}

	recipients := parseDSN(wk.dsn)
	failed := false
	for _, rc := range recipients {
		if rc.action == "failed" {
			failed = true
		}
	}
	for _, rc := range recipients {
		if failed && rc.action != "failed" {
			continue
		}
		if rc.addr != "" {
			r.Recipients = append(r.Recipients, rc.addr)
		}
		if r.Action == "" {
			r.Action, r.Status = rc.action, rc.status
		}
	}
	if len(r.Recipients) == 0 {
		for _, a := range parseAddressList(h.get("X-Failed-Recipients"), "X-Failed-Recipients", &warnings{}) {
			r.Recipients = append(r.Recipients, a.Addr)
		}
	}
	if len(r.Recipients) == 0 {
		r.Recipients = textFields(m.Text, "final-recipient", true)
	}
	if r.Status == "" {
		if s := statusCode.FindString(m.Text); s != "" {
			r.Status = s
		}
	}
	if r.Action == "" {
		r.Action = actionFor(r.Status, m.Subject)
	}

	orig := wk.orig
	if orig == nil {
		orig = inlineHeaders(m.Text)
	}
	originalHeaders(r, orig)
	if r.OriginalMessageID == "" {
		switch {
		case len(m.InReplyTo) > 0:
			r.OriginalMessageID = m.InReplyTo[0]
		case len(m.References) > 0:
			r.OriginalMessageID = m.References[len(m.References)-1]
		}
	}
	if r.OriginalSubject == "" {
		r.OriginalSubject = stripFailurePrefix(m.Subject)
	}
	return r
}

// isReport decides whether a mail is a delivery report. Besides RFC 3464
// reports it accepts bounces that mark themselves by a failure subject
// together with a null return path or a daemon sender, and Exim's and
// Exchange's report header fields.
func isReport(m *Message, h header, wk *walker) bool {
	if wk.dsn != nil {
		return true
	}
	if m.MediaType == "multipart/report" {
		return strings.EqualFold(wk.reportType, "delivery-status")
	}
	if h.has("X-Failed-Recipients") || h.has("X-MS-Exchange-Message-Is-Ndr") {
		return true
	}
	reason, ok := matchSubject(m.Subject)
	if !ok || reason != reasonFailureSubject || startsWithReply(m.Subject) {
		return false
	}
	if m.ReturnPath == "<>" {
		return true
	}
	sender, ok := matchSender(m.From.Addr)
	return ok && (sender == "sender is MAILER-DAEMON" || sender == "sender is postmaster")
}

// startsWithReply reports whether the subject marks a reply or a forward.
func startsWithReply(subject string) bool {
	s := strings.ToLower(strings.TrimSpace(subject))
	for _, p := range replyPrefixes {
		if _, ok := cutReplyPrefix(s, p); ok {
			return true
		}
	}
	return false
}

// originalHeaders reads the Message-ID and Subject of the reported mail
// from its returned header block.
func originalHeaders(r *Report, raw []byte) {
	if raw == nil {
		return
	}
	w := &warnings{}
	h, _ := readHeader(raw, "returned header", w)
	if ids := MsgIDs(h.get("Message-ID")); len(ids) > 0 {
		r.OriginalMessageID = ids[0]
	}
	r.OriginalSubject = cleanText(decodeHeaderText(h.get("Subject"), "returned Subject", w))
}

// inlineHeaders finds the copy of the original header that bounces such as
// Exim's and qmail's quote in their text: the first block, after an empty
// line, whose first line is a From, To, Subject, Message-ID, Date, Received
// or Return-Path field. It returns nil when there is none.
func inlineHeaders(text string) []byte {
	starts := []string{"from:", "to:", "subject:", "message-id:", "date:", "received:", "return-path:"}
	prevEmpty := false
	for offset := 0; offset < len(text); {
		line, _, _ := strings.Cut(text[offset:], "\n")
		lower := strings.ToLower(line)
		if prevEmpty {
			for _, s := range starts {
				if !strings.HasPrefix(lower, s) {
					continue
				}
				block := text[offset:]
				if end := strings.Index(block, "\n\n"); end >= 0 {
					block = block[:end+1]
				}
				if strings.Contains(strings.ToLower(block), "message-id:") {
					return []byte(block)
				}
				break
			}
		}
		prevEmpty = strings.TrimSpace(line) == ""
		offset += len(line) + 1
	}
	return nil
}

// textFields returns the values of "Name: value" lines in bounce text, for
// bounces that quote the report or the original header in their body. With
// stripType the address type before ";" is removed.
func textFields(text, name string, stripType bool) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if len(line) <= len(name)+1 || !strings.EqualFold(line[:len(name)], name) || line[len(name)] != ':' {
			continue
		}
		v := strings.TrimSpace(line[len(name)+1:])
		if stripType {
			if _, a, ok := strings.Cut(v, ";"); ok {
				v = cleanAddr(strings.TrimSpace(a))
			}
		}
		if v != "" {
			out = append(out, v)
		}
		if len(out) >= 100 {
			break
		}
	}
	return out
}

// actionFor derives an RFC 3464 action from a status code or, without one,
// from the subject.
func actionFor(status, subject string) string {
	switch {
	case strings.HasPrefix(status, "5"):
		return "failed"
	case strings.HasPrefix(status, "4"):
		return "delayed"
	case strings.HasPrefix(status, "2"):
		return "delivered"
	}
	s := strings.ToLower(subject)
	if strings.Contains(s, "delay") || strings.Contains(s, "verzögert") {
		return "delayed"
	}
	return "failed"
}

// stripFailurePrefix removes a bounce prefix such as "Unzustellbar:" from a
// subject, leaving the subject of the original mail.
func stripFailurePrefix(subject string) string {
	for _, rule := range robotSubjects {
		n := len(rule.prefix)
		if rule.reason != reasonFailureSubject || len(subject) < n || !strings.EqualFold(subject[:n], rule.prefix) {
			continue
		}
		rest := subject[n:]
		rest = strings.TrimLeft(rest, " :")
		return strings.TrimSpace(rest)
	}
	return subject
}
