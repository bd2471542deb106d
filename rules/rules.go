// Package rules triages a mail into the office's process types: a (support),
// b (simple order, with subtypes b1 replacement, b2 approved budget item,
// b3 new standard workstation) and c (mini-project needing pre-clarification).
//
// Rules are data: a YAML list embedded in the binary, optionally replaced
// or extended by a file. Each rule has conditions on the mailbox, the
// sender's roles, the subject and the new text of the body, and on the
// register entry (package register) of a budget item or position the mail
// names. The rule with the highest priority whose conditions all hold
// decides, and the mailbox's default type applies when none does.
package rules

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"mailbot/register"
)

//go:embed default.yaml
var defaultYAML []byte

// Rule is one triage rule. Every condition that is set must hold.
type Rule struct {
	ID       string `yaml:"id"`
	Type     string `yaml:"type"`
	Subtype  string `yaml:"subtype"`
	Priority int    `yaml:"priority"`
	// Reason is the German sentence the requester reads. It may name
	// placeholders such as {budget_item}; see expand.
	Reason string `yaml:"reason"`
	// Cite is a rule of the rulebook the reply quotes, in German.
	Cite string `yaml:"cite"`
	// Disabled removes a default rule of the same id in extend mode.
	Disabled bool `yaml:"disabled"`

	// Mailboxes limits the rule to mail that arrived in these mailboxes.
	Mailboxes []string `yaml:"mailboxes"`
	// SenderRoles limits the rule to senders holding one of these roles;
	// NotSenderRoles to senders holding none of them.
	SenderRoles    []string `yaml:"sender_roles"`
	NotSenderRoles []string `yaml:"not_sender_roles"`
	// SubjectPrefix matches the words at the start of the subject after
	// reply and forward prefixes and ticket tags. Case, umlaut spelling,
	// punctuation, words in parentheses and the word "für" do not count
	// (see prefixKey). The text after the prefix is kept as the project name.
	SubjectPrefix string `yaml:"subject_prefix"`
	// Subject holds terms of which one must occur in the subject.
	Subject Terms `yaml:"subject"`
	// Any holds terms of which one must occur in subject or new text.
	Any Terms `yaml:"any"`
	// All holds terms that must all occur in subject or new text.
	All Terms `yaml:"all"`
	// None holds terms none of which may occur in subject or new text.
	None Terms `yaml:"none"`
	// BudgetItem requires the mail to name a budget item: "approved"
	// (in the register, approved without reservation), "reserved" (in the
	// register, not approved without reservation), "unknown" (not in the
	// register) or "named" (any of these).
	BudgetItem string `yaml:"budget_item"`
	// Quantity requires the mail to state how many pieces it orders
	// (see FindQuantity) and to name budget items: "above" (more than the
	// one named item approves), "within" (at most that many) or "named"
	// (any stated quantity). Only items with a quantity in the register
	// count for above and within.
	Quantity string `yaml:"quantity"`
	// Position requires a staffing-plan number: "planned", "unplanned"
	// (marked not planned in the register), "unknown" (not in the
	// register, when a register is loaded) or "named".
	Position string `yaml:"position"`
	// Application requires the mail to name a registered application
	// ("named").
	Application string `yaml:"application"`

	prefix                  string
	subject, any, all, none []term
}

type file struct {
	Rules []Rule `yaml:"rules"`
	// Extra holds top-level keys starting with "x-", which carry YAML
	// anchors of term lists shared by several rules.
	Extra map[string]any `yaml:",inline"`
}

// Terms is a list of terms. Nested lists are flattened, so that a rule may
// combine lists named by YAML anchors: none: [*fault, *replacement].
type Terms []string

// UnmarshalYAML flattens nested sequences of strings.
func (t *Terms) UnmarshalYAML(n *yaml.Node) error {
	var walk func(n *yaml.Node) error
	walk = func(n *yaml.Node) error {
		switch n.Kind {
		case yaml.AliasNode:
			return walk(n.Alias)
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if err := walk(c); err != nil {
					return err
				}
			}
			return nil
		case yaml.ScalarNode:
			*t = append(*t, n.Value)
			return nil
		}
		return fmt.Errorf("line %d: want a term or a list of terms", n.Line)
	}
	return walk(n)
}

// Input is what the rules look at.
type Input struct {
	Mailbox     string
	SenderRoles []string // roles the sender's address holds, such as "orga"
	Subject     string
	Body        string // the whole body; the engine cuts it to the new text
}

// Decision is the triage outcome.
type Decision struct {
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
	Rule    string `json:"rule"`
	Reason  string `json:"reason"`
	Project string `json:"project,omitempty"`
	Cite    string `json:"cite,omitempty"`
	// Matched is the normalised term that decided, for admins checking a
	// rule; empty for conditions without terms.
	Matched string `json:"matched,omitempty"`

	Position       string `json:"position,omitempty"`
	PositionStatus string `json:"position_status,omitempty"` // planned, unplanned or unknown
	BudgetID       string `json:"budget_item,omitempty"`
	BudgetStatus   string `json:"budget_status,omitempty"` // approved, reserved or unknown
	// BudgetIDs lists every item the mail names when it names several;
	// BudgetID is the one that decided.
	BudgetIDs []string             `json:"budget_items,omitempty"`
	Budget    *register.BudgetItem `json:"-"`
	// Quantity is the number of pieces the mail orders when it names a
	// budget item and states the number clearly, or 0.
	Quantity    int                   `json:"quantity,omitempty"`
	Application *register.Application `json:"-"`
	// Announcement is set for a mail with the announcement subject prefix.
	Announcement *Announcement `json:"announcement,omitempty"`
}

// FallbackRule is the rule id of a decision made by a mailbox default.
const FallbackRule = "fallback"

// Rules file modes.
const (
	ModeReplace = "replace" // the file's rules replace the embedded ones
	ModeExtend  = "extend"  // the file's rules are added; same id replaces
)

// Engine holds compiled rules and the registers they consult. It is safe
// for concurrent use.
type Engine struct {
	rules []Rule
	regs  *register.Set
	apps  []appTerms
}

// Options configures New.
type Options struct {
	File      string        // rules file; empty means the embedded rules only
	Mode      string        // ModeReplace (default) or ModeExtend
	Registers *register.Set // may be nil
}

// ErrInvalid marks a rules file that does not pass validation.
var ErrInvalid = errors.New("invalid rules")

// Default returns the engine with the embedded rule set and no registers.
func Default() (*Engine, error) {
	return New(Options{})
}

// Load reads rules from a YAML file instead of the embedded set.
func Load(path string) (*Engine, error) {
	return New(Options{File: path})
}

// New builds an engine from the embedded rules, the optional rules file
// and the registers.
func New(o Options) (*Engine, error) {
	base, err := decode(defaultYAML, "embedded default rules")
	if err != nil {
		return nil, err
	}
	list := base
	if o.File != "" {
		data, err := os.ReadFile(o.File)
		if err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		own, err := decode(data, o.File)
		if err != nil {
			return nil, err
		}
		// Validate the file on its own first, so that its problems, such
		// as an id used twice, are reported with their place in the file.
		if err := compile(own, o.File); err != nil {
			return nil, err
		}
		switch o.Mode {
		case "", ModeReplace:
			list = own
		case ModeExtend:
			list = merge(base, own)
		default:
			return nil, fmt.Errorf("%w: mode %q, want replace or extend", ErrInvalid, o.Mode)
		}
	}
	list = slices.DeleteFunc(list, func(r Rule) bool { return r.Disabled })
	if err := compile(list, o.File); err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Priority > list[j].Priority })
	return &Engine{rules: list, regs: o.Registers, apps: compileApps(o.Registers)}, nil
}

func decode(data []byte, source string) ([]Rule, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse rules %s: %w", source, err)
	}
	for k := range f.Extra {
		if !strings.HasPrefix(k, "x-") {
			return nil, fmt.Errorf("%w in %s: unknown top-level key %q, want rules or x-… for anchors", ErrInvalid, source, k)
		}
	}
	return f.Rules, nil
}

// merge adds own to base; a rule of own replaces the base rule of its id.
func merge(base, own []Rule) []Rule {
	out := slices.Clone(base)
	for _, r := range own {
		i := slices.IndexFunc(out, func(b Rule) bool { return b.ID == r.ID })
		if i >= 0 {
			out[i] = r
		} else {
			out = append(out, r)
		}
	}
	return out
}

// compile validates every rule, reporting all problems at once, and
// prepares its terms.
func compile(list []Rule, source string) error {
	if source == "" {
		source = "embedded default rules"
	}
	var problems []string
	seen := map[string]bool{}
	for i := range list {
		r := &list[i]
		where := fmt.Sprintf("rules[%d] (id %q)", i, r.ID)
		add := func(msg string) { problems = append(problems, where+": "+msg) }
		if r.ID == "" {
			add("missing id")
		} else if seen[r.ID] {
			add("duplicate id")
		}
		seen[r.ID] = true
		if r.Disabled {
			// Only the id of a disabled rule matters.
			continue
		}
		if err := CheckType(r.Type, r.Subtype); err != nil {
			add(err.Error())
		}
		if r.Reason == "" {
			add("missing reason")
		}
		if !oneOf(r.BudgetItem, "", "approved", "reserved", "unknown", "named") {
			add(fmt.Sprintf("budget_item %q is invalid, want approved, reserved, unknown or named", r.BudgetItem))
		}
		if !oneOf(r.Quantity, "", "above", "within", "named") {
			add(fmt.Sprintf("quantity %q is invalid, want above, within or named", r.Quantity))
		}
		if !oneOf(r.Position, "", "planned", "unplanned", "unknown", "named") {
			add(fmt.Sprintf("position %q is invalid, want planned, unplanned, unknown or named", r.Position))
		}
		if !oneOf(r.Application, "", "named") {
			add(fmt.Sprintf("application %q is invalid, want named", r.Application))
		}
		if r.SubjectPrefix == "" && len(r.Subject)+len(r.Any)+len(r.All) == 0 &&
			r.BudgetItem == "" && r.Quantity == "" && r.Position == "" && r.Application == "" {
			add("needs subject_prefix or any (or subject, all, budget_item, quantity, position, application)")
		}
		r.prefix, _ = prefixKey(r.SubjectPrefix)
		r.subject, r.any, r.all, r.none = terms(r.Subject), terms(r.Any), terms(r.All), terms(r.None)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w in %s:\n  %s", ErrInvalid, source, strings.Join(problems, "\n  "))
	}
	return nil
}

func terms(list []string) []term {
	var out []term
	for _, s := range list {
		if t, ok := compileTerm(s); ok {
			out = append(out, t)
		}
	}
	return out
}

func oneOf(s string, list ...string) bool { return slices.Contains(list, s) }

// fromYAML builds an engine from rules given as YAML, for tests.
func fromYAML(data []byte, source string) (*Engine, error) {
	list, err := decode(data, source)
	if err != nil {
		return nil, err
	}
	if err := compile(list, source); err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Priority > list[j].Priority })
	return &Engine{rules: list}, nil
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

// SplitType turns "b2" into ("b", "b2") and "a" into ("a", "").
func SplitType(t string) (string, string) {
	if len(t) == 2 && t[0] == 'b' {
		return "b", t
	}
	return t, ""
}

// Registers returns the registers the engine consults; nil when none.
func (e *Engine) Registers() *register.Set { return e.regs }

// Rules returns the rules in the order they are tried.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }
