package parse

import (
	"bytes"
	"encoding/base64"
	"runtime"
	"strings"
	"testing"
)

// bigMail builds a mail of about size bytes: a short text part, a base64
// attachment filling most of it, and a large text/html part.
func bigMail(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: \"Lang, Petra\" <p.lang@example.org>\r\nSubject: Scans\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Anbei die Scans.\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
	para := "<p>" + strings.Repeat("Zeile für Zeile ", 20) + "</p>\r\n"
	for b.Len() < size/4 {
		b.WriteString(para)
	}
	b.WriteString("--b\r\nContent-Type: application/pdf; name=scans.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	chunk := make([]byte, 57*1000)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	line := base64.StdEncoding.EncodeToString(chunk[:57])
	for b.Len() < size {
		b.WriteString(line)
		b.WriteString("\r\n")
	}
	b.WriteString("--b--\r\n")
	return b.Bytes()
}

func TestHugeMailBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 30 MB mail")
	}
	raw := bigMail(30 << 20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := mustParse(t, raw)
	runtime.ReadMemStats(&after)

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("mail %d bytes, allocated %d bytes during Parse", len(raw), allocated)
	// The HTML part is a quarter of the mail; it is decoded, cut and
	// converted. The attachment is only counted, not decoded. 15.8 MB were
	// allocated for 31.5 MB on go1.26.8/amd64.
	if limit := uint64(len(raw)); allocated > limit {
		t.Errorf("Parse allocated %d bytes for a %d byte mail, want at most %d", allocated, len(raw), limit)
	}
	equal(t, "Text", m.Text, "Anbei die Scans.")
	if len(m.Attachments) != 1 || m.Attachments[0].Size < 16<<20 {
		t.Errorf("Attachments: %+v", m.Attachments)
	}
	if len(m.HTML) > MaxHTMLBytes {
		t.Errorf("HTML is %d bytes, over MaxHTMLBytes", len(m.HTML))
	}
	hasWarning(t, m, "HTML cut to 4194304 bytes")
}

func BenchmarkParseCase002(b *testing.B) {
	raw, err := readCaseBytes("002-latin1-label-cp1252-bytes.eml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
