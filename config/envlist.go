package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// decodeHook is viper's default decode hook (viper v1.21.0), except that
// a list given as one string, such as the environment variable
// MAILBOT_ROLES_IT, is split at commas with each item trimmed, so
// "a@x, b@x" gives two clean addresses.
var decodeHook = viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(
	mapstructure.StringToTimeDurationHookFunc(),
	splitListHook,
))

// splitListHook turns a string into a list at commas, dropping empty items.
func splitListHook(from, to reflect.Type, data any) (any, error) {
	if from.Kind() != reflect.String || to.Kind() != reflect.Slice {
		return data, nil
	}
	items := []string{}
	for item := range strings.SplitSeq(data.(string), ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items, nil
}

// mailboxEnvPrefix starts the environment variables that override a key of
// one mailbox, such as MAILBOT_MAILBOXES_0_PASSWORD_ENV for
// mailboxes[0].password_env. viper's AutomaticEnv only reaches keys
// outside lists, so these are applied here.
const mailboxEnvPrefix = "MAILBOT_MAILBOXES_"

// applyMailboxEnv sets mailbox keys from MAILBOT_MAILBOXES_<N>_<KEY>
// variables and returns a problem for each such variable that names a
// mailbox the file does not have or a key a mailbox does not have.
func applyMailboxEnv(c *Config, environ []string) []string {
	fields := map[string]int{} // upper-case key to field index of Mailbox
	typ := reflect.TypeFor[Mailbox]()
	for i := range typ.NumField() {
		if tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("mapstructure"), ","); tag != "" {
			fields[strings.ToUpper(tag)] = i
		}
	}
	var p []string
	sort.Strings(environ)
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		rest, ok := strings.CutPrefix(name, mailboxEnvPrefix)
		if !ok {
			continue
		}
		num, key, _ := strings.Cut(rest, "_")
		i, err := strconv.Atoi(num)
		switch {
		case err != nil || i < 0:
			p = append(p, fmt.Sprintf("%s: want %s<N>_<KEY> with N the position of the mailbox in the file, counted from 0", name, mailboxEnvPrefix))
			continue
		case i >= len(c.Mailboxes):
			p = append(p, fmt.Sprintf("%s: the file has %d mailboxes, so there is no mailboxes[%d]; environment variables can change mailboxes but not add them", name, len(c.Mailboxes), i))
			continue
		}
		f, ok := fields[key]
		if !ok {
			p = append(p, fmt.Sprintf("%s: mailboxes[%d].%s: unknown key", name, i, strings.ToLower(key)))
			continue
		}
		reflect.ValueOf(&c.Mailboxes[i]).Elem().Field(f).SetString(value)
	}
	return p
}
