package parse

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// TNEF (Transport Neutral Encapsulation Format, [MS-OXTNEF]) is how Outlook
// packs a mail body and its attachments into one winmail.dat attachment.
// This reader takes only what the robot needs: the plain text body, an
// HTML body, and each attachment's name, type and size. It checks every
// length against the bytes present before using it.

const tnefSignature = 0x223E9F78

// TNEF attribute ids. The full id carries the attribute type in its high
// word, for example 0x0002800C (atpText) for attBody. Only the low word is
// compared, because it alone names the attribute.
const (
	attBody           = 0x800C
	attAttachTitle    = 0x8010
	attAttachData     = 0x800F
	attAttachRendData = 0x9002
	attMAPIProps      = 0x9003
	attAttachment     = 0x9005
	attOemCodepage    = 0x9007
)

// MAPI property ids and types used here.
const (
	prBody               = 0x1000
	prRTFCompressed      = 0x1009
	prBodyHTML           = 0x1013
	prDisplayName        = 0x3001
	prAttachDataBin      = 0x3701
	prAttachFilename     = 0x3704
	prAttachLongFilename = 0x3707
	prAttachMIMETag      = 0x370E

	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
	ptObject  = 0x000D
	mvFlag    = 0x1000
)

// maxTNEFValues bounds the values of one multi-valued MAPI property.
const maxTNEFValues = 1 << 16

var (
	errTNEFSignature = errors.New("no TNEF signature")
	errTNEFTruncated = errors.New("TNEF data truncated")
)

// tnefContent is the body and file list read from a winmail.dat.
type tnefContent struct {
	Body        string // plain text body, UTF-8
	HTML        string // HTML body, UTF-8
	RTFOnly     bool   // the body exists only as compressed RTF, which is not decoded
	Attachments []Attachment
	BadChecksum int // attributes whose checksum did not match
}

// decodeTNEF reads a winmail.dat. On an error the returned content holds
// what was read before it.
func decodeTNEF(data []byte) (*tnefContent, error) {
	c := &tnefContent{}
	if len(data) < 6 || binary.LittleEndian.Uint32(data) != tnefSignature {
		return c, errTNEFSignature
	}
	r := tnefReader{c: c, charset: "windows-1252"}
	pos := 6 // signature and legacy key
	for pos < len(data) {
		if len(data)-pos < 9 {
			return c, fmt.Errorf("reading attribute at offset %d: %w", pos, errTNEFTruncated)
		}
		id := binary.LittleEndian.Uint32(data[pos+1:])
		size := binary.LittleEndian.Uint32(data[pos+5:])
		start := pos + 9
		if uint64(size)+2 > uint64(len(data)-start) {
			return c, fmt.Errorf("reading attribute 0x%08X of %d bytes at offset %d: %w", id, size, pos, errTNEFTruncated)
		}
		value := data[start : start+int(size)]
		sum := binary.LittleEndian.Uint16(data[start+int(size):])
		if checksum(value) != sum {
			c.BadChecksum++
		}
		if err := r.attribute(id, value); err != nil {
			return c, fmt.Errorf("reading attribute 0x%08X at offset %d: %w", id, pos, err)
		}
		pos = start + int(size) + 2
	}
	r.finishAttachment()
	return c, nil
}

// checksum is the TNEF attribute checksum: the sum of the bytes mod 65536.
func checksum(b []byte) uint16 {
	var s uint16
	for _, c := range b {
		s += uint16(c)
	}
	return s
}

// tnefReader holds the state between attributes.
type tnefReader struct {
	c       *tnefContent
	charset string      // from attOemCodepage, for 8-bit strings
	cur     *Attachment // attachment being read
}

func (r *tnefReader) attribute(id uint32, v []byte) error {
	switch id & 0xFFFF {
	case attOemCodepage:
		if len(v) >= 4 {
			r.charset = codepageCharset(binary.LittleEndian.Uint32(v))
		}
	case attBody:
		r.c.Body = r.string8(v)
	case attMAPIProps:
		return r.mapiProps(v, false)
	case attAttachRendData:
		r.finishAttachment()
		r.cur = &Attachment{}
	case attAttachTitle:
		r.attachment().Name = r.string8(v)
	case attAttachData:
		r.attachment().Size = int64(len(v))
	case attAttachment:
		r.attachment()
		return r.mapiProps(v, true)
	}
	return nil
}

// attachment returns the attachment being read, starting one if an
// attachment attribute comes before attAttachRendData.
func (r *tnefReader) attachment() *Attachment {
	if r.cur == nil {
		r.cur = &Attachment{}
	}
	return r.cur
}

// finishAttachment stores the attachment being read.
func (r *tnefReader) finishAttachment() {
	if r.cur == nil {
		return
	}
	a := *r.cur
	r.cur = nil
	if a.Name == "" && a.Size == 0 {
		return
	}
	if a.ContentType == "" {
		a.ContentType = typeByExtension(a.Name)
	}
	r.c.Attachments = append(r.c.Attachments, a)
}

// string8 decodes a NUL-terminated 8-bit string in the OEM code page.
func (r *tnefReader) string8(v []byte) string {
	if i := indexNUL(v); i >= 0 {
		v = v[:i]
	}
	return decodeCharset(r.charset, v, "winmail.dat", &warnings{})
}

func indexNUL(v []byte) int {
	for i, c := range v {
		if c == 0 {
			return i
		}
	}
	return -1
}

// unicodeString decodes a NUL-terminated UTF-16LE string.
func unicodeString(v []byte) string {
	u := make([]uint16, 0, len(v)/2)
	for i := 0; i+1 < len(v); i += 2 {
		c := binary.LittleEndian.Uint16(v[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// mapiProps reads a MAPI property list ([MS-OXTNEF] section 2.1.3.5).
func (r *tnefReader) mapiProps(v []byte, forAttachment bool) error {
	p := &byteReader{b: v}
	count, ok := p.u32()
	if !ok {
		return errTNEFTruncated
	}
	for i := uint32(0); i < count; i++ {
		typ, ok1 := p.u16()
		id, ok2 := p.u16()
		if !ok1 || !ok2 {
			return errTNEFTruncated
		}
		if id >= 0x8000 && !p.skipName() {
			return errTNEFTruncated
		}
		values, err := p.values(typ)
		if err != nil {
			return fmt.Errorf("property 0x%04X type 0x%04X: %w", id, typ, err)
		}
		if len(values) > 0 {
			r.property(id, typ&^mvFlag, values[0], forAttachment)
		}
	}
	return nil
}

// property stores one MAPI property value that the robot uses.
func (r *tnefReader) property(id, typ uint16, v []byte, forAttachment bool) {
	str := func() string {
		switch typ {
		case ptUnicode:
			return unicodeString(v)
		case ptString8, ptBinary:
			return r.string8(v)
		}
		return ""
	}
	if !forAttachment {
		switch id {
		case prBody:
			if r.c.Body == "" {
				r.c.Body = str()
			}
		case prBodyHTML:
			if r.c.HTML == "" {
				r.c.HTML = str()
			}
		case prRTFCompressed:
			r.c.RTFOnly = true
		}
		return
	}

	a := r.attachment()
	switch id {
	case prAttachLongFilename:
		if s := str(); s != "" {
			a.Name = s
		}
	case prAttachFilename, prDisplayName:
		if a.Name == "" {
			a.Name = str()
		}
	case prAttachMIMETag:
		a.ContentType = strings.ToLower(strings.TrimSpace(str()))
	case prAttachDataBin:
		if a.Size == 0 {
			a.Size = int64(len(v))
			if typ == ptObject && len(v) >= 16 {
				a.Size -= 16 // the value starts with an interface id
			}
		}
	}
}

// byteReader reads little-endian values with bounds checks.
type byteReader struct {
	b   []byte
	pos int
}

func (p *byteReader) u16() (uint16, bool) {
	if len(p.b)-p.pos < 2 {
		return 0, false
	}
	v := binary.LittleEndian.Uint16(p.b[p.pos:])
	p.pos += 2
	return v, true
}

func (p *byteReader) u32() (uint32, bool) {
	if len(p.b)-p.pos < 4 {
		return 0, false
	}
	v := binary.LittleEndian.Uint32(p.b[p.pos:])
	p.pos += 4
	return v, true
}

// take returns the next n bytes and skips the padding to a multiple of 4.
func (p *byteReader) take(n uint32) ([]byte, bool) {
	padded := (uint64(n) + 3) &^ 3
	if uint64(len(p.b)-p.pos) < uint64(n) {
		return nil, false
	}
	v := p.b[p.pos : p.pos+int(n)]
	if uint64(len(p.b)-p.pos) < padded {
		p.pos = len(p.b)
	} else {
		p.pos += int(padded)
	}
	return v, true
}

// skipName skips the GUID and name of a named property.
func (p *byteReader) skipName() bool {
	if _, ok := p.take(16); !ok {
		return false
	}
	kind, ok := p.u32()
	if !ok {
		return false
	}
	if kind == 0 {
		_, ok = p.u32()
		return ok
	}
	n, ok := p.u32()
	if !ok {
		return false
	}
	_, ok = p.take(n)
	return ok
}

// fixedSize returns the size of a fixed-length MAPI type, or 0 if typ is
// not one.
func fixedSize(typ uint16) uint32 {
	switch typ {
	case 0x0002, 0x0003, 0x0004, 0x000A, 0x000B, 0x0001:
		return 4 // short, long, float, error, boolean and null, padded to 4
	case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040:
		return 8 // double, currency, application time, int64, system time
	case 0x0048:
		return 16 // class id
	}
	return 0
}

// values reads the values of one property.
func (p *byteReader) values(typ uint16) ([][]byte, error) {
	base := typ &^ mvFlag
	multi := typ&mvFlag != 0
	variable := base == ptString8 || base == ptUnicode || base == ptBinary || base == ptObject
	size := fixedSize(base)
	if !variable && size == 0 {
		return nil, fmt.Errorf("unknown property type 0x%04X", typ)
	}

	n := uint32(1)
	if multi || variable {
		var ok bool
		if n, ok = p.u32(); !ok {
			return nil, errTNEFTruncated
		}
		if n > maxTNEFValues || uint64(n)*4 > uint64(len(p.b)-p.pos) {
			return nil, fmt.Errorf("%d values: %w", n, errTNEFTruncated)
		}
	}
	values := make([][]byte, 0, min(n, 16))
	for i := uint32(0); i < n; i++ {
		length := size
		if variable {
			var ok bool
			if length, ok = p.u32(); !ok {
				return nil, errTNEFTruncated
			}
		}
		v, ok := p.take(length)
		if !ok {
			return nil, errTNEFTruncated
		}
		if len(values) < 16 {
			values = append(values, v)
		}
	}
	return values, nil
}

// typeByExtension returns the media type for the extension of name. The
// table is fixed, so results do not depend on the mime.types files of the
// machine; unknown extensions give application/octet-stream.
func typeByExtension(name string) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		ext = strings.ToLower(name[i+1:])
	}
	if t, ok := extensionTypes[ext]; ok {
		return t
	}
	return "application/octet-stream"
}

var extensionTypes = map[string]string{
	"txt": "text/plain", "log": "text/plain", "csv": "text/csv",
	"htm": "text/html", "html": "text/html", "xml": "application/xml",
	"rtf": "application/rtf", "pdf": "application/pdf",
	"doc": "application/msword", "xls": "application/vnd.ms-excel",
	"ppt":  "application/vnd.ms-powerpoint",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt":  "application/vnd.oasis.opendocument.text",
	"ods":  "application/vnd.oasis.opendocument.spreadsheet",
	"jpg":  "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
	"gif": "image/gif", "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
	"zip": "application/zip", "eml": "message/rfc822",
	"msg": "application/vnd.ms-outlook", "ics": "text/calendar", "vcf": "text/vcard",
}
