package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// WriteBackup writes a consistent copy of the whole database to w from one
// read transaction, so writers go on while it runs. It returns the number
// of bytes written.
func (db *DB) WriteBackup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up store %s: %w", db.path, err)
	}
	return n, nil
}

// WriteBackupFile writes a backup of db to path through a temporary file
// in the same directory, renamed into place only once it is complete and
// synced. The file gets mode 0600 like the store itself.
func WriteBackupFile(path string, write func(io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("create backup file next to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	n, err := write(tmp)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("write backup %s: %w", path, err)
	}
	if err := VerifyFile(tmp.Name()); err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("move backup into place at %s: %w", path, err)
	}
	return n, nil
}

// VerifyFile opens a store file read-only and checks bbolt's page
// structure and mailbot's buckets, for backups before they replace
// anything.
func VerifyFile(path string) error {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
	if err != nil {
		return fmt.Errorf("open backup %s: %w", path, err)
	}
	defer b.Close()
	return b.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("backup %s is inconsistent: %w", path, errors.Join(errs...))
		}
		if tx.Bucket(bucketMeta) == nil || tx.Bucket(bucketTickets) == nil {
			return fmt.Errorf("backup %s lacks mailbot's buckets", path)
		}
		return nil
	})
}

// restrictMode takes group and world permissions off an existing store
// file: bbolt creates new files with mode 0600 but leaves an old file's
// mode alone, and the store holds requesters' mail text.
func restrictMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat store %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, fi.Mode().Perm()&0o700); err != nil {
		return fmt.Errorf("restrict mode of store %s to its owner: %w", path, err)
	}
	return nil
}
