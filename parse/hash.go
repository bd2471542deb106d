package parse

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strings"
	"time"
)

// contentHash computes Message.ContentHash. Each field is written with its
// length in front so that no two field lists give the same input. The body
// is hashed without CR bytes and without trailing line ends, because copies
// of one mail in different mailboxes can differ in those.
func contentHash(m *Message, h header, body []byte) string {
	sum := sha256.New()
	writeField(sum, strings.ToLower(m.From.Addr))
	if m.Date.IsZero() {
		writeField(sum, strings.TrimSpace(h.get("Date")))
	} else {
		writeField(sum, m.Date.UTC().Format(time.RFC3339))
	}
	writeField(sum, m.Subject)
	writeField(sum, m.MessageID)

	body = bytes.TrimRight(body, "\r\n \t")
	for len(body) > 0 {
		i := bytes.IndexByte(body, '\r')
		if i < 0 {
			sum.Write(body)
			break
		}
		sum.Write(body[:i])
		body = body[i+1:]
	}
	return hex.EncodeToString(sum.Sum(nil))
}

func writeField(sum hash.Hash, s string) {
	var n [binary.MaxVarintLen64]byte
	sum.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
	sum.Write([]byte(s))
}
