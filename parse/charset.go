package parse

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// cp1252High maps the bytes 0x80 to 0x9F of windows-1252 to Unicode. The
// five bytes that windows-1252 leaves undefined map to the C1 control of the
// same value, as in the WHATWG Encoding Standard. The x/text charmap decoder
// turns them into U+FFFD instead, so this package decodes windows-1252 itself.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// cp1252Rune decodes one windows-1252 byte.
func cp1252Rune(b byte) rune {
	if b >= 0x80 && b <= 0x9F {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

// decodeWindows1252 converts windows-1252 bytes to UTF-8.
func decodeWindows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
			continue
		}
		sb.WriteRune(cp1252Rune(c))
	}
	return sb.String()
}

// decodeUTF8Lenient keeps valid UTF-8 sequences and decodes every other byte
// as windows-1252. It reports whether any byte was not valid UTF-8.
func decodeUTF8Lenient(b []byte) (string, bool) {
	if utf8.Valid(b) {
		return string(b), false
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			sb.WriteRune(cp1252Rune(b[0]))
			b = b[1:]
			continue
		}
		sb.Write(b[:size])
		b = b[size:]
	}
	return sb.String(), true
}

// isASCII reports whether b holds only 7-bit bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeCharset lowercases a charset label and strips quotes, blanks and
// an RFC 2231 language suffix ("utf-8*de").
func normalizeCharset(label string) string {
	label = strings.ToLower(strings.Trim(label, " \t\"'"))
	if i := strings.IndexByte(label, '*'); i >= 0 {
		label = label[:i]
	}
	return label
}

// lookupCharset returns the encoding for a normalised label and its
// canonical name. Labels are resolved by the WHATWG table first, as browsers
// do, so iso-8859-1, latin1 and us-ascii all become windows-1252. IANA names
// that WHATWG lacks (cp850, ibm437 …) come second. An unknown label gives a
// nil encoding and an empty name.
func lookupCharset(label string) (encoding.Encoding, string) {
	switch label {
	case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8":
		return nil, "utf-8"
	case "":
		return nil, ""
	case "utf-16", "utf16":
		// A byte-order mark decides (RFC 2781). Without one, little
		// endian, as WHATWG and the Windows programs that send it assume.
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16"
	}
	if enc, err := htmlindex.Get(label); err == nil {
		name, _ := htmlindex.Name(enc)
		if name == "replacement" {
			// WHATWG maps some legacy labels to an encoding that outputs
			// a single U+FFFD; falling back loses less text.
			return nil, ""
		}
		return enc, name
	}
	for _, index := range []*ianaindex.Index{ianaindex.MIME, ianaindex.IANA} {
		enc, err := index.Encoding(label)
		if err == nil && enc != nil {
			name, _ := index.Name(enc)
			return enc, strings.ToLower(name)
		}
	}
	return nil, ""
}

// decodeCharset converts b from the charset named by label to valid UTF-8.
// It never fails: a missing label with invalid UTF-8, an unknown label and
// invalid bytes all fall back to windows-1252 for the bytes concerned, with
// a warning naming location (for example "Subject header" or "text/plain part").
func decodeCharset(label string, b []byte, location string, w *warnings) string {
	label = normalizeCharset(label)
	if label == "" {
		s, bad := decodeUTF8Lenient(b)
		if bad {
			w.add("%s has no charset and is not valid UTF-8; decoded as windows-1252", location)
		}
		return s
	}

	enc, name := lookupCharset(label)
	switch {
	case name == "utf-8":
		s, bad := decodeUTF8Lenient(b)
		if bad {
			w.add("%s is labelled %s but is not valid UTF-8; invalid bytes decoded as windows-1252", location, label)
		}
		return s
	case name == "windows-1252":
		if isASCII(b) {
			return string(b)
		}
		if isUSASCII(label) && utf8.Valid(b) {
			// 8-bit bytes cannot be US-ASCII, and valid UTF-8 is far more
			// likely than windows-1252 text that happens to look like it.
			w.add("%s is labelled %s but holds UTF-8; decoded as UTF-8", location, label)
			return string(b)
		}
		return decodeWindows1252(b)
	case enc == nil:
		s, _ := decodeUTF8Lenient(b)
		w.add("unknown charset %q in %s; decoded as UTF-8 with windows-1252 fallback", label, location)
		return s
	}

	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		s, _ := decodeUTF8Lenient(b)
		w.add("decoding %s as %s failed (%v); decoded as windows-1252", location, label, err)
		return s
	}
	s, _ := decodeUTF8Lenient(out)
	return s
}

// isUSASCII reports whether label is one of the usual US-ASCII labels.
func isUSASCII(label string) bool {
	switch label {
	case "us-ascii", "ascii", "ansi_x3.4-1968", "us", "iso646-us", "csascii":
		return true
	}
	return false
}

// codepageCharset returns the charset label for a Windows code page number,
// as TNEF stores it.
func codepageCharset(cp uint32) string {
	switch cp {
	case 65001:
		return "utf-8"
	case 20127:
		return "us-ascii"
	case 28591:
		return "iso-8859-1"
	case 28605:
		return "iso-8859-15"
	case 932:
		return "shift_jis"
	case 936:
		return "gbk"
	case 949:
		return "euc-kr"
	case 950:
		return "big5"
	case 437, 850, 852, 855, 857, 860, 862, 863, 865, 866:
		return "ibm" + strconv.FormatUint(uint64(cp), 10)
	}
	return "windows-" + strconv.FormatUint(uint64(cp), 10)
}
