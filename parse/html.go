package parse

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// skipContent lists the elements whose content is not text for the reader.
var skipContent = map[string]bool{
	"style": true, "script": true, "noscript": true, "template": true,
	"title": true, "xml": true, "svg": true, "object": true,
}

// blockElements start and end on a line of their own.
var blockElements = map[string]bool{
	"p": true, "div": true, "table": true, "tr": true, "ul": true, "ol": true,
	"dl": true, "dt": true, "dd": true, "address": true, "section": true,
	"article": true, "header": true, "footer": true, "nav": true, "aside": true,
	"form": true, "fieldset": true, "center": true, "main": true, "figure": true,
	"figcaption": true, "details": true, "summary": true, "caption": true,
	"body": true, "html": true, "pre": true, "blockquote": true,
}

// htmlWriter builds plain text from the pieces of an HTML document.
type htmlWriter struct {
	out      strings.Builder
	pending  int // line ends requested but not yet written
	quote    int // blockquote depth
	pre      int // depth of <pre>
	cellSep  bool
	rowText  bool
	lists    []int // one counter per open list; -1 for <ul>
	linkHref string
	linkAt   int // output length where the link text starts
}

// atLineStart reports whether the next text starts a new line.
func (hw *htmlWriter) atLineStart() bool {
	s := hw.out.String()
	return hw.pending > 0 || s == "" || s[len(s)-1] == '\n'
}

// lineBreak makes the next text start on a new line.
func (hw *htmlWriter) lineBreak() {
	if !hw.atLineStart() {
		hw.pending = 1
	}
}

// paragraph puts a blank line before the next text.
func (hw *htmlWriter) paragraph() {
	if hw.out.Len() > 0 {
		hw.pending = 2
	}
}

// text writes a piece of decoded text.
func (hw *htmlWriter) text(s string) {
	if hw.pre == 0 {
		s = collapseSpace(s)
		if hw.atLineStart() {
			s = strings.TrimLeft(s, " ")
		} else if strings.HasPrefix(s, " ") && strings.HasSuffix(hw.out.String(), " ") {
			s = s[1:]
		}
	}
	if s == "" {
		return
	}
	if hw.pending > 0 {
		n := min(hw.pending, 2)
		if hw.out.Len() == 0 {
			n = 0
		}
		hw.out.WriteString(strings.Repeat("\n", n))
		hw.pending = 0
	}
	if hw.cellSep {
		hw.out.WriteString(" | ")
		hw.cellSep = false
	}
	hw.rowText = true
	if hw.quote > 0 && hw.atLineStart() {
		hw.out.WriteString(strings.Repeat("> ", hw.quote))
	}
	if hw.quote > 0 && strings.Contains(s, "\n") {
		s = strings.ReplaceAll(s, "\n", "\n"+strings.Repeat("> ", hw.quote))
	}
	hw.out.WriteString(s)
}

// collapseSpace replaces each run of HTML white space by one space. A
// no-break space is kept, so that "<p>&nbsp;</p>" still makes a line.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// tag handles one start or end tag; href is the tag's href attribute.
func (hw *htmlWriter) tag(name string, end bool, href string) {
	switch {
	case name == "br":
		hw.pending++
		if hw.out.Len() == 0 {
			hw.pending = 0
		}
		return
	case name == "hr":
		hw.lineBreak()
		hw.text("---")
		hw.lineBreak()
		return
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		hw.paragraph()
		return
	case name == "td" || name == "th":
		if !end {
			hw.cellSep = hw.rowText
		}
		return
	case name == "li":
		hw.lineBreak()
		if !end {
			hw.listItem()
		}
		return
	case name == "a":
		hw.link(end, href)
		return
	}
	if !blockElements[name] {
		return
	}
	hw.lineBreak()
	switch name {
	case "tr":
		hw.rowText, hw.cellSep = false, false
	case "pre":
		hw.pre = adjust(hw.pre, end)
	case "blockquote":
		hw.quote = adjust(hw.quote, end)
	case "ul", "ol":
		if end {
			if len(hw.lists) > 0 {
				hw.lists = hw.lists[:len(hw.lists)-1]
			}
		} else if name == "ul" {
			hw.lists = append(hw.lists, -1)
		} else {
			hw.lists = append(hw.lists, 0)
		}
	}
}

// adjust counts an element depth up on a start tag and down on an end tag.
func adjust(depth int, end bool) int {
	if end {
		return max(depth-1, 0)
	}
	return depth + 1
}

// listItem writes the bullet or number of a list item.
func (hw *htmlWriter) listItem() {
	indent := ""
	if n := len(hw.lists); n > 1 {
		indent = strings.Repeat("  ", n-1)
	}
	if len(hw.lists) == 0 || hw.lists[len(hw.lists)-1] < 0 {
		hw.text(indent + "- ")
		return
	}
	hw.lists[len(hw.lists)-1]++
	hw.text(indent + strconv.Itoa(hw.lists[len(hw.lists)-1]) + ". ")
}

// link remembers an http(s) link target and writes it after the link text
// when the text does not show it already.
func (hw *htmlWriter) link(end bool, href string) {
	if !end {
		hw.linkHref = href
		hw.linkAt = hw.out.Len()
		return
	}
	href = hw.linkHref
	hw.linkHref = ""
	if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
		return
	}
	shown := hw.out.String()
	if hw.linkAt <= len(shown) && strings.Contains(shown[hw.linkAt:], strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(href, "https://"), "http://"), "/")) {
		return
	}
	hw.text(" <" + href + ">")
}

// htmlToText converts an HTML document to readable plain text with "\n"
// line ends. Block elements, <br> and table rows start new lines, table
// cells are separated by " | ", list items get bullets, blockquotes get
// "> " prefixes, style and script content is dropped and entities are
// decoded. It reads the tokens of golang.org/x/net/html instead of
// building a tree, so it copes with any tag soup in linear time.
func htmlToText(s string) string {
	hw := &htmlWriter{}
	z := html.NewTokenizer(strings.NewReader(s))
	skip := "" // element whose content is being dropped
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyLines(hw.out.String())
		case html.TextToken:
			if skip == "" {
				hw.text(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			raw, hasAttr := z.TagName()
			name := string(raw)
			if i := strings.IndexByte(name, ':'); i >= 0 {
				name = name[i+1:] // Office namespaces such as <o:p>
			}
			end := tt == html.EndTagToken
			if skip != "" {
				if end && name == skip {
					skip = ""
				}
				continue
			}
			if skipContent[name] {
				if tt == html.StartTagToken {
					skip = name
				}
				continue
			}
			href := ""
			for hasAttr && name == "a" && !end {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					href = string(v)
					break
				}
			}
			hw.tag(name, end, href)
		}
	}
}

// tidyLines turns no-break spaces into spaces, trims the end of every
// line, keeps at most one blank line in a row and removes blank lines at
// both ends.
func tidyLines(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" && len(kept) > 0 && kept[len(kept)-1] == "" {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Trim(strings.Join(kept, "\n"), "\n")
}
