package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Keys of the volume bucket. Counters are 8-byte big-endian values; the
// time part of a key comes first after the kind, so old keys form one
// range that a cursor can prune.
//
//	"rcpt" 0x00 YYYY-MM-DD 0x00 address → automatic mails to address that day (UTC)
//	"min"  0x00 YYYYMMDDHHMM          → automatic mails queued in that minute (UTC)
//	"hour" 0x00 YYYYMMDDHH            → automatic mails queued in that hour (UTC)
//	"pause" 0x00 address              → Pause as JSON
//	"breaker"                         → Breaker as JSON
const (
	dayLayout    = "2006-01-02"
	minuteLayout = "200601021504"
	hourLayout   = "2006010215"
)

// How long counters are kept: the breaker compares the last hour with the
// week before it.
const (
	keepMinutes = 2 * time.Hour
	keepHours   = 8 * 24 * time.Hour
	keepDays    = 2 * 24 * time.Hour
)

// Pause stops automatic mail to one address until a time.
type Pause struct {
	Until  time.Time `json:"until"`
	Reason string    `json:"reason"`
	Ticket Number    `json:"ticket,omitzero"`
}

// Breaker is the state of the global circuit breaker.
type Breaker struct {
	TrippedAt time.Time `json:"tripped_at,omitzero"`
	Until     time.Time `json:"until,omitzero"`
	LastHour  int       `json:"last_hour"` // mails in the hour that tripped it
	Limit     int       `json:"limit"`
	// ResetAt is when an operator closed the breaker before Until; for
	// the hour after it, only mails counted since then can trip it again.
	ResetAt time.Time `json:"reset_at,omitzero"`
	ResetBy string    `json:"reset_by,omitempty"`
	// ResetMinute is the count of the reset's minute at the reset, which
	// the counts since the reset leave out.
	ResetMinute int `json:"reset_minute,omitempty"`
}

func volumeKey(kind string, parts ...string) []byte {
	return []byte(kind + "\x00" + strings.Join(parts, "\x00"))
}

// CountAutomatic adds one automatic mail to each recipient's daily counter
// and to the minute and hour counters, and prunes expired counters.
func (t *Tx) CountAutomatic(to []string, at time.Time) error {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return err
	}
	at = at.UTC()
	keys := [][]byte{volumeKey("min", at.Format(minuteLayout)), volumeKey("hour", at.Format(hourLayout))}
	for _, a := range to {
		keys = append(keys, volumeKey("rcpt", at.Format(dayLayout), strings.ToLower(a)))
	}
	for _, k := range keys {
		if err := addCount(b, k); err != nil {
			return err
		}
	}
	prune := []struct {
		kind, before string
	}{
		{"min", at.Add(-keepMinutes).Format(minuteLayout)},
		{"hour", at.Add(-keepHours).Format(hourLayout)},
		{"rcpt", at.Add(-keepDays).Format(dayLayout)},
	}
	for _, p := range prune {
		if err := deleteRange(b, volumeKey(p.kind, ""), volumeKey(p.kind, p.before)); err != nil {
			return err
		}
	}
	return nil
}

func addCount(b *bolt.Bucket, k []byte) error {
	if err := b.Put(k, binary.BigEndian.AppendUint64(nil, count(b, k)+1)); err != nil {
		return fmt.Errorf("store counter %q: %w", k, err)
	}
	return nil
}

func count(b *bolt.Bucket, k []byte) uint64 {
	if v := b.Get(k); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// deleteRange removes the keys in [from, to).
func deleteRange(b *bolt.Bucket, from, to []byte) error {
	c := b.Cursor()
	for k, _ := c.Seek(from); k != nil && bytes.Compare(k, to) < 0; k, _ = c.Seek(from) {
		if err := c.Delete(); err != nil {
			return fmt.Errorf("prune counter %q: %w", k, err)
		}
	}
	return nil
}

// sumRange adds up the counters in [from, to].
func sumRange(b *bolt.Bucket, from, to []byte) uint64 {
	var sum uint64
	c := b.Cursor()
	for k, v := c.Seek(from); k != nil && bytes.Compare(k, to) <= 0; k, v = c.Next() {
		if len(v) == 8 {
			sum += binary.BigEndian.Uint64(v)
		}
	}
	return sum
}

// RecipientCount returns the automatic mails counted for addr on the UTC
// day of at.
func (t *Tx) RecipientCount(addr string, at time.Time) (int, error) {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return 0, err
	}
	return int(count(b, volumeKey("rcpt", at.UTC().Format(dayLayout), strings.ToLower(addr)))), nil
}

// LastHourCount returns the automatic mails of the 60 minutes up to at.
func (t *Tx) LastHourCount(at time.Time) (int, error) {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return 0, err
	}
	at = at.UTC()
	from := volumeKey("min", at.Add(-59*time.Minute).Format(minuteLayout))
	return int(sumRange(b, from, volumeKey("min", at.Format(minuteLayout)))), nil
}

// CountSince returns the automatic mails counted from the minute of from
// through the minute of at, both within the last hour before at.
func (t *Tx) CountSince(from, at time.Time) (int, error) {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return 0, err
	}
	at = at.UTC()
	if hourAgo := at.Add(-59 * time.Minute); from.Before(hourAgo) {
		from = hourAgo
	}
	from = from.UTC()
	return int(sumRange(b, volumeKey("min", from.Format(minuteLayout)), volumeKey("min", at.Format(minuteLayout)))), nil
}

// WeekHourlyAverage returns the average automatic mails per hour in the
// week that ends an hour before at.
func (t *Tx) WeekHourlyAverage(at time.Time) (float64, error) {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return 0, err
	}
	at = at.UTC()
	from := volumeKey("hour", at.Add(-7*24*time.Hour-time.Hour).Format(hourLayout))
	to := volumeKey("hour", at.Add(-2*time.Hour).Format(hourLayout))
	return float64(sumRange(b, from, to)) / (7 * 24), nil
}

// Pause returns the pause of automatic mail to addr, or nil.
func (t *Tx) Pause(addr string) (*Pause, error) {
	var p Pause
	ok, err := t.getVolumeJSON(volumeKey("pause", strings.ToLower(addr)), &p)
	if !ok || err != nil {
		return nil, err
	}
	return &p, nil
}

// PutPause stops automatic mail to addr until p.Until.
func (t *Tx) PutPause(addr string, p Pause) error {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return err
	}
	if err := putJSON(b, volumeKey("pause", strings.ToLower(addr)), p); err != nil {
		return fmt.Errorf("store pause of %s: %w", addr, err)
	}
	return nil
}

// Breaker returns the circuit breaker state; zero when it never tripped.
func (t *Tx) Breaker() (Breaker, error) {
	var br Breaker
	_, err := t.getVolumeJSON([]byte("breaker"), &br)
	return br, err
}

// PutBreaker stores the circuit breaker state.
func (t *Tx) PutBreaker(br Breaker) error {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return err
	}
	if err := putJSON(b, []byte("breaker"), br); err != nil {
		return fmt.Errorf("store breaker state: %w", err)
	}
	return nil
}

func (t *Tx) getVolumeJSON(key []byte, v any) (bool, error) {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return false, err
	}
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode %q: %w", key, err)
	}
	return true, nil
}
