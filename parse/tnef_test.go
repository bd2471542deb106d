package parse

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// tnefBuilder writes TNEF test data.
type tnefBuilder struct{ bytes.Buffer }

func newTNEF() *tnefBuilder {
	b := &tnefBuilder{}
	binary.Write(b, binary.LittleEndian, uint32(tnefSignature))
	binary.Write(b, binary.LittleEndian, uint16(0x0001))
	return b
}

// attr writes one attribute with its checksum.
func (b *tnefBuilder) attr(level byte, id uint32, data []byte) *tnefBuilder {
	b.WriteByte(level)
	binary.Write(b, binary.LittleEndian, id)
	binary.Write(b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	binary.Write(b, binary.LittleEndian, checksum(data))
	return b
}

// mapiProp is one property for props.
type mapiProp struct {
	typ, id uint16
	value   []byte
}

// props encodes a MAPI property list with one value per property.
func props(list ...mapiProp) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint32(len(list)))
	for _, p := range list {
		binary.Write(&b, binary.LittleEndian, p.typ)
		binary.Write(&b, binary.LittleEndian, p.id)
		switch p.typ {
		case ptString8, ptUnicode, ptBinary:
			binary.Write(&b, binary.LittleEndian, uint32(1))
			binary.Write(&b, binary.LittleEndian, uint32(len(p.value)))
		}
		b.Write(p.value)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	return b.Bytes()
}

func utf16z(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	b.Write([]byte{0, 0})
	return b.Bytes()
}

func long(v uint32) []byte {
	return binary.LittleEndian.AppendUint32(nil, v)
}

// tnefMail wraps winmail.dat bytes in a mail with an empty text part.
func tnefMail(dat []byte) []byte {
	return crlf("From: \"Schulz, Karin\" <k.schulz@example.org>\nSubject: Scanner\n" +
		"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=us-ascii\n\n\n" +
		"--b\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString(dat) + "\n--b--\n")
}

func TestTNEFMAPIProperties(t *testing.T) {
	dat := newTNEF().
		attr(1, 0x00069007, []byte{0xE4, 0x04, 0, 0, 0, 0, 0, 0}).
		attr(1, 0x00069003, props(
			mapiProp{typ: 0x0003, id: 0x0E07, value: long(1)}, // PR_MESSAGE_FLAGS, skipped
			mapiProp{typ: ptString8, id: prBody, value: []byte("Der Scanner im B\xfcro ist defekt.\r\nGr\xfc\xdfe\x00")},
			mapiProp{typ: ptBinary, id: prRTFCompressed, value: []byte{1, 2, 3}},
		)).
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("FEHLER~1.CSV\x00")).
		attr(2, 0x0006800F, []byte("Nr;Fehler\r\n1;E-213\r\n")).
		attr(2, 0x00069005, props(
			mapiProp{typ: ptUnicode, id: prAttachLongFilename, value: utf16z("Fehlerübersicht Dezember.csv")},
			mapiProp{typ: ptString8, id: prAttachMIMETag, value: []byte("text/csv\x00")},
		)).
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("Foto.jpg\x00")).
		attr(2, 0x0006800F, bytes.Repeat([]byte{0xFF}, 300))

	m := mustParse(t, tnefMail(dat.Bytes()))
	equal(t, "Text", m.Text, "Der Scanner im Büro ist defekt.\nGrüße")
	equal(t, "Attachments", m.Attachments, []Attachment{
		{Name: "Fehlerübersicht Dezember.csv", ContentType: "text/csv", Size: 20},
		{Name: "Foto.jpg", ContentType: "image/jpeg", Size: 300},
	})
	equal(t, "NeedsReview", m.NeedsReview, false)
	noWarnings(t, m)
}

func TestTNEFFailures(t *testing.T) {
	good := newTNEF().attr(1, 0x0002800C, []byte("Text\x00")).Bytes()
	truncated := newTNEF().attr(1, 0x0002800C, []byte("Text\x00")).Bytes()
	truncated = append(truncated, 0x02, 0x0F, 0x80, 0x06, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 'x')

	tests := []struct {
		name        string
		dat         []byte
		text        string
		attachments []Attachment
		warning     string
	}{
		{"bad signature", []byte("not a TNEF file at all"), "",
			[]Attachment{{Name: "winmail.dat", ContentType: "application/ms-tnef", Size: 22}},
			"winmail.dat could not be decoded (no TNEF signature)"},
		{"length beyond data", truncated, "Text",
			[]Attachment{{Name: "winmail.dat", ContentType: "application/ms-tnef", Size: int64(len(truncated))}},
			"winmail.dat decoded only in part"},
		{"empty", good[:6], "",
			[]Attachment{{Name: "winmail.dat", ContentType: "application/ms-tnef", Size: 6}},
			"holds no body and no files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tnefMail(tt.dat))
			equal(t, "Text", m.Text, tt.text)
			equal(t, "Attachments", m.Attachments, tt.attachments)
			equal(t, "NeedsReview", m.NeedsReview, true)
			hasWarning(t, m, tt.warning)
		})
	}
}

func TestTNEFRTFOnlyNeedsReview(t *testing.T) {
	dat := newTNEF().attr(1, 0x00069003, props(mapiProp{typ: ptBinary, id: prRTFCompressed, value: []byte{1, 2, 3, 4}})).
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("a.txt\x00")).
		attr(2, 0x0006800F, []byte("abc"))
	m := mustParse(t, tnefMail(dat.Bytes()))
	equal(t, "Attachments", m.Attachments, []Attachment{{Name: "a.txt", ContentType: "text/plain", Size: 3}})
	equal(t, "NeedsReview", m.NeedsReview, true)
	hasWarning(t, m, "compressed RTF, which is not decoded")
}

func TestTNEFBadChecksumWarns(t *testing.T) {
	dat := newTNEF().attr(1, 0x0002800C, []byte("Text\x00")).Bytes()
	dat[len(dat)-1] ^= 0xFF
	m := mustParse(t, tnefMail(dat))
	equal(t, "Text", m.Text, "Text")
	hasWarning(t, m, "1 attributes in winmail.dat have a wrong checksum")
}

// TestTNEFEveryPrefix cuts the winmail.dat of case 005 at every length and
// at every byte flipped; decoding must neither panic nor read past the data.
func TestTNEFEveryPrefix(t *testing.T) {
	raw := string(readCase(t, "005-winmail-dat-tnef.eml"))
	start := strings.Index(raw, "eJ8+")
	end := strings.Index(raw[start:], "\r\n\r\n")
	dat, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(raw[start:start+end], "\r\n", ""))
	if err != nil {
		t.Fatalf("decoding case 005 base64: %v", err)
	}
	c, err := decodeTNEF(dat)
	if err != nil || c.BadChecksum != 0 {
		t.Fatalf("case 005: err %v, bad checksums %d", err, c.BadChecksum)
	}
	for n := range len(dat) {
		decodeTNEF(dat[:n])
		flipped := append([]byte(nil), dat...)
		flipped[n] ^= 0xA5
		decodeTNEF(flipped)
	}
}
