package parse

import (
	"net/mail"
	"strings"
	"time"
)

// zoneOffsets maps the zone names seen in Date fields to their offsets.
// Parsing them with Go's "MST" layout would give offset zero, or the local
// zone's offset when the name matches it, so they are replaced first.
var zoneOffsets = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000", "WET": "+0000",
	"BST": "+0100", "WEST": "+0100", "CET": "+0100", "MEZ": "+0100",
	"CEST": "+0200", "MESZ": "+0200", "EET": "+0200", "EEST": "+0300",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
}

// germanMonths maps German month abbreviations that differ from English.
var germanMonths = map[string]string{
	"MÄR": "Mar", "MRZ": "Mar", "MAI": "May", "OKT": "Oct", "DEZ": "Dec",
}

// dateLayouts are tried after net/mail.ParseDate, on the normalised value.
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"Jan 2 15:04:05 2006",
	"Jan 2 15:04:05 -0700 2006",
	"Jan 2 15:04:05 2006 -0700",
	"2-Jan-06 15:04:05 -0700",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2 Jan 2006 15:04:05",
}

// parseDate parses a Date value leniently. It returns the zero time and a
// warning when nothing fits.
func parseDate(v string, w *warnings) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	norm, zone := normalizeDate(v)
	t, err := mail.ParseDate(norm)
	if err != nil {
		for _, layout := range dateLayouts {
			if t, err = time.Parse(layout, norm); err == nil {
				break
			}
		}
	}
	if err != nil || t.Year() < 1900 || t.Year() > 9999 {
		w.add("invalid Date %s; treated as missing", quoteSnippet(v))
		return time.Time{}
	}
	if zone != "" {
		w.add("unknown time zone %q in Date; assumed +0000", zone)
	}
	return t
}

// normalizeDate removes comments and the weekday, translates German month
// names and replaces zone names by numeric offsets. A zone name that is
// not known becomes +0000 and is returned as unknownZone.
func normalizeDate(v string) (norm, unknownZone string) {
	v = stripComments(v)
	if i := strings.IndexByte(v, ','); i >= 0 && i <= 12 && !strings.ContainsAny(v[:i], "0123456789") {
		v = v[i+1:]
	}
	fields := strings.Fields(v)
	if len(fields) > 0 && isAlpha(fields[0]) && !isMonth(fields[0]) {
		fields = fields[1:] // weekday without a comma, as in asctime
	}
	for i, f := range fields {
		up := strings.ToUpper(strings.TrimSuffix(f, "."))
		if m, ok := germanMonths[up]; ok {
			fields[i] = m
			continue
		}
		if i > 0 && isAlpha(f) && !isMonth(f) {
			if off, ok := zoneOffsets[up]; ok {
				fields[i] = off
			} else {
				fields[i] = "+0000"
				unknownZone = f
			}
		}
	}
	return strings.Join(fields, " "), unknownZone
}

// stripComments removes parenthesised comments from a header value.
func stripComments(v string) string {
	if !strings.Contains(v, "(") {
		return v
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isAlpha(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func isMonth(s string) bool {
	if len(s) < 3 {
		return false
	}
	_, err := time.Parse("Jan", s[:1]+strings.ToLower(s[1:3]))
	return err == nil
}
