package templates

import (
	"strings"
	"unicode/utf8"
)

// lineWidth is the width in characters that mail text is wrapped to.
const lineWidth = 72

// wrap fills text into lines of at most lineWidth characters, breaking at
// spaces; a word longer than a line stands alone. used is the width the
// first line already takes up in the template, such as the label in
// front of it. Line breaks in text are kept.
func wrap(used int, text string) string {
	var b strings.Builder
	b.Grow(len(text)) // the words and one separator each: never longer than text
	col := used
	firstPara := true
	for para := range strings.SplitSeq(text, "\n") {
		if !firstPara {
			b.WriteByte('\n')
			col = 0
		}
		firstPara = false
		firstWord := true
		for word := range strings.FieldsSeq(para) {
			n := utf8.RuneCountInString(word)
			switch {
			case firstWord:
				firstWord = false
			case col+1+n > lineWidth:
				b.WriteByte('\n')
				col = 0
			default:
				b.WriteByte(' ')
				col++
			}
			b.WriteString(word)
			col += n
		}
	}
	return b.String()
}
