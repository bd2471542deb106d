package mailbot

import (
	"regexp"
	"strings"

	"mailbot/config"
	"mailbot/parse"
)

// arComment matches a comment of an Authentication-Results header.
var arComment = regexp.MustCompile(`\([^()]*\)`)

// senderVerified reports whether the receiving server, named by its
// authserv-id, found msg's sender authentic: DMARC passed, or DKIM passed
// for a domain aligned with the From domain (RFC 8601 headers). Relaxed
// alignment (RFC 7489) is approximated by one domain being the other or a
// subdomain of it, without the public suffix list. Only the topmost header
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

func aligned(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return a == b || strings.HasSuffix(a, "."+b) || strings.HasSuffix(b, "."+a)
}
