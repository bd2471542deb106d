package parse

import (
	"strings"
)

// fieldRule is one header field that marks a mail as sent by a program.
type fieldRule struct {
	field string
	// values lists lowercased tokens of which one must occur in the value.
	// Empty means any value except "no" or "false" counts.
	values []string
}

// robotFields are checked in order; the first match gives the reason.
// Auto-Submitted and Precedence follow RFC 3834 section 3.1.7 and its usual
// companions. The List-* fields come from mailing list software (RFC 2369,
// RFC 2919). The X-* fields are set by vacation programs, Exchange inbox
// rules and transport agents, cron and MTAs that report failures.
var robotFields = []fieldRule{
	{field: "Auto-Submitted"},
	{field: "Precedence", values: []string{"bulk", "junk", "list", "auto_reply"}},
	{field: "X-Auto-Response-Suppress", values: []string{"oof", "all", "autoreply"}},
	{field: "List-Id"},
	{field: "List-Unsubscribe"},
	{field: "List-Post"},
	{field: "X-Autoreply"},
	{field: "X-Autorespond"},
	{field: "X-Autoresponder"},
	{field: "X-Autoreply-From"},
	{field: "X-Mail-Autoreply"},
	{field: "X-Auto-Reply"},
	{field: "X-Vacation"},
	{field: "X-MS-Exchange-Inbox-Rules-Loop"},
	{field: "X-MS-Exchange-Generated-Message-Source"},
	{field: "X-MS-Exchange-Message-Is-Ndr"},
	{field: "X-Failed-Recipients"},
	{field: "X-Loop"},
	{field: "X-Cron-Env"},
}

// senderRule is a local part of a sender address that only programs use.
type senderRule struct {
	local  string // lowercased local part, or its prefix or suffix as match selects
	match  string // "exact", "prefix" or "suffix"
	reason string
}

// robotSenders follows the addresses that RFC 3834 section 2 excludes from
// automatic responses, plus the usual no-reply spellings.
var robotSenders = []senderRule{
	{"mailer-daemon", "exact", "sender is MAILER-DAEMON"},
	{"postmaster", "exact", "sender is postmaster"},
	{"listserv", "exact", "sender is a list server"},
	{"majordomo", "exact", "sender is a list server"},
	{"owner-", "prefix", "sender is a list owner address"},
	{"-request", "suffix", "sender is a list request address"},
	{"-bounces", "suffix", "sender is a list bounce address"},
	{"noreply", "exact", "sender is a no-reply address"},
	{"no-reply", "exact", "sender is a no-reply address"},
	{"no_reply", "exact", "sender is a no-reply address"},
	{"donotreply", "exact", "sender is a no-reply address"},
	{"do-not-reply", "exact", "sender is a no-reply address"},
}

// subjectRule is a subject prefix of automatic replies or bounces.
type subjectRule struct {
	prefix string // lowercased
	reason string
}

const (
	reasonOOFSubject     = "out-of-office subject"
	reasonFailureSubject = "delivery-failure subject"
)

// robotSubjects are matched after reply and forward prefixes and list tags
// are removed. Subjects are the last resort, for Exchange out-of-office
// replies that carry no header marker at all.
var robotSubjects = []subjectRule{
	{"automatische antwort", reasonOOFSubject},
	{"abwesend:", reasonOOFSubject},
	{"abwesenheitsnotiz", reasonOOFSubject},
	{"out of office", reasonOOFSubject},
	{"out-of-office", reasonOOFSubject},
	{"autoreply:", reasonOOFSubject},
	{"auto-reply:", reasonOOFSubject},
	{"auto reply:", reasonOOFSubject},
	{"automatic reply", reasonOOFSubject},
	{"unzustellbar:", reasonFailureSubject},
	{"undeliverable:", reasonFailureSubject},
	{"undelivered mail returned to sender", reasonFailureSubject},
	{"delivery status notification", reasonFailureSubject},
	{"mail delivery failed", reasonFailureSubject},
	{"returned mail", reasonFailureSubject},
	{"nicht zustellbar", reasonFailureSubject},
	{"failure notice", reasonFailureSubject},
	{"delivery failure", reasonFailureSubject},
	{"übermittlungsstatusbenachrichtigung", reasonFailureSubject},
	{"benachrichtigung zum übermittlungsstatus", reasonFailureSubject},
}

// replyPrefixes are the reply and forward markers removed before subject
// rules are matched (English, German and the Nordic and Romance forms
// Outlook writes).
var replyPrefixes = []string{"re", "aw", "antw", "wg", "fw", "fwd", "sv", "vs", "tr", "rif", "réf"}

// Robot reports whether the mail was sent by a program and must get no
// automatic reply (RFC 3834), and why, as a short English reason such as
// "Auto-Submitted: auto-replied", "Precedence: list", "List-Id present",
// "null return path", "sender is MAILER-DAEMON", "delivery report" or
// "out-of-office subject".
func (m *Message) Robot() (bool, string) {
	if m.MediaType == "multipart/report" || m.Report != nil {
		return true, "delivery report"
	}
	for _, rule := range robotFields {
		if reason, ok := m.matchField(rule); ok {
			return true, reason
		}
	}
	if m.ReturnPath == "<>" {
		return true, "null return path"
	}
	for _, addr := range m.senderAddrs() {
		if reason, ok := matchSender(addr); ok {
			return true, reason
		}
	}
	if reason, ok := matchSubject(m.Subject); ok {
		return true, reason
	}
	return false, ""
}

// matchField applies one header rule to every field of that name.
func (m *Message) matchField(rule fieldRule) (string, bool) {
	for _, v := range m.Header.Values(rule.field) {
		token := strings.ToLower(strings.TrimSpace(v))
		if len(rule.values) == 0 {
			if token == "no" || token == "false" {
				continue
			}
			if rule.field == "Auto-Submitted" {
				// The value may carry parameters (RFC 3834 section 5).
				token, _, _ = strings.Cut(token, ";")
				return rule.field + ": " + strings.TrimSpace(token), true
			}
			return rule.field + " present", true
		}
		for _, want := range rule.values {
			if containsToken(token, want) {
				return rule.field + ": " + want, true
			}
		}
	}
	return "", false
}

// containsToken reports whether want occurs in v as a whole word.
func containsToken(v, want string) bool {
	for _, f := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t'
	}) {
		if f == want {
			return true
		}
	}
	return false
}

// senderAddrs returns the addresses that identify the sender.
func (m *Message) senderAddrs() []string {
	addrs := []string{m.From.Addr}
	for _, a := range parseAddressList(m.Header.Get("Sender"), "Sender", &warnings{}) {
		addrs = append(addrs, a.Addr)
	}
	if m.ReturnPath != "" && m.ReturnPath != "<>" {
		addrs = append(addrs, m.ReturnPath)
	}
	return addrs
}

// matchSender applies robotSenders to the local part of addr.
func matchSender(addr string) (string, bool) {
	local := strings.ToLower(addr)
	if i := strings.LastIndexByte(local, '@'); i >= 0 {
		local = local[:i]
	}
	if local == "" {
		return "", false
	}
	for _, rule := range robotSenders {
		var ok bool
		switch rule.match {
		case "exact":
			ok = local == rule.local
		case "prefix":
			ok = strings.HasPrefix(local, rule.local)
		case "suffix":
			ok = strings.HasSuffix(local, rule.local)
		}
		if ok {
			return rule.reason, true
		}
	}
	return "", false
}

// matchSubject applies robotSubjects to a decoded subject.
func matchSubject(subject string) (string, bool) {
	s := stripSubjectPrefixes(subject)
	for _, rule := range robotSubjects {
		if strings.HasPrefix(s, rule.prefix) {
			return rule.reason, true
		}
	}
	return "", false
}

// stripSubjectPrefixes lowercases a subject and removes leading reply and
// forward prefixes ("AW:", "Re[2]:", "WG:") and list tags ("[Liste]").
func stripSubjectPrefixes(subject string) string {
	s := strings.ToLower(strings.TrimSpace(subject))
	for {
		before := s
		if strings.HasPrefix(s, "[") {
			if i := strings.IndexByte(s, ']'); i > 0 && i < 64 {
				s = strings.TrimSpace(s[i+1:])
			}
		}
		for _, p := range replyPrefixes {
			if rest, ok := cutReplyPrefix(s, p); ok {
				s = rest
				break
			}
		}
		if s == before {
			return s
		}
	}
}

// cutReplyPrefix removes "p:", "p :", "p[2]:" or "p^2:" from the start of s.
func cutReplyPrefix(s, p string) (string, bool) {
	if !strings.HasPrefix(s, p) {
		return s, false
	}
	rest := s[len(p):]
	if strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "^") {
		i := strings.IndexAny(rest, "]:")
		if i < 0 {
			return s, false
		}
		rest = strings.TrimPrefix(rest[i:], "]")
	}
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, ":") {
		return s, false
	}
	return strings.TrimSpace(rest[1:]), true
}
