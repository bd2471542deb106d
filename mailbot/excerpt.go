package mailbot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxNoticeText caps the mail text quoted in a notice to IT. The ticket
// history keeps more (store.MaxEventText), and the original mail stays in
// the robot's mailbox.
const maxNoticeText = 8 << 10

// noticeExcerpt returns text cut to maxNoticeText bytes, at a line end
// where one is near, with a German note that it was shortened.
func noticeExcerpt(text string) string {
	if len(text) <= maxNoticeText {
		return text
	}
	cut := maxNoticeText
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(text[:cut], '\n'); i > maxNoticeText/2 {
		cut = i
	}
	return fmt.Sprintf("%s\n\n[… gekürzt: Die Mail enthält %d KB Text, hier stehen nur die ersten %d KB. "+
		"Die vollständige Mail liegt im Postfach des Ticketsystems.]", strings.TrimRight(text[:cut], " \t\n"), (len(text)+1023)/1024, maxNoticeText/1024)
}
