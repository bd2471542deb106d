package parse

import (
	"bytes"
	"strings"
)

// base64Value maps a byte to its value in the standard base64 alphabet, or
// -1 for bytes outside it.
var base64Value = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

// decodeBase64Lenient appends the decoded form of src to dst. It skips
// bytes outside the alphabet (line breaks, blanks, garbage), decodes a
// trailing partial quantum as far as it goes, and treats "=" as the end of
// a quantum, so that blocks encoded separately and concatenated still
// decode.
func decodeBase64Lenient(dst, src []byte) []byte {
	var acc uint32
	n := 0
	for _, c := range src {
		if c == '=' {
			dst = flushQuantum(dst, acc, n)
			acc, n = 0, 0
			continue
		}
		v := base64Value[c]
		if v < 0 {
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			dst = append(dst, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	return flushQuantum(dst, acc, n)
}

// flushQuantum appends the bytes held by n (fewer than four) sextets.
func flushQuantum(dst []byte, acc uint32, n int) []byte {
	switch n {
	case 2:
		dst = append(dst, byte(acc>>4))
	case 3:
		dst = append(dst, byte(acc>>10), byte(acc>>2))
	}
	return dst
}

// base64Size returns the length decodeBase64Lenient would produce, without
// decoding.
func base64Size(src []byte) int64 {
	var size int64
	n := 0
	for _, c := range src {
		if c == '=' {
			size += int64(n * 6 / 8)
			n = 0
			continue
		}
		if base64Value[c] < 0 {
			continue
		}
		n++
		if n == 4 {
			size += 3
			n = 0
		}
	}
	return size + int64(n*6/8)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// decodeQP decodes quoted-printable text (RFC 2045 section 6.7) and passes
// the output in pieces to emit. It is lenient: "=" without two hex digits
// is kept, lowercase hex is accepted, 8-bit bytes pass through, and blanks
// at the end of a line are removed as RFC 2045 requires. A hard line break keeps
// the input's line end style.
func decodeQP(src []byte, emit func([]byte)) {
	var decoded [1]byte
	for len(src) > 0 {
		var line []byte
		nl := bytes.IndexByte(src, '\n')
		eol := []byte(nil)
		if nl < 0 {
			line, src = src, nil
		} else {
			line, src = src[:nl], src[nl+1:]
			eol = []byte("\n")
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
				eol = []byte("\r\n")
			}
		}
		line = bytes.TrimRight(line, " \t")
		if len(line) > 0 && line[len(line)-1] == '=' {
			line = line[:len(line)-1]
			eol = nil // soft line break
		}

		for len(line) > 0 {
			i := bytes.IndexByte(line, '=')
			if i < 0 {
				emit(line)
				break
			}
			if i > 0 {
				emit(line[:i])
			}
			if i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2]) {
				decoded[0] = unhex(line[i+1])<<4 | unhex(line[i+2])
				emit(decoded[:])
				line = line[i+3:]
				continue
			}
			emit(line[i : i+1])
			line = line[i+1:]
		}
		if eol != nil {
			emit(eol)
		}
	}
}

// transferEncoding normalises a Content-Transfer-Encoding value.
func transferEncoding(v string) string {
	v = strings.ToLower(strings.Trim(v, " \t\"'"))
	switch v {
	case "7bit", "8bit", "binary", "7-bit", "8-bit":
		return ""
	}
	return v
}

// knownTransferEncoding reports whether cte is one of the RFC 2045 encodings.
func knownTransferEncoding(cte string) bool {
	switch transferEncoding(cte) {
	case "", "base64", "quoted-printable":
		return true
	}
	return false
}

// decodeTransfer undoes the Content-Transfer-Encoding cte of data. An
// unknown encoding leaves the data as it is and adds a warning.
func decodeTransfer(cte string, data []byte, location string, w *warnings) []byte {
	switch transferEncoding(cte) {
	case "":
		return data
	case "base64":
		return decodeBase64Lenient(make([]byte, 0, len(data)*3/4+3), data)
	case "quoted-printable":
		out := make([]byte, 0, len(data))
		decodeQP(data, func(b []byte) { out = append(out, b...) })
		return out
	}
	w.add("unknown Content-Transfer-Encoding %q in %s; treated as binary", cte, location)
	return data
}

// decodedSize returns the length of data after transfer decoding, without
// keeping the decoded bytes.
func decodedSize(cte string, data []byte) int64 {
	switch transferEncoding(cte) {
	case "base64":
		return base64Size(data)
	case "quoted-printable":
		var n int64
		decodeQP(data, func(b []byte) { n += int64(len(b)) })
		return n
	}
	return int64(len(data))
}
