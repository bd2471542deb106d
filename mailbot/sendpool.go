package mailbot

import (
	"context"
	"sync"

	"github.com/wneessen/go-mail"
)

// deliverConcurrently splits msgs over up to sendConns SMTP connections
// and sends the parts at the same time. A relay like Postfix accepts
// mails faster on parallel connections, because it writes and syncs the
// queue files of each connection in its own process. The result maps
// each message of a part that failed to connect to that error.
func (r *Robot) deliverConcurrently(ctx context.Context, msgs []*mail.Msg) map[*mail.Msg]error {
	parts := splitParts(msgs, sendConns)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() { errs[i] = r.deliver(ctx, part) })
	}
	wg.Wait()
	out := map[*mail.Msg]error{}
	for i, part := range parts {
		if errs[i] == nil {
			continue
		}
		for _, m := range part {
			out[m] = errs[i]
		}
	}
	return out
}

// splitParts cuts msgs into at most n parts of nearly equal length, in
// order, so that mails queued earlier are sent on earlier connections.
func splitParts(msgs []*mail.Msg, n int) [][]*mail.Msg {
	n = min(n, len(msgs))
	parts := make([][]*mail.Msg, 0, n)
	for i := range n {
		lo, hi := i*len(msgs)/n, (i+1)*len(msgs)/n
		parts = append(parts, msgs[lo:hi])
	}
	return parts
}
