// Package command parses the keyword commands people write to mailbot: a
// line of a reply's new text, or a word of its subject, that starts with
// "#" directly followed by a keyword, such as "#zuweisen anna@stadt.example"
// or "#erledigt Toner getauscht". Keywords match case- and
// umlaut-insensitively ("#Übernehmen", "#uebernehmen" and "#ubernehmen"
// are the same), through a Vocabulary that maps them to canonical command
// names. What a command does is up to the caller.
package command

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Command is one command found in a mail.
type Command struct {
	Name    string // canonical name; "" when the keyword is not in the vocabulary
	Keyword string // the keyword as written, without "#"
	Arg     string // the rest of the line (or of the subject), trimmed
	Line    int    // 1-based line of the text; 0 for a command in the subject
}

// Vocabulary maps folded keywords to canonical command names.
type Vocabulary map[string]string

// NewVocabulary builds a vocabulary from canonical names and the keywords
// for each. A keyword listed under two names belongs to the later one in
// the order of names.
func NewVocabulary(names []string, words map[string][]string) Vocabulary {
	v := Vocabulary{}
	for _, name := range names {
		for _, w := range words[name] {
			v[Fold(strings.TrimPrefix(w, "#"))] = name
		}
	}
	return v
}

// Lookup returns the canonical name of a keyword.
func (v Vocabulary) Lookup(keyword string) (string, bool) {
	name, ok := v[Fold(keyword)]
	return name, ok
}

// foldReplacer drops the diaeresis of NFD-decomposed umlauts and spells ß
// as ss. The two-letter forms (ae, oe, ue) are folded too, so every
// spelling meets in one key.
var foldReplacer = strings.NewReplacer(
	"ß", "ss", "\u0308", "",
	"ae", "a", "oe", "o", "ue", "u",
)

// Fold returns the form keywords are compared in: lower case, umlauts
// (precomposed or with a combining diaeresis) as plain vowels, ß as ss.
func Fold(s string) string {
	return foldReplacer.Replace(strings.ToLower(norm.NFD.String(s)))
}

// commandLine matches "#keyword rest". The keyword starts with a letter
// and may be followed by punctuation ("#erledigt."); "# Heading" and "#1"
// are not commands.
var commandLine = regexp.MustCompile(`^\s*#(\p{L}[\p{L}\p{M}\p{N}_-]*)[.,;:!]*(?:\s+(.*))?$`)

// Parse returns the commands of text in their order and the text without
// the command lines, which the caller keeps as a comment. Every line of
// the form "#keyword …" counts, including unknown keywords (Name ""), so
// that a typo can be answered instead of ignored.
func Parse(text string, v Vocabulary) ([]Command, string) {
	var cmds []Command
	var rest []string
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		// Text converted from HTML often has no-break spaces between words.
		m := commandLine.FindStringSubmatch(strings.ReplaceAll(line, "\u00a0", " "))
		if m == nil {
			rest = append(rest, line)
			continue
		}
		name, _ := v.Lookup(m[1])
		cmds = append(cmds, Command{Name: name, Keyword: m[1], Arg: strings.TrimSpace(m[2]), Line: i + 1})
	}
	return cmds, strings.Trim(strings.Join(rest, "\n"), "\n \t")
}

// spacedLine matches "# keyword rest", a command with a space after "#".
var spacedLine = regexp.MustCompile(`^\s*#\s+(\p{L}[\p{L}\p{M}\p{N}_-]*)[.,;:!]*(?:\s+(.*))?$`)

// ParseSpaced returns the lines of text that would be commands of the
// vocabulary but for white space between "#" and the keyword, such as
// "# notiz Text". They are not commands, because "# Heading" and "# 1."
// are common in mail text, but the caller can tell the sender why such a
// line did nothing. Unknown keywords are left out.
func ParseSpaced(text string, v Vocabulary) []Command {
	var out []Command
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		m := spacedLine.FindStringSubmatch(strings.ReplaceAll(line, "\u00a0", " "))
		if m == nil {
			continue
		}
		if name, ok := v.Lookup(m[1]); ok {
			out = append(out, Command{Name: name, Keyword: m[1], Arg: strings.TrimSpace(m[2]), Line: i + 1})
		}
	}
	return out
}

// ParseSubject returns the known commands among the words of a subject.
// A command's argument is the rest of the subject up to the next command.
// Unknown "#words" are left alone because subjects carry "#" for many
// other reasons, ticket tags among them.
func ParseSubject(subject string, v Vocabulary) []Command {
	var cmds []Command
	words := strings.Fields(subject)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "#") {
			continue
		}
		kw := strings.TrimRight(w[1:], ":,;.!?")
		name, ok := v.Lookup(kw)
		if !ok || !commandLine.MatchString(w) {
			continue
		}
		j := i + 1
		for j < len(words) && !isKnown(words[j], v) {
			j++
		}
		cmds = append(cmds, Command{Name: name, Keyword: kw, Arg: strings.Join(words[i+1:j], " ")})
		i = j - 1
	}
	return cmds
}

func isKnown(word string, v Vocabulary) bool {
	if !strings.HasPrefix(word, "#") {
		return false
	}
	_, ok := v.Lookup(strings.TrimRight(word[1:], ":,;.!?"))
	return ok
}
