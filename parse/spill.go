package parse

import (
	"net/textproto"
	"strings"
)

// maxSpillLines bounds how many lines at the start of a body are examined
// for header fields that a relay pushed into the body.
const maxSpillLines = 40

// mimeFieldKeys are the fields whose presence in the first paragraph of a
// body, while the header lacks a Content-Type, marks that paragraph as
// spilled header rather than text.
var mimeFieldKeys = map[string]bool{"Content-Type": true, "Mime-Version": true, "Content-Transfer-Encoding": true}

// rejoinSpilledHeader repairs a header that a relay cut short. A header
// line without a colon and without leading whitespace, such as the second
// half of a wrongly folded Message-ID, ends the header for Postfix (seen
// with 3.7). Postfix then adds its own Date or Message-ID and an empty
// line, so the remaining fields arrive as the first paragraph of the body.
// When that paragraph is made of such fragments followed only by header
// fields, among them a MIME field the header lacks, the fields are moved
// back into the header. A fragment is appended to the field it completes:
// one with an unclosed '<', else the last field the sender wrote (see
// lastSenderField). It is dropped when there is none. A moved field
// replaces fields of the same name, since those were added by the relay.
// It returns h and body unchanged when the paragraph does not look like
// that.
func rejoinSpilledHeader(h header, body []byte, w *warnings) (header, []byte) {
	if h.has("Content-Type") {
		return h, body
	}
	lr := &lineReader{data: body}
	var fragments []string
	var fields [][]string
	mime := false
	for range maxSpillLines {
		line, ok := lr.next()
		if !ok {
			return h, body
		}
		switch {
		case len(line) == 0:
			if len(fields) == 0 || !mime {
				return h, body
			}
			return mergeSpilled(h, fragments, fields, w), body[lr.pos:]
		case line[0] == ' ' || line[0] == '\t':
			if len(fields) == 0 {
				return h, body
			}
			fields[len(fields)-1] = append(fields[len(fields)-1], string(line))
		case headerLine(line) != nil:
			name := textproto.CanonicalMIMEHeaderKey(string(headerLine(line)))
			if mimeFieldKeys[name] {
				mime = true
			}
			fields = append(fields, []string{string(line)})
		default:
			// Fragments only come before the first field, and a relay
			// cuts the header at the first one, so there are few.
			if len(fields) > 0 || len(fragments) == 2 {
				return h, body
			}
			fragments = append(fragments, string(line))
		}
	}
	return h, body
}

// mergeSpilled adds the fragments and fields found at the start of the body
// to h as described at rejoinSpilledHeader.
func mergeSpilled(h header, fragments []string, fields [][]string, w *warnings) header {
	var spilled header
	for _, lines := range fields {
		spilled = appendField(spilled, lines)
	}
	for _, frag := range fragments {
		frag = strings.TrimSpace(frag)
		if i := unclosedField(h); i >= 0 {
			// The rest of a broken-up address or Message-ID.
			h[i].value += frag
			w.add("header: joined line without a colon to %s: %s", h[i].key, quoteSnippet(frag))
			continue
		}
		if i := lastSenderField(h, spilled); i >= 0 {
			h[i].value += " " + frag
			w.add("header: joined line without a colon to %s: %s", h[i].key, quoteSnippet(frag))
			continue
		}
		w.add("header: dropped line without a colon that ended the header: %s", quoteSnippet(frag))
	}
	var names []string
	for _, f := range spilled {
		h = withoutField(h, f.key)
		names = append(names, f.key)
	}
	w.add("header: moved fields back from the start of the body, where a line without a colon had ended the header: %s", strings.Join(names, ", "))
	return append(h, spilled...)
}

// lastSenderField returns the index of the last field of h that the
// sender wrote before the header was cut, or -1. A relay adds its
// replacements (Date, Message-ID) after that field, and those come again
// among the spilled fields, so fields named like a spilled one are
// skipped. Trace fields are prepended by relays and never qualify.
func lastSenderField(h, spilled header) int {
	for i := len(h) - 1; i >= 0; i-- {
		switch h[i].key {
		case "Received", "Return-Path", "Delivered-To", "X-Original-To":
			return -1
		}
		if !spilled.has(h[i].key) {
			return i
		}
	}
	return -1
}

// unclosedField returns the index of the last field whose value opens an
// angle bracket it does not close, or -1.
func unclosedField(h header) int {
	for i := len(h) - 1; i >= 0; i-- {
		v := h[i].value
		if strings.LastIndexByte(v, '<') > strings.LastIndexByte(v, '>') {
			return i
		}
	}
	return -1
}

// withoutField returns h without the fields named key.
func withoutField(h header, key string) header {
	out := h[:0:0]
	for _, f := range h {
		if f.key != key {
			out = append(out, f)
		}
	}
	return out
}
