package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMsgIDLen bounds one msg-id; RFC 5322 limits a line to 998 octets.
const maxMsgIDLen = 998

// MsgIDs returns the msg-ids in s without their angle brackets, in order and
// without duplicates. It reads every "<…>" token and ignores what lies
// between them, so comma-separated lists, comments and folding inside an id
// are all accepted (RFC 5322 section 3.6.4 allows blanks only). If s holds
// no "<" at all, the words that contain an "@" are taken as ids.
func MsgIDs(s string) []string {
	var ids []string
	seen := make(map[string]bool)
	addID := func(id string) {
		id = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, id)
		if id == "" || len(id) > maxMsgIDLen || !utf8.ValidString(id) || seen[id] || hasControl(id) {
			return
		}
		seen[id] = true
		ids = append(ids, id)
	}

	if !strings.Contains(s, "<") {
		for _, word := range strings.FieldsFunc(s, func(r rune) bool {
			return r == ',' || r == ';' || unicode.IsSpace(r)
		}) {
			if strings.Contains(word, "@") {
				addID(strings.Trim(word, "\"'"))
			}
		}
		return ids
	}

	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			return ids
		}
		s = s[open+1:]
		end := strings.IndexAny(s, "<>")
		if end < 0 {
			return ids
		}
		if s[end] == '<' {
			continue // "<" without ">": start again at the next "<"
		}
		addID(s[:end])
		s = s[end+1:]
	}
}

// hasControl reports whether s contains a control character.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// messageID returns the first msg-id of a Message-ID value, or "" with a
// warning when the value is present but holds no usable id.
func messageID(v string, w *warnings) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	ids := MsgIDs(v)
	if len(ids) == 0 {
		w.add("Message-ID %s is unusable; treated as missing", quoteSnippet(v))
		return ""
	}
	if !strings.Contains(v, "<") {
		w.add("Message-ID %s has no angle brackets", quoteSnippet(v))
	}
	return ids[0]
}
