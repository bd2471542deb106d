package parse

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Errors returned by Parse. The caller quarantines such mail.
var (
	ErrEmpty    = errors.New("empty message")
	ErrNoHeader = errors.New("no header fields found")
)

// Parse reads one raw mail (RFC 5322 with MIME). It repairs what it can and
// records each repair in Message.Warnings. It returns an error wrapping
// ErrEmpty or ErrNoHeader only when the input holds no header field at
// all. Parse keeps no reference to raw beyond the call; strings in the
// result are copies.
func Parse(raw []byte) (*Message, error) {
	return parse(raw, 0)
}

// parse is Parse for a mail attached nesting levels deep in another.
func parse(raw []byte, nesting int) (*Message, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("parsing %d bytes: %w", len(raw), ErrEmpty)
	}
	w := &warnings{}
	h, body := readHeader(raw, "header", w)
	if len(h) == 0 {
		first, _, _ := bytes.Cut(raw, []byte("\n"))
		return nil, fmt.Errorf("parsing message starting with %s: %w", quoteSnippet(string(first)), ErrNoHeader)
	}
	h, body = rejoinSpilledHeader(h, body, w)

	m := &Message{Size: len(raw), Header: h.toTextproto()}
	readFields(m, h, w)

	wk := &walker{m: m, w: w, nesting: nesting}
	wk.entity(h, body, "", 0, "text/plain", false)
	finishText(m, wk, w)
	m.Report = buildReport(m, h, wk)
	m.ContentHash = contentHash(m, h, body)

	m.Warnings = w.list
	return m, nil
}

// readFields fills the fields of m that come from the top-level header.
func readFields(m *Message, h header, w *warnings) {
	m.MessageID = messageID(h.get("Message-ID"), w)
	m.Subject = cleanText(decodeHeaderText(h.get("Subject"), "Subject", w))
	m.Date = parseDate(h.get("Date"), w)
	m.InReplyTo = MsgIDs(h.get("In-Reply-To"))
	m.References = MsgIDs(strings.Join(fieldValues(h, "References"), " "))
	m.ReturnPath = returnPath(h)

	from := parseAddressList(h.get("From"), "From", w)
	if len(from) > 1 {
		if a, ok := repairFrom(h.get("From"), w); ok {
			from = []Address{a}
		}
	}
	if len(from) == 0 && h.get("Sender") != "" {
		from = parseAddressList(h.get("Sender"), "Sender", w)
		if len(from) > 0 {
			w.add("no usable From; using Sender")
		}
	}
	if len(from) > 0 {
		m.From = from[0]
	}
	m.To = parseAddressList(strings.Join(fieldValues(h, "To"), ","), "To", w)
	m.Cc = parseAddressList(strings.Join(fieldValues(h, "Cc"), ","), "Cc", w)
	m.ReplyTo = parseAddressList(h.get("Reply-To"), "Reply-To", w)
}

// fieldValues returns the values of all fields named key.
func fieldValues(h header, key string) []string {
	var vs []string
	for _, f := range h {
		if strings.EqualFold(f.key, key) {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// returnPath reads the first Return-Path field (RFC 5321 section 4.4). A
// field that is present but empty counts as the null path.
func returnPath(h header) string {
	if !h.has("Return-Path") {
		return ""
	}
	v := strings.TrimSpace(h.get("Return-Path"))
	if i := strings.IndexByte(v, '<'); i >= 0 {
		v = v[i+1:]
		if j := strings.IndexByte(v, '>'); j >= 0 {
			v = v[:j]
		}
	}
	if a := cleanAddr(v); a != "" {
		return a
	}
	return "<>"
}

// finishText picks the body text once all parts are read and applies the
// size limit.
func finishText(m *Message, wk *walker, w *warnings) {
	switch {
	case wk.text:
	case wk.html:
		m.Text, m.FromHTML = htmlToText(m.HTML), true
	case strings.TrimSpace(wk.tnefText) != "":
		m.Text = wk.tnefText
	case wk.tnefHTML != "":
		m.Text, m.FromHTML = htmlToText(wk.tnefHTML), true
	}
	m.Text = appendForwards(m.Text, wk.forwards)
	if len(m.Text) > MaxTextBytes {
		w.add("text cut to %d bytes", MaxTextBytes)
		m.Text = truncateUTF8(m.Text, MaxTextBytes)
	}
}
