package parse

import (
	"strings"
	"testing"
)

func TestContentHashIgnoresDeliveryFields(t *testing.T) {
	raw := string(readCase(t, "001-rfc2047-split-vorklaerung.eml"))
	second := "Delivered-To: digitalisierung@example.org\r\n" +
		strings.Replace(raw, "Return-Path: <j.feld@example.org>", "Return-Path: <J.Feld@example.org>", 1)
	second = strings.Replace(second, "for <it-service@example.org>", "for <digitalisierung@example.org>", 1)
	second = strings.Replace(second, "id 4R1a2b3C4dz1", "id 9Z9z9Z9z9z", 1)
	a := mustParse(t, []byte(raw))
	b := mustParse(t, []byte(second))
	equal(t, "hash", b.ContentHash, a.ContentHash)

	// The same mail stored with LF line ends and a trailing newline more.
	c := mustParse(t, []byte(strings.ReplaceAll(second, "\r\n", "\n")+"\n"))
	equal(t, "hash with LF line ends", c.ContentHash, a.ContentHash)
	equal(t, "hash length", len(a.ContentHash), 64)
}

func TestContentHashDiffers(t *testing.T) {
	raw := string(readCase(t, "001-rfc2047-split-vorklaerung.eml"))
	base := mustParse(t, []byte(raw)).ContentHash
	changes := map[string][2]string{
		"body":    {"Durchwahl -4711", "Durchwahl -4712"},
		"subject": {"U8O8ZA==", "Tm9yZA=="},
		"date":    {"Date: Thu, 03 Dec 2026 08:41:17", "Date: Thu, 03 Dec 2026 08:41:18"},
		"from":    {"From: \"Feld, Jonas\" <j.feld@example.org>", "From: \"Feld, Jonas\" <j.feld2@example.org>"},
	}
	for name, c := range changes {
		changed := strings.Replace(raw, c[0], c[1], 1)
		if changed == raw {
			t.Fatalf("%s: replacement did not apply", name)
		}
		if mustParse(t, []byte(changed)).ContentHash == base {
			t.Errorf("%s changed but ContentHash stayed the same", name)
		}
	}
}
