package mailbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"mailbot/store"
)

// unhealthyAfter is how long a mailbox may go without an IMAP session
// before /healthz reports the service unhealthy. Reconnects back off up to
// two minutes, so a single failed attempt does not trip it.
const unhealthyAfter = 5 * time.Minute

// metrics holds the Prometheus collectors of one robot in a registry of its
// own, so that tests can run several robots in one process.
type metrics struct {
	reg         *prometheus.Registry
	fetched     prometheus.Counter
	handled     *prometheus.CounterVec // by mailbox and outcome
	tickets     *prometheus.CounterVec // by process type
	sent        *prometheus.CounterVec // by kind of mail
	failed      *prometheus.CounterVec // by kind of mail
	retried     prometheus.Counter
	suppressed  *prometheus.CounterVec // by cause
	quarantined prometheus.Counter
	reconnects  *prometheus.CounterVec // by mailbox
	connected   *prometheus.GaugeVec   // by mailbox, 1 while a session is ready

	mu      sync.Mutex
	started time.Time
	lastUp  map[string]time.Time // mailbox → last time a session was ready or ended
	up      map[string]bool
}

func newMetrics(db *store.DB) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		fetched: prometheus.NewCounter(prometheus.CounterOpts{Name: "mailbot_mails_fetched_total",
			Help: "Mails fetched from the watched folders (oversized mails are not fetched)."}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailbot_mails_handled_total",
			Help: "Incoming mails committed, by mailbox and outcome (ticket, followup, duplicate, ignored)."}, []string{"mailbox", "outcome"}),
		tickets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailbot_tickets_created_total",
			Help: "New tickets, by process type (a, b1, b2, b3, c)."}, []string{"type"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailbot_outgoing_sent_total",
			Help: "Outgoing mails the SMTP server accepted, by kind (ack, notify, …)."}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailbot_outgoing_failed_total",
			Help: "Outgoing mails given up after a permanent error or too many attempts, by kind."}, []string{"kind"}),
		retried: prometheus.NewCounter(prometheus.CounterOpts{Name: "mailbot_outgoing_retries_total",
			Help: "Temporary SMTP failures that rescheduled an outgoing mail."}),
		suppressed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailbot_autoreplies_suppressed_total",
			Help: "Automatic replies not sent, by cause (robot: the incoming mail was an auto-reply, bounce or list mail; " +
				"recipient_daily, ticket_burst, circuit_breaker, bounce_pause: held back by the loop brakes)."}, []string{"cause"}),
		quarantined: prometheus.NewCounter(prometheus.CounterOpts{Name: "mailbot_mails_quarantined_total",
			Help: "Mails moved to a quarantine folder as unreadable, oversized or failing."}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mailbot_imap_reconnects_total",
			Help: "IMAP sessions that ended in an error and were redialled, by mailbox."}, []string{"mailbox"}),
		connected: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "mailbot_imap_connected",
			Help: "1 while the mailbox has a ready IMAP session, else 0."}, []string{"mailbox"}),
		started: time.Now(),
		lastUp:  map[string]time.Time{},
		up:      map[string]bool{},
	}
	outbox := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mailbot_outbox_depth",
		Help: "Outgoing mails waiting in the outbox (-1 when the store cannot be read)."}, func() float64 {
		n := -1
		_ = db.View(func(tx *store.Tx) error { n = tx.OutboxLen(); return nil })
		return float64(n)
	})
	m.reg.MustRegister(m.fetched, m.handled, m.tickets, m.sent, m.failed, m.retried, m.suppressed,
		m.quarantined, m.reconnects, m.connected, outbox,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observeHandled counts one committed incoming mail.
func (m *metrics) observeHandled(h Handled) {
	m.handled.WithLabelValues(h.Mailbox, h.Record.Outcome).Inc()
	switch h.Record.Outcome {
	case store.OutcomeTicket:
		typ := h.Type
		if h.Subtype != "" {
			typ = h.Subtype
		}
		m.tickets.WithLabelValues(typ).Inc()
	case store.OutcomeIgnored:
		m.suppressed.WithLabelValues("robot").Inc()
	}
}

// observeSent counts the result of one send attempt that was recorded.
func (m *metrics) observeSent(o *store.OutMail) {
	switch o.State {
	case store.OutSent:
		m.sent.WithLabelValues(o.Kind).Inc()
	case store.OutFailed:
		m.failed.WithLabelValues(o.Kind).Inc()
	default:
		m.retried.Inc()
	}
}

// sessionUp records that a mailbox's IMAP session became ready (true) or
// ended (false); an ended session counts as a reconnect unless stopping.
func (m *metrics) sessionUp(mailbox string, up, stopping bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	wasUp := m.up[mailbox]
	m.up[mailbox] = up
	if up || wasUp {
		m.lastUp[mailbox] = time.Now()
	}
	if up {
		m.connected.WithLabelValues(mailbox).Set(1)
		return
	}
	m.connected.WithLabelValues(mailbox).Set(0)
	if !stopping {
		m.reconnects.WithLabelValues(mailbox).Inc()
	}
}

// Health is the body of /healthz.
type Health struct {
	Status    string            `json:"status"` // ok or unhealthy
	Store     string            `json:"store"`  // ok or the error reading it
	Mailboxes map[string]string `json:"mailboxes"`
}

// Health reports whether the store is readable and every mailbox had a
// ready IMAP session within the last five minutes.
func (r *Robot) Health() Health {
	h := Health{Status: "ok", Store: "ok", Mailboxes: map[string]string{}}
	if err := r.db.View(func(tx *store.Tx) error { tx.OutboxLen(); return nil }); err != nil {
		h.Status, h.Store = "unhealthy", err.Error()
	}
	m := r.metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, mb := range r.cfg.Mailboxes {
		switch last, seen := m.lastUp[mb.Name]; {
		case m.up[mb.Name]:
			h.Mailboxes[mb.Name] = "connected"
		case !seen && time.Since(m.started) < unhealthyAfter:
			h.Mailboxes[mb.Name] = "connecting"
		case seen && time.Since(last) < unhealthyAfter:
			h.Mailboxes[mb.Name] = "reconnecting"
		default:
			h.Mailboxes[mb.Name] = "disconnected"
			h.Status = "unhealthy"
		}
	}
	return h
}

// MetricsHandler serves /healthz and /metrics.
func (r *Robot) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(r.metrics.reg, promhttp.HandlerOpts{Registry: r.metrics.reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		h := r.Health()
		w.Header().Set("Content-Type", "application/json")
		if h.Status != "ok" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(h)
	})
	return mux
}

// ServeMetrics serves /healthz and /metrics on addr until ctx is done.
func (r *Robot) ServeMetrics(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen for metrics on %s (metrics.listen): %w", addr, err)
	}
	srv := &http.Server{Handler: r.MetricsHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve metrics on %s: %w", addr, err)
	}
	return nil
}
