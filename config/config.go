// Package config loads mailbot's YAML configuration with viper. A key
// outside a list can be overridden by an environment variable
// MAILBOT_<SECTION>_<KEY> (for example MAILBOT_IMAP_HOST), a list by one
// comma-separated string, and a key of a mailbox by
// MAILBOT_MAILBOXES_<N>_<KEY>; entries of the other lists and of maps
// cannot. Passwords come from a file or an environment variable so the
// configuration file need not hold them.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Config is the whole configuration.
type Config struct {
	IMAP      IMAP      `mapstructure:"imap"`
	SMTP      SMTP      `mapstructure:"smtp"`
	Mailboxes []Mailbox `mapstructure:"mailboxes"`
	Store     Store     `mapstructure:"store"`
	Roles     Roles     `mapstructure:"roles"`
	Tickets   Tickets   `mapstructure:"tickets"`
	Templates Templates `mapstructure:"templates"`
	Rules     Rules     `mapstructure:"rules"`
	Registers Registers `mapstructure:"registers"`
	API       API       `mapstructure:"api"`
	Limits    Limits    `mapstructure:"limits"`
	Outbox    Outbox    `mapstructure:"outbox"`
	Metrics   Metrics   `mapstructure:"metrics"`
	Commands  Commands  `mapstructure:"commands"`

	Escalation Escalation `mapstructure:"escalation"`
	JourFixe   JourFixe   `mapstructure:"jourfixe"`
	Robots     Robots     `mapstructure:"robots"`
	Brakes     Brakes     `mapstructure:"brakes"`
}

// Metrics sets where /healthz and /metrics are served.
type Metrics struct {
	Listen string `mapstructure:"listen"` // host:port; empty turns the listener off
}

// IMAP holds the server all mailboxes live on.
type IMAP struct {
	Host         string        `mapstructure:"host"`
	Port         int           `mapstructure:"port"`
	Security     string        `mapstructure:"security"` // tls, starttls or none
	PollInterval time.Duration `mapstructure:"poll_interval"`
	Idle         bool          `mapstructure:"idle"`
	Timeout      time.Duration `mapstructure:"timeout"` // per command
	FetchBatch   int           `mapstructure:"fetch_batch"`
	// InsecureSkipVerify turns off certificate checks; for test servers only.
	InsecureSkipVerify bool   `mapstructure:"insecure_skip_verify"`
	CAFile             string `mapstructure:"ca_file"` // PEM roots instead of the system's
}

// SMTP holds the submission server for outgoing mail.
type SMTP struct {
	Host               string        `mapstructure:"host"`
	Port               int           `mapstructure:"port"`
	Security           string        `mapstructure:"security"`
	Username           string        `mapstructure:"username"`
	Password           string        `mapstructure:"password"`
	PasswordFile       string        `mapstructure:"password_file"`
	PasswordEnv        string        `mapstructure:"password_env"`
	FromName           string        `mapstructure:"from_name"`
	HeloName           string        `mapstructure:"helo_name"`
	Timeout            time.Duration `mapstructure:"timeout"`
	InsecureSkipVerify bool          `mapstructure:"insecure_skip_verify"`
	CAFile             string        `mapstructure:"ca_file"`
}

// Mailbox is one watched robot mailbox.
type Mailbox struct {
	Name             string `mapstructure:"name"`
	Address          string `mapstructure:"address"`
	Username         string `mapstructure:"username"`
	Password         string `mapstructure:"password"`
	PasswordFile     string `mapstructure:"password_file"`
	PasswordEnv      string `mapstructure:"password_env"`
	Folder           string `mapstructure:"folder"`
	ProcessedFolder  string `mapstructure:"processed_folder"`
	QuarantineFolder string `mapstructure:"quarantine_folder"`
	DefaultType      string `mapstructure:"default_type"`
}

// Store locates the bbolt database.
type Store struct {
	Path string `mapstructure:"path"`
}

// Roles lists the addresses holding each role.
type Roles struct {
	IT      []string `mapstructure:"it"`
	ITLeads []string `mapstructure:"it_leads"`
	ITHead  []string `mapstructure:"it_head"`
	Orga    []string `mapstructure:"orga"`
	Budget  []string `mapstructure:"budget"`
	Digi    []string `mapstructure:"digi"`
	Admin   []string `mapstructure:"admin"`
}

// Tickets sets how tickets are numbered and tagged.
type Tickets struct {
	Prefix string `mapstructure:"prefix"`
	// DigestMin is how many new tickets one fetch batch must make for the
	// IT role to get one digest of them instead of a notice per ticket;
	// 0 sends a notice per ticket always.
	DigestMin int `mapstructure:"digest_min"`
}

// Templates points at an optional override directory.
type Templates struct {
	Dir string `mapstructure:"dir"`
}

// Rules points at an optional rules file replacing or extending the
// embedded set.
type Rules struct {
	File string `mapstructure:"file"`
	Mode string `mapstructure:"mode"` // replace or extend
	// AnnouncementCC gets a copy of the acknowledgement of every
	// mini-project announcement (the digitalisation address).
	AnnouncementCC []string `mapstructure:"announcement_cc"`
}

// Registers names the register files triage consults; each is YAML or CSV.
type Registers struct {
	BudgetItems  string `mapstructure:"budget_items"`
	Applications string `mapstructure:"applications"`
	Positions    string `mapstructure:"positions"`
}

// API is the local control socket used by `mailbot tickets`.
type API struct {
	Socket string `mapstructure:"socket"`
}

// Limits bounds what one incoming mail may cost.
type Limits struct {
	MaxMessageBytes int64 `mapstructure:"max_message_bytes"`
}

// Outbox sets the retry policy of outgoing mail.
type Outbox struct {
	RetryMin    time.Duration `mapstructure:"retry_min"`
	RetryMax    time.Duration `mapstructure:"retry_max"`
	MaxAttempts int           `mapstructure:"max_attempts"`
}

// Defaults returns a configuration with every optional key set.
func Defaults() Config {
	return Config{
		IMAP:    IMAP{Port: 993, Security: "tls", PollInterval: time.Minute, Idle: true, Timeout: time.Minute, FetchBatch: 100},
		SMTP:    SMTP{Port: 587, Security: "starttls", FromName: "IT-Ticketsystem", Timeout: 30 * time.Second},
		Store:   Store{Path: "mailbot.db"},
		Tickets: Tickets{Prefix: "IT", DigestMin: 10},
		Limits:  Limits{MaxMessageBytes: 25 << 20},
		Outbox:  Outbox{RetryMin: 30 * time.Second, RetryMax: 30 * time.Minute, MaxAttempts: 50},
		Metrics: Metrics{Listen: DefaultMetricsListen},

		Escalation: defaultEscalation(),
		JourFixe:   defaultJourFixe(),
		Brakes:     defaultBrakes(),
		Commands:   Commands{MaxPerMail: DefaultMaxCommandsPerMail},
	}
}

// Builtin returns the configuration `mailbot classify` uses without a file:
// the two mailboxes of config.example.yaml and no servers.
func Builtin() Config {
	c := Defaults()
	c.Mailboxes = []Mailbox{
		{Name: "support", Address: "3344@stadt.example", DefaultType: "a"},
		{Name: "digitalisierung", Address: "digitalisierung@stadt.example", DefaultType: "c"},
	}
	c.Rules.AnnouncementCC = []string{"digitalisierung@stadt.example"}
	c.fill()
	return c
}

// Load reads the YAML file at path, applies MAILBOT_* environment
// overrides, validates the result and resolves passwords.
func Load(path string) (*Config, error) {
	c, err := LoadWithoutSecrets(path)
	if err != nil {
		return nil, err
	}
	if err := c.ResolveSecrets(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, problemsError(ErrorLines(err)))
	}
	return c, nil
}

// LoadWithoutSecrets is Load without reading password files and variables,
// for commands that contact no server.
func LoadWithoutSecrets(path string) (*Config, error) {
	c, p, err := LoadProblems(path)
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return nil, fmt.Errorf("config %s: %w", path, problemsError(p))
	}
	return c, nil
}

// LoadProblems reads the file at path like LoadWithoutSecrets but returns
// the configuration together with the list of its problems, each starting
// with the key it concerns, so that `mailbot check-config` can add its own
// checks to the same list. The error is set only when the file cannot be
// read or decoded.
func LoadProblems(path string) (*Config, []string, error) {
	v := viper.NewWithOptions(viper.ExperimentalBindStruct())
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	v.SetEnvPrefix("MAILBOT")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if err := v.ReadInConfig(); err != nil {
		return nil, nil, fmt.Errorf("read config %s: %w", path, err)
	}
	fileProbs := fileProblems(v)
	c := Defaults()
	unmarshal := v.UnmarshalExact
	if len(fileProbs) > 0 {
		unmarshal = v.Unmarshal // unknown keys are among fileProbs
	}
	if err := unmarshal(&c, decodeHook); err != nil {
		// Keys of the wrong type leave their defaults, so the other
		// problems can still be listed with them.
		probs, ok := decodeProblems(err)
		if !ok {
			return nil, nil, fmt.Errorf("config %s: %w", path, err)
		}
		fileProbs = append(fileProbs, probs...)
	}
	fileProbs = append(fileProbs, applyMailboxEnv(&c, os.Environ())...)
	// The default digest threshold follows a smaller fetch batch, so that
	// a configuration that never names it stays valid.
	if !v.IsSet("tickets.digest_min") && c.Tickets.DigestMin > c.IMAP.FetchBatch {
		c.Tickets.DigestMin = c.IMAP.FetchBatch
		if c.Tickets.DigestMin < 2 {
			c.Tickets.DigestMin = 0
		}
	}
	// Relative paths in the file are relative to the file.
	base := filepath.Dir(path)
	c.Store.Path = relTo(base, c.Store.Path)
	c.Templates.Dir = relTo(base, c.Templates.Dir)
	c.Rules.File = relTo(base, c.Rules.File)
	c.Registers.BudgetItems = relTo(base, c.Registers.BudgetItems)
	c.Registers.Applications = relTo(base, c.Registers.Applications)
	c.Registers.Positions = relTo(base, c.Registers.Positions)
	c.API.Socket = relTo(base, c.API.Socket)
	c.SMTP.PasswordFile = relTo(base, c.SMTP.PasswordFile)
	for i := range c.Mailboxes {
		c.Mailboxes[i].PasswordFile = relTo(base, c.Mailboxes[i].PasswordFile)
	}
	c.IMAP.CAFile = relTo(base, c.IMAP.CAFile)
	c.SMTP.CAFile = relTo(base, c.SMTP.CAFile)
	c.fill()
	return &c, append(fileProbs, c.problems()...), nil
}

func relTo(base, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

// fill derives values left empty.
func (c *Config) fill() {
	for i := range c.Mailboxes {
		m := &c.Mailboxes[i]
		if m.Folder == "" {
			m.Folder = "INBOX"
		}
		if m.Username == "" {
			m.Username = m.Address
		}
		if m.DefaultType == "" {
			m.DefaultType = "a"
		}
	}
	if c.API.Socket == "" && c.Store.Path != "" {
		c.API.Socket = c.Store.Path + ".sock"
	}
	if c.SMTP.HeloName == "" && len(c.Mailboxes) > 0 {
		c.SMTP.HeloName = Domain(c.Mailboxes[0].Address)
	}
}

// Validate derives the values left empty, as loading a file does, then
// checks every key and reports all problems at once. A configuration
// built in code must pass it before use.
func (c *Config) Validate() error {
	c.fill()
	if p := c.problems(); len(p) > 0 {
		return problemsError(p)
	}
	return nil
}

// ErrorLines returns the messages of the errors joined in err, one each,
// or err's message alone.
func ErrorLines(err error) []string {
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []string{err.Error()}
	}
	var lines []string
	for _, e := range joined.Unwrap() {
		lines = append(lines, ErrorLines(e)...)
	}
	return lines
}

func problemsError(p []string) error {
	return fmt.Errorf("invalid configuration:\n  %s", strings.Join(p, "\n  "))
}

// problems lists every invalid key, each message starting with its name.
func (c *Config) problems() []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	checkServer := func(name, host string, port int, security string) {
		if host == "" {
			add("%s.host: missing", name)
		}
		if port <= 0 || port > 65535 {
			add("%s.port: %d is not a port number", name, port)
		}
		switch security {
		case "tls", "starttls", "none":
		default:
			add("%s.security: %q is invalid, want tls, starttls or none", name, security)
		}
	}
	checkServer("imap", c.IMAP.Host, c.IMAP.Port, c.IMAP.Security)
	checkServer("smtp", c.SMTP.Host, c.SMTP.Port, c.SMTP.Security)
	if c.IMAP.PollInterval < time.Second {
		add("imap.poll_interval: %s is too short, want at least 1s", c.IMAP.PollInterval)
	}
	if c.IMAP.Timeout < time.Second {
		add("imap.timeout: %s is too short, want at least 1s", c.IMAP.Timeout)
	}
	if c.SMTP.Timeout < time.Second {
		add("smtp.timeout: %s is too short, want at least 1s", c.SMTP.Timeout)
	}
	if c.IMAP.FetchBatch < 1 || c.IMAP.FetchBatch > 1000 {
		add("imap.fetch_batch: %d is out of range 1..1000", c.IMAP.FetchBatch)
	}
	if len(c.Mailboxes) == 0 {
		add("mailboxes: at least one mailbox is needed")
	}
	names := map[string]bool{}
	for i, m := range c.Mailboxes {
		where := fmt.Sprintf("mailboxes[%d]", i)
		if m.Name == "" {
			add("%s.name: missing", where)
		} else if names[m.Name] {
			add("%s.name: %q is used twice", where, m.Name)
		}
		names[m.Name] = true
		if _, err := mail.ParseAddress(m.Address); err != nil || m.Address == "" {
			add("%s.address: %q is not a mail address", where, m.Address)
		}
		if !validType(m.DefaultType) {
			add("%s.default_type: %q is invalid, want a, b1, b2, b3 or c", where, m.DefaultType)
		}
		if m.QuarantineFolder == "" {
			add("%s.quarantine_folder: missing; unreadable mails are moved there", where)
		}
		n := 0
		for _, s := range []string{m.Password, m.PasswordFile, m.PasswordEnv} {
			if s != "" {
				n++
			}
		}
		if n > 1 {
			add("%s: set only one of password, password_file and password_env", where)
		}
	}
	c.validateSMTPAuth(add)
	if c.Store.Path == "" {
		add("store.path: missing")
	}
	if c.Tickets.Prefix == "" || strings.ContainsAny(c.Tickets.Prefix, " []-") {
		add("tickets.prefix: %q is invalid, want letters and digits such as IT", c.Tickets.Prefix)
	}
	switch {
	case c.Tickets.DigestMin < 0 || c.Tickets.DigestMin == 1:
		add("tickets.digest_min: %d is invalid, want 0 (a notice per ticket) or 2 and more", c.Tickets.DigestMin)
	case c.Tickets.DigestMin > c.IMAP.FetchBatch:
		add("tickets.digest_min: %d is above imap.fetch_batch %d, so no batch can reach it; use 0 to turn the digest off",
			c.Tickets.DigestMin, c.IMAP.FetchBatch)
	}
	if c.Outbox.RetryMin <= 0 || c.Outbox.RetryMax < c.Outbox.RetryMin {
		add("outbox: retry_min (%s) must be positive and not above retry_max (%s)", c.Outbox.RetryMin, c.Outbox.RetryMax)
	}
	if c.Outbox.MaxAttempts < 1 {
		add("outbox.max_attempts: %d, want at least 1", c.Outbox.MaxAttempts)
	}
	if _, _, err := net.SplitHostPort(c.Metrics.Listen); c.Metrics.Listen != "" && err != nil {
		add("metrics.listen: %q is not host:port, such as 127.0.0.1:9465", c.Metrics.Listen)
	}
	if c.Limits.MaxMessageBytes < 1024 {
		add("limits.max_message_bytes: %d is too small", c.Limits.MaxMessageBytes)
	}
	if c.Rules.Mode != "" && c.Rules.Mode != "replace" && c.Rules.Mode != "extend" {
		add("rules.mode: %q is invalid, want replace or extend", c.Rules.Mode)
	}
	for _, a := range c.Rules.AnnouncementCC {
		if _, err := mail.ParseAddress(a); err != nil {
			add("rules.announcement_cc: %q is not a mail address", a)
		}
	}
	c.validateBrakes(add)
	for role, list := range c.Roles.byName() {
		for _, a := range list {
			if _, err := mail.ParseAddress(a); err != nil {
				add("roles.%s: %q is not a mail address", role, a)
			}
		}
	}
	p = append(p, c.Commands.validate()...)
	c.validateJourFixe(add)
	return p
}

func validType(t string) bool {
	switch t {
	case "a", "b1", "b2", "b3", "c":
		return true
	}
	return false
}

func (r Roles) byName() map[string][]string {
	return map[string][]string{"it": r.IT, "it_leads": r.ITLeads, "it_head": r.ITHead,
		"orga": r.Orga, "budget": r.Budget, "digi": r.Digi, "admin": r.Admin}
}

// ResolveSecrets reads each password from its file or environment variable.
// It reads all of them and returns every failure, joined, one per line.
func (c *Config) ResolveSecrets() error {
	var errs []error
	var err error
	if c.SMTP.Password, err = secret("smtp", c.SMTP.Password, c.SMTP.PasswordFile, c.SMTP.PasswordEnv); err != nil {
		errs = append(errs, err)
	}
	for i := range c.Mailboxes {
		m := &c.Mailboxes[i]
		where := fmt.Sprintf("mailboxes[%d] (%s)", i, m.Name)
		if m.Password, err = secret(where, m.Password, m.PasswordFile, m.PasswordEnv); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func secret(where, plain, file, env string) (string, error) {
	switch {
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s.password_file: %w", where, err)
		}
		return strings.TrimRight(string(data), "\r\n"), nil
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok {
			return "", fmt.Errorf("%s.password_env: environment variable %s is not set", where, env)
		}
		return v, nil
	}
	return plain, nil
}

// Domain returns the domain part of an address, or "" when it has none.
func Domain(addr string) string {
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}
