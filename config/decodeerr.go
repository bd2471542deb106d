package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-viper/mapstructure/v2"
)

// decodeProblems turns the error of decoding the configuration into one
// problem line per key, naming the value that failed and the kind of
// value expected. ok is false when err contains anything but per-key
// decoding errors; the caller then reports err as it is.
func decodeProblems(err error) (p []string, ok bool) {
	ok = true
	var walk func(error)
	walk = func(e error) {
		if de, isDecode := e.(*mapstructure.DecodeError); isDecode {
			p = append(p, decodeProblem(de))
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		default:
			ok = false
		}
	}
	walk(err)
	return p, ok && len(p) > 0
}

// decodeProblem formats one decoding error as "key: invalid value …".
func decodeProblem(de *mapstructure.DecodeError) string {
	var value any
	var expected reflect.Value
	var pe *mapstructure.ParseError
	var ue *mapstructure.UnconvertibleTypeError
	switch {
	case errors.As(de, &pe):
		value, expected = pe.Value, pe.Expected
	case errors.As(de, &ue):
		value, expected = ue.Value, ue.Expected
	default:
		return fmt.Sprintf("%s: %s", de.Name(), firstLine(de.Unwrap().Error()))
	}
	return fmt.Sprintf("%s: invalid value %q, want %s", de.Name(), fmt.Sprint(value), kindName(expected))
}

// kindName names the kind of value a configuration key takes.
func kindName(v reflect.Value) string {
	if !v.IsValid() {
		return "another value"
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Type().String() == "time.Duration" {
			return "a duration such as 30s or 5m"
		}
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a text"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping of keys"
	}
	return v.Type().String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
