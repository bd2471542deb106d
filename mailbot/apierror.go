package mailbot

import (
	"strings"
)

// serviceError is an error the running service reported over the API. It
// reads as the service's message and matches the sentinel err, so callers
// can branch on it as on a local error.
type serviceError struct {
	msg string
	err error
}

func (e *serviceError) Error() string { return e.msg }

func (e *serviceError) Unwrap() error { return e.err }

// remoteError turns the body of an API error response into an error that
// matches sentinel. http.Error ends the body with a newline, which must
// not reach the operator's terminal.
func remoteError(body []byte, sentinel error) error {
	msg := strings.TrimSpace(string(body))
	if msg == "" {
		msg = sentinel.Error()
	}
	return &serviceError{msg: msg, err: sentinel}
}
