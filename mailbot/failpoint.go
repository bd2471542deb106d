package mailbot

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// EnvFailpoint arms one failpoint, for fault-injection tests only: the
// end-to-end tests set it to crash or fail mailbot at a chosen step of
// processing. Never set it in production. The value is
//
//	STEP[:kill[:N]]   kill the process with SIGKILL at the Nth time STEP is reached (default 1)
//	STEP:error[:N]    make the first N passes of STEP fail with ENOSPC (default 1)
//
// Steps, in the order a mail passes them:
//
//	before-commit  mail parsed, its store transaction not yet run
//	commit         inside the store transaction, before it commits
//	after-commit   transaction committed, mail not yet moved on the server
//	after-move     mail moved, its UID record not yet deleted
//	before-send    outgoing mails read from the outbox, SMTP not yet dialled
//	after-send     the SMTP server accepted the mails, the outbox not yet updated
const EnvFailpoint = "MAILBOT_FAILPOINT"

// Failpoint steps.
const (
	FailBeforeCommit = "before-commit"
	FailCommit       = "commit"
	FailAfterCommit  = "after-commit"
	FailAfterMove    = "after-move"
	FailBeforeSend   = "before-send"
	FailAfterSend    = "after-send"
)

// failpointSpec is a parsed EnvFailpoint value.
type failpointSpec struct {
	step   string
	action string // "kill" or "error"
	n      int
}

var (
	failMu    sync.Mutex
	failArmed = parseFailpoint(os.Getenv(EnvFailpoint))
	failHits  int
)

func parseFailpoint(v string) *failpointSpec {
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ":")
	spec := &failpointSpec{step: parts[0], action: "kill", n: 1}
	if len(parts) > 1 {
		spec.action = parts[1]
	}
	if len(parts) > 2 {
		if n, err := strconv.Atoi(parts[2]); err == nil && n > 0 {
			spec.n = n
		}
	}
	fmt.Fprintf(os.Stderr, "mailbot: test failpoint armed: %s %s at pass %d\n", spec.step, spec.action, spec.n)
	return spec
}

// failpoint fires the armed failpoint if it is step. It returns an error
// for the error action and does not return for the kill action.
func failpoint(step string) error {
	if failArmed == nil || failArmed.step != step {
		return nil
	}
	failMu.Lock()
	failHits++
	hits := failHits
	failMu.Unlock()
	switch failArmed.action {
	case "kill":
		if hits == failArmed.n {
			fmt.Fprintf(os.Stderr, "mailbot: failpoint %s: killing the process\n", step)
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal arrives asynchronously
		}
	case "error":
		if hits <= failArmed.n {
			return fmt.Errorf("failpoint %s pass %d: %w", step, hits, syscall.ENOSPC)
		}
	}
	return nil
}
