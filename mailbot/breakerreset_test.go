package mailbot_test

import (
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"mailbot/mailbot"
)

// TestBreakerResetLetsMailOutAgain trips the circuit breaker with a
// limit of two automatic mails an hour, resets it, and checks that mail
// goes out again and that a burst after the reset trips it once more.
func TestBreakerResetLetsMailOutAgain(t *testing.T) {
	_, cfg, db := benchRobot(t, 0)
	cfg.Brakes.BreakerMinHourly, cfg.Brakes.BreakerFactor = 2, 1
	cfg.Tickets.DigestMin = 0
	r, err := mailbot.New(cfg, db, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mb := &cfg.Mailboxes[0]
	uid := uint32(0)
	report := func() {
		t.Helper()
		uid++
		raw := batchMail("Jana Beispiel <jana.beispiel@stadt.example>", "breaker-"+strconv.Itoa(int(uid))+"@stadt.example", "",
			"Drucker "+strconv.Itoa(int(uid))+" defekt", "Der Drucker druckt nicht.")
		if _, err := r.Handle(incoming(mb, uid, raw)); err != nil {
			t.Fatal(err)
		}
	}
	acks := func() int { return len(queuedByKind(t, db)["ack"]) }

	report() // acknowledgement and notice: the limit of two is reached
	report() // held: the breaker trips
	br, err := mailbot.BreakerStatus(db)
	if err != nil {
		t.Fatal(err)
	}
	if !time.Now().Before(br.Until) {
		t.Fatalf("breaker %+v not open after the limit", br)
	}
	if n := acks(); n != 1 {
		t.Fatalf("%d acknowledgements queued before the reset, want 1", n)
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	br, wasOpen, err := mailbot.ResetBreaker(db, log, time.Now(), "admin-test")
	if err != nil || !wasOpen || br.ResetBy != "admin-test" {
		t.Fatalf("ResetBreaker: %+v, was open %v, err %v", br, wasOpen, err)
	}
	report()
	if n := acks(); n != 2 {
		t.Errorf("%d acknowledgements after the reset, want 2: mail must go out again", n)
	}
	report() // two more mails since the reset: above the limit again
	if br, _ := mailbot.BreakerStatus(db); !time.Now().Before(br.Until) || !br.ResetAt.IsZero() {
		t.Errorf("breaker %+v, want tripped again by the mails after the reset", br)
	}
	if _, wasOpen, _ := mailbot.ResetBreaker(db, log, time.Now().Add(2*time.Hour), "admin-test"); wasOpen {
		t.Error("a breaker whose pause ran out counts as open")
	}
}
