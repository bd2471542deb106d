// Package templates renders the German mails mailbot sends. The templates
// are text/template files embedded in the binary; a directory given in the
// configuration may override any of them by file name.
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
)

//go:embed mail/*.tmpl
var embedded embed.FS

// Names of the templates mailbot uses.
const (
	Ack    = "ack.txt.tmpl"    // acknowledgement to the requester of a new ticket
	Notify = "notify.txt.tmpl" // notice of a new ticket to the IT role

	Status   = "status.txt.tmpl"   // change of a ticket, to its requester
	Confirm  = "confirm.txt.tmpl"  // outcome of the commands of a mail, to its sender
	Outcome  = "outcome.txt.tmpl"  // routing outcome of a mini-project
	FollowUp = "followup.txt.tmpl" // follow-up on a ticket, to the assignee or IT
	List     = "list.txt.tmpl"     // open tickets of a sender, in reply to "Status"
	Help     = "help.txt.tmpl"     // guide to mailbot, in reply to a new mail "#hilfe"

	// AckAnnouncement acknowledges a mini-project announcement to the orga
	// contact and the digitalisation address and lists what is missing.
	AckAnnouncement = "ack_announcement.txt.tmpl"
	// AckNeedsAnnouncement is the reply to a c-type request from someone
	// who is not the orga contact, because such requests go through an
	// announcement.
	AckNeedsAnnouncement = "ack_needs_announcement.txt.tmpl"
	// NotifyOrga is the notice of such a request to the orga contact.
	NotifyOrga = "notify_orga.txt.tmpl"
	// OrgaVoid is the notice to the orga contact that IT changed such a
	// request's type away from c, so no announcement is needed any more.
	OrgaVoid = "orga_void.txt.tmpl"
)

// All lists every template a Set must have.
var All = []string{Ack, Notify, Quarantine, Status, Confirm, Outcome, FollowUp, List, Help, AckAnnouncement, AckNeedsAnnouncement, NotifyOrga, OrgaVoid,
	Agenda, AgendaHTML, AgendaMail, AgendaReply, Escalation, EscalationStatus, Decision, Reminder, Budget, CommandReply,
	QuarantineSummary, JourFixeReplies, Bounce, TaskErrors, TaskNote, NotifyDigest}

// Set is a parsed collection of templates.
type Set struct {
	tmpl map[string]*template.Template
	html map[string]*htmltemplate.Template // templates named *.html.tmpl
}

// Load parses the embedded templates, each replaced by a file of the same
// name in dir when dir is not empty and holds one.
func Load(dir string) (*Set, error) {
	s := &Set{tmpl: map[string]*template.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, name := range All {
		src, origin, err := source(dir, name)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(name, ".html.tmpl") {
			t, err := htmltemplate.New(name).Option("missingkey=error").Funcs(htmltemplate.FuncMap(funcs)).Parse(src)
			if err != nil {
				return nil, fmt.Errorf("parse template %s: %w", origin, err)
			}
			s.html[name] = t
			continue
		}
		t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(src)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", origin, err)
		}
		for _, def := range definitions[name] {
			if t.Lookup(def) == nil {
				return nil, fmt.Errorf("template %s lacks {{define %q}}", origin, def)
			}
		}
		s.tmpl[name] = t
	}
	return s, nil
}

// definitions lists the named templates a file must define.
var definitions = map[string][]string{JourFixeReplies: ReplyNames, TaskErrors: TaskErrorNames}

// Line renders the template called name, defined in file, as one piece
// of text without white space at either end.
func (s *Set) Line(file, name string, data any) (string, error) {
	t, ok := s.tmpl[file]
	if !ok {
		return "", fmt.Errorf("unknown template %q", file)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s in template %s: %w", name, file, err)
	}
	return strings.TrimSpace(b.String()), nil
}

func source(dir, name string) (string, string, error) {
	if dir != "" {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err == nil {
			return string(data), path, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", path, fmt.Errorf("read template override: %w", err)
		}
	}
	data, err := embedded.ReadFile("mail/" + name)
	if err != nil {
		return "", name, fmt.Errorf("read embedded template %s: %w", name, err)
	}
	return string(data), "embedded " + name, nil
}

// Render executes the named template with data and returns the text with
// CRLF-free line ends and one trailing newline.
func (s *Set) Render(name string, data any) (string, error) {
	var exec func(io.Writer) error
	if t, ok := s.tmpl[name]; ok {
		exec = func(w io.Writer) error { return t.Execute(w, data) }
	} else if t, ok := s.html[name]; ok {
		exec = func(w io.Writer) error { return t.Execute(w, data) }
	} else {
		return "", fmt.Errorf("unknown template %q", name)
	}
	var b strings.Builder
	b.Grow(renderSize)
	if err := exec(&b); err != nil {
		return "", fmt.Errorf("render template %s: %w", name, err)
	}
	out := b.String()
	if text := strings.TrimRight(out, "\n"); len(text) != len(out)-1 {
		out = text + "\n"
	}
	return out, nil
}

// renderSize is the initial buffer size of Render, in bytes. The
// acknowledgement of a new ticket (about 0.7 KB) and the notice to IT
// with the text of a short mail (1–2 KB) fit without growing it.
const renderSize = 2048

// TypeName returns the German name of a process type, given type and subtype.
func TypeName(typ, subtype string) string {
	switch subtype {
	case "b1":
		return "b1) Einfache Bestellung – Ersatzbeschaffung"
	case "b2":
		return "b2) Einfache Bestellung – im IT-Budget ohne Vorbehalt freigegebene Beschaffung"
	case "b3":
		return "b3) Einfache Bestellung – neuer Standardarbeitsplatz"
	}
	switch typ {
	case "a":
		return "a) Support – Fehler an vorhandener Hard- oder Software"
	case "b":
		return "b) Einfache Bestellung"
	case "c":
		return "c) (Mini-)Projekt mit Vorklärungsbedarf"
	}
	return "noch nicht eingeordnet"
}

// NextStep returns one German sentence on what happens next for a type.
func NextStep(typ string) string {
	switch typ {
	case "a":
		return "Die IT weist das Ticket einer zuständigen Sachbearbeitung zu, die den Fehler bearbeitet und das Ticket schließt. Bei jeder Änderung erhalten Sie eine Nachricht."
	case "b":
		return "Die Bestellung läuft direkt über die IT-Budgetverantwortlichen des Amts; bei Bedarf wird Budget zugewiesen. Bei jeder Änderung erhalten Sie eine Nachricht."
	case "c":
		return "Die IT meldet sich zeitnah mit einer von drei Entscheidungen: Weiterleitung an die Digitalisierung (JF Digitalisierung/Amt 50), Direktbestellung durch die IT-Budgetverantwortlichen oder Besprechung im JF IT/Amt 50."
	}
	return "Die IT ordnet das Ticket ein und meldet sich bei Ihnen."
}

// funcs are the functions templates may call besides the built-in ones.
var funcs = template.FuncMap{"join": strings.Join, "inc": func(i int) int { return i + 1 }, "wrap": wrap,
	"greetingName": GreetingName, "hang": hang}

// hang indents every line of s after the first by n spaces, so that a
// text of several lines stays under the line the template starts it on.
func hang(n int, s string) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// Embedded returns the set of the embedded templates, parsed once. Code
// without a configuration, such as the agenda command line, renders with
// it.
var Embedded = sync.OnceValue(func() *Set {
	s, err := Load("")
	if err != nil {
		panic(err) // the embedded templates are tested
	}
	return s
})
