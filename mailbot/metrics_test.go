package mailbot

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"mailbot/config"
	"mailbot/store"
)

func TestHealthFollowsIMAPSessions(t *testing.T) {
	cfg := config.Builtin()
	cfg.Store.Path = filepath.Join(t.TempDir(), "mailbot.db")
	db, err := store.Open(cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := New(&cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m := r.metrics
	status := func() (string, int) {
		rec := httptest.NewRecorder()
		r.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return r.Health().Mailboxes["support"], rec.Code
	}

	if got, code := status(); got != "connecting" || code != http.StatusOK {
		t.Errorf("fresh start: %s, %d; want connecting, 200", got, code)
	}
	m.sessionUp("support", true, false)
	m.sessionUp("digitalisierung", true, false)
	if got, code := status(); got != "connected" || code != http.StatusOK {
		t.Errorf("after login: %s, %d; want connected, 200", got, code)
	}
	m.sessionUp("support", false, false)
	if got, code := status(); got != "reconnecting" || code != http.StatusOK {
		t.Errorf("after a drop: %s, %d; want reconnecting, 200", got, code)
	}
	m.mu.Lock()
	m.lastUp["support"] = time.Now().Add(-2 * unhealthyAfter)
	m.mu.Unlock()
	if got, code := status(); got != "disconnected" || code != http.StatusServiceUnavailable {
		t.Errorf("long after a drop: %s, %d; want disconnected, 503", got, code)
	}
	if n := testutilCount(t, r, "mailbot_imap_reconnects_total"); n != 1 {
		t.Errorf("reconnects = %v, want 1", n)
	}
}

// testutilCount sums all samples of one metric family.
func testutilCount(t *testing.T, r *Robot, name string) float64 {
	t.Helper()
	families, err := r.metrics.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}
