package templates

import "strings"

// lineWidth is the width in characters that mail text is wrapped to.
const lineWidth = 72

// wrap fills text into lines of at most lineWidth characters, breaking at
// spaces; a word longer than a line stands alone. used is the width the
// first line already takes up in the template, such as the label in
// front of it. Line breaks in text are kept.
func wrap(used int, text string) string {
	var b strings.Builder
	col := used
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
			col = 0
		}
		for j, word := range strings.Fields(para) {
			n := len([]rune(word))
			switch {
			case j == 0:
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
