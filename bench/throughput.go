package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/wneessen/go-mail"

	"mailbot/bench/gen"
	"mailbot/mailbot"
	"mailbot/parse"
	"mailbot/rules"
	"mailbot/templates"
)

// Modes of a throughput run: what the IT role gets of the new tickets.
const (
	modeDigest  = "digest"  // as configured: one digest per batch of 10 or more new tickets
	modeNotices = "notices" // a notice per ticket (tickets.digest_min: 0)
	modeAcks    = "acks"    // no IT role: acknowledgements only
)

// requesters is the number of clerks who write the mails of one run.
const requesters = 20

// ThroughputResult is one throughput run. Rates are mails per second.
type ThroughputResult struct {
	Run int `json:"run"`
	// Mode is the IT configuration of the run, one of the mode constants.
	Mode string `json:"mode"`
	// ITNotices is false for a run whose configuration has no IT role.
	ITNotices bool `json:"it_notices"`
	// LoadAvg is the 1-minute load average before the run: other work on
	// the machine disturbs every figure.
	LoadAvg    float64 `json:"load_avg"`
	AppendSecs float64 `json:"append_secs"`
	// Plain go-imap client: UID FETCH BODY.PEEK[] in batches, and parse.Parse.
	IMAPSecs float64 `json:"imap_secs"`
	IMAPRate float64 `json:"imap_rate"`
	// go-mail over one SMTP connection until Postfix delivered all to
	// Dovecot, before mailbot runs and again after it.
	SMTPSubmitSecs float64 `json:"smtp_submit_secs"`
	SMTPSecs       float64 `json:"smtp_secs"`
	SMTPBeforeRate float64 `json:"smtp_before_rate"`
	SMTPAfterRate  float64 `json:"smtp_after_rate"`
	SMTPRate       float64 `json:"smtp_rate"` // mean of before and after
	SMTPBusy       float64 `json:"smtp_machine_busy"`
	// The same mails over sendConns connections at once, to a second sink:
	// what the servers take when the client is not the bottleneck.
	SMTPParallelRate float64 `json:"smtp_parallel_rate"`
	SMTPParallelBusy float64 `json:"smtp_parallel_machine_busy"`
	// mailbot from exec until every acknowledgement is in Dovecot.
	MailbotSecs float64 `json:"mailbot_secs"`
	MailbotRate float64 `json:"mailbot_rate"`
	// Ratio is MailbotRate over the slower of IMAPRate and SMTPRate.
	Ratio float64 `json:"ratio"`
	// DeliveredRate counts every mail mailbot had Postfix deliver by the
	// time the last acknowledgement arrived: acknowledgements and IT notices.
	DeliveredRate float64 `json:"delivered_rate"`
	Notices       int     `json:"notices_delivered"`
	// MailbotCPU is mailbot's CPU time during the run, MachineBusy the
	// share of all cores busy (any process) while mailbot ran.
	MailbotCPU  float64 `json:"mailbot_cpu_secs"`
	MachineBusy float64 `json:"machine_busy"`
	Tickets     int     `json:"tickets"`
	PeakRSS     int64   `json:"peak_rss_bytes"`
	MailBytes   int     `json:"mail_bytes_avg"`
	AckBytes    int     `json:"ack_bytes_avg"`
}

func (t ThroughputResult) String() string {
	return fmt.Sprintf("load %.1f, mode %s: mailbot %.1f/s (%.2fs), raw IMAP fetch+parse %.1f/s, raw SMTP→Dovecot %.1f/s (busy %.0f%%; parallel %.1f/s, busy %.0f%%), ratio %.2f, "+
		"delivered incl. %d IT mails %.1f/s, tickets %d, peak RSS %.1f MB, mailbot CPU %.2fs, machine busy %.0f%%",
		t.LoadAvg, t.Mode, t.MailbotRate, t.MailbotSecs, t.IMAPRate, t.SMTPRate, 100*t.SMTPBusy, t.SMTPParallelRate, 100*t.SMTPParallelBusy, t.Ratio, t.Notices, t.DeliveredRate, t.Tickets, float64(t.PeakRSS)/1e6, t.MailbotCPU, 100*t.MachineBusy)
}

// throughput runs one throughput measurement in mode. In modeAcks the
// configuration has no IT role, so mailbot sends only acknowledgements and
// the servers deliver one mail per mail, as in the raw SMTP run.
func (b *bench) throughput(run, n int, mode string) (ThroughputResult, error) {
	notices := mode != modeAcks
	res := ThroughputResult{Run: run + 1, Mode: mode, ITNotices: notices, LoadAvg: loadAvg()}
	tag := fmt.Sprintf("tp%d-%d", run+1, time.Now().UnixMilli()%1e8)
	support := "support-" + tag + "@stadt.example"
	staff := gen.People(requesters, tag)
	base := time.Now().Add(-time.Hour)
	mails := make([][]byte, n)
	total := 0
	for i := range mails {
		mails[i] = gen.Mail(i, staff[i%len(staff)], support, tag, base.Add(time.Duration(i)*time.Second))
		total += len(mails[i])
	}
	res.MailBytes = total / max(n, 1)

	start := time.Now()
	if err := b.appendAll(support, mails); err != nil {
		return res, err
	}
	res.AppendSecs = time.Since(start).Seconds()

	secs, err := b.rawIMAP(support, n)
	if err != nil {
		return res, fmt.Errorf("raw IMAP: %w", err)
	}
	res.IMAPSecs, res.IMAPRate = secs, float64(n)/secs

	acks, ackBytes, err := acknowledgements(mails, support)
	if err != nil {
		return res, err
	}
	res.AckBytes = ackBytes
	sink := "sink-" + tag + "@stadt.example"
	busy0, total0 := machineCPU()
	submit, secs, err := b.rawSMTP(acks, sink, 1)
	if err != nil {
		return res, fmt.Errorf("raw SMTP: %w", err)
	}
	res.SMTPSubmitSecs, res.SMTPSecs, res.SMTPBeforeRate = submit, secs, float64(n)/secs
	res.SMTPBusy = busySince(busy0, total0)
	if b.parallel > 1 {
		acks, _, err := acknowledgements(mails, support)
		if err != nil {
			return res, err
		}
		busy0, total0 := machineCPU()
		_, secs, err := b.rawSMTP(acks, "sink-par-"+tag+"@stadt.example", b.parallel)
		if err != nil {
			return res, fmt.Errorf("raw SMTP over %d connections: %w", b.parallel, err)
		}
		res.SMTPParallelRate, res.SMTPParallelBusy = float64(n)/secs, busySince(busy0, total0)
	}

	dir := filepath.Join(b.work, tag)
	it := "it-" + tag + "@stadt.example"
	if !notices {
		it = ""
	}
	cfg, err := b.writeConfig(dir, robotConfig{support: support, digi: "digi-" + tag + "@stadt.example", it: it,
		db: filepath.Join(dir, "mailbot.db"), batch: b.batch, pollInterval: time.Minute, noticePerTicket: mode == modeNotices})
	if err != nil {
		return res, err
	}
	var addrs []string
	for _, p := range staff {
		addrs = append(addrs, p.Local+"@stadt.example")
	}
	if b.profile != "" {
		d, err := b.profileRobot(cfg, b.profile, addrs, n)
		if err != nil {
			return res, err
		}
		log.Printf("in-process mailbot took %v; CPU profile in %s", d, b.profile)
		return res, nil
	}
	busy0, total0 = machineCPU()
	r, err := b.startRobot(cfg, filepath.Join(dir, "mailbot.db"))
	if err != nil {
		return res, err
	}
	defer r.stop()
	end, err := b.srv.waitCount(addrs, n, 60*time.Second+time.Duration(n)*50*time.Millisecond)
	if err != nil {
		return res, fmt.Errorf("mailbot: %w; log in %s", err, r.logPath)
	}
	res.MailbotCPU = r.cpuSecs()
	res.MachineBusy = busySince(busy0, total0)
	res.MailbotSecs = end.Sub(r.started).Seconds()
	res.MailbotRate = float64(n) / res.MailbotSecs
	if notices {
		res.Notices = b.srv.count(it)
	}
	res.DeliveredRate = float64(n+res.Notices) / res.MailbotSecs

	list, err := mailbot.NewClient(r.socket).Tickets()
	if err != nil {
		return res, fmt.Errorf("list tickets: %w", err)
	}
	res.Tickets = len(list)
	res.PeakRSS = r.peakRSS()
	if res.Tickets != n {
		return res, fmt.Errorf("%d tickets for %d mails; log in %s", res.Tickets, n, r.logPath)
	}
	if err := r.stop(); err != nil {
		return res, err
	}

	// Other work on the machine changes between the phases; measuring the
	// raw SMTP rate before and after mailbot and taking the mean evens
	// out a slow drift.
	acks, _, err = acknowledgements(mails, support)
	if err != nil {
		return res, err
	}
	_, secs, err = b.rawSMTP(acks, "sink-after-"+tag+"@stadt.example", 1)
	if err != nil {
		return res, fmt.Errorf("raw SMTP after mailbot: %w", err)
	}
	res.SMTPAfterRate = float64(n) / secs
	res.SMTPRate = (res.SMTPBeforeRate + res.SMTPAfterRate) / 2
	res.Ratio = res.MailbotRate / min(res.IMAPRate, res.SMTPRate)
	return res, nil
}

// appendAll stores mails in the INBOX of user with IMAP APPEND.
func (b *bench) appendAll(user string, mails [][]byte) error {
	c, err := b.srv.login(user)
	if err != nil {
		return err
	}
	defer c.Close()
	for i, raw := range mails {
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			return fmt.Errorf("append mail %d: %w", i, err)
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("append mail %d: %w", i, err)
		}
		if _, err := cmd.Wait(); err != nil {
			return fmt.Errorf("append mail %d: %w", i, err)
		}
	}
	return c.Logout().Wait()
}

// rawIMAP fetches every mail of the INBOX of user in batches of b.batch
// UIDs, read-only and with BODY.PEEK[], and parses each with parse.Parse,
// as mailbot does before it decides anything.
func (b *bench) rawIMAP(user string, n int) (float64, error) {
	start := time.Now()
	c, err := b.srv.login(user)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return 0, err
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}, nil).Wait()
	if err != nil {
		return 0, err
	}
	uids := data.AllUIDs()
	slices.Sort(uids)
	section := &imap.FetchItemBodySection{Peek: true}
	opts := &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section}}
	parsed := 0
	for len(uids) > 0 {
		k := min(len(uids), b.batch)
		fc := c.Fetch(imap.UIDSetNum(uids[:k]...), opts)
		for msg := fc.Next(); msg != nil; msg = fc.Next() {
			for item := msg.Next(); item != nil; item = msg.Next() {
				if body, ok := item.(imapclient.FetchItemDataBodySection); ok {
					raw, err := io.ReadAll(body.Literal)
					if err != nil {
						return 0, err
					}
					if _, err := parse.Parse(raw); err != nil {
						return 0, err
					}
					parsed++
				}
			}
		}
		if err := fc.Close(); err != nil {
			return 0, err
		}
		uids = uids[k:]
	}
	if parsed != n {
		return 0, fmt.Errorf("parsed %d of %d mails", parsed, n)
	}
	secs := time.Since(start).Seconds()
	return secs, c.Logout().Wait()
}

// acknowledgements builds, for each mail, the acknowledgement mailbot
// would send, rendered from the embedded template, with the headers
// mailbot adds. It returns them and their average size.
func acknowledgements(mails [][]byte, from string) ([]*mail.Msg, int, error) {
	eng, err := rules.Default()
	if err != nil {
		return nil, 0, err
	}
	tmpl, err := templates.Load("")
	if err != nil {
		return nil, 0, err
	}
	var out []*mail.Msg
	total := 0
	for i, raw := range mails {
		msg, err := parse.Parse(raw)
		if err != nil {
			return nil, 0, err
		}
		d := eng.Classify(rules.Input{Mailbox: "support", Subject: msg.Subject, Body: msg.Text}, "a")
		number := fmt.Sprintf("2026-%05d", i+1)
		tag := "[IT-" + number + "]"
		body, err := tmpl.Render(templates.Ack, templates.TicketData{Number: number, Tag: tag, Subject: msg.Subject,
			Requester: msg.From.Addr, RequesterName: msg.From.Name, Mailbox: "support",
			TypeName: templates.TypeName(d.Type, d.Subtype), Next: templates.NextStep(d.Type),
			Rule: d.Rule, Reason: d.Reason, Project: d.Project, Text: msg.Text})
		if err != nil {
			return nil, 0, err
		}
		m := mail.NewMsg(mail.WithNoDefaultUserAgent())
		if err := m.FromFormat("IT-Ticketsystem", from); err != nil {
			return nil, 0, err
		}
		m.Subject(tag + " " + msg.Subject)
		m.SetMessageIDWithValue("raw." + strconv.Itoa(i) + "." + from)
		m.SetGenHeader(mail.HeaderInReplyTo, "<"+msg.MessageID+">")
		m.SetGenHeader(mail.HeaderReferences, "<"+msg.MessageID+">")
		m.SetGenHeader(mail.Header("Auto-Submitted"), "auto-replied")
		m.SetBulk()
		m.SetBodyString(mail.TypeTextPlain, body)
		out = append(out, m)
		var sb strings.Builder
		if _, err := m.WriteTo(&sb); err != nil {
			return nil, 0, err
		}
		total += sb.Len()
	}
	return out, total / max(len(mails), 1), nil
}

// rawSMTP sends msgs to sink over one go-mail connection and waits until
// Dovecot holds all of them. It returns the submission time and the time
// until the last delivery.
func (b *bench) rawSMTP(msgs []*mail.Msg, sink string, conns int) (submit, total float64, err error) {
	for _, m := range msgs {
		if err := m.To(sink); err != nil {
			return 0, 0, err
		}
	}
	start := time.Now()
	errs := make([]error, conns)
	var wg sync.WaitGroup
	for i := range conns {
		part := msgs[i*len(msgs)/conns : (i+1)*len(msgs)/conns]
		wg.Go(func() { errs[i] = b.sendOver(part) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, 0, err
	}
	submit = time.Since(start).Seconds()
	end, err := b.srv.waitCount([]string{sink}, len(msgs), time.Minute+time.Duration(len(msgs))*20*time.Millisecond)
	if err != nil {
		return 0, 0, err
	}
	return submit, end.Sub(start).Seconds(), nil
}

// sendOver sends msgs over one go-mail SMTP connection.
func (b *bench) sendOver(msgs []*mail.Msg) error {
	host, port, _ := net.SplitHostPort(b.srv.smtpAddr)
	p, _ := strconv.Atoi(port)
	c, err := mail.NewClient(host, mail.WithPort(p), mail.WithTLSPolicy(mail.NoTLS), mail.WithHELO("stadt.example"),
		mail.WithTimeout(2*time.Minute))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := c.DialWithContext(ctx); err != nil {
		return err
	}
	if err := c.Send(msgs...); err != nil {
		c.Close()
		return err
	}
	if err := c.Close(); err != nil {
		log.Printf("close SMTP connection: %v", err)
	}
	return nil
}

// busySince returns the share of all cores busy since machineCPU returned
// busy0 and total0.
func busySince(busy0, total0 float64) float64 {
	busy1, total1 := machineCPU()
	return (busy1 - busy0) / max(total1-total0, 1)
}

// summarizeThroughput logs median, min and max of the main figures.
func summarizeThroughput(name string, runs []ThroughputResult) {
	if len(runs) == 0 {
		return
	}
	pick := func(f func(ThroughputResult) float64) string {
		var v []float64
		for _, r := range runs {
			v = append(v, f(r))
		}
		return spread(v)
	}
	log.Printf("throughput %s, %d runs (median [min, max]):", name, len(runs))
	log.Printf("  mailbot        %s mails/s", pick(func(r ThroughputResult) float64 { return r.MailbotRate }))
	log.Printf("  raw IMAP       %s mails/s", pick(func(r ThroughputResult) float64 { return r.IMAPRate }))
	log.Printf("  raw SMTP       %s mails/s", pick(func(r ThroughputResult) float64 { return r.SMTPRate }))
	log.Printf("  ratio          %s", pick(func(r ThroughputResult) float64 { return r.Ratio }))
	log.Printf("  delivered/s    %s (acknowledgements and IT mails)", pick(func(r ThroughputResult) float64 { return r.DeliveredRate }))
	log.Printf("  peak RSS       %s MB", pick(func(r ThroughputResult) float64 { return float64(r.PeakRSS) / 1e6 }))
}

// spread formats the median, min and max of v.
func spread(v []float64) string {
	if len(v) == 0 {
		return "-"
	}
	s := slices.Clone(v)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return fmt.Sprintf("%.3g [%.3g, %.3g]", med, s[0], s[len(s)-1])
}
