// Package rules triages a mail into the office's process types: a (support),
// b (simple order, with subtypes b1 replacement, b2 approved budget item,
// b3 new standard workstation) and c (mini-project needing pre-clarification).
//
// Rules are data: a YAML list embedded in the binary, optionally replaced by
// a file. Each rule names terms; the rule with the highest priority whose
// conditions all hold decides, and the mailbox's default type applies when
// none does.
package rules

import (
	_ "embed"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// Rule is one triage rule.
type Rule struct {
	ID       string `yaml:"id"`
	Type     string `yaml:"type"`
	Subtype  string `yaml:"subtype"`
	Priority int    `yaml:"priority"`
	Reason   string `yaml:"reason"`

	// Mailboxes limits the rule to mail that arrived in these mailboxes.
	Mailboxes []string `yaml:"mailboxes"`
	// SubjectPrefix matches the subject after reply and forward prefixes.
	// The text after the prefix is kept as the project name.
	SubjectPrefix string `yaml:"subject_prefix"`
	// Any holds terms of which at least one must occur in subject or body.
	Any []string `yaml:"any"`

	prefix string
	terms  []string
}

type file struct {
	Rules []Rule `yaml:"rules"`
}

// Input is what a rule looks at.
type Input struct {
	Mailbox string
	Subject string
	Body    string
}

// Decision is the triage outcome.
type Decision struct {
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
	Rule    string `json:"rule"`
	Reason  string `json:"reason"`
	Project string `json:"project,omitempty"`
}

// FallbackRule is the rule id of a decision made by a mailbox default.
const FallbackRule = "fallback"

// Engine holds compiled rules.
type Engine struct {
	rules []Rule
}

// Default returns the engine with the embedded rule set.
func Default() (*Engine, error) {
	return parse(defaultYAML, "embedded default rules")
}

// Load reads rules from a YAML file instead of the embedded set.
func Load(path string) (*Engine, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return parse(data, path)
}

func parse(data []byte, source string) (*Engine, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse rules %s: %w", source, err)
	}
	var problems []string
	seen := map[string]bool{}
	for i := range f.Rules {
		r := &f.Rules[i]
		where := fmt.Sprintf("rules[%d] (id %q)", i, r.ID)
		if r.ID == "" {
			problems = append(problems, where+": missing id")
		} else if seen[r.ID] {
			problems = append(problems, where+": duplicate id")
		}
		seen[r.ID] = true
		if err := CheckType(r.Type, r.Subtype); err != nil {
			problems = append(problems, where+": "+err.Error())
		}
		if r.SubjectPrefix == "" && len(r.Any) == 0 {
			problems = append(problems, where+": needs subject_prefix or any")
		}
		if r.Reason == "" {
			problems = append(problems, where+": missing reason")
		}
		r.prefix = Normalize(r.SubjectPrefix)
		for _, t := range r.Any {
			if n := Normalize(t); n != "" {
				r.terms = append(r.terms, n)
			}
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("invalid rules in %s:\n  %s", source, strings.Join(problems, "\n  "))
	}
	sort.SliceStable(f.Rules, func(i, j int) bool { return f.Rules[i].Priority > f.Rules[j].Priority })
	return &Engine{rules: f.Rules}, nil
}

// CheckType validates a type and subtype pair.
func CheckType(typ, subtype string) error {
	switch typ {
	case "a", "c":
		if subtype != "" {
			return fmt.Errorf("type %s takes no subtype, got %q", typ, subtype)
		}
	case "b":
		if subtype != "b1" && subtype != "b2" && subtype != "b3" {
			return fmt.Errorf("type b needs subtype b1, b2 or b3, got %q", subtype)
		}
	default:
		return fmt.Errorf("invalid type %q: want a, b or c", typ)
	}
	return nil
}

// Classify decides the process type of a mail. defaultType is the
// mailbox's fallback ("a", "b1", …, or "c").
func (e *Engine) Classify(in Input, defaultType string) Decision {
	subject := StripReplyPrefixes(in.Subject)
	nsubject := Normalize(subject)
	text := nsubject + " " + Normalize(in.Body)
	for i := range e.rules {
		r := &e.rules[i]
		if len(r.Mailboxes) > 0 && !contains(r.Mailboxes, in.Mailbox) {
			continue
		}
		d := Decision{Type: r.Type, Subtype: r.Subtype, Rule: r.ID, Reason: r.Reason}
		if r.prefix != "" {
			if !strings.HasPrefix(nsubject, r.prefix) {
				continue
			}
			d.Project = projectName(subject)
		}
		if len(r.terms) > 0 && !containsAny(text, r.terms) {
			continue
		}
		return d
	}
	typ, sub := SplitType(defaultType)
	return Decision{Type: typ, Subtype: sub, Rule: FallbackRule,
		Reason: "Keine Regel hat gegriffen; das Ticket erhält den Standardtyp des Postfachs und wird von der IT von Hand eingeordnet."}
}

// SplitType turns "b2" into ("b", "b2") and "a" into ("a", "").
func SplitType(t string) (string, string) {
	if len(t) == 2 && t[0] == 'b' {
		return "b", t
	}
	return t, ""
}

// projectName returns the text after the first colon of the subject.
func projectName(subject string) string {
	_, after, ok := strings.Cut(subject, ":")
	if !ok {
		return ""
	}
	return strings.TrimSpace(after)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func containsAny(text string, terms []string) bool {
	for _, t := range terms {
		if strings.Contains(text, t) {
			return true
		}
	}
	return false
}
