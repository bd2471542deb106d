package parse

import "testing"

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs and breaks", "<p>Eins</p><p>Zwei<br>Drei</p>", "Eins\nZwei\nDrei"},
		{"empty paragraph makes a blank line", "<p>Eins</p><p>&nbsp;</p><p>Zwei</p>", "Eins\n\nZwei"},
		{"style, script, title and comments dropped",
			"<html><head><title>T</title><style>p{color:red}</style><script>alert(1)</script></head>" +
				"<body><!-- Kommentar <p>x</p> -->Text<![if !supportLists]>·<![endif]></body></html>", "Text·"},
		{"entities", "Stra&szlig;e &amp; B&uuml;ro &lt;3&gt; &#8364; &#x20AC; &euro;", "Straße & Büro <3> € € €"},
		{"table rows and cells", "<table><tr><td>Gerät</td><td>Raum</td></tr><tr><td>Drucker</td><td>2.14</td></tr></table>",
			"Gerät | Raum\nDrucker | 2.14"},
		{"empty cells have no separator", "<table><tr><td></td><td>Jan Böhm<br>IT</td></tr></table>", "Jan Böhm\nIT"},
		{"lists", "<ul><li>Maus</li><li>Tastatur</li></ul><ol><li>eins</li><li>zwei</li></ol>", "- Maus\n- Tastatur\n1. eins\n2. zwei"},
		{"blockquote", "Antwort<blockquote>Frage<br>zweite Zeile</blockquote>Ende", "Antwort\n> Frage\n> zweite Zeile\nEnde"},
		{"white space collapsed", "<p>  viele\n\n   Leerzeichen\t hier </p>", "viele Leerzeichen hier"},
		{"pre keeps white space", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"link target shown", `<a href="https://intranet.example.org/formular">Formular</a>`,
			"Formular <https://intranet.example.org/formular>"},
		{"link text is the target", `<a href="https://example.org/">https://example.org</a>`, "https://example.org"},
		{"mailto link not repeated", `<a href="mailto:it@example.org">IT</a>`, "IT"},
		{"office namespace tags", "<p class=MsoNormal>Hallo<o:p></o:p></p>", "Hallo"},
		{"headings", "<h1>Titel</h1>Text", "Titel\n\nText"},
		{"lone less-than", "a < b", "a < b"},
		{"unterminated tag", "Text <b", "Text"},
		{"unterminated style", "Text<style>p{}", "Text"},
		{"uppercase tags", "<P>Eins</P><BR><DIV>Zwei</DIV>", "Eins\n\nZwei"},
		{"href decoded, other attributes ignored", `<a data-href="x" HREF="https://example.org/?a=1&amp;b=2">Liste</a>`,
			"Liste <https://example.org/?a=1&b=2>"},
		{"script text with tags dropped", "Vor<script>if (a < b) { x = '</p>'; }</script>Nach", "VorNach"},
		{"self-closing svg keeps what follows", "<p>Logo<svg/>Text</p>", "LogoText"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, "text", htmlToText(tt.in), tt.want)
		})
	}
}
