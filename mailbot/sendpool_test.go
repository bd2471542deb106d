package mailbot

import (
	"testing"

	"github.com/wneessen/go-mail"
)

func TestSplitPartsKeepsOrder(t *testing.T) {
	msgs := make([]*mail.Msg, 7)
	for i := range msgs {
		msgs[i] = mail.NewMsg()
	}
	for _, tt := range []struct {
		n, parts int
	}{{4, 4}, {1, 1}, {10, 7}} {
		parts := splitParts(msgs, tt.n)
		if len(parts) != tt.parts {
			t.Errorf("splitParts(7 mails, %d) made %d parts, want %d", tt.n, len(parts), tt.parts)
		}
		var joined []*mail.Msg
		for _, p := range parts {
			if len(p) == 0 {
				t.Errorf("splitParts(7 mails, %d) made an empty part", tt.n)
			}
			joined = append(joined, p...)
		}
		for i := range msgs {
			if i >= len(joined) || joined[i] != msgs[i] {
				t.Fatalf("splitParts(7 mails, %d) lost or reordered mail %d", tt.n, i)
			}
		}
	}
	if parts := splitParts[*mail.Msg](nil, 4); len(parts) != 0 {
		t.Errorf("splitParts(no mails) made %d parts", len(parts))
	}
}
