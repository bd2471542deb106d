// Package store keeps mailbot's state in one bbolt file: tickets and their
// history, the per-year ticket counters, the Message-ID index used for
// threading and deduplication, the per-mailbox IMAP progress and the outbox.
//
// Layout (bucket: key → value):
//
//	meta:      "schema" → decimal schema version
//	counters:  "2026" → 8-byte big-endian last sequence number of that year
//	tickets:   4-byte year + 4-byte sequence (big-endian) → Ticket as JSON
//	summaries: same key → Ticket without History as JSON
//	open:      same key → empty, for each ticket whose status is not final
//	addresses: lower-case address + 0x00 + ticket key → empty, see involved.go
//	orders:    ticket key → empty, for each ticket of type b
//	msgids:    Message-ID without brackets → 8-byte ticket key
//	dedupe:    content hash (hex) → Seen as JSON
//	uids:      mailbox name + 0x00 + 4-byte UIDVALIDITY + 4-byte UID → UIDRecord as JSON
//	mailboxes: mailbox name → MailboxState as JSON
//	outbox:    8-byte big-endian id → OutMail as JSON, mails still to send
//	sent:      8-byte big-endian id → OutMail as JSON, mails sent or given up
//	quarantine: quarantine id → QuarantineEntry as JSON, mails moved aside
//	volume:    counters and pauses of the loop brakes, see volume.go
//
// Big-endian keys make bbolt's byte order the numeric order, so a cursor
// walks tickets by number and the outbox by age.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout version written into the meta bucket.
// Version 2 added the summaries and open buckets, version 3 the addresses
// and orders buckets.
const SchemaVersion = 3

var (
	bucketMeta      = []byte("meta")
	bucketCounters  = []byte("counters")
	bucketTickets   = []byte("tickets")
	bucketSummaries = []byte("summaries")
	bucketOpen      = []byte("open")
	bucketMsgIDs    = []byte("msgids")
	bucketDedupe    = []byte("dedupe")
	bucketUIDs      = []byte("uids")
	bucketMailboxes = []byte("mailboxes")
	bucketOutbox    = []byte("outbox")
	bucketSent      = []byte("sent")
	bucketVolume    = []byte("volume")

	allBuckets = [][]byte{bucketMeta, bucketCounters, bucketTickets, bucketMsgIDs,
		bucketDedupe, bucketUIDs, bucketMailboxes, bucketOutbox, bucketSent, bucketQuarantine,
		bucketVolume, bucketSummaries, bucketOpen}
)

var (
	// ErrLocked means another process holds the database file.
	ErrLocked = errors.New("database is locked by another process (is another mailbot running on this file?)")
	// ErrNotFound means the requested ticket does not exist.
	ErrNotFound = errors.New("ticket not found")
)

// DefaultLockTimeout is how long Open waits for the file lock.
const DefaultLockTimeout = 2 * time.Second

// Options adjust Open.
type Options struct {
	ReadOnly    bool
	LockTimeout time.Duration // 0 means DefaultLockTimeout
}

// DB is an open store.
type DB struct {
	bolt    *bolt.DB
	path    string
	commits atomic.Int64
}

// Open opens or creates the store at path. A read-only open of a missing
// file fails instead of creating it.
func Open(path string, opts Options) (*DB, error) {
	timeout := opts.LockTimeout
	if timeout == 0 {
		timeout = DefaultLockTimeout
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create store directory for %s: %w", path, err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: opts.ReadOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open store %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path}
	if opts.ReadOnly {
		return db, nil
	}
	if err := restrictMode(path); err != nil {
		b.Close()
		return nil, err
	}
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) init() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get([]byte("schema")); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil || n > SchemaVersion {
				return fmt.Errorf("store %s has schema %q, this mailbot knows up to %d", db.path, v, SchemaVersion)
			}
			if n < 2 {
				if err := migrateSummaries(tx); err != nil {
					return fmt.Errorf("migrate store %s to schema 2: %w", db.path, err)
				}
			}
			if n < 3 {
				if err := migrateInvolvement(tx); err != nil {
					return fmt.Errorf("migrate store %s to schema 3: %w", db.path, err)
				}
			}
			if n == SchemaVersion {
				return nil
			}
		}
		return meta.Put([]byte("schema"), []byte(strconv.Itoa(SchemaVersion)))
	})
}

// Path returns the file name of the store.
func (db *DB) Path() string { return db.path }

// Close closes the database file.
func (db *DB) Close() error { return db.bolt.Close() }

// Update runs fn in one read-write transaction. Everything fn changes is
// committed together or not at all.
func (db *DB) Update(fn func(tx *Tx) error) error {
	err := db.bolt.Update(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
	if err == nil {
		db.commits.Add(1)
	}
	return err
}

// Commits returns how many read-write transactions this handle has
// committed, each with its fsync.
func (db *DB) Commits() int64 { return db.commits.Load() }

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx *Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Tx is a store transaction. Values it returns are copies and stay valid
// after the transaction ends.
type Tx struct {
	tx *bolt.Tx
}

func (t *Tx) bucket(name []byte) (*bolt.Bucket, error) {
	b := t.tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("bucket %s missing: the store was not initialised by a writer", name)
	}
	if appendOnly[string(name)] {
		b.FillPercent = appendFillPercent
	}
	return b, nil
}

// appendOnly lists the buckets whose new keys are always the largest:
// ticket numbers and outbox ids. bbolt splits a full page at FillPercent
// (default 0.5), which leaves half of each page of such a bucket empty for
// keys that never come. Splitting at 0.9 halved the summaries bucket of
// 10,000 generated tickets (bench/fill); tickets and sent mails of 1 to 4
// KB fill whole pages either way, so the file shrank by 5%.
var appendOnly = map[string]bool{string(bucketTickets): true, string(bucketSummaries): true,
	string(bucketOutbox): true, string(bucketSent): true}

const appendFillPercent = 0.9
