package config

import (
	"fmt"
	"net"
	"reflect"
	"sort"
	"strings"

	"github.com/spf13/viper"
)

// fileProblems checks what only the raw file shows: keys mailbot does not
// know, named by their full path such as "mailboxes[1].pasword", and
// passwords written into the file instead of a password file or an
// environment variable.
func fileProblems(v *viper.Viper) []string {
	var p []string
	unknownKeys(v.AllSettings(), reflect.TypeFor[Config](), "", &p)
	if v.InConfig("smtp.password") {
		p = append(p, "smtp.password: passwords may not be written in the configuration file; use smtp.password_file or smtp.password_env")
	}
	if list, ok := v.Get("mailboxes").([]any); ok {
		for i, item := range list {
			if m, ok := item.(map[string]any); ok {
				if _, ok := m["password"]; ok {
					p = append(p, fmt.Sprintf("mailboxes[%d].password: passwords may not be written in the configuration file; use password_file or password_env", i))
				}
			}
		}
	}
	return p
}

// validateSMTPAuth checks that SMTP authentication is either off (no
// username) or complete: a username and exactly one password source.
func (c *Config) validateSMTPAuth(add func(string, ...any)) {
	s := c.SMTP
	var set []string
	for _, k := range []struct{ key, value string }{{"password", s.Password}, {"password_file", s.PasswordFile}, {"password_env", s.PasswordEnv}} {
		if k.value != "" {
			set = append(set, "smtp."+k.key)
		}
	}
	switch {
	case len(set) > 1:
		add("%s: set only one of them", strings.Join(set, ", "))
	case s.Username != "" && len(set) == 0:
		add("smtp.username: %q is set but no password; add smtp.password_file or smtp.password_env, or remove the username to send without authentication", s.Username)
	case s.Username == "" && len(set) == 1:
		add("%s: set but smtp.username is empty; give the username the password belongs to", set[0])
	}
}

// unknownKeys walks a decoded YAML value along the struct type it is
// decoded into and reports every key without a mapstructure tag there.
func unknownKeys(val any, typ reflect.Type, path string, p *[]string) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ.Kind() {
	case reflect.Struct:
		m, ok := val.(map[string]any)
		if !ok {
			return // a type mismatch is reported when decoding
		}
		fields := map[string]reflect.Type{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ","); tag != "" {
				fields[tag] = f.Type
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			name := k
			if path != "" {
				name = path + "." + k
			}
			ft, ok := fields[strings.ToLower(k)]
			switch {
			case !ok && strings.EqualFold(k, "password") && path == "imap":
				*p = append(*p, fmt.Sprintf("%s: passwords may not be written in the configuration file; give each mailbox its password by mailboxes[N].password_file or password_env", name))
				continue
			case !ok:
				*p = append(*p, fmt.Sprintf("%s: unknown key", name))
				continue
			}
			unknownKeys(m[k], ft, name, p)
		}
	case reflect.Slice:
		list, ok := val.([]any)
		if !ok {
			return
		}
		for i, item := range list {
			unknownKeys(item, typ.Elem(), fmt.Sprintf("%s[%d]", path, i), p)
		}
	}
}

// Warnings lists settings that work but weaken security or leave a role
// without anyone to tell. `mailbot run` logs them at start and `mailbot
// check-config` prints them.
func (c *Config) Warnings() []string {
	var w []string
	plain := func(key, host, security string) {
		if security == "none" && !IsLoopback(host) {
			w = append(w, fmt.Sprintf("%s.security: none sends passwords and mail unencrypted to %s; use tls or starttls", key, host))
		}
	}
	plain("imap", c.IMAP.Host, c.IMAP.Security)
	plain("smtp", c.SMTP.Host, c.SMTP.Security)
	if c.IMAP.InsecureSkipVerify {
		w = append(w, "imap.insecure_skip_verify: certificates are not checked; anyone on the path can read the mail")
	}
	if c.SMTP.InsecureSkipVerify {
		w = append(w, "smtp.insecure_skip_verify: certificates are not checked; anyone on the path can read the mail")
	}
	return w
}

// RoleProblems lists roles without addresses. Without `it` nobody hears
// of new tickets and without `admin` nobody hears of quarantined mail, so
// `mailbot check-config` treats those two as errors and the rest as
// warnings.
func (c *Config) RoleProblems() (errs, warns []string) {
	for _, role := range []string{"it", "admin", "it_leads", "it_head", "orga", "budget", "digi"} {
		if len(c.Roles.byName()[role]) > 0 {
			continue
		}
		if role == "it" || role == "admin" {
			errs = append(errs, fmt.Sprintf("roles.%s: missing; at least one address is needed", role))
		} else {
			warns = append(warns, fmt.Sprintf("roles.%s: no address; mails to this role are not sent", role))
		}
	}
	return errs, warns
}

// IsLoopback reports whether host names this machine: localhost or a
// loopback IP address. Other names are not resolved.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// DefaultMetricsListen is the default address of /healthz and /metrics:
// loopback only, since the metrics name mailboxes and counts.
const DefaultMetricsListen = "127.0.0.1:9465"
