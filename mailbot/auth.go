package mailbot

import (
	"regexp"
	"strings"

	"golang.org/x/net/publicsuffix"

	"mailbot/config"
	"mailbot/parse"
)

// arComment matches a comment of an Authentication-Results header.
var arComment = regexp.MustCompile(`\([^()]*\)`)

// senderVerified reports whether the receiving server, named by its
// authserv-id, found msg's sender authentic: DMARC passed, or DKIM passed
// for a domain aligned with the From domain (RFC 8601 headers). Only the
// topmost header
// of that authserv-id counts, because the receiving server adds its header
// on top of any a sender forged.
func senderVerified(msg *parse.Message, authservID string) bool {
	from := config.Domain(msg.From.Addr)
	if from == "" {
		return false
	}
	for _, v := range msg.Header.Values("Authentication-Results") {
		v = arComment.ReplaceAllString(v, " ")
		parts := strings.Split(v, ";")
		id := strings.Fields(parts[0])
		if len(id) == 0 || !strings.EqualFold(id[0], authservID) {
			continue
		}
		for _, res := range parts[1:] {
			f := strings.Fields(strings.ToLower(res))
			if len(f) == 0 {
				continue
			}
			props := map[string]string{}
			for _, p := range f[1:] {
				if k, val, ok := strings.Cut(p, "="); ok {
					props[k] = strings.Trim(val, `"`)
				}
			}
			switch f[0] {
			case "dmarc=pass":
				if d := props["header.from"]; d == "" || d == from {
					return true
				}
			case "dkim=pass":
				d := props["header.d"]
				if d == "" {
					d = config.Domain(props["header.i"])
				}
				if aligned(d, from) {
					return true
				}
			}
		}
		return false
	}
	return false
}

// aligned reports whether domains a and b are in relaxed alignment
// (RFC 7489 section 3.1.1): they are equal or have the same
// organizational domain, the public suffix plus one label. A domain that
// is itself a public suffix, such as co.uk, aligns only with itself.
func aligned(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSuffix(a, ".")), strings.ToLower(strings.TrimSuffix(b, "."))
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	orgA, errA := publicsuffix.EffectiveTLDPlusOne(a)
	orgB, errB := publicsuffix.EffectiveTLDPlusOne(b)
	return errA == nil && errB == nil && orgA == orgB
}
