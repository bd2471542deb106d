package store

import (
	"testing"
	"time"
)

func TestVolumeCountersAndPruning(t *testing.T) {
	db := openTemp(t)
	now := time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		// Two mails a week ago, one 90 minutes ago, three in the last hour.
		for _, at := range []time.Time{now.Add(-6 * 24 * time.Hour), now.Add(-6 * 24 * time.Hour), now.Add(-90 * time.Minute),
			now.Add(-50 * time.Minute), now.Add(-time.Minute), now} {
			if err := tx.CountAutomatic([]string{"Anna@Example.org"}, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		if n, err := tx.LastHourCount(now); err != nil || n != 3 {
			t.Errorf("LastHourCount = %d, %v; want 3", n, err)
		}
		if n, err := tx.RecipientCount("anna@example.org", now); err != nil || n != 4 {
			t.Errorf("RecipientCount today = %d, %v; want 4", n, err)
		}
		avg, err := tx.WeekHourlyAverage(now)
		if err != nil {
			t.Fatal(err)
		}
		if want := 2.0 / (7 * 24); avg != want {
			t.Errorf("WeekHourlyAverage = %g, want %g (the last two hours are not part of it)", avg, want)
		}
		b := tx.tx.Bucket(bucketVolume)
		if v := b.Get(volumeKey("rcpt", now.Add(-6*24*time.Hour).Format(dayLayout), "anna@example.org")); v != nil {
			t.Errorf("daily counter of six days ago survived pruning")
		}
		if v := b.Get(volumeKey("min", now.Add(-6*24*time.Hour).Format(minuteLayout))); v != nil {
			t.Errorf("minute counter of six days ago survived pruning")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPauseAndBreakerRoundTrip(t *testing.T) {
	db := openTemp(t)
	until := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutPause("M.Alt@example.org", Pause{Until: until, Reason: "failed 5.1.1"}); err != nil {
			return err
		}
		return tx.PutBreaker(Breaker{Until: until, LastHour: 300, Limit: 200})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		p, err := tx.Pause("m.alt@example.org")
		if err != nil || p == nil || !p.Until.Equal(until) {
			t.Errorf("Pause = %+v, %v; want until %s", p, err, until)
		}
		if p, _ := tx.Pause("other@example.org"); p != nil {
			t.Errorf("Pause of another address = %+v, want nil", p)
		}
		br, err := tx.Breaker()
		if err != nil || br.LastHour != 300 || !br.Until.Equal(until) {
			t.Errorf("Breaker = %+v, %v", br, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeleteUIDsBeforeKeepsCurrent(t *testing.T) {
	db := openTemp(t)
	err := db.Update(func(tx *Tx) error {
		for _, k := range []struct {
			mailbox string
			uv, uid uint32
		}{{"support", 1, 1}, {"support", 1, 2}, {"support", 7, 1}, {"supportx", 1, 1}, {"digi", 1, 1}} {
			if err := tx.PutUID(k.mailbox, k.uv, k.uid, UIDRecord{Outcome: OutcomeTicket}); err != nil {
				return err
			}
		}
		n, err := tx.DeleteUIDsBefore("support", 7)
		if n != 2 {
			t.Errorf("deleted %d records, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *Tx) error {
		for _, k := range []struct {
			mailbox string
			uv, uid uint32
			want    bool
		}{{"support", 1, 1, false}, {"support", 1, 2, false}, {"support", 7, 1, true}, {"supportx", 1, 1, true}, {"digi", 1, 1, true}} {
			rec, err := tx.UID(k.mailbox, k.uv, k.uid)
			if err != nil {
				return err
			}
			if (rec != nil) != k.want {
				t.Errorf("record %s/%d/%d present = %v, want %v", k.mailbox, k.uv, k.uid, rec != nil, k.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
