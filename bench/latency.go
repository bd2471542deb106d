package main

import (
	"fmt"
	"net"
	"net/smtp"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"mailbot/bench/gen"
)

// LatencyResult is the latency run: one mail a second with IDLE on.
type LatencyResult struct {
	Mails int     `json:"mails"`
	P50   float64 `json:"p50_secs"`
	P95   float64 `json:"p95_secs"`
	P99   float64 `json:"p99_secs"`
	Max   float64 `json:"max_secs"`
	// Each latency runs from Postfix's 250 reply to the clerk's DATA to
	// the modification time of the acknowledgement's file in the clerk's
	// Maildir, written by Dovecot's LMTP.
	Secs []float64 `json:"secs"`
}

func (l LatencyResult) String() string {
	return fmt.Sprintf("%d mails, p50 %.3fs, p95 %.3fs, p99 %.3fs, max %.3fs", l.Mails, l.P50, l.P95, l.P99, l.Max)
}

func (b *bench) latency(secs int) (LatencyResult, error) {
	var res LatencyResult
	tag := fmt.Sprintf("lat-%d", time.Now().UnixMilli()%1e8)
	support := "support-" + tag + "@stadt.example"
	dir := filepath.Join(b.work, tag)
	cfg, err := b.writeConfig(dir, robotConfig{support: support, digi: "digi-" + tag + "@stadt.example",
		it: "it-" + tag + "@stadt.example", db: filepath.Join(dir, "mailbot.db"), batch: b.batch, pollInterval: time.Minute})
	if err != nil {
		return res, err
	}
	// Log in once so that Dovecot creates the mailbox before mailbot selects it.
	if c, err := b.srv.login(support); err == nil {
		c.Logout().Wait()
		c.Close()
	}
	r, err := b.startRobot(cfg, filepath.Join(dir, "mailbot.db"))
	if err != nil {
		return res, err
	}
	defer r.stop()
	if _, _, err := r.waitReady(2, 30*time.Second); err != nil {
		return res, err
	}
	// IDLE starts right after the first sync; give it a moment.
	time.Sleep(500 * time.Millisecond)

	clerks := gen.People(secs, tag)
	accepted := make([]time.Time, secs)
	errs := make([]error, secs)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for i := range secs {
		if i > 0 {
			<-tick.C
		}
		from := clerks[i].Local + "@stadt.example"
		raw := gen.Mail(i, clerks[i], support, tag, time.Now())
		wg.Go(func() {
			accepted[i], errs[i] = b.submit(from, support, raw)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return res, fmt.Errorf("send mail %d: %w", i, err)
		}
	}
	var addrs []string
	for _, c := range clerks {
		addrs = append(addrs, c.Local+"@stadt.example")
	}
	if _, err := b.srv.waitCount(addrs, secs, 30*time.Second); err != nil {
		return res, fmt.Errorf("%w; log in %s", err, r.logPath)
	}
	for i, a := range addrs {
		times := b.srv.delivered(a)
		if len(times) != 1 {
			return res, fmt.Errorf("%s holds %d mails, want 1", a, len(times))
		}
		res.Secs = append(res.Secs, times[0].Sub(accepted[i]).Seconds())
	}
	res.Mails = secs
	s := slices.Clone(res.Secs)
	slices.Sort(s)
	res.P50, res.P95, res.P99, res.Max = percentile(s, 50), percentile(s, 95), percentile(s, 99), s[len(s)-1]
	return res, r.stop()
}

// percentile returns the p-th percentile of sorted by the nearest-rank method.
func percentile(sorted []float64, p int) float64 {
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

// submit sends raw through Postfix and returns the time of the 250 reply
// to the end of DATA, when Postfix accepted the mail.
func (b *bench) submit(from, to string, raw []byte) (time.Time, error) {
	conn, err := net.DialTimeout("tcp", b.srv.smtpAddr, 10*time.Second)
	if err != nil {
		return time.Time{}, err
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	host, _, _ := net.SplitHostPort(b.srv.smtpAddr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return time.Time{}, err
	}
	defer c.Close()
	if err := c.Hello("pc.stadt.example"); err != nil {
		return time.Time{}, err
	}
	if err := c.Mail(from); err != nil {
		return time.Time{}, err
	}
	if err := c.Rcpt(to); err != nil {
		return time.Time{}, err
	}
	w, err := c.Data()
	if err != nil {
		return time.Time{}, err
	}
	if _, err := w.Write(raw); err != nil {
		return time.Time{}, err
	}
	if err := w.Close(); err != nil {
		return time.Time{}, err
	}
	at := time.Now()
	return at, c.Quit()
}
